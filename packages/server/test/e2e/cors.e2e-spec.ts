import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { createToken, loadConfig, type Logger, type RunningServer } from '../../src/index';
import { launchTestBrowser, type TestBrowser } from '../support/browser';
import { capturingLogger, startTestServer } from '../support/test-database';

const QUERY = JSON.stringify({ query: '{ statements(first: 1) { totalCount } }' });

/** A test server with JOINTLY_CORS_ORIGINS set to `origins` (unset when undefined). */
function start(origins: string | undefined, logger?: Logger): Promise<RunningServer> {
  return startTestServer({ env: origins === undefined ? {} : { JOINTLY_CORS_ORIGINS: origins }, logger });
}

/** A preflight as a browser sends it. */
function preflight(url: string, origin: string, requestHeaders = 'content-type'): Promise<Response> {
  return fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders } });
}

const corsHeaders = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'));

describe('cross-origin requests (JOINTLY_CORS_ORIGINS)', () => {
  /** The second origin's pages: http://127.0.0.1:<pagePort> (listed below) and http://localhost:<pagePort> (not listed). */
  let pages: http.Server;
  let pagePort: number;
  let listedOrigin: string;
  let otherOrigin: string;
  /** Three servers: CORS off (the default), `*` plus the listed origin, and the listed origin alone. */
  let off: RunningServer;
  let open: RunningServer;
  let listedOnly: RunningServer;
  const openLog = capturingLogger();

  beforeAll(async () => {
    pages = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>another origin</title><p>a page on another origin</p>');
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    pagePort = (pages.address() as AddressInfo).port;
    listedOrigin = `http://127.0.0.1:${pagePort}`;
    otherOrigin = `http://localhost:${pagePort}`;
    off = await start(undefined);
    open = await start(`*, ${listedOrigin}`, openLog.logger);
    listedOnly = await start(listedOrigin.toUpperCase());
  });
  afterAll(async () => {
    await Promise.all([off?.stop(), open?.stop(), listedOnly?.stop()]);
    await new Promise((resolve) => pages.close(resolve));
  });

  describe('the setting', () => {
    it('is off by default; takes * and exact origins (normalised to lower case), and names itself when wrong', () => {
      expect(loadConfig({}).cors).toEqual({ anyOrigin: false, origins: [] });
      expect(loadConfig({ JOINTLY_CORS_ORIGINS: ' ' }).cors).toEqual({ anyOrigin: false, origins: [] });
      expect(loadConfig({ JOINTLY_CORS_ORIGINS: '*' }).cors).toEqual({ anyOrigin: true, origins: [] });
      expect(loadConfig({ JOINTLY_CORS_ORIGINS: 'https://A.org, http://127.0.0.1:8080,*,https://a.org' }).cors).toEqual({
        anyOrigin: true,
        origins: ['https://a.org', 'http://127.0.0.1:8080'],
      });
      for (const [value, message] of [
        ['https://a.org/', 'write it as https://a.org'],
        ['https://a.org/curate', 'write it as https://a.org'],
        ['https://a.org:443', 'write it as https://a.org'],
        ['https://user@a.org', 'write it as https://a.org'],
        ['a.org', 'is not an http:// or https:// origin'],
        ['ftp://a.org', 'is not an http:// or https:// origin'],
        ['null', 'is not an http:// or https:// origin'],
        ['https://a.org,,https://b.org', 'has an empty entry'],
      ]) {
        expect(() => loadConfig({ JOINTLY_CORS_ORIGINS: value })).toThrow(new RegExp(`^JOINTLY_CORS_ORIGINS.*${message!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      }
    });
  });

  describe('over HTTP', () => {
    it('off: no CORS header on any answer, and a preflight is refused with 403 (not sent to Apollo)', async () => {
      const answer = await fetch(off.url, { method: 'POST', headers: { origin: listedOrigin, 'content-type': 'application/json' }, body: QUERY });
      expect(answer.status).toBe(200);
      expect(corsHeaders(answer)).toEqual({ vary: 'Accept' });
      const refused = await preflight(off.url, listedOrigin);
      expect(refused.status).toBe(403);
      expect(corsHeaders(refused)).toEqual({});
      expect(await refused.text()).toBe('');
    });

    it('a listed origin: echoed with credentials, every header the SDK and GraphiQL send allowed, the client’s headers exposed', async () => {
      for (const server of [open, listedOnly]) {
        const answer = await preflight(server.url, listedOrigin, 'content-type, authorization, apollo-require-preflight, x-request-id');
        expect(answer.status).toBe(204);
        expect(await answer.text()).toBe('');
        expect(corsHeaders(answer)).toEqual({
          'access-control-allow-origin': listedOrigin,
          'access-control-allow-credentials': 'true',
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': 'accept, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id, jointly-wal-position, authorization',
          'access-control-max-age': '600',
          vary: 'Origin',
        });
        const post = await fetch(server.url, { method: 'POST', headers: { origin: listedOrigin, 'content-type': 'application/json' }, body: QUERY });
        expect(post.status).toBe(200);
        expect(corsHeaders(post)).toEqual({
          'access-control-allow-origin': listedOrigin,
          'access-control-allow-credentials': 'true',
          'access-control-expose-headers': 'x-request-id, x-jointly-cache, retry-after, jointly-wal-position',
          vary: 'Origin, Accept',
        });
      }
    });

    it('`*`: any other origin reads, without credentials and without the authorization header', async () => {
      const answer = await preflight(open.url, otherOrigin);
      expect(answer.status).toBe(204);
      expect(corsHeaders(answer)).toEqual({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'accept, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id, jointly-wal-position',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
      const post = await fetch(open.url, { method: 'POST', headers: { origin: otherOrigin, 'content-type': 'application/json' }, body: QUERY });
      expect(corsHeaders(post)).toEqual({ 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-request-id, x-jointly-cache, retry-after, jointly-wal-position', vary: 'Origin, Accept' });
    });

    it('an origin that is not listed (and no `*`): 403 to its preflight, no CORS header on its answers', async () => {
      const refused = await preflight(listedOnly.url, otherOrigin);
      expect(refused.status).toBe(403);
      expect(corsHeaders(refused)).toEqual({ vary: 'Origin' });
      const post = await fetch(listedOnly.url, { method: 'POST', headers: { origin: otherOrigin, 'content-type': 'application/json' }, body: QUERY });
      expect(post.status).toBe(200);
      expect(corsHeaders(post)).toEqual({ vary: 'Origin, Accept' });
    });

    it('an OPTIONS that is no preflight gets 204 with Allow; a body sent with one is not read', async () => {
      const plain = await fetch(open.url, { method: 'OPTIONS' });
      expect(plain.status).toBe(204);
      expect(plain.headers.get('allow')).toBe('GET, POST, OPTIONS');
      const withBody = await fetch(open.url, { method: 'OPTIONS', headers: { origin: listedOrigin, 'access-control-request-method': 'POST' }, body: 'x'.repeat(100_000) });
      expect(withBody.status).toBe(204);
      expect(withBody.headers.get('connection')).toBe('close');
    });

    it('keeps the response cache right: one cached body, the CORS headers of each request', async () => {
      const query = JSON.stringify({ query: '{ statements(first: 2) { nodes { key } } }' });
      const ask = (origin?: string) => fetch(open.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(origin && { origin }) }, body: query });
      const first = await ask(listedOrigin);
      const second = await ask(otherOrigin);
      const third = await ask();
      expect([first, second, third].map((r) => r.headers.get('x-jointly-cache'))).toEqual(['miss', 'hit', 'hit']);
      expect([first, second, third].map((r) => [r.headers.get('access-control-allow-origin'), r.headers.get('access-control-allow-credentials'), r.headers.get('vary')])).toEqual([
        [listedOrigin, 'true', 'Origin, Accept'],
        ['*', null, 'Origin, Accept'],
        ['*', null, 'Origin, Accept'],
      ]);
      const bodies = await Promise.all([first, second, third].map((r) => r.text()));
      expect(new Set(bodies).size).toBe(1);
    });

    it('does not count a preflight as a GraphQL request: logged at debug, no GraphQL metric', async () => {
      const graphqlCount = async () => {
        const text = await (await fetch(`${new URL(open.url).origin}/metrics`)).text();
        return [...text.matchAll(/^jointly_graphql_request_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
      };
      const before = await graphqlCount();
      const answer = await fetch(open.url, { method: 'OPTIONS', headers: { origin: listedOrigin, 'access-control-request-method': 'POST', 'x-request-id': 'cors-preflight-1' } });
      expect(answer.status).toBe(204);
      expect(await graphqlCount()).toBe(before);
      expect(openLog.records().filter((line) => line.reqId === 'cors-preflight-1')).toEqual([
        expect.objectContaining({ level: 'debug', msg: 'request', method: 'OPTIONS', path: '/graphql', status: 204, sql: 0 }),
      ]);
    });
  });

  describe('in headless Chromium, from a page on another origin', () => {
    let browser: TestBrowser;
    let token: string;

    beforeAll(async () => {
      browser = await launchTestBrowser();
      token = (await createToken(open.database.dataSource.manager, 'cors-curator', 'editor')).token;
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    type Outcome = { status: number; body: Record<string, unknown>; requestId: string | null; cache: string | null } | { error: string };

    /** A page on `origin` posts JSON (a preflighted request) to `url`, as a page's own script would. */
    async function fetchFrom(origin: string, url: string, body: string, init: { headers?: Record<string, string>; credentials?: 'omit' | 'same-origin' | 'include' } = {}): Promise<Outcome> {
      const page: Page = await browser.context.newPage();
      try {
        await page.goto(`${origin}/`);
        return await page.evaluate(
          async ({ url, body, headers, credentials }) => {
            try {
              const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, credentials });
              return { status: response.status, body: (await response.json()) as Record<string, unknown>, requestId: response.headers.get('x-request-id'), cache: response.headers.get('x-jointly-cache') };
            } catch (error) {
              return { error: `${(error as Error).name}: ${(error as Error).message}` };
            }
          },
          { url, body, headers: init.headers ?? {}, credentials: init.credentials ?? 'same-origin' },
        );
      } finally {
        await page.close();
      }
    }

    it('a listed origin reads (cookies included) and writes with a bearer token', async () => {
      const read = await fetchFrom(listedOrigin, open.url, QUERY, { credentials: 'include' });
      expect(read).toMatchObject({ status: 200, body: { data: { statements: { totalCount: 11 } } } });
      expect('requestId' in read && read.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect('cache' in read && read.cache).toMatch(/^(hit|miss)$/);

      const create = JSON.stringify({
        query: 'mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { key } errors { code } } }',
        variables: { input: { key: 'cors-curated-person', name: 'Curated Across Origins' } },
      });
      const write = await fetchFrom(listedOrigin, open.url, create, { headers: { authorization: `Bearer ${token}` } });
      expect(write).toMatchObject({ status: 200, body: { data: { createPerson: { person: { key: 'cors-curated-person' }, errors: [] } } } });
    });

    it('with `*`, another origin reads; with credentials, or an Authorization header, the browser refuses', async () => {
      expect(await fetchFrom(otherOrigin, open.url, QUERY)).toMatchObject({ status: 200, body: { data: { statements: { totalCount: 11 } } } });
      expect(await fetchFrom(otherOrigin, open.url, QUERY, { credentials: 'include' })).toEqual({ error: 'TypeError: Failed to fetch' });
      const create = JSON.stringify({ query: 'mutation { deletePerson(input: { id: "cors-curated-person" }) { errors { code } } }' });
      expect(await fetchFrom(otherOrigin, open.url, create, { headers: { authorization: `Bearer ${token}` } })).toEqual({ error: 'TypeError: Failed to fetch' });
    });

    it('with JOINTLY_CORS_ORIGINS unset, or an origin not listed, the fetch fails in the page', async () => {
      expect(await fetchFrom(listedOrigin, off.url, QUERY)).toEqual({ error: 'TypeError: Failed to fetch' });
      expect(await fetchFrom(otherOrigin, listedOnly.url, QUERY)).toEqual({ error: 'TypeError: Failed to fetch' });
      // The same page, listed, is let in: what failed is the origin.
      expect(await fetchFrom(listedOrigin, listedOnly.url, QUERY)).toMatchObject({ status: 200 });
    });
  });
});
