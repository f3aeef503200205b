import fs from 'node:fs';
import path from 'node:path';
import {
  exportBundle,
  exportFilterProblems,
  signatureRows,
  toCsv,
  toJson,
  toNdjson,
  type ExportFilter,
} from '@jointly/server';
import { openShared, plural, requireMigrations, type GlobalOptions } from './commands';

export const EXPORT_FORMATS = ['json', 'ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What `jointly export` takes, as commander parses it. */
export interface ExportOptions extends ExportFilter {
  format?: string;
  out?: string;
}

/** A mistake on the command line: said in one line, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const EXTENSIONS: Record<string, ExportFormat> = { '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv' };

/** Checks the options before anything is opened; throws UsageError. */
export function exportSettings(options: ExportOptions): { format: ExportFormat; out?: string; filter: ExportFilter } {
  const byExtension = options.out === undefined ? undefined : EXTENSIONS[path.extname(options.out).toLowerCase()];
  let format: ExportFormat = byExtension ?? 'json';
  if (options.format !== undefined) {
    const given = options.format.toLowerCase();
    if (!(EXPORT_FORMATS as readonly string[]).includes(given)) {
      throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${options.format}"`);
    }
    format = given as ExportFormat;
    // `jointly import` tells the two bundle forms apart by the extension: a mismatch would not read back.
    if (byExtension !== undefined && byExtension !== format) {
      throw new UsageError(`--format ${format} does not match the extension of --out ${options.out} (${byExtension})`);
    }
  }
  const filter: ExportFilter = {};
  for (const field of ['topic', 'forum', 'from', 'to'] as const) if (options[field] !== undefined) filter[field] = options[field];
  const problems = exportFilterProblems(filter, (field) => `--${field}`);
  if (problems.length) throw new UsageError(problems.join('; '));
  return { format, out: options.out, filter };
}

/**
 * `jointly export`: the archive, or the statements the filters select, as a bundle (json, ndjson)
 * or one CSV row per signature, to --out or standard output. Returns the exit status: 2 for a
 * usage error (said on standard error in one line); other failures are thrown.
 */
export async function exportCommand(options: GlobalOptions & ExportOptions): Promise<number> {
  let settings: ReturnType<typeof exportSettings>;
  try {
    settings = exportSettings(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`jointly: ${error.message}\n`);
    return 2;
  }
  const { format, out, filter } = settings;
  const db = await openShared(options);
  let text: string;
  let summary: string;
  try {
    await requireMigrations(db);
    // One snapshot: a write committed while the export reads cannot split it.
    if (format === 'csv') {
      const rows = await db.dataSource.transaction('REPEATABLE READ', (em) => signatureRows(em, filter));
      text = toCsv(rows);
      summary = `${plural(rows.length, 'signature', 'signatures')} of ${plural(new Set(rows.map((r) => r.statementKey)).size, 'statement', 'statements')}`;
    } else {
      const bundle = await db.dataSource.transaction('REPEATABLE READ', (em) => exportBundle(em, filter));
      text = format === 'json' ? toJson(bundle) : toNdjson(bundle);
      summary = [
        plural(bundle.statements?.length ?? 0, 'statement', 'statements'),
        plural(bundle.sources?.length ?? 0, 'source', 'sources'),
        plural(bundle.people?.length ?? 0, 'person', 'people'),
        plural(bundle.signatories?.length ?? 0, 'signatory', 'signatories'),
      ].join(', ');
    }
  } finally {
    await db.close();
  }
  if (out === undefined) {
    process.stdout.write(text);
  } else {
    fs.writeFileSync(out, text);
    process.stderr.write(`exported ${summary} to ${out}\n`);
  }
  return 0;
}
