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

export function toTable<R>(name: string, columns: readonly Column<R>[], rows: readonly R[]): Table {
  return { name, header: columns.map((c) => c.header), rows: rows.map((row) => columns.map((c) => c.cell(row))) };
}
