import 'reflect-metadata';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migrations';

/**
 * Finds what must never leave the server in a response body: stack traces, SQL text, the
 * database's own table/column/constraint names, driver and ORM messages, and file paths.
 *
 * The database's names come from the code, not from a hand-kept list: the TypeORM entity metadata
 * (tables and columns through the naming strategy, index/constraint names) plus every quoted
 * identifier the migrations create (triggers, functions, extensions too). Names with an underscore
 * (`name_as_written`, `uq_statement_key`, `signatory_alias`) never occur in the public API, which is
 * camelCase, so they count wherever they appear. Plain words (`statement`, `source`, `title`, `key`)
 * are also GraphQL field names and ordinary English, so they count only in SQL contexts
 * (`FROM statement`, `relation "source"`, `column "title" does not exist`, `"s"."title"`).
 */

export interface Leak {
  /** Which pattern matched. */
  pattern: string;
  /** The match with some context around it. */
  excerpt: string;
}

export interface LeakPattern {
  name: string;
  regex: RegExp;
}

/** A double quote as it appears in a raw body: plain, or escaped inside a JSON string. */
const Q = String.raw`\\?"`;
const Qopt = String.raw`(?:\\?")?`;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Patterns that do not depend on this database's names. */
export const GENERIC_PATTERNS: readonly LeakPattern[] = [
  // Stack traces and source locations.
  { name: 'stack frame', regex: /\bat (?:async )?[\w$.<>[\] ]*\(?(?:file:\/\/|node:|\/|[A-Za-z]:\\)[^\s)"]*:\d+:\d+\)?/ },
  { name: 'stacktrace field', regex: new RegExp(`${Q}stacktrace${Q}\\s*:`) },
  { name: 'source location', regex: /[\w-]+\.(?:ts|js|mjs|cjs):\d+(?::\d+)?\b/ },
  // File paths.
  { name: 'file path /packages/', regex: /\/packages\/[\w.-]/ },
  { name: 'file path node_modules', regex: /node_modules/ },
  { name: 'file URL', regex: /\bfile:\/\/\// },
  { name: 'absolute path', regex: /(?:^|[\s"'(=:])\/(?:home|root|work|usr|opt|var|tmp|srv|app)\/[\w.-]+\/[\w.-]/ },
  // PostgreSQL (server and driver) messages.
  { name: 'relation "…"', regex: new RegExp(`\\brelation ${Q}`, 'i') },
  { name: 'column "…" (Postgres)', regex: new RegExp(`\\bcolumn ${Q}[^"\\\\]+${Q}\\s+(?:of relation|does not exist|is of type|cannot|contains|specified|must appear)`, 'i') },
  { name: 'constraint violation', regex: /\bviolates (?:unique|foreign key|not-null|check|exclusion) constraint\b/i },
  { name: 'syntax error at or near', regex: /syntax error at (?:or near|end of input)/i },
  { name: 'duplicate key', regex: /duplicate key value/i },
  { name: 'null value in column', regex: /null value in column/i },
  { name: 'key detail', regex: /\bKey \([\w", ]+\)=\(/ },
  { name: 'invalid input syntax', regex: /invalid input (?:syntax|value) for (?:type|enum)/i },
  {
    name: 'Postgres error text',
    regex:
      /current transaction is aborted|could not serialize access|deadlock detected|canceling statement due to|value too long for type|out of range for type|operator does not exist|permission denied for|missing FROM-clause entry|there is no unique or exclusion constraint|invalid byte sequence for encoding|unterminated quoted (?:string|identifier)|bind message supplies|function [\w.]+\([^)]*\) does not exist|could not determine data type of parameter|Too many connections|sorry, too many clients/i,
  },
  { name: 'driver connection error', regex: /\b(?:connect|read|write) (?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)\b|Connection terminated unexpectedly|timeout exceeded when trying to connect/ },
  { name: 'driver error fields', regex: new RegExp(`${Q}(?:driverError|sqlState|internalQuery|routine)${Q}\\s*:|${Q}severity${Q}\\s*:\\s*${Q}(?:ERROR|FATAL|PANIC)`) },
  // TypeORM.
  {
    name: 'TypeORM error',
    regex: /\b(?:QueryFailedError|TypeORMError|EntityNotFoundError|EntityMetadataNotFoundError|EntityPropertyNotFoundError|QueryRunnerAlreadyReleasedError|CannotExecuteNotConnectedError|OptimisticLockVersionMismatchError|UpdateValuesMissingError)\b/,
  },
  // SQL text.
  { name: 'SQL SELECT … FROM', regex: /\bSELECT\b[^{}]{0,5000}?\bFROM\s+(?:\\?"|\(|[a-z_])/ },
  { name: 'SQL statement', regex: /\b(?:INSERT INTO|DELETE FROM|ON CONFLICT|LEFT JOIN|INNER JOIN|ORDER BY [\w"\\]+\.|GROUP BY [\w"\\]+\.)\s*\S/ },
  { name: 'SQL UPDATE … SET', regex: new RegExp(`\\bUPDATE\\s+${Qopt}[a-z_]+${Qopt}\\s+SET\\b`) },
  { name: 'SQL RETURNING', regex: new RegExp(`\\bRETURNING\\s+(?:${Q}|\\*)`) },
  { name: 'SQL placeholder comparison', regex: /(?:=|<|>|\bIN|\bANY|\bLIKE|\bILIKE)\s*\(?\$\d+\b(?:::\w+)?/ },
  { name: 'SQL quoted alias.column', regex: new RegExp(`${Q}\\w+${Q}\\.${Q}\\w+${Q}`) },
];

/** This database's names, from the entity metadata and the migrations. */
export interface DatabaseNames {
  tables: string[];
  columns: string[];
  /** Constraint, index, trigger, function, type and extension names, and any other identifier the migrations create. */
  others: string[];
}

/** Every quoted identifier in the SQL the migrations run, without a database: a QueryRunner that records. */
async function migrationIdentifiers(): Promise<{ tables: Set<string>; identifiers: Set<string> }> {
  const tables = new Set<string>();
  const identifiers = new Set<string>();
  const recorder = {
    query: async (sql: string) => {
      for (const match of sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?(\w+)"?/gi)) tables.add(match[1]!);
      for (const match of sql.matchAll(/"([^"]+)"/g)) identifiers.add(match[1]!);
      for (const match of sql.matchAll(/\b(?:TRIGGER|FUNCTION|INDEX|CONSTRAINT|EXTENSION(?: IF NOT EXISTS)?|TYPE)\s+(?:IF NOT EXISTS\s+)?([a-z_][a-z0-9_]*)/gi)) {
        identifiers.add(match[1]!);
      }
      return [];
    },
  } as unknown as QueryRunner;
  for (const Migration of MIGRATIONS) {
    const migration: MigrationInterface = new Migration();
    await migration.up(recorder);
  }
  return { tables, identifiers };
}

let metadata: Promise<DataSource> | undefined;

/**
 * The server's DataSource (entities, naming strategy) with its metadata built but never connected:
 * enough to read table and column names and to build (not run) queries.
 */
export function metadataOnlyDataSource(): Promise<DataSource> {
  metadata ??= (async () => {
    const { dataSource } = createDataSource({ url: 'postgres://metadata-only@127.0.0.1:1/none' });
    // DataSource.initialize() would connect; buildMetadatas() is the part of it that does not.
    await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
    return dataSource;
  })();
  return metadata;
}

let names: Promise<DatabaseNames> | undefined;

/** The database's names (built once per process; no connection is opened). */
export function databaseNames(): Promise<DatabaseNames> {
  names ??= (async () => {
    const dataSource = await metadataOnlyDataSource();
    const tables = new Set<string>([dataSource.options.migrationsTableName ?? 'migrations']);
    const columns = new Set<string>();
    const others = new Set<string>();
    for (const entity of dataSource.entityMetadatas) {
      tables.add(entity.tableName);
      for (const column of entity.columns) columns.add(column.databaseName);
      for (const named of [...entity.indices, ...entity.foreignKeys, ...entity.uniques, ...entity.checks, ...entity.exclusions]) {
        if (named.name) others.add(named.name);
      }
    }
    const migrations = await migrationIdentifiers();
    for (const table of migrations.tables) tables.add(table);
    for (const identifier of migrations.identifiers) if (!tables.has(identifier) && !columns.has(identifier)) others.add(identifier);
    const sorted = (set: Set<string>) => [...set].filter((name) => /^[a-z_][a-z0-9_]*$/.test(name)).sort();
    return { tables: sorted(tables), columns: sorted(columns), others: sorted(others) };
  })();
  return names;
}

/** Patterns for this database's names: distinctive (snake_case) names anywhere, plain words in SQL contexts. */
export function namePatterns({ tables, columns, others }: DatabaseNames): LeakPattern[] {
  const all = [...new Set([...tables, ...columns, ...others])];
  const distinctive = all.filter((name) => name.includes('_'));
  const plainTables = tables.filter((name) => !name.includes('_'));
  const plainColumns = columns.filter((name) => !name.includes('_'));
  const alternatives = (list: string[]) => list.map(escape).sort((a, b) => b.length - a.length).join('|');
  const patterns: LeakPattern[] = [];
  if (distinctive.length) patterns.push({ name: 'database identifier', regex: new RegExp(`(?<![A-Za-z0-9_-])(?:${alternatives(distinctive)})(?![A-Za-z0-9_])`) });
  if (plainTables.length) {
    // SQL keywords in capitals (as TypeORM and the services write them) before a name; or any case before a quoted one (as Postgres messages quote it).
    const list = alternatives(plainTables);
    patterns.push({
      name: 'table name in SQL',
      regex: new RegExp(
        `\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|REFERENCES|TRUNCATE)\\s+${Qopt}(?:public\\.)?(?:${list})\\b(?!-)|\\b(?:[fF]rom|[jJ]oin|[iI]nto|[uU]pdate|[tT]able|[rR]elation|[rR]eferences)\\s+${Q}(?:public\\.)?(?:${list})${Q}`,
      ),
    });
  }
  if (plainColumns.length) {
    const list = alternatives(plainColumns);
    patterns.push({ name: 'column name in SQL', regex: new RegExp(`\\b(?:WHERE|AND|OR|ON|SET|BY|SELECT)\\s+${Qopt}(?:\\w+${Qopt}\\.${Qopt})?(?:${list})${Qopt}\\s*(?:=|<|>|IS\\b|IN\\b|LIKE\\b|,|ASC\\b|DESC\\b)`) });
  }
  return patterns;
}

/**
 * The history API (Revision.table/before/after — the only fields with these names in the schema)
 * returns audited rows as the database holds them: table names and snake_case column names by
 * design. Inside `data`, those rows' keys and the `table` value are not leaks; the rows' values are
 * still inspected.
 */
function withoutRevisionRows(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRevisionRows);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'before' || key === 'after') && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      out[key] = Object.values(inner).map(withoutRevisionRows);
    } else if (key === 'table' && typeof inner === 'string') {
      out[key] = '(revision table)';
    } else out[key] = withoutRevisionRows(inner);
  }
  return out;
}

/** The text to inspect: a JSON response with its revision rows' keys set aside (see above); anything else as it is. */
function inspectable(body: string): string {
  if (!body.trimStart().startsWith('{') || !/"(?:before|after|table)"\s*:/.test(body)) return body;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    if (!('data' in parsed) || parsed.data === null || typeof parsed.data !== 'object') return body;
    return JSON.stringify({ ...parsed, data: withoutRevisionRows(parsed.data) });
  } catch {
    return body;
  }
}

function excerpt(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 60);
  const end = Math.min(text.length, index + Math.min(length, 240) + 60);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/**
 * The texts a request itself carries: its raw body and every string in it (keys included), as
 * decoded and as JSON would write them again. A response may quote the client's own input back
 * (graphql-js: `Variable "$v" got invalid value { …: 1 }`); a match found wholly inside one of
 * these is that echo, not something the server let out.
 */
function requestTexts(request: string): string[] {
  const texts = [request];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value, JSON.stringify(value).slice(1, -1));
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        collect(key);
        collect(inner);
      }
    }
  };
  try {
    collect(JSON.parse(request));
  } catch {
    // Not JSON (a garbage body): the raw text is all it carries.
  }
  return texts;
}

/**
 * Every pattern that matches the body, with an excerpt around the first match of each. Given the
 * request, a match that is only the request's own text quoted back is passed over, and the
 * pattern's later matches are still looked at.
 */
export function findLeaks(body: string, patterns: readonly LeakPattern[], request?: string): Leak[] {
  const text = inspectable(body);
  const echoes = request === undefined ? [] : requestTexts(request);
  const isEcho = (matched: string) => echoes.some((echo) => echo.includes(matched));
  const leaks: Leak[] = [];
  for (const { name, regex } of patterns) {
    const all = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`);
    for (const match of text.matchAll(all)) {
      if (isEcho(match[0])) continue;
      leaks.push({ pattern: name, excerpt: excerpt(text, match.index, match[0].length) });
      break;
    }
  }
  return leaks;
}

export interface LeakDetector {
  readonly patterns: readonly LeakPattern[];
  /** `request`: the request body the response answers, so that its own text quoted back is not counted. */
  findLeaks(body: string, request?: string): Leak[];
}

let detector: Promise<LeakDetector> | undefined;

/** The detector with the generic patterns and this database's names (built once per process). */
export function leakDetector(): Promise<LeakDetector> {
  detector ??= databaseNames().then((dbNames) => {
    const patterns = [...GENERIC_PATTERNS, ...namePatterns(dbNames)];
    return { patterns, findLeaks: (body: string, request?: string) => findLeaks(body, patterns, request) };
  });
  return detector;
}
