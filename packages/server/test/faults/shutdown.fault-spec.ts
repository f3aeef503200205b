import http from 'node:http';
import pg from 'pg';
import {
  burst,
  CONCURRENT,
  createScratchDatabase,
  expectAllServed,
  expectRefusedOrServed,
  isOk,
  killLeftovers,
  newConnectionsRefused,
  post,
  report,
  serve,
  requestsInFlight,
  sleep,
  SMALL_QUERY,
  stopServe,
  waitFor,
  withClient,
  type ScratchDatabase,
} from './support';

describe('SIGTERM under load', () => {
  afterAll(() => killLeftovers());

  describe('on PostgreSQL', () => {
    let db: ScratchDatabase;
    let locker: pg.Client | undefined;
    beforeAll(async () => {
      db = await createScratchDatabase();
    });
    afterEach(async () => {
      await locker?.end().catch(() => undefined);
      locker = undefined;
    });
    afterAll(async () => {
      await db?.drop();
    });

    async function holdStatementLock(): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('BEGIN');
      await client.query('LOCK TABLE statement IN ACCESS EXCLUSIVE MODE');
      return client;
    }

    const waitingOnLock = () =>
      withClient(async (c) => {
        const result = await c.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'jointly' AND wait_event_type = 'Lock'`,
          [db.name],
        );
        return result.rows[0]!.n;
      });

    it('finishes all 50 requests in flight (200, data, Connection: close), refuses new connections, exits 0', async () => {
      const server = await serve({ DATABASE_URL: db.url, JOINTLY_DB_CONNECT_TIMEOUT_MS: '5000' });
      const agent = new http.Agent({ keepAlive: true });
      try {
        expect(isOk(await post(server.url, SMALL_QUERY))).toBe(true);
        // Every request will be stuck behind this lock until after the SIGTERM: all 50 are surely in flight.
        locker = await holdStatementLock();
        const load = burst(server.url, agent);
        await waitFor('50 connections', () => load.connected() === CONCURRENT);
        await waitFor('the pool to be busy behind the lock', async () => (await waitingOnLock()) >= 10);
        await requestsInFlight(server.url, CONCURRENT); // the server has read every request
        expect(load.received()).toBe(0);

        const term = Date.now();
        server.child.kill('SIGTERM');
        await server.line(/SIGTERM: stopping/);
        expectRefusedOrServed(await newConnectionsRefused(server.url));
        expect(server.child.exitCode).toBeNull(); // still draining

        await sleep(300); // the lock is held a while into the drain, which must wait for it
        await locker.query('ROLLBACK');
        const released = Date.now();
        const answers = await load.answers;
        const exit = await server.exited;

        expectAllServed(answers);
        expect(answers.every((a) => a.headers.connection === 'close')).toBe(true);
        expect(answers.every((a) => a.end > term)).toBe(true);
        expect(exit.code).toBe(0);
        expect(exit.at - term).toBeLessThan(10_000);
        expect(server.output()).toMatch(/stopped in \d+ ms/);
        report(`SIGTERM with ${CONCURRENT} requests in flight (PostgreSQL): all answered 200; exit 0 ${exit.at - term} ms after the signal, ${exit.at - released} ms after the requests could finish`);
      } finally {
        agent.destroy();
        await stopServe(server);
      }
    });

    it('gives up after JOINTLY_SHUTDOWN_TIMEOUT_MS when requests do not finish: closes them and exits 1', async () => {
      const server = await serve({ DATABASE_URL: db.url, JOINTLY_SHUTDOWN_TIMEOUT_MS: '500', JOINTLY_STATEMENT_TIMEOUT_MS: '20000' });
      try {
        locker = await holdStatementLock();
        const stuck = post(server.url, SMALL_QUERY, { agent: false });
        await waitFor('the request to wait on the lock', async () => (await waitingOnLock()) >= 1);
        const term = Date.now();
        server.child.kill('SIGTERM');
        const exit = await server.exited;
        const answer = await stuck;

        expect(exit.code).toBe(1);
        expect(exit.at - term).toBeGreaterThanOrEqual(450);
        expect(exit.at - term).toBeLessThan(5000);
        expect(server.stderr()).toMatch(/^jointly: 1 request was still running after 500 ms; closed their connections$/m);
        expect(answer.status).toBe(0);
        expect(answer.error).toMatch(/ECONNRESET|socket hang up/);
        report(`SIGTERM with a request stuck past the 500 ms shutdown timeout: exit 1 after ${exit.at - term} ms`);
      } finally {
        await stopServe(server);
      }
    });
  });
});
