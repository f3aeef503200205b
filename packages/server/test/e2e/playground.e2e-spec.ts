import http from 'node:http';
import type { BrowserContext } from 'playwright-core';
import { loadConfig, startServer, type RunningServer } from '../../src/index';
import { DEFAULT_QUERY, EXAMPLE_TABS } from '../../src/playground/examples';
import { launchTestBrowser, type TestBrowser } from '../support/browser';
import { backend, graphql, quiet, startTestServer, testDatabaseUrl, TEST_CONNECT_TIMEOUT_MS } from '../support/test-database';

const ASSETS = ['graphiql.min.css', 'graphiql.min.js', 'react-dom.production.min.js', 'react.production.min.js'];
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

/** A request with the path exactly as written (fetch would resolve `..` before sending it). */
function rawGet(origin: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the playground (GraphiQL served offline by the server)', () => {
  let server: RunningServer;
  let origin: string;
  beforeAll(async () => {
    server = await startTestServer();
    origin = new URL(server.url).origin;
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('over HTTP', () => {
    it('is on by default and turned off by JOINTLY_PLAYGROUND=false', () => {
      expect(loadConfig({}).playground).toBe(true);
      expect(loadConfig({ JOINTLY_PLAYGROUND: 'false' }).playground).toBe(false);
      expect(() => loadConfig({ JOINTLY_PLAYGROUND: 'maybe' })).toThrow(/JOINTLY_PLAYGROUND/);
    });

    it('GET /playground: an HTML page with no external URL, a strict policy, and the four assets', async () => {
      const response = await fetch(`${origin}/playground`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe');
      const body = await response.text();
      expect(body).not.toMatch(/https?:\/\//);
      expect(body).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}/i); // no protocol-relative URL either
      const assets = [...body.matchAll(/"\/playground\/assets\/([^"?]+)(?:\?[^"]*)?"/g)].map((m) => m[1]);
      expect(assets.sort()).toEqual(ASSETS);
      expect(body).toContain('src="/playground/mount.js');
    });

    it.each([
      ['graphiql.min.js', 'text/javascript; charset=utf-8', 'GraphiQL'],
      ['graphiql.min.css', 'text/css; charset=utf-8', '.graphiql-container'],
      ['react.production.min.js', 'text/javascript; charset=utf-8', 'React'],
      ['react-dom.production.min.js', 'text/javascript; charset=utf-8', 'ReactDOM'],
    ])('serves the asset %s as %s, cached for long', async (name, contentType, marker) => {
      const response = await fetch(`${origin}/playground/assets/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(contentType);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toContain(marker);
    });

    it('revalidates with ETags, compresses when asked, and answers HEAD without a body', async () => {
      const url = `${origin}/playground/assets/graphiql.min.js`;
      const first = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
      expect(first.headers.get('content-encoding')).toBe('gzip');
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[^"]+"$/);
      await first.arrayBuffer();
      const again = await fetch(url, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
      expect(again.status).toBe(304);
      const plain = await rawGet(origin, '/playground/assets/react.production.min.js');
      expect(plain.body).toContain('React');
      const head = await fetch(`${origin}/playground`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      const post = await fetch(`${origin}/playground`, { method: 'POST', body: '{}' });
      expect(post.status).toBe(405);
    });

    it('serves the mount script, which posts to /graphql and preloads the example tabs', async () => {
      const response = await fetch(`${origin}/playground/mount.js`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      const script = await response.text();
      expect(script).toContain("fetch('/graphql'");
      expect(script).toContain('"isHeadersEditorEnabled":true');
      expect(script).toContain('"shouldPersistHeaders":false');
      expect(script).toContain('compareStatements(a: \\"unga75-c3-xinjiang-germany\\"');
      expect(script).not.toMatch(/https?:\/\//);
    });

    it.each([
      '/playground/assets/nope.js',
      '/playground/assets/graphiql.js', // in the package, but not one of the four
      '/playground/assets/../package.json',
      '/playground/assets/..%2fpackage.json',
      '/playground/assets/%2e%2e/%2e%2e/package.json',
      '/playground/assets/../../../../package.json',
      '/playground/assets/constructor',
      '/playground/assets/',
      '/playground/nope',
    ])('404 for %s', async (rawPath) => {
      const { status, body } = await rawGet(origin, rawPath);
      expect(status).toBe(404);
      expect(body).not.toContain('"version"');
    });

    it('answers a browser opening GET /graphql with the page', async () => {
      const response = await fetch(server.url, { headers: { accept: BROWSER_ACCEPT } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('vary')).toContain('Accept');
      expect(await response.text()).toBe(await (await fetch(`${origin}/playground`)).text());
    });

    it('sends a browser opening / to the playground; API clients get the JSON 404', async () => {
      const browser = await fetch(`${origin}/`, { headers: { accept: BROWSER_ACCEPT }, redirect: 'manual' });
      expect(browser.status).toBe(302);
      expect(browser.headers.get('location')).toBe('/playground');
      expect(browser.headers.get('vary')).toBe('Accept');
      for (const accept of ['*/*', 'application/json']) {
        const client = await fetch(`${origin}/`, { headers: { accept }, redirect: 'manual' });
        expect({ accept, status: client.status, body: (await client.json()) as unknown }).toEqual({ accept, status: 404, body: { error: 'nothing at /; the GraphQL endpoint is /graphql' } });
      }
      expect((await fetch(`${origin}/`, { method: 'POST', headers: { accept: BROWSER_ACCEPT }, redirect: 'manual' })).status).toBe(404);
    });

    it('leaves GraphQL over GET and POST to Apollo, CSRF prevention included', async () => {
      const query = encodeURIComponent('{__typename}');
      const get = await fetch(`${server.url}?query=${query}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
      expect(get.status).toBe(200);
      expect(get.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await get.json()).toEqual({ data: { __typename: 'Query' } });

      // A browser's GET with a query, without the preflight header: Apollo's CSRF refusal, not the page.
      const simple = await fetch(`${server.url}?query=${query}`, { headers: { accept: BROWSER_ACCEPT } });
      expect(simple.status).toBe(400);
      expect(((await simple.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/CSRF/);

      // Not a browser: no page.
      const curl = await fetch(server.url, { headers: { accept: '*/*' } });
      expect(curl.headers.get('content-type')).not.toMatch(/text\/html/);

      const post = await graphql<{ __typename: string }>(server.url, '{ __typename }');
      expect(post.data).toEqual({ __typename: 'Query' });
    });

    it.each([...EXAMPLE_TABS.map((tab) => tab.query), DEFAULT_QUERY].map((query, i) => [i, query] as const))(
      'example tab %i runs against the sample data without errors',
      async (_i, query) => {
        const { status, data, errors } = await graphql(server.url, query);
        expect(errors).toBeUndefined();
        expect(status).toBe(200);
        expect(Object.values(data!).every((value) => value !== null)).toBe(true);
      },
    );

    it('is not served when JOINTLY_PLAYGROUND=false: GET /graphql gets Apollo’s answer', async () => {
      const off = await startServer(
        loadConfig({ DATABASE_URL: await testDatabaseUrl(), PORT: '0', JOINTLY_DB_CONNECT_TIMEOUT_MS: TEST_CONNECT_TIMEOUT_MS, JOINTLY_DB_POOL_SIZE: backend === 'embedded' ? '1' : '2', JOINTLY_PLAYGROUND: 'false' }),
        quiet,
      );
      try {
        const offOrigin = new URL(off.url).origin;
        expect((await fetch(`${offOrigin}/playground`)).status).toBe(404);
        expect((await fetch(`${offOrigin}/playground/assets/graphiql.min.js`)).status).toBe(404);
        expect((await fetch(`${offOrigin}/`, { headers: { accept: BROWSER_ACCEPT }, redirect: 'manual' })).status).toBe(404);
        expect(off.playgroundUrl).toBeUndefined();
        const page = await fetch(off.url, { headers: { accept: BROWSER_ACCEPT } });
        expect(page.headers.get('content-type')).toMatch(/^application\/json/);
        expect(page.status).toBe(400); // the landing page is disabled: Apollo's CSRF prevention answers
        expect((await graphql<{ __typename: string }>(off.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
      } finally {
        await off.stop();
      }
    });
  });

  describe('in headless Chromium, with every request off this machine blocked', () => {
    let browser: TestBrowser;
    let context: BrowserContext;
    const blocked: string[] = [];
    const requested: string[] = [];
    const problems: string[] = [];

    /** Only the server on loopback; data: URLs (GraphiQL's inlined fonts and icons) are no network request. */
    const isLocal = (url: string) => {
      const u = new URL(url);
      return u.protocol === 'data:' || ((u.protocol === 'http:' || u.protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
    };

    beforeAll(async () => {
      browser = await launchTestBrowser();
      context = browser.context;
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (isLocal(url)) return route.continue();
        blocked.push(url);
        return route.abort();
      });
      context.on('request', (request) => requested.push(request.url()));
      // The page's policy violations and errors, reported through the console.
      await context.addInitScript(
        "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
      );
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('opens from the server’s address, runs the first example, shows the sample data with its list status, and opens the docs explorer', async () => {
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });

      await page.goto(`${origin}/`);
      expect(page.url()).toBe(`${origin}/playground`);
      expect(server.playgroundUrl).toBe(`${origin}/playground`);
      await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
      expect(await page.locator('.graphiql-tab-button').allTextContents()).toEqual(['XinjiangStatementsFrom2021', 'CompareTwoStatements', 'SearchUnfetteredAccess', 'TopicsForumsAndSessions']);

      await page.locator('button.graphiql-execute-button').click();
      const result = page.locator('section.result-window');
      await result.getByText('"unga76-c3-xinjiang-', { exact: false }).first().waitFor();
      // CodeMirror draws only the lines in view; the whole answer is in the editor.
      const answer = (await page.evaluate("document.querySelector('section.result-window .CodeMirror').CodeMirror.getValue()")) as string;
      type Node = { key: string; claimedSignatoryCount: number | null; listedSignatoryCount: number; listStatus: string | null; signatures: { nodes: { signatory: { iso3: string } | null }[] } };
      const json = JSON.parse(answer) as { errors?: unknown; data: { statements: { nodes: Node[] } } };
      expect(json.errors).toBeUndefined();
      const cuba = json.data.statements.nodes.find((n) => n.key === 'unga76-c3-xinjiang-cuba');
      expect(cuba?.signatures.nodes.map((s) => s.signatory?.iso3)).toContain('CUB');
      // "62" is a claim: next to it, how many the archived list names and that the list is partial.
      expect(cuba && { claimed: cuba.claimedSignatoryCount, listed: cuba.listedSignatoryCount, status: cuba.listStatus }).toEqual({ claimed: 62, listed: 1, status: 'PARTIAL' });
      // Shown in the result pane as the answer's text.
      await result.getByText('"listStatus": "PARTIAL"', { exact: false }).first().waitFor();
      expect(json.data.statements.nodes.map((n) => n.key)).toContain('unga76-c3-xinjiang-france');

      await page.locator('button[aria-label="Show Documentation Explorer"]').click();
      const docs = page.locator('.graphiql-doc-explorer');
      await docs.waitFor({ state: 'visible' });
      await docs.getByText('Query', { exact: true }).first().waitFor();
      await docs.getByText('Query', { exact: true }).first().click();
      await docs.getByText('compareStatements', { exact: true }).first().waitFor();

      await page.screenshot({ path: '/tmp/playground.png' });

      expect(blocked).toEqual([]);
      expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
      expect(problems).toEqual([]);

      // The guard works: a page that reaches off the machine is stopped and recorded.
      const other = await context.newPage();
      await other.goto('https://example.invalid/').catch(() => undefined);
      await other.close();
      expect(blocked).toEqual(['https://example.invalid/']);
    }, 60_000);
  });
});
