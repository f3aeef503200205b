import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { Config, DatabaseGuardConfig } from '../config/config';
import { createDataSource } from './data-source';
import { dataDirHolder, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
import type { SqlCounter } from './sql-counter';

/** An open archive database: the DataSource, its SQL counter, and the embedded server behind it if any. */
export interface Database {
  dataSource: DataSource;
  sql: SqlCounter;
  kind: 'postgres' | 'embedded';
  /** Where the data is: the URL without credentials, or the embedded folder. */
  location: string;
  /**
   * Embedded, served by this process: subscribes to every commit that changed the archive, whichever
   * connection made it (see EmbeddedPostgres.onChange). Undefined otherwise.
   */
  onChange?: (listener: () => void) => () => void;
  /** Embedded, served by this process: see EmbeddedPostgres.advertise. Undefined otherwise. */
  advertise?: () => void;
  /**
   * Embedded, with the folder held by another live process (`jointly serve`): that process's id. This
   * Database then works through that process's socket (see OpenDatabaseOptions.share).
   */
  sharedWith?: number;
  /**
   * Runs fn on a DataSource without the statement timeout (migrations, the sample data: start-up work
   * that may legitimately take longer than any request). The same DataSource when there is no timeout.
   */
  maintenance<T>(fn: (dataSource: DataSource) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/** Where start-up retries and lost pooled connections are reported (a pino logger fits). */
export interface DatabaseLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface OpenDatabaseOptions {
  log?: DatabaseLog;
  /**
   * PostgreSQL only: try an unreachable database again, `db.startRetries` more times, waiting
   * `db.startBackoffMs`, doubled after each attempt (at most 10 s). For `serve`; one-shot commands fail at once.
   */
  retry?: boolean;
  /**
   * Give every statement `db.statementTimeoutMs` (for serving requests). Commands that import or
   * migrate run without it. PGlite does not enforce statement_timeout, so the embedded database has none.
   */
  statementTimeout?: boolean;
  /**
   * Embedded only: when another live process holds the data folder and serves it on a port (its lock
   * file says which), work through that process's socket instead of failing with DataDirLockedError.
   * For the commands that can run next to a running server (tokens, import, export, migrate show).
   */
  share?: boolean;
}

export type OpenDatabaseConfig = Pick<Config, 'database' | 'poolSize' | 'logSql'> & { db?: Partial<DatabaseGuardConfig> };

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/** PGlite runs one statement at a time on one connection: a queue there is normal, not an outage. */
export const EMBEDDED_MIN_CONNECT_TIMEOUT_MS = 30_000;
/** Connections the embedded database's socket accepts: the server's pool of one, and `jointly` commands working through it. */
const EMBEDDED_MAX_CONNECTIONS = 16;
const MAX_BACKOFF_MS = 10_000;

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: the backend was terminated (pg_terminate_backend, a restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
]);
const CONNECTION_MESSAGES =
  /Query read timeout|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Connection closed|server closed the connection unexpectedly|Cannot use a pool after calling end/i;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  originalError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * True when an error means the database could not be reached or the connection broke: refused,
 * timed out, reset, terminated by the server (57P01…), or a Postgres connection exception (class 08).
 * Looks through TypeORM's `driverError`, GraphQL's `originalError`, `cause` and AggregateErrors.
 */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as ErrorLike;
  if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  const inner = [e.driverError, e.originalError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return inner.some((next) => next !== error && isConnectionError(next, depth + 1));
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** A short reason: a system error's code (ECONNREFUSED), Postgres' message and SQLSTATE, or what timed out. */
function reasonOf(error: unknown, connectTimeoutMs: number): string {
  const e = error as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^E[A-Z_]+$/.test(code)) return code;
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (!code && /timeout/i.test(message)) return `no answer within ${connectTimeoutMs} ms`;
  return code ? `${message} (${code})` : message;
}

const defaultLog: DatabaseLog = {
  warn: (_details, message) => process.stderr.write(`${message}\n`),
};

/** Opens the configured database: PGlite in this process when no DATABASE_URL is set, else that Postgres. */
export async function openDatabase(config: OpenDatabaseConfig, options: OpenDatabaseOptions = {}): Promise<Database> {
  const log = options.log ?? defaultLog;
  const connectTimeoutMs = config.db?.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  let embedded: EmbeddedPostgres | undefined;
  let url: string;
  let poolSize = config.poolSize;
  let statementTimeoutMs = options.statementTimeout ? (config.db?.statementTimeoutMs ?? 0) : 0;
  // With the statement timeout (serving), also the client-side one just above it: see DataSourceOptions.queryTimeoutMs.
  let queryTimeoutMs: number = options.statementTimeout ? (config.db?.queryTimeoutMs ?? 0) : 0;
  let sharedWith: number | undefined;
  if (config.database.kind === 'embedded') {
    const holder = options.share ? dataDirHolder(config.database.dataDir) : undefined;
    if (holder?.port !== undefined) {
      url = `postgres://postgres@127.0.0.1:${holder.port}/postgres`;
      sharedWith = holder.pid;
    } else {
      // A live holder that serves no port (it is starting, or an older version) fails here with DataDirLockedError.
      embedded = await startEmbeddedPostgres({ dataDir: config.database.dataDir, maxConnections: EMBEDDED_MAX_CONNECTIONS });
      url = embedded.url;
    }
    // PGlite runs one statement at a time in one session, so more connections add no throughput; each
    // process uses one, and the socket keeps every connection's queries whole (database/shared-session.ts).
    poolSize = 1;
    // PGlite accepts statement_timeout but never enforces it (no timers inside its WebAssembly Postgres).
    statementTimeoutMs = 0;
    // In this process: no network to partition, and a queue behind a long import is normal.
    queryTimeoutMs = 0;
  } else {
    url = config.database.url;
  }
  const location = config.database.kind === 'embedded' ? config.database.dataDir : describeUrl(url);
  const make = (size: number, timeout: number, queryTimeout: number) =>
    createDataSource({
      url,
      poolSize: size,
      logSql: config.logSql,
      connectTimeoutMs: config.database.kind === 'embedded' ? Math.max(connectTimeoutMs, EMBEDDED_MIN_CONNECT_TIMEOUT_MS) : connectTimeoutMs,
      statementTimeoutMs: timeout,
      queryTimeoutMs: queryTimeout,
      onPoolError: (error) =>
        log.warn(
          { code: (error as ErrorLike).code, error: error.message },
          `a pooled database connection failed (${reasonOf(error, connectTimeoutMs)}); it is dropped and the next request opens a new one`,
        ),
    });

  const attempts = options.retry && !embedded ? (config.db?.startRetries ?? 0) + 1 : 1;
  let delay = config.db?.startBackoffMs ?? 500;
  const started = Date.now();
  let opened: ReturnType<typeof createDataSource> | undefined;
  for (let attempt = 1; !opened; attempt++) {
    const candidate = make(poolSize, statementTimeoutMs, queryTimeoutMs);
    try {
      await candidate.dataSource.initialize();
      opened = candidate;
    } catch (error) {
      const reason = reasonOf(error, connectTimeoutMs);
      if (attempt < attempts && isConnectionError(error)) {
        log.warn(
          { location, reason, attempt: attempt + 1, attempts, retryInMs: delay },
          `cannot reach the database at ${location} (${reason}); retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${attempts})`,
        );
        await sleep(delay);
        delay = Math.min(delay * 2, MAX_BACKOFF_MS);
        continue;
      }
      await embedded?.stop();
      const tried = attempt > 1 ? ` (gave up after ${attempt} attempts in ${((Date.now() - started) / 1000).toFixed(1)} s)` : '';
      throw new DatabaseUnavailableError(`cannot connect to the database at ${location}: ${reason}${tried}`);
    }
  }
  const { dataSource, sql } = opened;
  return {
    dataSource,
    sql,
    kind: config.database.kind,
    location,
    ...(embedded && { onChange: embedded.onChange, advertise: embedded.advertise }),
    ...(sharedWith !== undefined && { sharedWith }),
    async maintenance(fn) {
      if (statementTimeoutMs === 0 && queryTimeoutMs === 0) return fn(dataSource);
      const { dataSource: untimed } = make(1, 0, 0);
      await untimed.initialize();
      try {
        return await fn(untimed);
      } finally {
        await untimed.destroy();
      }
    },
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
