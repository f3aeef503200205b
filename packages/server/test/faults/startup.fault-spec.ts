import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  codeOf,
  createScratchDatabase,
  freePort,
  isOk,
  killLeftovers,
  post,
  report,
  SERVING_LINE,
  SMALL_QUERY,
  spawnServe,
  stopServe,
  TcpProxy,
  waitFor,
  withDatabase,
  type ScratchDatabase,
} from './support';

/** The time a JSON log line carries, if any. */
function loggedAt(line: string): number | undefined {
  try {
    const time = (JSON.parse(line) as { time?: unknown }).time;
    return typeof time === 'string' || typeof time === 'number' ? new Date(time).getTime() : undefined;
  } catch {
    return undefined;
  }
}

/** A line of a stack trace. */
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

describe('starting with an unreachable database', () => {
  afterAll(() => killLeftovers());

  it('retries with a doubling wait, says so once per attempt, then exits 1 with one clear line and no stack trace', async () => {
    const port = await freePort();
    const url = `postgres://postgres:secret@127.0.0.1:${port}/archive`;
    const started = Date.now();
    const served = spawnServe({ DATABASE_URL: url, JOINTLY_DB_START_RETRIES: '3', JOINTLY_DB_START_BACKOFF_MS: '100' });
    const exit = await served.exited;
    const elapsed = exit.at - started;

    expect(exit.code).toBe(1);
    const location = `postgres://postgres@127.0.0.1:${port}/archive`;
    const retries = served.lines.filter((l) => l.text.includes('cannot reach the database'));
    expect(retries.map((l) => /cannot reach the database at \S+ \(\w+\); retrying in [\d.]+ s \(attempt \d of \d\)/.exec(l.text)?.[0])).toEqual([
      `cannot reach the database at ${location} (ECONNREFUSED); retrying in 0.1 s (attempt 2 of 4)`,
      `cannot reach the database at ${location} (ECONNREFUSED); retrying in 0.2 s (attempt 3 of 4)`,
      `cannot reach the database at ${location} (ECONNREFUSED); retrying in 0.4 s (attempt 4 of 4)`,
    ]);
    expect(served.stderr().trim().split('\n').at(-1)).toMatch(
      new RegExp(`^jointly: cannot connect to the database at ${location.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ECONNREFUSED \\(gave up after 4 attempts in (\\d+\\.\\d) s\\)$`),
    );
    // The waits alone are 0.1 + 0.2 + 0.4 s.
    expect(Number(/in (\d+\.\d) s\)$/.exec(served.stderr().trim())![1])).toBeGreaterThanOrEqual(0.7);
    expect(served.output()).not.toMatch(STACK_LINE);
    expect(served.output()).not.toContain('secret');
    expect(served.output()).not.toContain('Jointly is serving');

    // The waits between the attempts double: 100, 200, 400 ms (plus the time a refused connection takes).
    // Timed by the log's own timestamps when it has them (pipes deliver lines in bursts).
    const times = retries.map((l) => loggedAt(l.text) ?? l.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(95);
    expect(gaps[1]).toBeGreaterThanOrEqual(195);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(exit.at - retries.at(-1)!.at).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeGreaterThanOrEqual(700);
    // From the first failed attempt to the exit: the waits (0.7 s) and three refused connections, not more
    // (the time before the first attempt is Node loading the server, which a busy machine stretches).
    expect(exit.at - retries[0]!.at).toBeLessThan(700 + 3000);
    report(`unreachable at start, 3 retries from 100 ms: exit 1 after ${elapsed} ms (waits ${gaps.join(', ')}, ${exit.at - retries.at(-1)!.at} ms)`);
  });

  it('does not retry what waiting cannot fix (a database that does not exist): exits 1 at once', async () => {
    const url = withDatabase(process.env.TEST_DATABASE_URL!, { database: 'jointly_fault_missing' });
    const served = spawnServe({ DATABASE_URL: url, JOINTLY_DB_START_RETRIES: '3', JOINTLY_DB_START_BACKOFF_MS: '1000' });
    const exit = await served.exited;
    expect({ code: exit.code, signal: exit.signal, output: exit.code === 1 ? '' : served.output() }).toEqual({ code: 1, signal: null, output: '' });
    expect(served.output()).not.toContain('retrying');
    expect(served.stderr().trim()).toMatch(/^jointly: cannot connect to the database at \S+jointly_fault_missing: database "jointly_fault_missing" does not exist \(3D000\)$/);
    expect(served.output()).not.toMatch(STACK_LINE);
  });

  describe('when the database appears during the retries', () => {
    let db: ScratchDatabase;
    let proxy: TcpProxy | undefined;
    beforeAll(async () => {
      db = await createScratchDatabase();
    });
    afterAll(async () => {
      await proxy?.close();
      await db?.drop();
    });

    it('answers 503 (starting) meanwhile on the port it bound first, then starts and serves', async () => {
      const port = await freePort();
      const httpPort = await freePort();
      const served = spawnServe(
        {
          DATABASE_URL: withDatabase(db.url, { port }),
          JOINTLY_DB_START_RETRIES: '6',
          JOINTLY_DB_START_BACKOFF_MS: '200',
        },
        [],
        ['--port', String(httpPort)],
      );
      try {
        await served.line(/cannot reach the database .*\(attempt 2 of 7\)/);
        // Listening already: alive, not ready, and GraphQL says to retry (the SDK does, after Retry-After).
        const origin = `http://127.0.0.1:${httpPort}`;
        expect((await fetch(`${origin}/healthz`)).status).toBe(200);
        const readyz = await fetch(`${origin}/readyz`);
        expect({ status: readyz.status, body: (await readyz.json()) as unknown }).toEqual({ status: 503, body: { status: 'starting', checks: {} } });
        const early = await post(`${origin}/graphql`, SMALL_QUERY);
        expect({ status: early.status, code: codeOf(early), retryAfter: early.headers['retry-after'] }).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfter: '1' });
        proxy = TcpProxy.to(db.url);
        const opened = Date.now();
        await proxy.open(port);
        await waitFor('ready', () => served.url !== '' || served.child.exitCode !== null, 30_000);
        expect(served.url).not.toBe('');
        const ready = served.lines.find((l) => SERVING_LINE.test(l.text))!;
        report(`database appeared during the start-up retries: ready ${ready.at - opened} ms after it did (migrations and sample data included)`);
        expect(isOk(await post(served.url, SMALL_QUERY))).toBe(true);
        expect(served.output()).not.toContain('attempt 7 of 7');
      } finally {
        expect((await stopServe(served)).code).toBe(0);
      }
    });
  });
});

describe('starting on a port that is taken', () => {
  afterAll(() => killLeftovers());

  it('exits 1 at once with one line naming the port, before the data folder is created', async () => {
    const occupier = net.createServer();
    await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
    const { port } = occupier.address() as net.AddressInfo;
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jointly-port-')), 'data');
    try {
      const served = spawnServe({}, ['--data-dir', dataDir], ['--port', String(port)]);
      const exit = await served.exited;
      expect({ code: exit.code, stderr: served.stderr().trim() }).toEqual({
        code: 1,
        stderr: `jointly: port ${port} on 127.0.0.1 is in use; stop what uses it or pass --port/PORT`,
      });
      expect(served.output()).not.toMatch(STACK_LINE);
      // Nothing was opened, migrated or seeded: the embedded database's folder and lock do not exist.
      expect(fs.existsSync(dataDir)).toBe(false);
      expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
      expect(served.output()).not.toMatch(/migrations|sample data/);
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  });
});
