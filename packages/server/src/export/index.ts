/** Reading the archive out: bundles (JSON, NDJSON) that import back unchanged, and a CSV of signatures. */
export { exportBundle } from './export-bundle';
export { exportFilterProblems, ExportFilterError, type ExportFilter } from './export-filter';
export { signatureRows, type SignatureRow } from './signature-rows';
export { CSV_COLUMNS, toCsv, toJson, toNdjson } from './serialize';
