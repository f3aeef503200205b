import 'reflect-metadata';
import { startDatabaseProvider, type DatabaseProvider } from './database-provider';

declare global {
  var __jointlyDatabaseProvider: DatabaseProvider | undefined;
}

/** Prepares the template database once and tells the test workers where to ask for copies. */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL || undefined;
  const provider = await startDatabaseProvider(adminUrl);
  globalThis.__jointlyDatabaseProvider = provider;
  process.env.JOINTLY_TEST_DB_CONTROL = provider.controlUrl;
  process.env.JOINTLY_TEST_BACKEND = provider.backend;
  // CLI children (cli tests) inherit it: see TEST_CONNECT_TIMEOUT_MS in test-database.ts.
  process.env.JOINTLY_DB_CONNECT_TIMEOUT_MS ??= '30000';
  process.stderr.write(`\ntests run against ${provider.backend === 'postgres' ? 'PostgreSQL (TEST_DATABASE_URL)' : 'embedded PGlite'}\n`);
}
