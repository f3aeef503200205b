import path from 'node:path';
import {
  alignmentTable,
  exportAlignment,
  exportBundle,
  ExportFilterError,
  exportFilterProblems,
  MAX_ALIGNED_STATEMENTS,
  spreadsheetRows,
  spreadsheetTables,
  toCsv,
  toJson,
  toNdjson,
  toXlsx,
  type ExportFilter,
  type Table,
} from '@jointly/server';
import { writeFileAtomically } from './atomic-file';
import { openShared, plural, requireMigrations, type GlobalOptions } from './commands';

export const EXPORT_FORMATS = ['json', 'ndjson', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** An alignment is a table: a spreadsheet, not a bundle. */
const ALIGNMENT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];
/** --alignment takes as many statements as the GraphQL `signatoryAlignment` does. */
export const MAX_ALIGNMENT_KEYS = MAX_ALIGNED_STATEMENTS;

/** What `jointly export` takes, as commander parses it. */
export interface ExportOptions extends ExportFilter {
  format?: string;
  out?: string;
  alignment?: string;
}

/** A mistake on the command line: said in one line, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const EXTENSIONS: Record<string, ExportFormat> = {
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.csv': 'csv',
  '.xlsx': 'xlsx',
};

const FILTER_FIELDS = ['topic', 'forum', 'from', 'to'] as const;

export interface ExportSettings {
  format: ExportFormat;
  /** The file to write; undefined for standard output (no --out, or --out -). */
  out?: string;
  filter: ExportFilter;
  /** The statements to align (--alignment), in the order given. */
  alignment?: string[];
}

/** The statement keys of --alignment: comma-separated, each once, at most MAX_ALIGNMENT_KEYS. */
function alignmentKeys(value: string): string[] {
  const keys = value.split(',').map((key) => key.trim());
  if (keys.some((key) => key === '')) {
    throw new UsageError('--alignment takes statement keys separated by commas, e.g. --alignment hrc41-xinjiang-letter-22,unga74-c3-xinjiang-uk');
  }
  if (keys.length > MAX_ALIGNMENT_KEYS) throw new UsageError(`--alignment takes at most ${MAX_ALIGNMENT_KEYS} statement keys, got ${keys.length}`);
  const repeated = keys.find((key, i) => keys.indexOf(key) !== i);
  if (repeated !== undefined) throw new UsageError(`--alignment names "${repeated}" twice`);
  return keys;
}

/**
 * Checks the options before anything is opened; throws UsageError. `stdoutIsTerminal`: whether
 * standard output is a terminal, where a workbook is refused unless asked for with `--out -`.
 */
export function exportSettings(options: ExportOptions, stdoutIsTerminal = process.stdout.isTTY === true): ExportSettings {
  const alignment = options.alignment === undefined ? undefined : alignmentKeys(options.alignment);
  const out = options.out === '-' ? undefined : options.out;
  let byExtension: ExportFormat | undefined;
  if (out !== undefined && path.extname(out) !== '') {
    const extension = path.extname(out).toLowerCase();
    byExtension = EXTENSIONS[extension];
    if (byExtension === undefined) {
      throw new UsageError(`--out ${out}: ${extension} is not an export format; name the file .json, .ndjson, .jsonl, .csv or .xlsx`);
    }
  }
  let format: ExportFormat = byExtension ?? (alignment ? 'csv' : 'json');
  if (options.format !== undefined) {
    const given = options.format.toLowerCase();
    if (!(EXPORT_FORMATS as readonly string[]).includes(given)) {
      throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${options.format}"`);
    }
    format = given as ExportFormat;
    // `jointly import` tells the bundle forms apart by the extension, and a spreadsheet program opens a file by it.
    if (byExtension !== undefined && byExtension !== format) {
      throw new UsageError(`--format ${format} does not match the extension of --out ${out} (${byExtension})`);
    }
  }
  if (alignment && !ALIGNMENT_FORMATS.includes(format)) throw new UsageError(`--alignment writes a table, as csv or xlsx, not ${format}`);
  if (format === 'xlsx' && options.out === undefined && stdoutIsTerminal) {
    throw new UsageError('a workbook is binary: give --out FILE.xlsx, or --out - to write it to the terminal anyway');
  }

  const filter: ExportFilter = {};
  for (const field of FILTER_FIELDS) if (options[field] !== undefined) filter[field] = options[field];
  const filters = FILTER_FIELDS.filter((field) => options[field] !== undefined);
  if (alignment && filters.length) {
    throw new UsageError(`--alignment takes its statements by key: it does not combine with ${filters.map((f) => `--${f}`).join(', ')}`);
  }
  const problems = exportFilterProblems(filter, (field) => `--${field}`);
  if (problems.length) throw new UsageError(problems.join('; '));
  return { format, out, filter, alignment };
}

