import {
  codeOf,
  createScratchDatabase,
  isOk,
  killLeftovers,
  post,
  report,
  requestLoop,
  serve,
  sleep,
  SMALL_QUERY,
  stopServe,
  TcpProxy,
  waitFor,
  withClient,
  withDatabase,
  type Answer,
  type ScratchDatabase,
  type Served,
} from './support';

const CONNECT_TIMEOUT_MS = 1000;

/** SMALL_QUERY made unique by a comment, so that every request reaches the database past the response cache. */
let sent = 0;
const uncached = () => `# ${++sent}\n${SMALL_QUERY}`;
const RECOVERY_LIMIT_MS = 5000;

/** Every answer that is not good is a clean DATABASE_UNAVAILABLE: JSON, HTTP 200, no hang, no 5xx page. */
function expectCleanFailures(answers: Answer[]): Answer[] {
  const failed = answers.filter((a) => !isOk(a));
  for (const a of failed) {
    expect({ status: a.status, error: a.error, code: codeOf(a), message: a.body?.errors?.[0]?.message }).toEqual({
      status: 200,
      error: undefined,
      code: 'DATABASE_UNAVAILABLE',
      message: 'The database is unavailable; try again shortly.',
    });
  }
  return failed;
}

describe('the server while PostgreSQL goes away and comes back', () => {
  let db: ScratchDatabase;
  let proxy: TcpProxy;
  let server: Served;

  beforeAll(async () => {
    db = await createScratchDatabase();
    proxy = TcpProxy.to(db.url);
    await proxy.open();
    server = await serve({
      DATABASE_URL: withDatabase(db.url, { port: proxy.port }),
      JOINTLY_DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      JOINTLY_DB_POOL_SIZE: '6',
      // As deployed: with the response cache, and so its change feed's LISTEN connection, which the outages cut too.
      JOINTLY_RESPONSE_CACHE_MB: '16',
    });
  });

  afterAll(async () => {
    if (server) await stopServe(server);
    killLeftovers();
    await proxy?.close();
    await db?.drop();
  });

  const idleBackends = () =>
    withClient(async (c) => {
      const result = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'jointly' AND state = 'idle'`,
        [db.name],
      );
      return result.rows[0]!.n;
    });

  const terminateBackends = () =>
    withClient(async (c) => {
      const result = await c.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'jointly'`,
        [db.name],
      );
      return result.rows[0]!.n;
    });

  it('survives its idle pooled connections being terminated (pg_terminate_backend): logs it, and the next request succeeds', async () => {
    // Warm the pool, then let its connections sit idle.
    await Promise.all(Array.from({ length: 4 }, () => post(server.url, uncached())));
    await waitFor('idle pooled connections', async () => (await idleBackends()) >= 1);
    const before = server.output().length;
    expect(await terminateBackends()).toBeGreaterThanOrEqual(1);

    await waitFor('the lost connections to be logged', () => server.output().slice(before).includes('a pooled database connection failed'), 5000);
    expect(server.output().slice(before)).toMatch(/terminating connection due to administrator command|57P01/);
    expect(server.child.exitCode).toBeNull();
    const next = await post(server.url, uncached());
    expect(isOk(next)).toBe(true);
  });

  it('under load, pg_terminate_backend costs at most a few DATABASE_UNAVAILABLE answers, and service is back within 5 s', async () => {
    const loop = requestLoop(server.url, uncached);
    await waitFor('the first good answers', () => loop.answers.filter(isOk).length >= 5);
    const fault = Date.now();
    expect(await terminateBackends()).toBeGreaterThanOrEqual(1);
    const back = await waitFor('a good answer after the termination', () => loop.firstOkSince(fault), RECOVERY_LIMIT_MS);
    await waitFor('four more answers', () => loop.answers.filter((a) => a.start > back.end).length >= 4, RECOVERY_LIMIT_MS);
    const answers = await loop.stop();

    const recovery = back.end - fault;
    const failed = expectCleanFailures(answers);
    report(`pg_terminate_backend under load: ${failed.length} of ${answers.length} requests failed (DATABASE_UNAVAILABLE); first good answer ${recovery} ms later`);
    expect(recovery).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(answers.slice(-4).every(isOk)).toBe(true);
    expect(server.child.exitCode).toBeNull();
  });

  it('during a 2 s network outage, requests fail fast with DATABASE_UNAVAILABLE, and service resumes within 5 s of the network', async () => {
    const loop = requestLoop(server.url, uncached);
    await waitFor('the first good answers', () => loop.answers.filter(isOk).length >= 5);
    const cut = Date.now();
    await proxy.cut();
    await sleep(2000); // the outage itself
    const restored = Date.now();
    await proxy.open();
    const back = await waitFor('a good answer after the network came back', () => loop.firstOkSince(restored), RECOVERY_LIMIT_MS);
    await waitFor('four more answers', () => loop.answers.filter((a) => a.start > back.end).length >= 4, RECOVERY_LIMIT_MS);
    const answers = await loop.stop();

    // Sent during the outage (after the cut had taken effect): every one failed, quickly and cleanly.
    const during = answers.filter((a) => a.start >= cut + 50 && a.end <= restored);
    expect(during.length).toBeGreaterThanOrEqual(5);
    expect(during.filter(isOk)).toEqual([]);
    expectCleanFailures(answers);
    const slowest = Math.max(...during.map((a) => a.ms));
    expect(slowest).toBeLessThanOrEqual(CONNECT_TIMEOUT_MS + 500);

    const recovery = back.end - restored;
    report(`network refused for 2 s: ${during.length} requests failed, the slowest in ${slowest} ms; first good answer ${recovery} ms after the network came back`);
    expect(recovery).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(answers.slice(-4).every(isOk)).toBe(true);
    expect(server.child.exitCode).toBeNull();
  });

  it('when the network swallows packets, requests give up after the connect timeout instead of hanging', async () => {
    const loop = requestLoop(server.url, uncached);
    await waitFor('the first good answers', () => loop.answers.filter(isOk).length >= 5);
    const cut = Date.now();
    await proxy.blackhole();
    await sleep(2500); // the outage itself
    const restored = Date.now();
    await proxy.open();
    const back = await waitFor('a good answer after the network came back', () => loop.firstOkSince(restored), RECOVERY_LIMIT_MS);
    const answers = await loop.stop();

    const during = answers.filter((a) => a.start >= cut + 50 && a.end <= restored);
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(during.filter(isOk)).toEqual([]);
    expectCleanFailures(answers);
    const slowest = Math.max(...answers.filter((a) => !isOk(a)).map((a) => a.ms));
    expect(slowest).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 100);
    expect(slowest).toBeLessThanOrEqual(CONNECT_TIMEOUT_MS + 1000);
    report(`network silent for 2.5 s: requests failed after at most ${slowest} ms (connect timeout ${CONNECT_TIMEOUT_MS} ms); first good answer ${back.end - restored} ms after the network came back`);
    expect(back.end - restored).toBeLessThan(RECOVERY_LIMIT_MS);
  });
});
