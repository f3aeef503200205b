import { bundleProblems, pathOf, segmentsOfPointer, type Located } from './bundle-problems';
import { checkablePart, type Checkable } from './checkable';
import { duplicateFieldsIn, findDuplicateKeys, findJsonSyntaxError, parseJsonNotingDuplicates, type DuplicateKey } from './json-syntax';
import { BUNDLE_FORMAT, type Bundle, type BundleProblem } from './bundle.types';
import type { StatementStream } from '../importer/import-bundle';

/** Problems a bundle's schema check reports at most (the database checks then report theirs). */
const MAX_PROBLEMS = 100;

/** `/statements/3/signatures/12/signatory` → `statements[3].signatures[12].signatory` */
export function toPath(pointer: string): string {
  return pathOf(segmentsOfPointer(pointer));
}

const toProblem = (p: Located): BundleProblem => ({ path: pathOf(p.at), message: p.message });

/** Checks a bundle against the JSON Schema, its keys and its dates: every problem at once (up to a limit), in words. */
export function validateBundle(value: unknown): BundleProblem[] {
  return bundleProblems(value).slice(0, MAX_PROBLEMS).map(toProblem);
}

/** A bundle read and checked without the database. */
export interface ParsedBundle {
  /** The bundle, when it has no problem at all. */
  bundle?: Bundle;
  /** Problems found without the database, in words. */
  problems: BundleProblem[];
  /** What the database checks can still run on: all of the bundle, or the records its problems leave usable. */
  checkable: Checkable | null;
  /** The bundle as read (to name a problem's record by its key). */
  value?: unknown;
  /** NDJSON: the line of each record, per collection. */
  lines?: Record<string, number[]>;
  /** A file read as a stream: its statements, which `checkable.bundle` leaves out. */
  statements?: StatementStream;
}

/** A field given twice: JSON keeps the last value, so the first would be lost without a word. */
export function repeatedField(d: DuplicateKey, at: (string | number)[] = d.at): BundleProblem {
  return { path: pathOf(at), line: d.line, column: d.column, message: `the field "${d.key}" is given twice in one object (only the last would be kept)` };
}

/**
 * Checks a parsed value (e.g. the `bundle` argument of the importBundle mutation). Fields given twice
 * are seen when the value was read by parseJsonNotingDuplicates; they are problems, but the value
 * read (the last) is still checked against the archive.
 */
export function prepareBundle(value: unknown): ParsedBundle {
  const located = bundleProblems(value);
  const repeated = duplicateFieldsIn(value).map((d) => repeatedField(d));
  if (located.length === 0) {
    const bundle = value as Bundle;
    const checkable = { bundle, originalPath: (path: string) => path, unchecked: { sources: new Set<string>(), people: new Set<string>(), statements: new Set<string>(), signatories: new Set<string>() } };
    return repeated.length ? { problems: repeated.slice(0, MAX_PROBLEMS), checkable, value } : { bundle, problems: [], checkable, value };
  }
  return { problems: [...repeated, ...located.map(toProblem)].slice(0, MAX_PROBLEMS), checkable: checkablePart(value, located), value };
}

/** NDJSON record types and the collections they belong to. */
export const NDJSON_COLLECTIONS = { source: 'sources', person: 'people', signatory: 'signatories', statement: 'statements' } as const;

function notJson(text: string, error: unknown, line = 0): BundleProblem {
  const found = findJsonSyntaxError(text);
  if (!found) return { path: '', message: `not valid JSON: ${(error as Error).message}` };
  return { path: '', line: found.line + line, column: found.column, message: `not valid JSON: ${found.message}` };
}

/** One NDJSON line read: its record's collection and fields (none when the line holds no record), and its problems. */
export interface NdjsonLine {
  collection?: (typeof NDJSON_COLLECTIONS)[keyof typeof NDJSON_COLLECTIONS];
  fields?: Record<string, unknown>;
  problems: BundleProblem[];
}

/**
 * Reads one line of an NDJSON bundle (`line` is its 1-based number; `countOf` how many records of a
 * collection came before, to name fields given twice by the record's index). Null for a blank line.
 */
export function readNdjsonLine(text: string, line: number, countOf: (collection: string) => number): NdjsonLine | null {
  if (text.trim() === '') return null;
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    return { problems: [notJson(text, error, line - 1)] };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { problems: [{ path: '', line, message: 'a line must hold one JSON object (a record)' }] };
  }
  const { type, ...fields } = record as { type?: unknown };
  const collection = NDJSON_COLLECTIONS[type as keyof typeof NDJSON_COLLECTIONS];
  if (!collection) {
    const message = type === undefined ? 'missing field "type"' : `must be one of ${Object.keys(NDJSON_COLLECTIONS).join(', ')}`;
    return { problems: [{ path: 'type', line, message }] };
  }
  const at = countOf(collection);
  return { collection, fields, problems: findDuplicateKeys(text).map((d) => repeatedField({ ...d, line }, [collection, at, ...d.at])) };
}

/**
 * Reads a bundle file's text: one JSON object (`.json`) or one record per line (`.ndjson`). A JSON
 * syntax error is located by line and column; in NDJSON, a line that is not a record loses only
 * that record, and every other line is still checked.
 */
export function parseBundleText(text: string, format: 'json' | 'ndjson'): ParsedBundle {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (format === 'json') {
    let value: unknown;
    try {
      value = parseJsonNotingDuplicates(body);
    } catch (error) {
      return { problems: [notJson(body, error)], checkable: null };
    }
    return prepareBundle(value);
  }
  const collections: Record<string, unknown[]> = {};
  const lines: Record<string, number[]> = {};
  const lineProblems: BundleProblem[] = [];
  body.split('\n').forEach((text, index) => {
    if (lineProblems.length >= MAX_PROBLEMS) return;
    const read = readNdjsonLine(text, index + 1, (collection) => collections[collection]?.length ?? 0);
    if (!read) return;
    lineProblems.push(...read.problems);
    if (!read.collection) return;
    (collections[read.collection] ??= []).push(read.fields);
    (lines[read.collection] ??= []).push(index + 1);
  });
  const parsed = prepareBundle({ format: BUNDLE_FORMAT, ...collections });
  if (lineProblems.length === 0) return { ...parsed, lines };
  return { problems: [...lineProblems, ...parsed.problems], checkable: parsed.checkable, value: parsed.value, lines };
}
