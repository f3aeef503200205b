import pg from 'pg';
import { listenForChanges, type ChangeFeed } from '../../src/database/change-feed';
import { openDatabase, prepareDatabase } from '../../src/index';
import { createLogger } from '../../src/observability/logger';
import { createScratchDatabase, type ScratchDatabase } from './support';

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the change feed');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** PostgreSQL only: the embedded database has one writer (the server holding its folder) and a local feed. */
describe('the change feed (LISTEN jointly_changes)', () => {
  let scratch: ScratchDatabase;
  let url: string;
  let feed: ChangeFeed;
  let writer: pg.Client;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    url = scratch.url;
    const db = await openDatabase({ database: { kind: 'postgres', url }, poolSize: 2, logSql: false });
    await prepareDatabase(db.dataSource, { seed: true });
    await db.close();
    feed = await listenForChanges(url, createLogger({ level: 'silent' }), { connectTimeoutMs: 2000, heartbeatMs: 1000, deadlineMs: 1000 });
    writer = new pg.Client({ connectionString: url });
    await writer.connect();
  });
  afterAll(async () => {
    await writer?.end();
    await feed?.close();
    await scratch?.drop();
  });

  it('is reliable once listening, and moves when a write commits anywhere (here: plain SQL from another connection)', async () => {
    await until(() => feed.reliable());
    const before = feed.generation();
    await writer.query(`UPDATE "statement" SET "title" = "title" || '' WHERE "key" = (SELECT "key" FROM "statement" ORDER BY "key" LIMIT 1)`);
    await until(() => feed.generation() > before);
  });

  it('does not move for a transaction that rolls back', async () => {
    const before = feed.generation();
    await writer.query('BEGIN');
    await writer.query(`UPDATE "source" SET "title" = "title" || '' WHERE "id" = (SELECT "id" FROM "source" LIMIT 1)`);
    await writer.query('ROLLBACK');
    // A committed write afterwards is the marker: by the time it arrives, a rolled-back one would have too.
    await writer.query(`UPDATE "person" SET "name" = "name" WHERE "id" = (SELECT "id" FROM "person" LIMIT 1)`);
    await until(() => feed.generation() > before);
    expect(feed.generation()).toBe(before + 1);
  });

  it('counts a lost connection as a change and is unreliable until it listens again', async () => {
    const before = feed.generation();
    await writer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'jointly-changes' AND datname = current_database() AND pid <> pg_backend_pid()`);
    await until(() => !feed.reliable());
    expect(feed.generation()).toBeGreaterThan(before);
    await until(() => feed.reliable(), 10_000);
  });
});
