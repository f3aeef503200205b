/** Reading the archive out: bundles (JSON, NDJSON) that import back unchanged, and spreadsheets (CSV, XLSX). */
export { exportBundle } from './export-bundle';
export { exportFilterProblems, ExportFilterError, type ExportFilter } from './export-filter';
export { spreadsheetRows, type SignatureRow, type SpreadsheetRows, type StatementRow } from './spreadsheet-rows';
export { exportAlignment, type Alignment, type AlignmentRow } from './alignment';
export { alignmentTable, CSV_COLUMNS, spreadsheetTables } from './columns';
export { LIST_SEPARATOR, type Cell, type Table } from './table';
export { toCsv, toJson, toNdjson } from './serialize';
export { toXlsx } from './xlsx';
