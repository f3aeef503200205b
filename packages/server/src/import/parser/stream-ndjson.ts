import fs from 'node:fs';
import readline from 'node:readline';
import { BATCH_SIGNATURES, inBatches, type StatementStream } from '../importer/import-bundle';
import { bundleProblems, pathOf, type Located } from './bundle-problems';
import { checkablePart } from './checkable';
import { prepareBundle, readNdjsonLine, type ParsedBundle } from './parse-bundle';
import { BUNDLE_FORMAT, type BundleProblem, type StatementRecord } from './bundle.types';

/** Problems of the statements' own that a read reports at most (like the schema check of a whole bundle). */
const MAX_PROBLEMS = 100;

/** The lines of a file, numbered from 1, without a leading byte-order mark. */
async function* linesOf(file: string): AsyncIterable<{ text: string; line: number }> {
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const reader = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of reader) {
      line++;
      yield { text: line === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text, line };
    }
  } finally {
    reader.close();
    input.destroy();
  }
}

/** A statement record as the database checks can use it (null: left out, its own problems are all there is to say). */
function checkableStatement(fields: Record<string, unknown>, located: Located[]): StatementRecord | null {
  if (located.length === 0) return fields as unknown as StatementRecord;
  const part = checkablePart({ format: BUNDLE_FORMAT, statements: [fields] }, located);
  return part?.bundle.statements?.[0] ?? null;
}

/**
 * Reads an NDJSON bundle file in two passes over the file, with memory for one batch of statements
 * rather than the whole bundle: the first checks every line (syntax, schema, keys, dates, fields given
 * twice) and keeps the sources, people and signatories (small) and each statement's key and reply
 * target only; the second, run by the import, reads the statements again batch by batch.
 */
export async function readNdjsonFile(file: string, batchSignatures = BATCH_SIGNATURES): Promise<ParsedBundle> {
  const small: Record<string, unknown[]> = {};
  const lines: Record<string, number[]> = { statements: [] };
  const lineProblems: BundleProblem[] = [];
  const statementProblems: BundleProblem[] = [];
  /** Each statement's key (to name its problems), in order. */
  const stubs: { key?: string }[] = [];
  const keys: string[] = [];
  const firstOfKey = new Map<string, number>();
  const replies: StatementStream['replies'] = [];
  const leftOut = new Set<string>();
  /** Statements with problems of their own, whose checkable part the second pass computes again. */
  const withProblems = new Set<number>();
  let count = 0;
  const countOf = (collection: string) => (collection === 'statements' ? count : (small[collection]?.length ?? 0));

  for await (const { text, line } of linesOf(file)) {
    const read = readNdjsonLine(text, line, countOf);
    if (!read) continue;
    if (lineProblems.length < MAX_PROBLEMS) lineProblems.push(...read.problems);
    if (!read.collection) continue;
    if (read.collection !== 'statements') {
      (small[read.collection] ??= []).push(read.fields);
      (lines[read.collection] ??= []).push(line);
      continue;
    }
    const index = count++;
    lines.statements!.push(line);
    const fields = read.fields!;
    const key = typeof fields.key === 'string' ? fields.key : undefined;
    stubs.push({ key });
    const located = bundleProblems({ format: BUNDLE_FORMAT, statements: [fields] });
    if (located.length) withProblems.add(index);
    for (const p of located) {
      if (statementProblems.length < MAX_PROBLEMS) statementProblems.push({ path: pathOf(['statements', index, ...p.at.slice(2)]), message: p.message });
    }
    if (key !== undefined) {
      const first = firstOfKey.get(key);
      if (first !== undefined) statementProblems.push({ path: `statements[${index}].key`, message: `"${key}" is also the key of statements[${first}]` });
      else firstOfKey.set(key, index);
    }
    const record = checkableStatement(fields, located);
    if (!record) {
      if (key !== undefined) leftOut.add(key);
      continue;
    }
    keys.push(record.key);
    if (record.respondsTo !== undefined) replies.push({ key: record.key, respondsTo: record.respondsTo, index });
  }

  const parsed = prepareBundle({ format: BUNDLE_FORMAT, ...small });
  const problems = [...lineProblems, ...parsed.problems, ...statementProblems];
  const value = { ...(parsed.value as object), statements: stubs };
  if (!parsed.checkable) return { problems, checkable: null, value, lines };
  for (const key of leftOut) parsed.checkable.unchecked.statements.add(key);

  async function* statements(): AsyncIterable<{ index: number; record: StatementRecord }> {
    let index = 0;
    for await (const { text, line } of linesOf(file)) {
      const read = readNdjsonLine(text, line, () => index);
      if (read?.collection !== 'statements') continue;
      const at = index++;
      const record = withProblems.has(at) ? checkableStatement(read.fields!, bundleProblems({ format: BUNDLE_FORMAT, statements: [read.fields] })) : (read.fields as unknown as StatementRecord);
      if (record) yield { index: at, record };
    }
    if (index !== count) throw new Error(`${file} changed while it was being imported`);
  }
  const stream: StatementStream = { keys, replies, batches: () => inBatches(statements(), batchSignatures) };
  return { problems, checkable: parsed.checkable, value, lines, statements: stream };
}
