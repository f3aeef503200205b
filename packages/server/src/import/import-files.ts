import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { setWriter } from '../common/mutation';
import { importBundle, ImportProblemsError, type ImportStep, type ImportSummary } from './importer/import-bundle';
import { parseBundleText } from './parser/parse-bundle';
import type { Bundle, BundleProblem } from './parser/bundle.types';

/** One file's problems, all of them, located inside the file. */
export interface FileProblems {
  file: string;
  problems: BundleProblem[];
}

export class ImportFailed extends Error {
  override readonly name = 'ImportFailed';
  constructor(readonly files: FileProblems[]) {
    const count = files.reduce((n, f) => n + f.problems.length, 0);
    super(`${count} problem${count === 1 ? '' : 's'}; nothing was written`);
  }
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Recorded as who made the change (the history's actor). */
  actor?: string;
  onProgress?: (event: { file: string; index: number; total: number; step: ImportStep | 'parsing' | 'committing' }) => void;
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
  const bundles: { file: string; bundle: Bundle }[] = [];
  const failed: FileProblems[] = [];
  files.forEach((file, index) => {
    options.onProgress?.({ file, index, total: files.length, step: 'parsing' });
    let text: string;
    try {
      text = readText(file);
    } catch (error) {
      failed.push({ file, problems: [{ path: '(file)', message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] });
      return;
    }
    const { bundle, problems } = parseBundleText(text, formatOf(file, text));
    if (bundle) bundles.push({ file, bundle });
    else failed.push({ file, problems });
  });
  if (failed.length) throw new ImportFailed(failed);

  const rollback = new Error('dry run');
  const summaries: FileSummary[] = [];
  try {
    await dataSource.transaction(async (em) => {
      // File names only: the history is public (Revision.via), the server's folders are not.
      await setWriter(em, options.actor ?? 'cli', `import ${files.map((file) => path.basename(file)).join(' ')}`.slice(0, 1000));
      // Every file is tried, so that the problems of all of them are reported together.
      for (const [index, { file, bundle }] of bundles.entries()) {
        try {
          const summary = await importBundle(em, bundle, (step) => options.onProgress?.({ file, index, total: files.length, step }));
          summaries.push({ file, summary });
        } catch (error) {
          if (!(error instanceof ImportProblemsError)) throw error;
          failed.push({ file, problems: error.problems });
        }
      }
      if (failed.length) throw new ImportFailed(failed);
      options.onProgress?.({ file: files[files.length - 1] ?? '', index: files.length - 1, total: files.length, step: 'committing' });
      if (options.dryRun) throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return summaries;
}