/** What the export read, ready to be written: the bytes, and a summary for standard error. */
interface Output {
  content: string | Buffer;
  summary: string;
}

/** Runs fn in one REPEATABLE READ transaction. */
type Read = <T>(fn: (em: Parameters<typeof exportBundle>[0]) => Promise<T>) => Promise<T>;

async function render(settings: ExportSettings, read: Read): Promise<Output> {
  const { format, filter, alignment } = settings;
  /** A CSV file is one table; a workbook can hold more sheets. */
  const spreadsheet = (csv: Table, sheets: Table[] = [csv]) => (format === 'xlsx' ? toXlsx(sheets) : toCsv(csv));
  if (alignment) {
    const result = await read((em) => exportAlignment(em, alignment, '--alignment'));
    return {
      content: await spreadsheet(alignmentTable(result)),
      summary: `the alignment of ${plural(result.statementKeys.length, 'statement', 'statements')} (${plural(result.rows.length, 'signatory', 'signatories')})`,
    };
  }
  if (format === 'csv' || format === 'xlsx') {
    const rows = await read((em) => spreadsheetRows(em, filter));
    const { statements, signatures } = spreadsheetTables(rows);
    return {
      content: await spreadsheet(signatures, [statements, signatures]),
      summary: `${plural(rows.signatures.length, 'signature', 'signatures')} of ${plural(rows.statements.length, 'statement', 'statements')}`,
    };
  }
  const bundle = await read((em) => exportBundle(em, filter));
  return {
    content: format === 'json' ? toJson(bundle) : toNdjson(bundle),
    summary: [
      plural(bundle.statements?.length ?? 0, 'statement', 'statements'),
      plural(bundle.sources?.length ?? 0, 'source', 'sources'),
      plural(bundle.people?.length ?? 0, 'person', 'people'),
      plural(bundle.signatories?.length ?? 0, 'signatory', 'signatories'),
    ].join(', '),
  };
}

/**
 * `jointly export`: the archive, or the statements the filters select, as a bundle (json, ndjson),
 * as a spreadsheet (csv: one row per signature; xlsx: a statements sheet and a signatures sheet),
 * or the alignment table of --alignment's statements (csv, xlsx); to --out or standard output.
 * Returns the exit status: 2 for a usage error, an unknown --alignment key included (said on
 * standard error in one line); other failures are thrown.
 */
export async function exportCommand(options: GlobalOptions & ExportOptions): Promise<number> {
  const usage = (error: unknown): number => {
    if (!(error instanceof UsageError || error instanceof ExportFilterError)) throw error;
    process.stderr.write(`jointly: ${error.message}\n`);
    return 2;
  };
  let settings: ExportSettings;
  try {
    settings = exportSettings(options);
  } catch (error) {
    return usage(error);
  }
  const db = await openShared(options);
  let output: Output;
  try {
    await requireMigrations(db);
    // One snapshot: a write committed while the export reads cannot split it.
    output = await render(settings, (fn) => db.dataSource.transaction('REPEATABLE READ', fn));
  } catch (error) {
    return usage(error);
  } finally {
    await db.close();
  }
  if (settings.out === undefined) {
    // A reader that stops early (`| head`) closes the pipe: that ends the export, quietly.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(0);
    });
    process.stdout.write(output.content);
  } else {
    writeFileAtomically(settings.out, output.content);
    process.stderr.write(`exported ${output.summary} to ${settings.out}\n`);
  }
  return 0;
}
