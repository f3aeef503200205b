import { createLogger, createToken, loadConfig, startServer, type RunningServer } from '../../src/index';
import { backend, startTestServer, testDatabaseUrl, TEST_CONNECT_TIMEOUT_MS } from '../support/test-database';

type Answer = { status: number; cache: string | null; body: string; json: { data?: Record<string, any>; errors?: { extensions?: { code?: string } }[] } }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function ask(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.text();
  return { status: response.status, cache: response.headers.get('x-jointly-cache'), body, json: JSON.parse(body) as Answer['json'] };
}

const TITLES = `query Titles { statements(first: 3, orderBy: DATE_DESC) { nodes { key title version } } }`;

describe('the response cache (public read queries, dropped on every write)', () => {
  let server: RunningServer;
  let editor: string;

  beforeAll(async () => {
    server = await startTestServer();
    editor = (await createToken(server.database.dataSource.manager, 'cache-editor', 'editor')).token;
  });
  afterAll(() => server?.stop());

  it('keys on the variables the operation declares: unused variables neither split the cache nor fill it', async () => {
    const query = `query Few($n: Int!) { statements(first: $n, orderBy: DATE_ASC) { nodes { key } } }`;
    const first = await ask(server.url, query, { n: 2, unused: 'a' });
    expect(first.cache).toBe('miss');
    const again = await ask(server.url, query, { n: 2, unused: 'b', more: [1, 2, 3] });
    expect(again.cache).toBe('hit');
    expect(again.body).toBe(first.body);
    expect((await ask(server.url, query, { n: 3 })).cache).toBe('miss');
    // Twelve requests with a ~3 MB unused variable: answered, never stored, and the cache keeps its answers.
    const huge = 'x'.repeat(3_000_000);
    for (let i = 0; i < 12; i++) {
      const answer = await ask(server.url, `query Big${i} { statements(first: 1) { totalCount } }`, { unused: `${i}${huge}` });
      expect(answer.json.errors).toBeUndefined();
      expect(answer.cache).toBeNull();
    }
    expect((await ask(server.url, query, { n: 2 })).cache).toBe('hit');
    // Over 64 KB of request is not cached, even with every variable used.
    const long = `query Long($t: String) { statements(first: 1, filter: { topic: $t }) { totalCount } }`;
    expect((await ask(server.url, long, { t: 'y'.repeat(70_000) })).cache).toBeNull();
    expect((await ask(server.url, long, { t: 'y'.repeat(70_000) })).cache).toBeNull();
  });

  it('answers a GET from the cache by the same rule', async () => {
    const search = (variables: unknown) =>
      `?${new URLSearchParams({ query: 'query G($n: Int!) { statements(first: $n) { nodes { key } } }', variables: JSON.stringify(variables) }).toString()}`;
    const get = (variables: unknown) => fetch(`${server.url}${search(variables)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect((await get({ n: 1, x: 1 })).headers.get('x-jointly-cache')).toBe('miss');
    expect((await get({ n: 1, x: 2 })).headers.get('x-jointly-cache')).toBe('hit');
  });

  it('answers a repeated query from memory: the same bytes, and no SQL', async () => {
    const first = await ask(server.url, TITLES);
    expect(first.json.errors).toBeUndefined();
    expect(first.cache).toBe('miss');
    const before = server.database.sql.total;
    const second = await ask(server.url, TITLES);
    expect(second.cache).toBe('hit');
    expect(second.body).toBe(first.body);
    expect(server.database.sql.total).toBe(before);
    // Other variables are another question.
    const other = await ask(server.url, `query One($n: Int!) { statements(first: $n) { nodes { key } } }`, { n: 1 });
    expect(other.cache).toBe('miss');
  });

  it('drops everything when a mutation commits: the next read sees the change', async () => {
    const before = await ask(server.url, TITLES);
    const target = before.json.data!.statements.nodes[0] as { key: string; title: string; version: number };
    const updated = await ask(
      server.url,
      `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { statement { title } errors { code } } }`,
      { input: { id: target.key, expectedVersion: target.version, title: `${target.title} (revised)` } },
      editor,
    );
    expect(updated.json.data!.updateStatement).toEqual({ statement: { title: `${target.title} (revised)` }, errors: [] });
    const after = await ask(server.url, TITLES);
    expect(after.cache).toBe('miss');
    expect(after.json.data!.statements.nodes[0]).toMatchObject({ key: target.key, title: `${target.title} (revised)`, version: target.version + 1 });
  });

  it('never caches errors, mutations or requests that carry credentials', async () => {
    const bad = `query Bad { statements(first: 500) { totalCount } }`;
    expect((await ask(server.url, bad)).cache).toBeNull();
    const again = await ask(server.url, bad);
    expect(again.cache).toBeNull();
    expect(again.json.errors?.[0]?.extensions?.code).toBeDefined();
    const withToken = await ask(server.url, TITLES, {}, editor);
    expect(withToken.cache).toBeNull();
    expect(withToken.json.data).toEqual((await ask(server.url, TITLES)).json.data);
  });

  it('reports hits and misses on /metrics', async () => {
    const text = await (await fetch(`${new URL(server.url).origin}/metrics`)).text();
    expect(Number(/^jointly_response_cache_lookups_total\{result="hit"\} (\d+)/m.exec(text)?.[1])).toBeGreaterThanOrEqual(3);
    expect(Number(/^jointly_response_cache_lookups_total\{result="miss"\} (\d+)/m.exec(text)?.[1])).toBeGreaterThanOrEqual(3);
    expect(Number(/^jointly_response_cache_bytes (\d+)/m.exec(text)?.[1])).toBeGreaterThan(0);
  });
});

describe('JOINTLY_RESPONSE_CACHE_MB=0', () => {
  it('turns the cache off: every read runs its SQL', async () => {
    const server = await startServer(
      loadConfig({ DATABASE_URL: await testDatabaseUrl(), PORT: '0', JOINTLY_DB_CONNECT_TIMEOUT_MS: TEST_CONNECT_TIMEOUT_MS, JOINTLY_DB_POOL_SIZE: backend === 'embedded' ? '1' : '2', JOINTLY_RESPONSE_CACHE_MB: '0' }),
      createLogger({ level: 'silent' }),
    );
    try {
      await ask(server.url, TITLES);
      const before = server.database.sql.total;
      const second = await ask(server.url, TITLES);
      expect(second.cache).toBeNull();
      expect(server.database.sql.total).toBeGreaterThan(before);
    } finally {
      await server.stop();
    }
  });
});

/**
 * PostgreSQL: the feed LISTENs on a connection of its own. On the embedded test backend the servers
 * of the test files share a PGlite served by another process (one session: a notification goes to
 * the connection that committed), so a server there cannot hear others' commits; the embedded
 * database served by the server itself is shown to in test/faults/embedded.fault-spec.ts.
 */
const onPostgres = backend === 'postgres' ? describe : () => undefined;
onPostgres('SQL outside the API', () => {
  it('drops everything when SQL outside the API commits (here through the server’s own pool): the change feed says so', async () => {
    const server = await startTestServer();
    try {
      const before = await ask(server.url, TITLES);
      const { key } = before.json.data!.statements.nodes[1] as { key: string };
      expect((await ask(server.url, TITLES)).cache).toBe('hit');
      await server.database.dataSource.query(`UPDATE "statement" SET "title" = 'Changed by SQL' WHERE "key" = $1`, [key]);
      // Not from the SQL text: the commit's notification arrives through the feed, soon after.
      let after = await ask(server.url, TITLES);
      for (const deadline = Date.now() + 5000; after.cache === 'hit' && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        after = await ask(server.url, TITLES);
      }
      expect(after.cache).toBe('miss');
      expect(after.json.data!.statements.nodes[1]).toMatchObject({ key, title: 'Changed by SQL' });
    } finally {
      await server.stop();
    }
  });
});
