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
   * Called when an idle pooled connection fails (Postgres restarted, the backend was terminated, the
   * network dropped it). pg removes that client from the pool; without a handler the error would be
   * thrown and end the process.
   */
  onPoolError?: (error: Error) => void;
  applicationName?: string;
}

/** The one DataSource factory: the server, the CLI and the tests all build theirs here. */
export function createDataSource(options: DataSourceOptions): { dataSource: DataSource; sql: SqlCounter } {
  const sql = new SqlCounter();
  const statementTimeout = options.statementTimeoutMs ?? 0;
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
      // A peer that vanishes mid-query (a network partition) is noticed by the kernel, not waited on forever.
      keepAlive: true,
      // pg sends it as a startup parameter, so it holds for every statement on the connection.
      ...(statementTimeout > 0 && { statement_timeout: statementTimeout }),
    },
  });
  return { dataSource, sql };
}
