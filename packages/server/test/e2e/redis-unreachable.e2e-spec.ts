/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL responses, checked field by field by the assertions */
import type { RunningServer } from '../../src/index';
import { startTestServer } from '../support/test-database';

/**
 * Redis helps, it is never needed to answer: with JOINTLY_REDIS_URL pointing at nothing, the server
 * starts and serves, says `degraded`, counts the rate limit itself and caches nothing it could not
 * vouch for across instances.
 */
describe('JOINTLY_REDIS_URL that does not answer', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // Port 1: nothing listens there; the connection is refused at once.
    server = await startTestServer({ env: { JOINTLY_REDIS_URL: 'redis://127.0.0.1:1', JOINTLY_RATE_LIMIT_PER_MINUTE: '4', JOINTLY_TRUST_PROXY: 'true' } });
  });
  afterAll(() => server?.stop());

  const post = async (address: string) => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify({ query: '{ sources(first: 2) { nodes { key } } }' }) });
    return { status: response.status, cache: response.headers.get('x-jointly-cache'), body: (await response.json()) as any };
  };

  it('serves, and /readyz says degraded with Redis down', async () => {
    const ready = await fetch(new URL('/readyz', server.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { database: 'ok', redis: 'down' } });
  });

  it('counts the rate limit in this instance', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post('192.0.2.10')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    // Another address has its own count.
    expect((await post('192.0.2.11')).status).toBe(200);
  });

  it('answers every read from the database: nothing is kept that other instances could not drop', async () => {
    const first = await post('192.0.2.12');
    const second = await post('192.0.2.12');
    expect(first.body.data.sources.nodes.length).toBeGreaterThan(0);
    expect(second.body).toEqual(first.body);
    expect([first.cache, second.cache]).toEqual([null, null]);
  });
});
