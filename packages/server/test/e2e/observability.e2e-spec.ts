import { createLogger, loadConfig, startServer, type RunningServer } from '../../src/index';
import { backend, capturingLogger, testDatabaseUrl, TEST_CONNECT_TIMEOUT_MS } from '../support/test-database';

const POOL_SIZE = backend === 'embedded' ? 1 : 2;

describe('observability: request logs, /metrics, /healthz and /readyz', () => {
  let server: RunningServer;
  let origin: string;
  const log = capturingLogger();

  beforeAll(async () => {
    server = await startServer(loadConfig({ DATABASE_URL: await testDatabaseUrl(), PORT: '0', JOINTLY_DB_CONNECT_TIMEOUT_MS: TEST_CONNECT_TIMEOUT_MS, JOINTLY_DB_POOL_SIZE: String(POOL_SIZE) }), log.logger);
    origin = new URL(server.url).origin;
  });
  afterAll(() => server?.stop());

  async function post(body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true', ...headers },
      body: JSON.stringify(body),
    });
    return { response, json: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
  }

  const requestLines = (reqId: string) => log.records().filter((r) => r.msg === 'request' && r.reqId === reqId);

  it('logs each GraphQL request once: request id, operation, status, duration, SQL count — never the token or the variables', async () => {
    const secretToken = 'jtk_do_not_log_this_0123456789';
    const { response, json } = await post(
      { query: 'query LatestStatements($n: Int!) { statements(first: $n) { edges { node { title signatures(first: 3) { edges { node { signatory { name } } } } } } } }', variables: { n: 3, marker: 'hunter2-variable-value' } },
      { 'x-request-id': 'obs-test-1', authorization: `Bearer ${secretToken}` },
    );
    expect(json.errors).toBeUndefined();
    expect(response.headers.get('x-request-id')).toBe('obs-test-1');
    const [line, ...more] = requestLines('obs-test-1');
    expect(more).toHaveLength(0);
    expect(line).toMatchObject({ level: 'info', method: 'POST', path: '/graphql', status: 200, operation: 'LatestStatements', operationType: 'query', service: 'jointly' });
    // A nested read is one SQL statement (the read engine), whatever its depth.
    expect(line!.sql).toBe(1);
    expect(typeof line!.durationMs).toBe('number');
    expect(typeof line!.time).toBe('string');
    expect(line!.errors).toBeUndefined();
    const everything = log.lines.join('\n');
    expect(everything).not.toContain(secretToken);
    expect(everything).not.toContain('hunter2-variable-value');
  });

  it('logs the error codes a response carried, and answers with a fresh request id when the caller sends none (or a bad one)', async () => {
    const { response, json } = await post({ query: 'query Bad { statements(first: 500) { totalCount } }' }, { 'x-request-id': 'bad id with spaces' });
    const id = response.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const codes = (json.errors ?? []).map((e) => e.extensions?.code);
    expect(codes.length).toBeGreaterThan(0);
    const [line] = requestLines(id);
    expect(line).toMatchObject({ operation: 'Bad', errors: codes });
  });

  it('counts requests by operation, errors by code, SQL statements and the pool on /metrics', async () => {
    await post({ query: 'query Tally { statements(first: 1) { totalCount } }' });
    await post({ query: 'query Tally { statements(first: 1) { totalCount } }' });
    await post({ query: 'query Broken { statements(first: 1) { nope } }' });
    await post({ query: 'query Refused { statements(first: 101) { totalCount } }' });
    await post({ query: 'query Types { __schema { queryType { name } } }' });
    const response = await fetch(`${origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
    expect(value(/^jointly_graphql_request_duration_seconds_count\{operation="Tally",type="query"\} (\d+)/m)).toBe(2);
    expect(value(/^jointly_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    expect(value(/^jointly_sql_statements_total (\d+)/m)).toBe(server.database.sql.total);
    expect(value(/^jointly_db_pool_connections\{state="max"\} (\d+)/m)).toBe(POOL_SIZE);
    expect(value(/^jointly_db_pool_connections\{state="open"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    expect(value(/^jointly_http_requests_total\{route="\/graphql",status="200"\} (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(value(/^process_resident_memory_bytes (\d+)/m)).toBeGreaterThan(10_000_000);
    // Tally was answered by the read engine's one SQL statement, and so was Refused's refusal (first
    // over 100); the introspection of Types by the resolvers (the invalid Broken never reaches
    // execution).
    expect(value(/^jointly_read_operations_total\{engine="planned",reason=""\} (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(value(/^jointly_read_operations_total\{engine="planned",reason="refused"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    expect(value(/^jointly_read_operations_total\{engine="resolvers",reason="Query.__schema"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
  });

  it('/healthz says the process is alive; /readyz checks the database and that every migration is applied', async () => {
    expect(await (await fetch(`${origin}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', changeFeed: 'ok' } });

    const em = server.database.dataSource.manager;
    const [last] = (await em.query('SELECT "id", "timestamp", "name" FROM "migration" ORDER BY "id" DESC LIMIT 1')) as { id: number; timestamp: string; name: string }[];
    await em.query('DELETE FROM "migration" WHERE "id" = $1', [last!.id]);
    try {
      const pending = await fetch(`${origin}/readyz`);
      expect(pending.status).toBe(503);
      expect(await pending.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', migrations: `pending: ${last!.name}`, changeFeed: 'ok' } });
    } finally {
      await em.query('INSERT INTO "migration" ("id", "timestamp", "name") VALUES ($1, $2, $3)', [last!.id, last!.timestamp, last!.name]);
    }
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
  });

  it('logs probes at debug level only, and answers unknown paths with 404', async () => {
    await fetch(`${origin}/healthz`, { headers: { 'x-request-id': 'probe-1' } });
    expect(requestLines('probe-1')).toEqual([expect.objectContaining({ level: 'debug', path: '/healthz', status: 200 })]);
    expect((await fetch(`${origin}/nowhere`)).status).toBe(404);
  });
});

describe('metrics can be switched off', () => {
  it('JOINTLY_METRICS=false: /metrics is 404', async () => {
    const server = await startServer(
      loadConfig({ DATABASE_URL: await testDatabaseUrl(), PORT: '0', JOINTLY_DB_CONNECT_TIMEOUT_MS: TEST_CONNECT_TIMEOUT_MS, JOINTLY_DB_POOL_SIZE: String(POOL_SIZE), JOINTLY_METRICS: 'false' }),
      createLogger({ level: 'silent' }),
    );
    try {
      expect((await fetch(`${new URL(server.url).origin}/metrics`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
