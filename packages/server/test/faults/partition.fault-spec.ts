import {
  codeOf,
  createScratchDatabase,
  isOk,
  killLeftovers,
  post,
  probe,
  report,
  serve,
  SMALL_QUERY,
  stopServe,
  TcpProxy,
  waitFor,
  withDatabase,
  type Answer,
  type ScratchDatabase,
  type Served,
} from './support';

const STATEMENT_TIMEOUT_MS = 1000;
const QUERY_TIMEOUT_MS = 1500;
const CONNECT_TIMEOUT_MS = 1000;
const READY_TIMEOUT_MS = 800;
/** Slack for a loaded machine on top of each deadline. */
const SLACK_MS = 1000;

let sent = 0;
/** SMALL_QUERY made unique, so no answer could come from a cache. */
const uncached = () => `# ${++sent}\n${SMALL_QUERY}`;
/** The startup message of the serving pool's connections (application_name jointly). */
const poolConnection = (startup: string) => startup.includes('application_name\0jointly\0');

/**
 * A partition that closes nothing: the established connections to PostgreSQL stay open but carry
 * nothing either way (and new ones get no answer), as when a NAT or a firewall forgets the flows.
 * Neither PostgreSQL's statement timeout nor its cancel can reach us then; only the client's own.
 */
describe('the server while the network to PostgreSQL is frozen', () => {
  let db: ScratchDatabase;
  let proxy: TcpProxy;
  let server: Served;

  beforeAll(async () => {
    db = await createScratchDatabase();
    proxy = TcpProxy.to(db.url);
    await proxy.open();
    server = await serve({
      DATABASE_URL: withDatabase(db.url, { port: proxy.port }),
      // One pooled connection: the one frozen mid-query must be thrown away, not lent again.
      JOINTLY_DB_POOL_SIZE: '1',
      JOINTLY_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      JOINTLY_DB_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      JOINTLY_DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      JOINTLY_READY_TIMEOUT_MS: String(READY_TIMEOUT_MS),
    });
  });

  afterAll(async () => {
    if (server) await stopServe(server);
    killLeftovers();
    await proxy?.close();
    await db?.drop();
  });

  it('fails a read with DATABASE_UNAVAILABLE after the query timeout, drops that connection, answers /readyz 503 within its deadline, and reads again once the network thaws', async () => {
    expect(isOk(await post(server.url, uncached()))).toBe(true);
    expect(await probe(server.url, '/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(proxy.openConnections(poolConnection)).toBe(1);

    proxy.freeze();
    const frozenRead = await post(server.url, uncached(), { timeoutMs: 30_000 });
    expect({ status: frozenRead.status, error: frozenRead.error, code: codeOf(frozenRead) }).toEqual({ status: 200, error: undefined, code: 'DATABASE_UNAVAILABLE' });
    expect(frozenRead.ms).toBeGreaterThanOrEqual(QUERY_TIMEOUT_MS - 100);
    expect(frozenRead.ms).toBeLessThan(QUERY_TIMEOUT_MS + SLACK_MS);
    // Destroyed, not returned to the pool: its socket is closed.
    await waitFor('the timed-out connection to be closed', () => proxy.openConnections(poolConnection) === 0, 2000);

    // Later reads open new connections, which get no answer: the connect timeout.
    const later: Answer[] = [];
    for (let i = 0; i < 3; i++) later.push(await post(server.url, uncached(), { timeoutMs: 30_000 }));
    expect(later.map(codeOf)).toEqual(['DATABASE_UNAVAILABLE', 'DATABASE_UNAVAILABLE', 'DATABASE_UNAVAILABLE']);
    const slowest = Math.max(...later.map((a) => a.ms));
    expect(slowest).toBeLessThan(Math.max(CONNECT_TIMEOUT_MS, QUERY_TIMEOUT_MS) + SLACK_MS);

    const ready = await probe(server.url, '/readyz', 30_000);
    expect(ready).toMatchObject({ status: 503, body: { status: 'unavailable', checks: { database: `no answer within ${READY_TIMEOUT_MS} ms` } } });
    expect(ready.ms).toBeLessThan(READY_TIMEOUT_MS + SLACK_MS);

    const thawed = Date.now();
    proxy.thaw();
    const back = await waitFor('a good read after the thaw', async () => {
      const answer = await post(server.url, uncached(), { timeoutMs: 30_000 });
      return isOk(answer) && answer;
    }, 10_000, 50);
    expect(await probe(server.url, '/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
    report(
      `frozen network (statement timeout ${STATEMENT_TIMEOUT_MS} ms, query timeout ${QUERY_TIMEOUT_MS} ms, connect timeout ${CONNECT_TIMEOUT_MS} ms): ` +
        `a read on a frozen connection failed in ${frozenRead.ms} ms, later reads in at most ${slowest} ms; /readyz 503 in ${ready.ms} ms (deadline ${READY_TIMEOUT_MS} ms); ` +
        `first good read ${back.end - thawed} ms after the thaw`,
    );
    expect(server.child.exitCode).toBeNull();
  });
});
