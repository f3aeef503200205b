import pg from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { JointlyNamingStrategy } from './naming.strategy';
import { CountingLogger, SqlCounter } from './sql-counter';

// DATE columns stay 'YYYY-MM-DD' strings: no time zone can shift them.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  logSql?: boolean;
  /** Milliseconds to wait for a connection before failing (never wait forever). */
  connectTimeoutMs?: number;
  applicationName?: string;
}

/** The one DataSource factory: the server, the CLI and the tests all build theirs here. */
export function createDataSource(options: DataSourceOptions): { dataSource: DataSource; sql: SqlCounter } {
  const sql = new SqlCounter();
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
    applicationName: options.applicationName ?? 'jointly',
    poolSize: options.poolSize ?? 10,
    connectTimeoutMS: options.connectTimeoutMs ?? 5000,
    extra: { idleTimeoutMillis: 30_000 },
  });
  return { dataSource, sql };
}
