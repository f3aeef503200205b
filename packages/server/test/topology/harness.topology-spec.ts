/**
 * The topology harness itself (.ci/services and test/support/topology.ts): what the streaming
 * replica and pgbouncer in transaction mode really do, as later scale-out tests will rely on it.
 */
import net from 'node:net';
import pg from 'pg';
import {
  connectError,
  createTopologyDatabase,
  eventually,
  lsnValue,
  primaryLsn,
  replicaReplayLsn,
  replicaStatementCount,
  startReplica,
  stopReplica,
  waitForReplay,
  withClient,
  type TopologyDatabase,
} from '../support/topology';

const DATABASE = 'jointly_topology';

/** A connected client; closed by the test's `finally`/afterEach through `opened`. */
const opened: pg.Client[] = [];
async function connect(url: string, config: pg.ClientConfig = {}): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, ...config });
  opened.push(client);
  await client.connect();
  return client;
}

const backendPid = async (client: pg.Client): Promise<number> => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

/** The SQLSTATE (or Node error code) `promise` is rejected with; fails when it resolves. */
async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { code, message };
  }
  throw new Error('expected a failure, got a result');
}

/** True as soon as check() holds, false when it has not within `ms` (for what must NOT happen). */
async function holdsWithin(check: () => boolean, ms: number): Promise<boolean> {
  try {
    await eventually('', () => check(), ms, 10);
    return true;
  } catch {
    return false;
  }
}

