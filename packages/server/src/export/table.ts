/** A spreadsheet cell: text, a whole number, or empty. Dates are text in their partial form (2019, 2019-07, 2019-07-12). */
export type Cell = string | number | null;

/** One sheet of a spreadsheet export: its name (the XLSX sheet's), the header row and the rows, cell for cell. */
export interface Table {
  name: string;
  header: string[];
  rows: Cell[][];
  /** Columns kept in view when scrolling right (XLSX): the names of an alignment's rows. */
  frozenColumns?: number;
}

/** A column: its header and how a row gives its cell. */
export interface Column<R> {
  header: string;
  cell: (row: R) => Cell;
}

/** Multi-valued cells (topics, source URLs) hold their values joined with this. */
export const LIST_SEPARATOR = '; ';

/** A multi-valued cell: the values joined with LIST_SEPARATOR; empty when there are none. */
export function listCell(values: readonly string[]): Cell {
  return values.length === 0 ? null : values.join(LIST_SEPARATOR);
}

/**
 * Text a spreadsheet would run as a formula (CSV injection, OWASP's list): starting with =, +, -, @,
 * a tab or a carriage return.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that cannot run: text starting a formula gets a leading apostrophe (OWASP), in CSV and
 * XLSX alike, so that the workbook's cell stays text when edited or saved again as CSV. Numbers are
 * left as numbers: a number cell (XLSX) or an unquoted numeral (CSV) is a value, never a formula.
 */
export function inertText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Whether inertText changed this text (its CSV field is then quoted too). */
export function isNeutralized(text: string): boolean {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1));
}

function inertCell(cell: Cell): Cell {
  if (typeof cell === 'string') return inertText(cell);
  // Counts are whole numbers; anything else a number column could hold is written as text.
  if (typeof cell === 'number' && !Number.isFinite(cell)) return inertText(String(cell));
  return cell;
}

/** The one way tables are built: every text cell and header made inert (see inertText). */
export function toTable<R>(name: string, columns: readonly Column<R>[], rows: readonly R[]): Table {
  return { name, header: columns.map((c) => inertText(c.header)), rows: rows.map((row) => columns.map((c) => inertCell(c.cell(row)))) };
}
