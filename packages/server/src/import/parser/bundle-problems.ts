import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import schema from '../bundle.schema.json';
import { isPartialDate } from '../../common/partial-date';
import { badCharacter, textLimitOf } from '../../common/text';
import { nameSimilarity } from '../importer/trigram';
import { BUNDLE_FORMAT, type Bundle } from './bundle.types';

/** A step into a bundle: a field name or an array index. */
export type Segment = string | number;

/** A problem found without the database, at a place in the bundle as given. */
export interface Located {
  at: Segment[];
  message: string;
}

let compiled: ValidateFunction<Bundle> | undefined;

/**
 * The bundle's JSON Schema, compiled when first used: ajv costs a server that never reads a bundle
 * some 10 MB, so it is loaded then too.
 */
function bundleSchema(): ValidateFunction<Bundle> {
  if (!compiled) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const Ajv2020 = (require('ajv/dist/2020') as typeof import('ajv/dist/2020')).default;
    const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile<Bundle>(schema);
  }
  return compiled;
}

/** `['statements', 3, 'signatures', 12, 'signatory']` → `statements[3].signatures[12].signatory` */
export function pathOf(at: readonly Segment[]): string {
  return at.reduce<string>((path, s) => (typeof s === 'number' ? `${path}[${s}]` : path ? `${path}.${s}` : s), '');
}

/** The inverse of pathOf. */
export function segmentsOf(path: string): Segment[] {
  return [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]!));
}

/** `/statements/3/signatory` → `['statements', 3, 'signatory']` */
export function segmentsOfPointer(pointer: string): Segment[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  required?: string[];
}

/** The part of the bundle schema that describes the value at `at` (undefined outside the schema). */
export function schemaAt(at: readonly Segment[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema as SchemaNode;
  for (const s of at) node = typeof s === 'number' ? node?.items : node?.properties?.[s];
  return node;
}

const item = schema.properties;
/** Each pattern of the schema, in words. */
const PATTERN_WORDS = new Map<string, string>([
  [item.statements.items.properties.date.pattern, 'date must be YYYY, YYYY-MM or YYYY-MM-DD'],
  [item.statements.items.properties.key.pattern, 'must be a key: lower-case letters, digits, ".", "_" and "-", starting with a letter or a digit'],
  [item.sources.items.properties.url.pattern, 'must be a web address starting with http:// or https://'],
  [item.sources.items.properties.language.pattern, 'must be a language tag such as "en" or "pt-BR"'],
  [item.signatories.items.properties.iso3.pattern, 'must be an ISO 3166-1 alpha-3 code: three capital letters such as "FRA"'],
]);

/** A date's shape (the schema's pattern); whether the day exists is checked apart. */
const DATE_SHAPE = new RegExp(item.statements.items.properties.date.pattern);

const TYPE_WORDS: Record<string, string> = {
  string: 'must be a string',
  integer: 'must be a whole number',
  number: 'must be a number',
  array: 'must be a list (a JSON array)',
  object: 'must be an object',
  boolean: 'must be true or false',
};

/** The allowed field most like an unknown one, when one is close enough to be what was meant. */
function nearestField(field: string, allowed: readonly string[]): string | undefined {
  const plain = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
  let best: { name: string; score: number } | undefined;
  for (const name of allowed) {
    const score = nameSimilarity(plain(field), plain(name));
    if (score >= 0.6 && (!best || score > best.score)) best = { name, score };
  }
  return best?.name;
}

/** One Ajv error in words, at the field it is about. */
function inWords(error: ErrorObject): Located {
  const at = segmentsOfPointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const near = nearestField(field, Object.keys(schemaAt(at)?.properties ?? {}));
      return { at: [...at, field], message: `unknown field "${field}"${near ? `; did you mean "${near}"?` : ''}` };
    }
    case 'required':
      return { at: [...at, String(params.missingProperty)], message: `missing field "${String(params.missingProperty)}"` };
    case 'enum':
      return { at, message: `must be one of ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'const':
      return { at, message: at.length === 1 && at[0] === 'format' ? `must be "${BUNDLE_FORMAT}"` : `must be ${JSON.stringify(params.allowedValue)}` };
    case 'type':
      return { at, message: TYPE_WORDS[String(params.type)] ?? `must be of type ${String(params.type)}` };
    case 'pattern':
      return { at, message: PATTERN_WORDS.get(String(params.pattern)) ?? 'is not written in the expected form' };
    case 'format':
      return { at, message: params.format === 'uri' ? 'must be a web address starting with http:// or https://' : `must be a valid ${String(params.format)}` };
    case 'minLength':
      return { at, message: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long` };
    case 'maxLength':
      return { at, message: `must be at most ${String(params.limit)} characters long` };
    case 'minimum':
      return { at, message: `must be ${String(params.limit)} or more` };
    default:
      return { at, message: error.message ?? 'is invalid' };
  }
}

