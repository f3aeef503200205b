import {
  changeFeedConnection,
  createScratchDatabase,
  isOk,
  metric as metricOf,
  killLeftovers,
  post,
  probe,
  report,
  serve,
  stopServe,
  TcpProxy,
  waitFor,
  withClient,
  withDatabase,
  type ScratchDatabase,
  type Served,
} from './support';

const HEARTBEAT_MS = 500;
// Generous: the proxy runs in this test's own process, which is busy at times (a deadline counts its delays too).
const DEADLINE_MS = 1000;
/** A write must show within a heartbeat, its deadline, and slack for a loaded machine. */
const DETECTION_LIMIT_MS = HEARTBEAT_MS + DEADLINE_MS + 1500;
const RECOVERY_LIMIT_MS = 8000;

/**
 * The change feed's LISTEN connection goes silent without closing (a NAT or firewall that forgot the
 * flow): PostgreSQL's notifications of later writes never arrive. PostgreSQL only: the embedded
 * database's feed is in the process.
 */
describe('a change feed that goes deaf', () => {
  let db: ScratchDatabase;
  let proxy: TcpProxy;
  let server: Served;
  let key: string;

  beforeAll(async () => {
    db = await createScratchDatabase();
    proxy = TcpProxy.to(db.url);
    await proxy.open();
    server = await serve({
      DATABASE_URL: withDatabase(db.url, { port: proxy.port }),
      JOINTLY_DB_CONNECT_TIMEOUT_MS: '1000',
      JOINTLY_RESPONSE_CACHE_MB: '16',
      JOINTLY_CHANGE_FEED_HEARTBEAT_MS: String(HEARTBEAT_MS),
      JOINTLY_CHANGE_FEED_DEADLINE_MS: String(DEADLINE_MS),
    });
    const first = await post(server.url, '{ statements(first: 1) { nodes { key } } }');
    await probe(server.url, '/healthz'); // loads fetch here, not while a heartbeat is on its way
    key = (first.body!.data!.statements as { nodes: { key: string }[] }).nodes[0]!.key;
  });

  afterAll(async () => {
    if (server) await stopServe(server);
    killLeftovers();
    await proxy?.close();
    await db?.drop();
  });

  const read = () => post(server.url, `{ statement(key: ${JSON.stringify(key)}) { title } }`);
  const titleOf = (answer: Awaited<ReturnType<typeof read>>) => (answer.body?.data?.statement as { title: string } | undefined)?.title;
  const metric = (name: string) => metricOf(server.url, name);
  const cacheBytes = () => metric('jointly_response_cache_bytes');
  const setTitle = (title: string) =>
    withClient((c) => c.query(`UPDATE "statement" SET "title" = $1 WHERE "key" = $2`, [title, key]), db.url);

  it('stops serving cached answers within the heartbeat deadline, says so on /readyz, and caches again once it hears again', async () => {
    // Cached, and the feed vouches for it.
    expect(isOk(await read())).toBe(true);
    const cached = await read();
    expect(cached.headers['x-jointly-cache']).toBe('hit');
    expect(await probe(server.url, '/readyz')).toMatchObject({ status: 200, body: { status: 'ready', checks: { changeFeed: 'ok' } } });
    expect(await cacheBytes()).toBeGreaterThan(0);
    expect(await metric('jointly_change_feed_up')).toBe(1);

    proxy.freeze(changeFeedConnection);
    const title = `Written while the feed was deaf ${Date.now()}`;
    await setTitle(title);
    const written = Date.now();

    // The write's notification is lost on the frozen connection: only the heartbeat can tell.
    const fresh = await waitFor('a read that shows the write', async () => {
      const answer = await read();
      return titleOf(answer) === title && answer;
    }, DETECTION_LIMIT_MS, 50);
    const detected = fresh.end - written;

    const ready = await probe(server.url, '/readyz');
    expect(ready).toMatchObject({ status: 200, body: { status: 'degraded', checks: { database: 'ok', migrations: 'ok', changeFeed: 'down' } } });
    // Bypassed and emptied while deaf: every answer comes from the database, and nothing is held.
    const again = await read();
    expect(titleOf(again)).toBe(title);
    expect(again.headers['x-jointly-cache']).toBeUndefined();
    expect(await cacheBytes()).toBe(0);
    expect(await metric('jointly_change_feed_up')).toBe(0);
    // Reconnect attempts go through the same frozen path and give up after the connect timeout; still down.
    const gaveUp = proxy.frozenClosed;
    await waitFor('a reconnect attempt to give up', () => proxy.frozenClosed > gaveUp, DETECTION_LIMIT_MS);
    expect(await probe(server.url, '/readyz')).toMatchObject({ body: { checks: { changeFeed: 'down' } } });

    const healed = Date.now();
    proxy.thaw();
    const back = await waitFor('the feed to listen again', async () => {
      const answer = await probe(server.url, '/readyz');
      return typeof answer.body === 'object' && answer.body.checks?.changeFeed === 'ok' && answer;
    }, RECOVERY_LIMIT_MS, 50);
    const reconnected = Date.now() - healed;
    expect(back).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(await metric('jointly_change_feed_up')).toBe(1);

    // Caching resumes, and the feed hears writes again.
    await read();
    expect((await read()).headers['x-jointly-cache']).toBe('hit');
    const later = `Written after the feed came back ${Date.now()}`;
    await setTitle(later);
    await waitFor('the write to show through the feed', async () => titleOf(await read()) === later, 5000, 50);

    // One loss, one recovery: the heartbeat never fired while the connection was healthy.
    expect(server.output().match(/change feed lost its connection/g)).toHaveLength(1);
    report(`deaf change feed (heartbeat ${HEARTBEAT_MS} ms, deadline ${DEADLINE_MS} ms): a write made while deaf showed ${detected} ms later; feed back ${reconnected} ms after the network healed`);
    expect(server.child.exitCode).toBeNull();
  });
});
