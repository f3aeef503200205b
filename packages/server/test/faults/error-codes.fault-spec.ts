import { GraphQLError } from 'graphql';
import pg from 'pg';
import { createFormatError } from '../../src/graphql/format-error';
import { openDatabase } from '../../src/index';
import { createScratchDatabase, freePort, TcpProxy, withDatabase, type ScratchDatabase } from './support';

/** What a client would see for an error thrown by a resolver. */
function codeFor(error: unknown): { code: unknown; message: string } {
  const logged: unknown[] = [];
  const format = createFormatError({ error: (details) => logged.push(details) }, { statementTimeoutMs: 100 });
  const formatted = format({ message: String(error), path: ['statements'] }, new GraphQLError('wrapped', { path: ['statements'], originalError: error as Error }));
  return { code: formatted.extensions?.code, message: formatted.message };
}

/** Runs fn, which must fail, and returns what it threw. */
async function failure(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** The real errors node-postgres and TypeORM throw, produced against a real PostgreSQL, and the code each becomes. */
describe('errors from the database, as clients see them', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const unavailable = { code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable; try again shortly.' };

  it('a refused connection (ECONNREFUSED) is DATABASE_UNAVAILABLE', async () => {
    const port = await freePort();
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/x` });
    const error = await failure(() => client.connect());
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expect(codeFor(error)).toEqual(unavailable);
  });

  it('a connection that does not answer within the connect timeout is DATABASE_UNAVAILABLE', async () => {
    const proxy = TcpProxy.to(db.url);
    await proxy.blackhole();
    const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/x`, connectionTimeoutMillis: 200 });
    pool.on('error', () => undefined);
    try {
      const error = await failure(() => pool.query('SELECT 1'));
      expect((error as Error).message).toMatch(/timeout/i);
      expect(codeFor(error)).toEqual(unavailable);
    } finally {
      await pool.end();
      await proxy.close();
    }
  });

  it('waiting too long for a free pooled connection is DATABASE_UNAVAILABLE', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1, connectionTimeoutMillis: 10_000 });
    try {
      const held = await pool.connect();
      // Now the only connection is taken: the next caller waits 100 ms for it, then gives up.
      pool.options.connectionTimeoutMillis = 100;
      const error = await failure(() => pool.query('SELECT 1'));
      held.release();
      expect((error as Error).message).toBe('timeout exceeded when trying to connect');
      expect(codeFor(error)).toEqual(unavailable);
    } finally {
      await pool.end();
    }
  });

  it('a backend terminated by the server (57P01) and the broken connection after it are DATABASE_UNAVAILABLE', async () => {
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => undefined);
    await client.connect();
    const pid = ((await client.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
    const running = failure(() => client.query('SELECT pg_sleep(5)'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    const error = await running;
    expect((error as { code?: string }).code).toBe('57P01');
    expect(codeFor(error)).toEqual(unavailable);
    const after = await failure(() => client.query('SELECT 1'));
    expect(codeFor(after)).toEqual(unavailable);
    await client.end().catch(() => undefined);
  });

  it('a connection cut mid-query ("Connection terminated unexpectedly") is DATABASE_UNAVAILABLE, also through TypeORM', async () => {
    const proxy = TcpProxy.to(db.url);
    await proxy.open();
    const database = await openDatabase(
      { database: { kind: 'postgres', url: withDatabase(db.url, { port: proxy.port }) }, poolSize: 1, logSql: false, db: { connectTimeoutMs: 500 } },
      { log: { warn: () => undefined } },
    );
    try {
      const running = failure(() => database.dataSource.query('SELECT pg_sleep(5)'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await proxy.cut();
      const error = await running;
      expect((error as Error).message).toMatch(/Connection terminated unexpectedly/);
      expect(codeFor(error)).toEqual(unavailable);
      // And with the database still gone, the next query is refused: the same code.
      expect(codeFor(await failure(() => database.dataSource.query('SELECT 1')))).toEqual(unavailable);
    } finally {
      await database.close().catch(() => undefined);
      await proxy.close();
    }
  });

  it('a statement cancelled by statement_timeout (57014, through TypeORM) is TIMEOUT', async () => {
    const database = await openDatabase({ database: { kind: 'postgres', url: db.url }, poolSize: 1, logSql: false, db: { statementTimeoutMs: 100 } }, { statementTimeout: true });
    try {
      const error = await failure(() => database.dataSource.query('SELECT pg_sleep(2)'));
      expect((error as { code?: string }).code).toBe('57014');
      expect(codeFor(error)).toEqual({ code: 'TIMEOUT', message: expect.stringMatching(/^The query took longer than 100 ms/) as string });
    } finally {
      await database.close();
    }
  });

  it('any other database error stays masked as INTERNAL_SERVER_ERROR', async () => {
    const database = await openDatabase({ database: { kind: 'postgres', url: db.url }, poolSize: 1, logSql: false });
    try {
      const error = await failure(() => database.dataSource.query('SELECT * FROM no_such_table'));
      expect((error as { code?: string }).code).toBe('42P01');
      const seen = codeFor(error);
      expect(seen.code).toBe('INTERNAL_SERVER_ERROR');
      expect(seen.message).not.toContain('no_such_table');
    } finally {
      await database.close();
    }
  });
});
