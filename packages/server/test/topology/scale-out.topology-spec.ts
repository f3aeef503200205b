/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL responses, checked field by field by the assertions */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createClient as createWsClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createTopologyDatabase, eventually, replicaStatementCount, startReplica, stopReplica, type TopologyDatabase } from '../support/topology';

const CLI = path.resolve(__dirname, '../../../cli/dist/bin.js');
/** A Redis database of its own, emptied first: the shared cache's generation and the rate counts start from nothing. */
const REDIS = 'redis://127.0.0.1:6379/7';
const RATE_LIMIT = 40;

interface Instance {
  url: string;
  process: ChildProcess;
}

/** `jointly serve` in a process of its own, as production runs it; resolves with its URL once it serves. */
function serve(name: string, env: Record<string, string>): Promise<Instance> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve'], {
      env: { ...process.env, PORT: '0', JOINTLY_LOG_FORMAT: 'json', JOINTLY_LOG_LEVEL: 'info', JOINTLY_SEED: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output.slice(-2000)}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /"url":"(http:\/\/[^"]+\/graphql)"/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        child.stdout!.off('data', read);
        resolve({ url, process: child });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${output.slice(-2000)}`)));
  });
}

async function stop(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.process.exitCode !== null) return;
  const exited = new Promise((resolve) => instance.process.once('exit', resolve));
  instance.process.kill('SIGTERM');
  await exited;
}

/**
 * The one-machine topology of docs/production/scale-out.md: two Jointly instances (own processes)
 * behind nothing but their ports, each with DATABASE_URL on pgbouncer in transaction mode, the change
 * feed on the primary directly, a streaming replica for reads, and Redis for the shared limits and
 * cache.
 */
describe('more than one instance: pgbouncer, a read replica, Redis', () => {
  let db: TopologyDatabase;
  let a: Instance;
  let b: Instance;
  let redis: Redis;
  let admin = '';

  const post = async (instance: Instance, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const response = await fetch(instance.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };
  const readyz = async (instance: Instance) => {
    const response = await fetch(new URL('/readyz', instance.url));
    return { status: response.status, body: (await response.json()) as any };
  };
  const statement = async (instance: Instance, key: string, headers: Record<string, string> = {}) =>
    (await post(instance, `query($key: String!) { statement(key: $key) { id title version } }`, { key }, headers)).body.data.statement;

  beforeAll(async () => {
    db = await createTopologyDatabase('jointly_scale_out');
    redis = new Redis(REDIS);
    await redis.flushdb();
    // Migrations and the sample data against the primary directly (docs/production/scale-out.md).
    await new Promise<void>((resolve, reject) => {
      const seed = spawn(process.execPath, [CLI, 'seed'], { env: { ...process.env, DATABASE_URL: db.primaryUrl }, stdio: 'ignore' });
      seed.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`jointly seed exited with ${code}`))));
    });
    const token = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'token', 'create', '--name', 'scale-admin', '--role', 'admin'], { env: { ...process.env, DATABASE_URL: db.primaryUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.once('exit', (code) => {
        const found = /\b(jly_[A-Za-z0-9_-]+)/.exec(out)?.[1];
        if (code === 0 && found) resolve(found);
        else reject(new Error(`token create: ${out}`));
      });
    });
    admin = token;
    const env = {
      DATABASE_URL: db.pgbouncerUrl,
      JOINTLY_CHANGE_FEED_URL: db.primaryUrl,
      JOINTLY_PREPARED_STATEMENTS: 'false',
      JOINTLY_READ_REPLICA_URLS: db.replicaUrl,
      JOINTLY_REPLICA_MAX_LAG_MS: '5000',
      JOINTLY_REPLICA_WAIT_MS: '1000',
      JOINTLY_REDIS_URL: REDIS,
      JOINTLY_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      // Expensive from this estimated cost on (EXPENSIVE below is over it), one at a time per address, waiting up to 20 s.
      JOINTLY_EXPENSIVE_COST: '5000',
      JOINTLY_EXPENSIVE_PER_ADDRESS: '1',
      JOINTLY_EXPENSIVE_QUEUE_MS: '20000',
      // Each test speaks from an address of its own (X-Forwarded-For), so that the rate limit counts only its requests.
      JOINTLY_TRUST_PROXY: 'true',
    };
    [a, b] = await Promise.all([serve('A', env), serve('B', env)]);
  });

  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await startReplica().catch(() => undefined);
    redis?.disconnect();
    await db?.drop();
  });

  it('read-your-writes: a write through A is read back at once through B by the same client, and by others within a second', async () => {
    const me = { 'x-forwarded-for': '198.51.100.1' };
    const before = await statement(a, 'unga76-c3-xinjiang-france', me);
    const written = await post(
      a,
      `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { statement { title } errors { code } } }`,
      { input: { id: before.id, expectedVersion: before.version, title: 'Read your writes, through another instance' } },
      { ...me, authorization: `Bearer ${admin}` },
    );
    expect(written.body.data.updateStatement.errors).toEqual([]);
    const position = written.headers.get('jointly-wal-position');
    expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    // The same client sends the position back (as the SDK does): B answers from a replica that has replayed it, or from the primary.
    expect((await statement(b, 'unga76-c3-xinjiang-france', { ...me, 'jointly-wal-position': position! })).title).toBe('Read your writes, through another instance');
    const others = { 'x-forwarded-for': '198.51.100.2' };
    const started = Date.now();
    await eventually('B to show the write to others', async () => (await statement(b, 'unga76-c3-xinjiang-france', others)).title === 'Read your writes, through another instance', 1000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reads land on the replica (counted there), writes on the primary through pgbouncer', async () => {
    const me = { 'x-forwarded-for': '198.51.100.3' };
    const ready = await readyz(b);
    expect(ready.body.checks).toMatchObject({ database: 'ok', replica1: 'ok', redis: 'ok', changeFeed: 'ok' });
    const total: number = (await post(b, `{ statements { totalCount } }`, {}, me)).body.data.statements.totalCount;
    const counted = await replicaStatementCount(db.database);
    // Varied pages: every one a different request, none from the cache.
    for (let n = 1; n <= 20; n++) expect((await post(b, `query($n: Int) { statements(first: $n) { nodes { key } } }`, { n }, me)).body.data.statements.nodes).toHaveLength(Math.min(n, total));
    expect((await replicaStatementCount(db.database)) - counted).toBeGreaterThanOrEqual(20);
  });

  it('one cache for both instances: an answer kept through A is a hit through B, and a write through either drops it', async () => {
    const me = { 'x-forwarded-for': '198.51.100.4' };
    const query = `{ sources(first: 3) { nodes { key title } } }`;
    const first = await post(a, query, {}, me);
    expect(first.headers.get('x-jointly-cache')).toBe('miss');
    const shared = await eventually('the answer in the shared cache', async () => (await post(b, query, {}, me)).headers.get('x-jointly-cache') === 'hit' || undefined, 5000, 50);
    expect(shared).toBe(true);
    const source = (await post(a, `{ sources(first: 1) { nodes { id version key } } }`, {}, me)).body.data.sources.nodes[0];
    const written = await post(
      b,
      `mutation($input: UpdateSourceInput!) { updateSource(input: $input) { errors { code } } }`,
      { input: { id: source.id, expectedVersion: source.version, title: 'Retitled through B' } },
      { ...me, authorization: `Bearer ${admin}` },
    );
    expect(written.body.data.updateSource.errors).toEqual([]);
    const after = await post(a, query, {}, { ...me, 'jointly-wal-position': written.headers.get('jointly-wal-position')! });
    expect(after.headers.get('x-jointly-cache')).not.toBe('hit');
    expect(after.body.data.sources.nodes.map((s: any) => s.title)).toContain('Retitled through B');
  });

  it('a rate limit shared across A and B', async () => {
    // Not across a minute's boundary: the windows are whole minutes.
    if (Date.now() % 60_000 > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 100));
    const me = { 'x-forwarded-for': '198.51.100.5' };
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      for (const instance of [a, b]) statuses.push((await post(instance, `{ __typename }`, {}, me)).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - RATE_LIMIT);
    const refused = await post(b, `{ __typename }`, {}, me);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('the share of expensive operations is one per address across A and B together', async () => {
    const address = '198.51.100.8';
    const me = { 'x-forwarded-for': address };
    const EXPENSIVE = `query($n: Int) { statements(first: 50) { nodes { signatures(first: $n) { nodes { signatory { name } } } } } }`;
    let most = 0;
    let polling = true;
    const watch = (async () => {
      while (polling) {
        most = Math.max(most, await redis.zcard(`jointly:share:${address}`));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const answers = await Promise.all([a, b, a, b, a, b].map((instance, i) => post(instance, EXPENSIVE, { n: 90 + i }, me)));
    polling = false;
    await watch;
    for (const answer of answers) expect(answer.body.errors).toBeUndefined();
    // Held in Redis, one at a time: never two leases of the address at once, whichever instance ran it.
    expect(most).toBe(1);
    expect(await redis.zcard(`jointly:share:${address}`)).toBe(0);
  });

  it('a subscriber on B sees a write made through A', async () => {
    const me = { 'x-forwarded-for': '198.51.100.6' };
    const ws = createWsClient({ url: b.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const event = new Promise<any>((resolve, reject) => {
        ws.subscribe({ query: `subscription { statementChanged(key: "unga75-c3-xinjiang-germany") { recordKey fields } }` }, { next: resolve, error: reject, complete: () => reject(new Error('completed')) });
      });
      // Taken once B serves it (graphql-ws acknowledges no subscription: B's gauge says it).
      await eventually('B to serve the subscription', async () => /^jointly_subscriptions_active 1$/m.test(await (await fetch(new URL('/metrics', b.url))).text()), 10_000, 10);
      const before = await statement(a, 'unga75-c3-xinjiang-germany', me);
      const written = await post(
        a,
        `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { errors { code } } }`,
        { input: { id: before.id, expectedVersion: before.version, session: 'HRC44 (told live)' } },
        { ...me, authorization: `Bearer ${admin}` },
      );
      expect(written.body.data.updateStatement.errors).toEqual([]);
      expect((await event).data.statementChanged).toEqual({ recordKey: 'unga75-c3-xinjiang-germany', fields: ['session'] });
    } finally {
      await ws.dispose();
    }
  });

  it('the replica stopped: reads are still answered (by the primary), /readyz says degraded; back when it is', async () => {
    const me = { 'x-forwarded-for': '198.51.100.7' };
    await stopReplica();
    try {
      const degraded = await eventually('B to see the replica down', async () => {
        const r = await readyz(b);
        return r.body.checks.replica1?.startsWith('down') && r;
      });
      expect(degraded.status).toBe(200);
      expect(degraded.body.status).toBe('degraded');
      for (let n = 1; n <= 5; n++) expect((await post(b, `query($n: Int) { people(first: $n) { nodes { key } } }`, { n }, me)).body.data.people.nodes.length).toBeGreaterThan(0);
    } finally {
      await startReplica();
    }
    await eventually('B to see the replica again', async () => (await readyz(b)).body.checks.replica1 === 'ok', 20_000, 100);
  });
});
