import type { Bundle } from '../import/parser/bundle.types';
import { isNeutralized, type Cell, type Table } from './table';

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

/**
 * One CSV field. RFC 4180: a field holding a comma, a double quote or a line break is quoted, its
 * quotes doubled. Numbers are written as they are. Text was made inert when the table was built
 * (table.ts: a leading `'` before a formula); such a field is also quoted, as OWASP advises, so that
 * no program splitting on commas first sees a bare formula.
 */
function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return /[",\r\n]/.test(value) || isNeutralized(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A table as CSV: a header line, then one line per row; RFC 4180 (CRLF line ends), UTF-8 without a BOM. */
export function toCsv(table: Table): string {
  return [table.header, ...table.rows].map((cells) => `${cells.map(csvField).join(',')}\r\n`).join('');
}
