import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from '../bundle.schema.json';
import { isPartialDate } from '../../common/partial-date';
import { BUNDLE_FORMAT, type Bundle, type BundleProblem } from './bundle.types';

const MAX_PROBLEMS = 100;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateSchema = ajv.compile<Bundle>(schema);

/** `/statements/3/signatures/12/signatory` → `statements[3].signatures[12].signatory` */
export function toPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

/** Checks a parsed bundle against the JSON Schema, every problem at once (up to a limit). */
export function validateBundle(value: unknown): BundleProblem[] {
  if (validateSchema(value)) return [...duplicateKeys(value), ...checkDates(value)];
  return (validateSchema.errors ?? []).slice(0, MAX_PROBLEMS).map((error) => {
    const at = toPath(error.instancePath) || '(bundle)';
    if (error.keyword === 'additionalProperties') {
      const field = (error.params as { additionalProperty: string }).additionalProperty;
      return { path: at, message: `unknown field "${field}"` };
    }
    if (error.keyword === 'enum') {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return { path: at, message: `must be one of ${allowed.join(', ')}` };
    }
    if (error.keyword === 'const' && at === 'format') {
      return { path: at, message: `must be "${BUNDLE_FORMAT}"` };
    }
    return { path: at, message: error.message ?? 'is invalid' };
  });
}

/** Keys are unique within each collection of a bundle. */
function duplicateKeys(bundle: Bundle): BundleProblem[] {
  const problems: BundleProblem[] = [];
  for (const collection of ['sources', 'people', 'signatories', 'statements'] as const) {
    const seen = new Map<string, number>();
    bundle[collection]?.forEach((record, i) => {
      const first = seen.get(record.key);
      if (first !== undefined) problems.push({ path: `${collection}[${i}].key`, message: `"${record.key}" is also the key of ${collection}[${first}]` });
      else seen.set(record.key, i);
    });
  }
  return problems;
}

/** The schema checks date shapes; this rejects impossible days such as 2019-02-30. */
function checkDates(bundle: Bundle): BundleProblem[] {
  const problems: BundleProblem[] = [];
  const check = (path: string, value: string | undefined) => {
    if (value !== undefined && !isPartialDate(value)) problems.push({ path, message: `"${value}" is not a calendar date` });
  };
  bundle.sources?.forEach((s, i) => check(`sources[${i}].publishedOn`, s.publishedOn));
  bundle.people?.forEach((p, i) =>
    p.roles?.forEach((r, j) => {
      check(`people[${i}].roles[${j}].from`, r.from);
      check(`people[${i}].roles[${j}].to`, r.to);
    }),
  );
  bundle.statements?.forEach((s, i) => {
    check(`statements[${i}].date`, s.date);
    s.signatures?.forEach((g, j) => {
      check(`statements[${i}].signatures[${j}].joinedOn`, g.joinedOn);
      check(`statements[${i}].signatures[${j}].withdrawnOn`, g.withdrawnOn);
    });
  });
  return problems;
}

const NDJSON_COLLECTIONS = { source: 'sources', person: 'people', signatory: 'signatories', statement: 'statements' } as const;

/**
 * Parses a bundle file's text: one JSON object (`.json`) or one record per line (`.ndjson`).
 * NDJSON problems are located by line number.
 */
export function parseBundleText(text: string, format: 'json' | 'ndjson'): { bundle?: Bundle; problems: BundleProblem[] } {
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { problems: [{ path: '(file)', message: `not valid JSON: ${(error as Error).message}` }] };
    }
    const problems = validateBundle(value);
    return problems.length ? { problems } : { bundle: value as Bundle, problems };
  }
  const collections: Record<string, unknown[]> = {};
  const lineOf: Record<string, number[]> = {};
  const problems: BundleProblem[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '' || problems.length >= MAX_PROBLEMS) return;
    const at = `line ${index + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      problems.push({ path: at, message: `not valid JSON: ${(error as Error).message}` });
      return;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      problems.push({ path: at, message: 'a line must hold one JSON object' });
      return;
    }
    const { type, ...fields } = record as { type?: unknown };
    const collection = NDJSON_COLLECTIONS[type as keyof typeof NDJSON_COLLECTIONS];
    if (!collection) {
      problems.push({ path: `${at}.type`, message: `must be one of ${Object.keys(NDJSON_COLLECTIONS).join(', ')}` });
      return;
    }
    (collections[collection] ??= []).push(fields);
    (lineOf[collection] ??= []).push(index + 1);
  });
  if (problems.length) return { problems };
  const bundle = { format: BUNDLE_FORMAT, ...collections };
  const schemaProblems = validateBundle(bundle).map((p) => {
    const m = /^(\w+)\[(\d+)\](.*)$/.exec(p.path);
    const line = m ? lineOf[m[1]!]?.[Number(m[2])] : undefined;
    return line === undefined ? p : { path: `line ${line}${m![3]}`, message: p.message };
  });
  return schemaProblems.length ? { problems: schemaProblems } : { bundle: bundle as unknown as Bundle, problems: [] };
}
