import { normalizeName } from '../../reference/normalize';
import { bundleProblems, isObject, pathOf, schemaAt, segmentsOf, type Located, type Segment, type SchemaNode } from './bundle-problems';
import { BUNDLE_FORMAT, type Bundle } from './bundle.types';

/** Keys (and, for signatories, names) of records left out of the checks: references to them are not reported again. */
export interface UncheckedRecords {
  sources: Set<string>;
  people: Set<string>;
  statements: Set<string>;
  /** Keys and normalised names. */
  signatories: Set<string>;
}

/** What the database checks (names, references, quotes) can still run on when a bundle has problems of its own. */
export interface Checkable {
  bundle: Bundle;
  /** A path into `bundle` → the same place in the bundle as given (records left out shift indices). */
  originalPath(path: string): string;
  unchecked: UncheckedRecords;
}

/**
 * Neutral values for required fields the database checks do not read. Only a bundle with problems is
 * made checkable, and it is never written: what it writes before the checks (sources, people,
 * signatories) is rolled back, and nothing after them runs.
 */
const FILLERS: Record<string, Record<string, unknown>> = {
  '': { format: BUNDLE_FORMAT },
  'sources.*': { kind: 'OTHER', title: '-' },
  'people.*': { name: '-' },
  'people.*.roles.*': { title: '-' },
  'statements.*': { kind: 'OTHER', title: '-', date: '1000' },
  'statements.*.countClaims.*': { count: 0 },
};

const DROP = Symbol('left out');

/** A copy of the parts of `value` the schema describes, so that it can be changed; depth bounded by the schema's. */
function copy(value: unknown, node: SchemaNode | undefined): unknown {
  if (node?.type === 'array' && Array.isArray(value)) return value.map((v) => copy(v, node.items));
  if (node?.type === 'object' && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v, node.properties?.[k])]));
  }
  return value;
}

/** Removes left-out array items, remembering for each changed array (by its original pointer) which items stayed. */
function compact(value: unknown, node: SchemaNode | undefined, pointer: string, kept: Map<string, number[]>): unknown {
  if (node?.type === 'array' && Array.isArray(value)) {
    const indices: number[] = [];
    const out: unknown[] = [];
    value.forEach((v, i) => {
      if (v === DROP) return;
      indices.push(i);
      out.push(compact(v, node.items, `${pointer}/${i}`, kept));
    });
    if (indices.length !== value.length) kept.set(pointer, indices);
    return out;
  }
  if (node?.type === 'object' && isObject(value)) {
    for (const [k, v] of Object.entries(value)) value[k] = compact(v, node.properties?.[k], `${pointer}/${k}`, kept);
  }
  return value;
}

/**
 * The part of a bundle the database checks can use, given its problems: an invalid optional field is
 * removed, an invalid required one the checks do not read gets a neutral value (a statement with a bad
 * date still has its signatories checked), and any other record or list item with an invalid required
 * field is left out. Null when nothing can be checked (the bundle is not an object).
 */
export function checkablePart(value: unknown, problems: readonly Located[]): Checkable | null {
  if (!isObject(value)) return null;
  const root = copy(value, schemaAt([])) as Record<string, unknown>;
  const unchecked: UncheckedRecords = { sources: new Set(), people: new Set(), statements: new Set(), signatories: new Set() };

  const leaveOut = (collection: Segment | undefined, record: unknown) => {
    if (!isObject(record) || typeof record.key !== 'string') return;
    const set = unchecked[collection as keyof UncheckedRecords];
    set?.add(record.key);
    if (collection !== 'signatories') return;
    for (const name of [record.name, ...(Array.isArray(record.aliases) ? record.aliases : [])]) {
      if (typeof name === 'string') unchecked.signatories.add(normalizeName(name));
    }
  };
  /** The container at `at`, or undefined when it (or what holds it) is already gone. */
  const containerAt = (at: readonly Segment[]): Record<string, unknown> | unknown[] | undefined => {
    let v: unknown = root;
    for (const s of at) {
      if (!(Array.isArray(v) || isObject(v))) return undefined;
      v = (v as Record<string, unknown>)[s];
    }
    return Array.isArray(v) || isObject(v) ? v : undefined;
  };
  const invalidate = (problem: readonly Segment[]) => {
    let at = [...problem];
    while (at.length > 0) {
      const parentAt = at.slice(0, -1);
      const last = at[at.length - 1]!;
      const parent = containerAt(parentAt);
      if (!parent) return;
      if (Array.isArray(parent)) {
        if (typeof last !== 'number' || parent[last] === DROP) return;
        if (parentAt.length === 1) leaveOut(parentAt[0], parent[last]);
        parent[last] = DROP;
        return;
      }
      const name = String(last);
      if (!schemaAt(parentAt)?.required?.includes(name)) {
        delete parent[name];
        return;
      }
      const filler = FILLERS[parentAt.map((s) => (typeof s === 'number' ? '*' : s)).join('.')]?.[name];
      if (filler !== undefined) {
        parent[name] = filler;
        return;
      }
      at = parentAt;
    }
  };
  for (const problem of problems) invalidate(problem.at);

  const kept = new Map<string, number[]>();
  const bundle = compact(root, schemaAt([]), '', kept);
  // What is left must be sound, or the checks would stumble over it; then only the problems found so far are reported.
  if (bundleProblems(bundle).length) return null;
  const originalPath = (path: string): string => {
    if (kept.size === 0) return path;
    const out: Segment[] = [];
    for (const s of segmentsOf(path)) {
      out.push(typeof s === 'number' ? (kept.get(out.map((o) => `/${o}`).join(''))?.[s] ?? s) : s);
    }
    return pathOf(out);
  };
  return { bundle: bundle as Bundle, originalPath, unchecked };
}
