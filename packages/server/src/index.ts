/** The server package's public surface: the CLI and the tests use only what is exported here. */
export { loadConfig, parseDatabaseUrl, ConfigError, type Config, type DatabaseConfig, type LogLevel } from './config/config';
export { startServer, prepareDatabase, type Log, type RunningServer, type Preparation } from './app';
export { createLogger, type Logger, type LoggerOptions } from './observability/logger';
export { openDatabase, DatabaseUnavailableError, type Database } from './database/database';
export { createDataSource } from './database/data-source';
export { startEmbeddedPostgres, DataDirLockedError, type DataDirHolder, type EmbeddedPostgres } from './database/embedded';
export {
  runMigrations,
  revertLastMigration,
  showMigrations,
  pendingSchemaChanges,
  generateMigration,
  type MigrationStatus,
} from './database/migrator';
export { buildJointlySchema, printJointlySchema } from './graphql/schema';
export { syncBuiltInStates } from './import/built-in-states';
export { importBundles, readBundleFile, seedIfEmpty, SAMPLE_BUNDLES } from './seed/sample-data';
export { BundleError } from './import/parser/bundle.types';
export { ImportProblemsError, type ImportSummary, type KindCounts } from './import/importer/import-bundle';
export { SqlCounter } from './database/sql-counter';
export { importFiles, describeProblem, ImportFailed, type FileProblems, type FileSummary, type ImportOptions, type ImportProblem } from './import/import-files';
export { IMPORT_STEPS, type ImportStep } from './import/importer/import-bundle';
export { createToken, listTokens, revokeToken, TokenError } from './modules/access/token.service';
export {
  alignmentTable,
  CSV_COLUMNS,
  exportAlignment,
  exportBundle,
  exportFilterProblems,
  ExportFilterError,
  LIST_SEPARATOR,
  spreadsheetRows,
  spreadsheetTables,
  toCsv,
  toJson,
  toNdjson,
  toXlsx,
  type Alignment,
  type AlignmentRow,
  type Cell,
  type ExportFilter,
  type SignatureRow,
  type SpreadsheetRows,
  type StatementRow,
  type Table,
} from './export';
export { MAX_ALIGNED_STATEMENTS } from './modules/statement/comparison.service';
export { builtInStates, type BuiltInState } from './reference/states';
export { normalizeName } from './reference/normalize';
export { extractDraft, ExtractError } from './extract/extract';
export {
  SOURCE_KINDS,
  type Draft,
  type DraftBundle,
  type ExtractInput,
  type ExtractionReport,
  type Fact,
  type ReviewItem,
  type SourceKind,
} from './extract/draft.types';
