import pg from 'pg';
import { createClient, isJointlyError } from '../../../client/src/index';
import type { RunningServer } from '../../src/index';
import { startTestServer, testDatabaseUrl } from '../support/test-database';

const HEADERS = { 'content-type': 'application/json', 'apollo-require-preflight': 'true', accept: 'application/graphql-response+json' };

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { ...HEADERS, ...headers }, body: JSON.stringify(body) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
}

const refs = (n: number) => Array.from({ length: n }, (_, i) => `state-${i}`);
const aliases = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');
/** 486 characters of `word or word or …`. */
const OR_SEARCH = Array.from({ length: 81 }, (_, i) => `w${String(i).padStart(2, '0')}`).join(' or ').slice(0, 486);

describe('what the database does, weighed before it runs', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function expectCostRefusal(body: unknown): Promise<void> {
    const before = server.database.sql.total;
    const { status, body: answer } = await post(server.url, body);
    expect(status).toBe(400);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 200_000 });
    expect(answer.errors?.[0]?.extensions?.measured).toBeGreaterThan(200_000);
    expect(server.database.sql.total).toBe(before);
  }

  it('refuses 30 aliases of signedBy with 90 references (a list within its bound of 100), before any SQL', async () => {
    const query = `query ($refs: [String!]) { ${aliases(30, 'statements(first: 1, filter: { signedBy: { any: $refs } }) { totalCount }')} }`;
    await expectCostRefusal({ query, variables: { refs: refs(90) } });
  });

  it('refuses 30 aliases of a 486-character OR search, before any SQL', async () => {
    expect(OR_SEARCH).toHaveLength(486);
    const query = `query ($q: String) { ${aliases(30, 'statements(first: 1, filter: { search: $q }) { totalCount }')} }`;
    await expectCostRefusal({ query, variables: { q: OR_SEARCH } });
  });

  it('answers the same filters at an ordinary size', async () => {
    const query = '{ a: statements(first: 1, filter: { signedBy: { all: ["France", "Germany"] } }) { totalCount } b: statements(first: 1, filter: { search: "Xinjiang or Uyghur" }) { totalCount } }';
    const { status, body } = await post(server.url, { query });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect((body.data as { a: { totalCount: number } }).a.totalCount).toBeGreaterThan(0);
    expect((body.data as { b: { totalCount: number } }).b.totalCount).toBeGreaterThan(0);
  });
});

describe("a read query's database-time budget", () => {
  let server: RunningServer;
  beforeAll(async () => {
    // A budget of 1 ms, and a cost limit out of the way: the budget alone stops the query.
    server = await startTestServer({ env: { JOINTLY_REQUEST_DB_BUDGET_MS: '1', JOINTLY_MAX_COST: '10000000' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses the statements after the budget is spent: QUERY_TOO_COMPLEX, limit databaseTime', async () => {
    // Five rounds of statements, one after the other (each level waits for the one above): the
    // introspection field sends the operation to graphql-js and its resolvers (the read engine would
    // answer the rest in one statement, which the budget bounds only through statement_timeout).
    const query = `{ __schema { queryType { name } } signatory(ref: "France") { signatures(first: 100) { nodes { statement { signatures(first: 100) { nodes { signatory {
      signatures(first: 100) { nodes { status } } } } } } } } } }`;
    const { status, body } = await post(server.url, { query });
    // Partial data, as for any field error.
    expect(status).toBe(200);
    const refusal = body.errors?.find((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX');
    expect(refusal?.extensions).toMatchObject({ limit: 'databaseTime', max: 1 });
    expect(refusal?.extensions?.measured).toBeGreaterThanOrEqual(1);
    expect(refusal?.message).toMatch(/ms of database time so far; at most 1 ms per request/);
  });
});

describe('expensive requests take turns per client address', () => {
  let server: RunningServer;
  let lock: pg.Client;
  beforeAll(async () => {
    const databaseUrl = await testDatabaseUrl();
    server = await startTestServer({
      databaseUrl,
      env: {
        // Every operation counts as expensive; one at a time per address, one in all; 300 ms in the queue.
        JOINTLY_EXPENSIVE_COST: '0',
        JOINTLY_EXPENSIVE_PER_ADDRESS: '1',
        JOINTLY_EXPENSIVE_TOTAL: '1',
        JOINTLY_EXPENSIVE_QUEUE_MS: '300',
        JOINTLY_TRUST_PROXY: 'true',
      },
    });
    lock = new pg.Client({ connectionString: databaseUrl });
    await lock.connect();
  });
  afterAll(async () => {
    await lock?.end();
    await server?.stop();
  });

  it('answers RATE_LIMITED (429) to the same address and DATABASE_BUSY (503) to another, with Retry-After, while one runs', async () => {
    // Hold the statement table so that the first request stays running.
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE statement IN ACCESS EXCLUSIVE MODE');
    const first = post(server.url, { query: '{ statements(first: 1) { totalCount } }' }, { 'x-forwarded-for': '203.0.113.7' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    try {
      const sameAddress = createClient({ url: server.url, headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' }, retry: false });
      const [same, other] = await Promise.all([
        sameAddress.request('{ statements(first: 1) { totalCount } }').then(
          () => undefined,
          (error: unknown) => error,
        ),
        post(server.url, { query: '{ statements(first: 2) { totalCount } }' }, { 'x-forwarded-for': '203.0.113.8' }),
      ]);
      expect(isJointlyError(same)).toBe(true);
      expect(same).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 1000 });
      expect(other.status).toBe(503);
      expect(other.retryAfter).toBe('1');
      expect(other.body.errors?.[0]?.extensions).toEqual({ code: 'DATABASE_BUSY', retryAfterSeconds: 1 });
    } finally {
      await lock.query('COMMIT');
    }
    const answered = await first;
    expect(answered.status).toBe(200);
    expect(answered.body.errors).toBeUndefined();
    // The turn was given back: the next request from that address runs.
    const next = await post(server.url, { query: '{ statements(first: 1) { totalCount } }' }, { 'x-forwarded-for': '203.0.113.7' });
    expect(next.status).toBe(200);
  });
});

describe('the connections one read query may hold', () => {
  let server: RunningServer;
  let lock: pg.Client;
  beforeAll(async () => {
    const databaseUrl = await testDatabaseUrl();
    server = await startTestServer({ databaseUrl, env: { JOINTLY_REQUEST_DB_CONNECTIONS: '1' } });
    lock = new pg.Client({ connectionString: databaseUrl });
    await lock.connect();
  });
  afterAll(async () => {
    await lock?.end();
    await server?.stop();
  });

  it('is one here: four aliases that would each take a connection wait for the one they have', async () => {
    const pool = (server.database.dataSource.driver as unknown as { master: pg.Pool }).master;
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE statement IN ACCESS EXCLUSIVE MODE');
    const answer = post(server.url, { query: `{ ${aliases(4, 'statements(first: 1) { totalCount }')} }` });
    await new Promise((resolve) => setTimeout(resolve, 300));
    try {
      // The test pool has 4 connections (1 on the embedded database): without the limit the four aliases hold four.
      expect(pool.totalCount - pool.idleCount).toBe(1);
    } finally {
      await lock.query('COMMIT');
    }
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(Object.keys(body.data ?? {})).toHaveLength(4);
  });
});
