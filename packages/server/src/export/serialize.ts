import type { Bundle } from '../import/parser/bundle.types';
import type { SignatureRow } from './signature-rows';

/** The `.json` form of a bundle: two-space indented, with a final newline. */
export function toJson(bundle: Bundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

const NDJSON_TYPES = [
  ['sources', 'source'],
  ['people', 'person'],
  ['signatories', 'signatory'],
  ['statements', 'statement'],
] as const;

/**
 * The `.ndjson` form: one `{"type": …, …fields}` line per record, sources, then people, then
 * signatories, then statements (what parseBundleText reads back). An empty bundle is an empty file.
 */
export function toNdjson(bundle: Bundle): string {
  return NDJSON_TYPES.flatMap(([collection, type]) =>
    (bundle[collection] ?? []).map((record) => `${JSON.stringify({ type, ...record })}\n`),
  ).join('');
}

export const CSV_COLUMNS = [
  'statement_key',
  'statement_date',
  'forum',
  'session',
  'signatory_iso3',
  'signatory_name',
  'name_as_written',
  'status',
  'joined_on',
  'withdrawn_on',
] as const;

/** RFC 4180: a field holding a comma, a double quote or a line break is quoted, its quotes doubled. */
function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line per signature, with a header line; RFC 4180 (CRLF line ends), UTF-8 without a BOM. */
export function toCsv(rows: SignatureRow[]): string {
  const lines = [
    CSV_COLUMNS.join(','),
    ...rows.map((r) =>
      [r.statementKey, r.statementDate, r.forum, r.session, r.signatoryIso3, r.signatoryName, r.nameAsWritten, r.status, r.joinedOn, r.withdrawnOn]
        .map(csvField)
        .join(','),
    ),
  ];
  return lines.map((line) => `${line}\r\n`).join('');
}
