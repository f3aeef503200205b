import type { DataSource } from 'typeorm';
import type { Config } from '../config/config';
import { createDataSource } from './data-source';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
import type { SqlCounter } from './sql-counter';

/** An open archive database: the DataSource, its SQL counter, and the embedded server behind it if any. */
export interface Database {
  dataSource: DataSource;
  sql: SqlCounter;
  kind: 'postgres' | 'embedded';
  /** Where the data is: the URL without credentials, or the embedded folder. */
  location: string;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
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

/** Opens the configured database: PGlite in this process when no DATABASE_URL is set, else that Postgres. */
export async function openDatabase(config: Pick<Config, 'database' | 'poolSize' | 'logSql'>): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url: string;
  let poolSize = config.poolSize;
  if (config.database.kind === 'embedded') {
    embedded = await startEmbeddedPostgres({ dataDir: config.database.dataDir, maxConnections: config.poolSize + 2 });
    url = embedded.url;
    // PGlite runs one statement at a time in one session, so more connections add no throughput;
    // and pglite-socket can interleave the extended-protocol messages of concurrent connections
    // ("unnamed prepared statement does not exist"). One connection serialises them cleanly.
    poolSize = 1;
  } else {
    url = config.database.url;
  }
  const { dataSource, sql } = createDataSource({ url, poolSize, logSql: config.logSql });
  const location = embedded ? embedded.dataDir : describeUrl(url);
  try {
    await dataSource.initialize();
  } catch (error) {
    await embedded?.stop();
    const reason = (error as { code?: string; message?: string }).code ?? (error as Error).message;
    throw new DatabaseUnavailableError(`cannot connect to the database at ${location}: ${reason}`);
  }
  return {
    dataSource,
    sql,
    kind: embedded ? 'embedded' : 'postgres',
    location,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
