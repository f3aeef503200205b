import pg from 'pg';
import { openDatabase } from '../../src/index';
import { codeOf, createScratchDatabase, isOk, killLeftovers, post, report, serve, SMALL_QUERY, stopServe, type ScratchDatabase, type Served } from './support';

const TIMEOUT_MS = 500;

describe('the statement timeout', () => {
  let db: ScratchDatabase;
  let server: Served;
  let locker: pg.Client | undefined;

  beforeAll(async () => {
    db = await createScratchDatabase();
    server = await serve({ DATABASE_URL: db.url, JOINTLY_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS) });
  });

  afterEach(async () => {
    await locker?.end().catch(() => undefined);
    locker = undefined;
  });

  afterAll(async () => {
    if (server) await stopServe(server);
    killLeftovers();
    await db?.drop();
  });

  it('cancels a statement stuck behind a lock after JOINTLY_STATEMENT_TIMEOUT_MS with code TIMEOUT, and serves it once the lock is gone', async () => {
    expect(isOk(await post(server.url, SMALL_QUERY))).toBe(true);
    locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE statement IN ACCESS EXCLUSIVE MODE');

    const stuck = await post(server.url, SMALL_QUERY);
    expect(stuck.status).toBe(200);
    expect(codeOf(stuck)).toBe('TIMEOUT');
    expect(stuck.body?.errors?.[0]?.message).toMatch(/^The query took longer than 500 ms/);
    expect(stuck.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(stuck.ms).toBeLessThan(TIMEOUT_MS + 1000);
    report(`statement timeout ${TIMEOUT_MS} ms: the locked query answered TIMEOUT after ${stuck.ms} ms`);

    // Other tables are not held up.
    const other = await post(server.url, '{ signatories(first: 1) { totalCount } }');
    expect(isOk(other)).toBe(true);

    await locker.query('ROLLBACK');
    const after = await post(server.url, SMALL_QUERY);
    expect(isOk(after)).toBe(true);
    expect(after.ms).toBeLessThan(TIMEOUT_MS);
  });

  it('applies to the server’s requests only: start-up work (migrations, the sample data) runs without it', async () => {
    const database = await openDatabase(
      { database: { kind: 'postgres', url: db.url }, poolSize: 1, logSql: false, db: { statementTimeoutMs: TIMEOUT_MS } },
      { statementTimeout: true },
    );
    try {
      const setting = async (rows: Promise<{ statement_timeout: string }[]>) => (await rows)[0]!.statement_timeout;
      expect(await setting(database.dataSource.query('SHOW statement_timeout'))).toBe('500ms');
      expect(await setting(database.maintenance((ds) => ds.query('SHOW statement_timeout')))).toBe('0');
    } finally {
      await database.close();
    }
    // Without the option (the CLI's import, export, migrate), there is none.
    const plain = await openDatabase({ database: { kind: 'postgres', url: db.url }, poolSize: 1, logSql: false, db: { statementTimeoutMs: TIMEOUT_MS } });
    try {
      expect(((await plain.dataSource.query('SHOW statement_timeout')) as { statement_timeout: string }[])[0]!.statement_timeout).toBe('0');
    } finally {
      await plain.close();
    }
  });
});