/** A bundle's collections, in the order of the format. */
export const COLLECTIONS = ['sources', 'people', 'signatories', 'statements'] as const;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Keys are unique within each collection of a bundle. */
export function duplicateKeys(bundle: Record<string, unknown>): Located[] {
  const problems: Located[] = [];
  for (const collection of COLLECTIONS) {
    const seen = new Map<string, number>();
    list(bundle[collection]).forEach((record, i) => {
      const key = isObject(record) ? record.key : undefined;
      if (typeof key !== 'string') return;
      const first = seen.get(key);
      if (first !== undefined) problems.push({ at: [collection, i, 'key'], message: `"${key}" is also the key of ${collection}[${first}]` });
      else seen.set(key, i);
    });
  }
  return problems;
}

/** The schema checks the shape of dates; this rejects impossible days such as 2019-02-30. */
function calendarDates(bundle: Record<string, unknown>): Located[] {
  const problems: Located[] = [];
  const check = (at: Segment[], value: unknown) => {
    if (typeof value === 'string' && DATE_SHAPE.test(value) && !isPartialDate(value)) {
      problems.push({ at, message: `"${value}" is not a calendar date` });
    }
  };
  const fields = (at: Segment[], record: unknown, names: string[]) => {
    if (isObject(record)) for (const name of names) check([...at, name], record[name]);
  };
  list(bundle.sources).forEach((s, i) => fields(['sources', i], s, ['publishedOn']));
  list(bundle.people).forEach((p, i) => {
    if (isObject(p)) list(p.roles).forEach((r, j) => fields(['people', i, 'roles', j], r, ['from', 'to']));
  });
  list(bundle.statements).forEach((s, i) => {
    fields(['statements', i], s, ['date']);
    if (isObject(s)) list(s.signatures).forEach((g, j) => fields(['statements', i, 'signatures', j], g, ['joinedOn', 'withdrawnOn']));
  });
  return problems;
}

/**
 * Everything wrong with a bundle that can be seen without the database, in words, at the field it is
 * about: the JSON Schema (every error; one per field), duplicate keys and impossible calendar days.
 */
export function bundleProblems(value: unknown): Located[] {
  const problems: Located[] = [];
  const validateSchema = bundleSchema();
  if (!validateSchema(value)) {
    const seen = new Set<string>();
    for (const error of validateSchema.errors ?? []) {
      const problem = inWords(error);
      const path = pathOf(problem.at);
      if (seen.has(path)) continue;
      seen.add(path);
      problems.push(problem);
    }
  }
  if (isObject(value)) problems.push(...duplicateKeys(value), ...calendarDates(value), ...textProblems(value));
  return problems;
}

/** What is wrong with one string: its length first (characters are read only within the bound). */
function textProblem(value: string, max: number): string | undefined {
  if (value.length > max) return `is ${value.length} characters long; at most ${max} are allowed`;
  const bad = badCharacter(value);
  return bad && `holds ${bad}`;
}

/**
 * Text the archive cannot take: longer than its field's bound (TEXT_LIMITS, as for the API) or
 * holding a character text cannot hold (NUL, a lone surrogate). Walked without recursion.
 */
export function textProblems(bundle: Record<string, unknown>): Located[] {
  const problems: Located[] = [];
  const stack: { value: unknown; at: Segment[]; field: string }[] = [{ value: bundle, at: [], field: '' }];
  while (stack.length) {
    const { value, at, field } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value, textLimitOf(field));
      if (problem) problems.push({ at, message: problem });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], at: [...at, i], field });
    } else if (isObject(value)) {
      for (const [name, child] of Object.entries(value).reverse()) stack.push({ value: child, at: [...at, name], field: name });
    }
  }
  return problems;
}