describe('the topology harness', () => {
  let db: TopologyDatabase;

  beforeAll(async () => {
    db = await createTopologyDatabase(DATABASE);
    // The other tests' table, on the replica before they start.
    await withClient(db.primaryUrl, (c) => c.query('CREATE TABLE harness_note (id int PRIMARY KEY, note text NOT NULL)'));
    await waitForReplay(await primaryLsn());
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((client) => client.end().catch(() => undefined)));
  });

  afterAll(async () => {
    // A failed test must not leave the shared replica stopped for the next file.
    await startReplica();
    await db?.drop();
  });

  describe('the streaming replica', () => {
    it('has a table created and a row inserted on the primary within 1 s', async () => {
      const replica = await connect(db.replicaUrl);
      await withClient(db.primaryUrl, async (c) => {
        await c.query('CREATE TABLE harness_first (id int PRIMARY KEY, note text NOT NULL)');
        await c.query(`INSERT INTO harness_first VALUES (1, 'written on the primary')`);
      });
      const written = Date.now();
      const rows = await eventually(
        'the table and its row on the replica',
        async () => {
          try {
            const result = await replica.query<{ id: number; note: string }>('SELECT id, note FROM harness_first');
            return result.rows.length > 0 && result.rows;
          } catch (error) {
            if ((error as { code?: string }).code === '42P01') return undefined; // the table is not there yet
            throw error;
          }
        },
        1000,
        5,
      );
      expect(rows).toEqual([{ id: 1, note: 'written on the primary' }]);
      expect(Date.now() - written).toBeLessThan(1000);
    });

    it('counts the statements it runs for the database (reads that land on it), and only those', async () => {
      const before = await replicaStatementCount(DATABASE);
      const replica = await connect(db.replicaUrl);
      for (let i = 0; i < 3; i++) await replica.query('SELECT count(*) FROM harness_note');
      await withClient(db.primaryUrl, (c) => c.query('SELECT count(*) FROM harness_note'));
      expect(await replicaStatementCount(DATABASE)).toBe(before + 3);
    });

    it('is a standby that refuses writes with SQLSTATE 25006', async () => {
      const replica = await connect(db.replicaUrl);
      expect((await replica.query('SELECT pg_is_in_recovery() AS r')).rows).toEqual([{ r: true }]);
      expect(await errorOf(replica.query(`INSERT INTO harness_note VALUES (2, 'on the replica')`))).toEqual({
        code: '25006',
        message: 'cannot execute INSERT in a read-only transaction',
      });
      expect((await errorOf(replica.query('CREATE TABLE not_here (id int)'))).code).toBe('25006');
      expect((await withClient(db.primaryUrl, (c) => c.query('SELECT id FROM harness_note WHERE id = 2'))).rows).toEqual([]);
    });

    it('refuses connections while stopped, and once started again catches up with what the primary wrote meanwhile', async () => {
      await stopReplica();
      expect((await connectError(db.replicaUrl))?.code).toBe('ECONNREFUSED');

      await withClient(db.primaryUrl, (c) => c.query(`INSERT INTO harness_note VALUES (3, 'written while the replica was down')`));
      const lsn = await primaryLsn();

      await startReplica();
      const replayed = await waitForReplay(lsn, 10_000);
      expect(lsnValue(replayed) >= lsnValue(lsn)).toBe(true);
      expect(lsnValue(await replicaReplayLsn()) >= lsnValue(lsn)).toBe(true);
      const rows = await withClient(db.replicaUrl, (c) => c.query('SELECT note FROM harness_note WHERE id = 3'));
      expect(rows.rows).toEqual([{ note: 'written while the replica was down' }]);
    });
  });

  describe('pgbouncer (transaction mode)', () => {
    it('gives one client’s next transaction another server connection while another client holds the first; session state stays behind', async () => {
      const a = await connect(db.pgbouncerUrl);
      const b = await connect(db.pgbouncerUrl);
      const first = await backendPid(a);
      // A session setting, outside any transaction: it stays on the server connection, not with `a`.
      await a.query(`SET jointly.tag = 'set by a'`);

      await b.query('BEGIN');
      // The server connection `a` just released is the one `b` gets (pgbouncer reuses the last used).
      expect(await backendPid(b)).toBe(first);
      expect((await b.query(`SELECT current_setting('jointly.tag', true) AS tag`)).rows).toEqual([{ tag: 'set by a' }]);

      const second = await backendPid(a);
      expect(second).not.toBe(first);
      expect((await a.query(`SELECT current_setting('jointly.tag', true) AS tag`)).rows).toEqual([{ tag: null }]);
      await b.query('COMMIT');
    });

    it('loses track of named prepared statements across transactions (pgbouncer 1.18 does not follow them)', async () => {
      const a = await connect(db.pgbouncerUrl);
      const b = await connect(db.pgbouncerUrl);
      const statement = (value: number) => ({ name: 'harness_x', text: 'SELECT $1::int AS v, pg_backend_pid() AS pid', values: [value] });

      const prepared = await a.query(statement(1));
      expect(prepared.rows[0].v).toBe(1);
      const home = prepared.rows[0].pid as number;

      await b.query('BEGIN');
      expect(await backendPid(b)).toBe(home);
      // `a` believes harness_x is prepared on its connection and sends only Bind/Execute, to another server connection.
      expect(await errorOf(a.query(statement(2)))).toEqual({ code: '26000', message: 'prepared statement "harness_x" does not exist' });
      // And `b`, on the server connection where `a` prepared it, cannot prepare its own of that name.
      expect(await errorOf(b.query(statement(3)))).toEqual({ code: '42P05', message: 'prepared statement "harness_x" already exists' });
      await b.query('ROLLBACK');

      // Back on the server connection that has it, `a`'s statement works again.
      const again = await a.query(statement(4));
      expect(again.rows).toEqual([{ v: 4, pid: home }]);
    });

    it('drops a statement_timeout start-up parameter (ignore_startup_parameters) and refuses lock_timeout', async () => {
      const direct = await connect(db.primaryUrl, { statement_timeout: 1234 });
      expect((await direct.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '1234ms' }]);
      const pooled = await connect(db.pgbouncerUrl, { statement_timeout: 1234 });
      expect((await pooled.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '0' }]);

      const refused = new pg.Client({ connectionString: db.pgbouncerUrl, lock_timeout: 1234 });
      opened.push(refused);
      expect(await errorOf(refused.connect())).toEqual({ code: '08P01', message: 'unsupported startup parameter: lock_timeout' });
    });

    it('does not deliver NOTIFY to a client that ran LISTEN; the client holding its server connection gets it instead', async () => {
      const channel = 'jointly_harness';
      const listener = await connect(db.pgbouncerUrl);
      const bystander = await connect(db.pgbouncerUrl);
      const control = await connect(db.primaryUrl);
      const notifier = await connect(db.primaryUrl);
      const got = { listener: [] as string[], bystander: [] as string[], control: [] as string[] };
      listener.on('notification', (n) => got.listener.push(n.payload ?? ''));
      bystander.on('notification', (n) => got.bystander.push(n.payload ?? ''));
      control.on('notification', (n) => got.control.push(n.payload ?? ''));

      // LISTEN and the pid in one simple query: one transaction, so one server connection.
      const [, pidResult] = (await listener.query(`LISTEN ${channel}; SELECT pg_backend_pid() AS pid`)) as unknown as pg.QueryResult[];
      const listening = pidResult!.rows[0].pid as number;
      await control.query(`LISTEN ${channel}`);

      // The listening is the server connection's: the bystander, handed it, "listens" without a LISTEN.
      await bystander.query('BEGIN');
      expect(await backendPid(bystander)).toBe(listening);
      expect((await bystander.query('SELECT pg_listening_channels() AS channel')).rows).toEqual([{ channel }]);
      await notifier.query(`NOTIFY ${channel}, 'during the bystander''s transaction'`);
      // PostgreSQL sends it before the COMMIT's ReadyForQuery, so it is here when COMMIT returns.
      await bystander.query('COMMIT');
      expect(got.bystander).toEqual(["during the bystander's transaction"]);

      // Sent while that server connection sits idle in the pool, linked to no client: pgbouncer drops it.
      await notifier.query(`NOTIFY ${channel}, 'while idle in the pool'`);
      await eventually('the direct listener to get both', () => got.control.length === 2, 5000);
      expect(got.control).toEqual(["during the bystander's transaction", 'while idle in the pool']);
      expect(await holdsWithin(() => got.listener.length > 0, 1000)).toBe(false);
      // Not even once the listener is back on that very server connection.
      expect(await backendPid(listener)).toBe(listening);
      expect(got).toMatchObject({ listener: [], bystander: ["during the bystander's transaction"] });
    });
  });

  it('Redis answers PING at its URL', async () => {
    const { hostname, port } = new URL(db.redisUrl);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        resolve(data.toString());
        socket.end();
      });
      socket.once('error', reject);
    });
    expect(reply).toBe('+PONG\r\n');
  });
});
