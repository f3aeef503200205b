import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { setWriter } from '../data/writer';
import { syncBuiltInStates } from './built-in-states';
import { importParsed, ImportProblemsError, type ImportStep, type ImportSummary } from './importer/import-bundle';
import { NDJSON_COLLECTIONS, parseBundleText, type ParsedBundle } from './parser/parse-bundle';
import { segmentsOf } from './parser/bundle-problems';
import type { BundleProblem } from './parser/bundle.types';
import { readNdjsonFile } from './parser/stream-ndjson';

/** One problem of an import, located for a person and for a script. */
export interface ImportProblem {
  file: string;
  /** The record: `statements[3]`; null for the file or the bundle as a whole. */
  record: string | null;
  /** The record's key, when it has one. */
  key: string | null;
  /** NDJSON: the record's line; a JSON syntax error: where the text stops being JSON. */
  line: number | null;
  column: number | null;
  /** Inside the record (or the bundle): `signatures[12].signatory`; null for the record as a whole. */
  field: string | null;
  message: string;
}

/** One file's problems, all of them, located inside the file. */
export interface FileProblems {
  file: string;
  problems: ImportProblem[];
}

export class ImportFailed extends Error {
  override readonly name = 'ImportFailed';
  constructor(readonly files: FileProblems[]) {
    const count = files.reduce((n, f) => n + f.problems.length, 0);
    super(`${count} problem${count === 1 ? '' : 's'}; nothing was written`);
  }
}

/** `statements` → `statement` */
const SINGULAR: Record<string, string> = Object.fromEntries(Object.entries(NDJSON_COLLECTIONS).map(([type, collection]) => [collection, type]));

/** Names a problem's record by its index (or NDJSON line) and key. */
export function locateProblem(file: string, parsed: Pick<ParsedBundle, 'value' | 'lines'>, problem: BundleProblem): ImportProblem {
  const [collection, index, ...rest] = segmentsOf(problem.path);
  const line = problem.line ?? null;
  const column = problem.column ?? null;
  if (typeof collection !== 'string' || !SINGULAR[collection] || typeof index !== 'number') {
    return { file, record: null, key: null, line, column, field: problem.path || null, message: problem.message };
  }
  const record = (parsed.value as Record<string, unknown[] | undefined> | undefined)?.[collection]?.[index] as { key?: unknown } | undefined;
  return {
    file,
    record: `${collection}[${index}]`,
    key: typeof record?.key === 'string' ? record.key : null,
    line: parsed.lines?.[collection]?.[index] ?? line,
    column,
    field: rest.length ? problem.path.slice(problem.path.indexOf(']') + 2) : null,
    message: problem.message,
  };
}

/**
 * `bundle.json: statements[3] (key "s-1"), field date: date must be YYYY, YYYY-MM or YYYY-MM-DD`;
 * in NDJSON `bundle.ndjson: line 17 (statement "s-1"), field …`; `bundle.json: line 2, column 5: not valid JSON: …`.
 */
export function describeProblem(p: ImportProblem): string {
  const where: string[] = [];
  if (p.record !== null) {
    const collection = p.record.slice(0, p.record.indexOf('['));
    const key = p.key === null ? '' : ` "${p.key}"`;
    where.push(p.line !== null ? `line ${p.line} (${SINGULAR[collection] ?? collection}${key})` : `${p.record}${p.key === null ? '' : ` (key${key})`}`);
  } else if (p.line !== null) where.push(`line ${p.line}${p.column === null ? '' : `, column ${p.column}`}`);
  if (p.field !== null) where.push(`field ${p.field}`);
  return `${p.file}: ${where.length ? `${where.join(', ')}: ` : ''}${p.message}`;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Recorded as who made the change (the history's actor). */
  actor?: string;
  onProgress?: (event: { file: string; index: number; total: number; step: ImportStep | 'parsing' | 'committing' }) => void;
  /** Statements are checked and written in batches of about this many signatures (default BATCH_SIGNATURES). */
  batchSignatures?: number;
  /**
   * Syncs the built-in states first, in the import's transaction (`jointly import`, which never
   * readies the database otherwise), so that a dry run leaves them as they were too.
   */
  syncBuiltInStates?: boolean;
}

export interface FileSummary {
  file: string;
  summary: ImportSummary;
}

/** `-` is standard input. */
function readText(file: string): string {
  return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
}

function formatOf(file: string, text: string): 'json' | 'ndjson' {
  if (file.endsWith('.ndjson') || file.endsWith('.jsonl')) return 'ndjson';
  if (file.endsWith('.json')) return 'json';
  // standard input: one object, or one per line
  return text.trimStart().startsWith('{') && text.trim().includes('\n{') ? 'ndjson' : 'json';
}

/**
 * Imports bundle files in ONE transaction: every file is parsed and checked first, every problem of
 * every file is reported together, and nothing is written unless all of them are sound. Killing the
 * process mid-way leaves the database as it was (the transaction never commits).
 */
export async function importFiles(dataSource: DataSource, files: string[], options: ImportOptions = {}): Promise<FileSummary[]> {
  const parsed: { file: string; order: number; result: ParsedBundle }[] = [];
  const failed: (FileProblems & { order: number })[] = [];
  for (const [index, file] of files.entries()) {
    options.onProgress?.({ file, index, total: files.length, step: 'parsing' });
    try {
      // An NDJSON file is read as a stream, twice, rather than held in memory; standard input is read whole.
      if (file !== '-' && formatOf(file, '') === 'ndjson') parsed.push({ file, order: index, result: await readNdjsonFile(file, options.batchSignatures) });
      else {
        const text = readText(file);
        parsed.push({ file, order: index, result: parseBundleText(text, formatOf(file, text)) });
      }
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      failed.push({ file, order: index, problems: [{ file, record: null, key: null, line: null, column: null, field: null, message: `cannot read the file: ${reason}` }] });
    }
  }
  const fail = () => new ImportFailed(failed.sort((a, b) => a.order - b.order).map(({ file, problems }) => ({ file, problems })));
  if (parsed.length === 0) throw fail();

  const rollback = new Error('dry run');
  const summaries: FileSummary[] = [];
  try {
    await dataSource.transaction(async (em) => {
      if (options.syncBuiltInStates) {
        await setWriter(em, 'system', 'built-in states');
        await syncBuiltInStates(em);
      }
      // File names only: the history is public (Revision.via), the server's folders are not.
      await setWriter(em, options.actor ?? 'cli', `import ${files.map((file) => path.basename(file)).join(' ')}`.slice(0, 1000));
      // Every file is checked to the end, even one with problems of its own, so that the problems of all of them are reported together.
      for (const { file, order, result } of parsed) {
        try {
          const summary = await importParsed(em, result, (step) => options.onProgress?.({ file, index: order, total: files.length, step }), options.batchSignatures);
          summaries.push({ file, summary });
        } catch (error) {
          if (!(error instanceof ImportProblemsError)) throw error;
          const problems = error.problems.map((p) => locateProblem(file, result, p));
          // NDJSON: in the order of the lines.
          if (result.lines) problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
          failed.push({ file, order, problems });
        }
      }
      if (failed.length) throw fail();
      options.onProgress?.({ file: files[files.length - 1] ?? '', index: files.length - 1, total: files.length, step: 'committing' });
      if (options.dryRun) throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return summaries;
}
