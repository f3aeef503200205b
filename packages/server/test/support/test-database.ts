import { Writable } from 'node:stream';
import { createClient, JointlyError } from '../../../client/src/index';
import { createLogger, loadConfig, openDatabase, startServer, type Database, type Logger, type RunningServer } from '../../src/index';

/** Which database the e2e tests run against: `postgres` when TEST_DATABASE_URL is set. */
export const backend = process.env.JOINTLY_TEST_BACKEND ?? 'embedded';

/** One connection to an embedded database (see openDatabase: PGlite is one session); a few to PostgreSQL. */
const POOL_SIZE = backend === 'embedded' ? '1' : '4';

/**
 * Test servers and databases wait up to 30 s for a connection: the tests share two cores with a
 * database provider serving every file (and, on PGlite, one connection), so a queue is normal there.
 * Production keeps its 2 s (JOINTLY_DB_CONNECT_TIMEOUT_MS). CLI children get it from the global setup.
 */
export const TEST_CONNECT_TIMEOUT_MS = '30000';

/**
 * A fresh database for this test file: migrated, with the built-in states and the sample data
 * (`empty`: nothing in it, not even the migrations).
 */
export async function testDatabaseUrl(options: { empty?: boolean } = {}): Promise<string> {
  const control = process.env.JOINTLY_TEST_DB_CONTROL;
  if (!control) throw new Error('JOINTLY_TEST_DB_CONTROL is not set: run the tests through jest (global setup)');
  const response = await fetch(options.empty ? `${control}/empty` : control, { method: 'POST' });
  if (!response.ok) throw new Error(`the test database provider failed: ${await response.text()}`);
  return ((await response.json()) as { url: string }).url;
}

/** A debug-level logger whose JSON lines the test reads. */
export function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', format: 'json', destination }), lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** Test servers log errors only (as JSON on stderr). */
export const quiet = createLogger({ level: 'error', format: 'json', destination: process.stderr });

/**
 * On the embedded backend every test file's PGlite is served by one process (the provider), one
 * statement at a time, so a statement's time there includes its wait behind other files': no
 * database-time budget (the server has none on its own embedded database either). Tests of the budget
 * set it.
 */
const BUDGET: Record<string, string> = backend === 'embedded' ? { JOINTLY_REQUEST_DB_BUDGET_MS: '0' } : {};

/** The real server (HTTP on a free port) over a fresh test database (or the one given), with extra settings. */
export async function startTestServer(options: { databaseUrl?: string; env?: Record<string, string>; logger?: Logger } = {}): Promise<RunningServer> {
  const url = options.databaseUrl ?? (await testDatabaseUrl());
  return startServer(
    loadConfig({ DATABASE_URL: url, PORT: '0', JOINTLY_DB_POOL_SIZE: POOL_SIZE, JOINTLY_DB_CONNECT_TIMEOUT_MS: TEST_CONNECT_TIMEOUT_MS, ...BUDGET, ...options.env }),
    options.logger ?? quiet,
  );
}

/**
 * Runs a GraphQL operation through the SDK's transport (@jointly/client: headers, CSRF preflight,
 * error decoding), so every end-to-end test also exercises the client. GraphQL errors are returned
 * rather than thrown, for the tests to inspect; retries are off so each call is one request.
 */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const client = createClient({ url, retry: false });
  try {
    return { status: 200, data: await client.request<T>(query, variables ?? {}) };
  } catch (error) {
    if (error instanceof JointlyError && error.errors.length > 0) {
      return { status: error.status ?? 200, data: (error.data ?? undefined) as T | undefined, errors: [...error.errors] };
    }
    throw error;
  }
}

/** A fresh test database opened directly (no HTTP), for tests of the data layer. */
export async function openTestDatabase(): Promise<Database> {
  return openDatabase({
    database: { kind: 'postgres', url: await testDatabaseUrl() },
    poolSize: Number(POOL_SIZE),
    logSql: false,
    db: { connectTimeoutMs: Number(TEST_CONNECT_TIMEOUT_MS), statementTimeoutMs: 0, startRetries: 0, startBackoffMs: 100 },
  });
}
