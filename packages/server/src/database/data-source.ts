import pg from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { JointlyNamingStrategy } from './naming.strategy';
import { CountingLogger, SqlCounter, statementTimer } from './sql-counter';

// DATE columns stay 'YYYY-MM-DD' strings: no time zone can shift them.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  logSql?: boolean;
  /**
   * Milliseconds to wait for a connection — a new one, or a free one from the pool — before failing
   * (pg's `connectionTimeoutMillis`; never wait forever).
   */
  connectTimeoutMs?: number;
  /** Postgres `statement_timeout` for every statement on these connections (a startup parameter); 0 or absent = none. */
  statementTimeoutMs?: number;
  /**
   * Client-side: how long one statement may wait for its answer (pg's `query_timeout`); 0 or absent =
   * forever. For the serving pool, above the statement timeout: no answer by then means the network
   * or the server is gone, and the connection is destroyed (see PartitionSafeClient).
   */
  queryTimeoutMs?: number;
  /**
   * Called when an idle pooled connection fails (Postgres restarted, the backend was terminated, the
   * network dropped it). pg removes that client from the pool; without a handler the error would be
   * thrown and end the process.
   */
  onPoolError?: (error: Error) => void;
  applicationName?: string;
}

/**
 * TCP keep-alive on every connection to PostgreSQL, starting after this much silence: a peer that
 * vanished (host down, a NAT or firewall that dropped the flow) is noticed within seconds rather than
 * the OS default of two hours.
 */
export const TCP_KEEPALIVE_IDLE_MS = 5000;

/** Set on a query that got no answer within `query_timeout`. */
export const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/**
 * A pg client that does not outlive a query left unanswered: pg's `query_timeout` fails the query
 * but keeps the connection, whose next query would queue behind the lost one. This client closes
 * its socket instead, so the pool drops it rather than lending it to the next request.
 */
export class PartitionSafeClient extends pg.Client {
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if ((error as Error | undefined)?.message === QUERY_TIMEOUT_MESSAGE) void this.end().catch(() => undefined);
      });
    }
    return result as never;
  }
}

/** The one DataSource factory: the server, the CLI and the tests all build theirs here. */
export function createDataSource(options: DataSourceOptions): { dataSource: DataSource; sql: SqlCounter } {
  const sql = new SqlCounter();
  const statementTimeout = options.statementTimeoutMs ?? 0;
  const queryTimeout = options.queryTimeoutMs ?? 0;
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migration',
    migrationsTransactionMode: 'each',
    namingStrategy: new JointlyNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    logger: new CountingLogger(sql, options.logSql ?? false),
    subscribers: [statementTimer(sql)],
    applicationName: options.applicationName ?? 'jointly',
    poolSize: options.poolSize ?? 10,
    connectTimeoutMS: options.connectTimeoutMs ?? 5000,
    ...(options.onPoolError && { poolErrorHandler: options.onPoolError }),
    extra: {
      idleTimeoutMillis: 30_000,
      Client: PartitionSafeClient,
      // A peer that vanishes mid-query is noticed by the kernel, not waited on forever.
      keepAlive: true,
      keepAliveInitialDelayMillis: TCP_KEEPALIVE_IDLE_MS,
      // pg sends it as a startup parameter, so it holds for every statement on the connection.
      ...(statementTimeout > 0 && { statement_timeout: statementTimeout }),
      // A network that freezes without closing (a partition) answers nothing, not even a cancel.
      ...(queryTimeout > 0 && { query_timeout: queryTimeout }),
    },
  });
  return { dataSource, sql };
}
