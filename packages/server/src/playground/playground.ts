import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_QUERY, EXAMPLE_TABS } from './examples';

/**
 * An in-browser GraphiQL served by the server itself, with nothing fetched from elsewhere:
 * GraphiQL 4 and React 18 as UMD builds straight from node_modules, and a small mount script.
 *
 *   GET /playground                      the page (also GET /graphql from a browser that prefers HTML)
 *   GET /                                from a browser that prefers HTML: 302 to /playground
 *   GET /playground/mount.js             the script that mounts GraphiQL
 *   GET /playground/assets/<name>        one of the four files of ASSETS, nothing else
 */
export type PlaygroundHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

interface Asset {
  /** The package; its files are found from `<package>/package.json` (the packages export no such paths). */
  readonly pkg: string;
  readonly file: string;
  readonly contentType: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** The only files served under /playground/assets/: a name not here is a 404, so no path reaches the disk. */
const ASSETS: Readonly<Record<string, Asset>> = {
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', contentType: JS },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', contentType: CSS },
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', contentType: JS },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: JS },
};

const ASSET_PREFIX = '/playground/assets/';
const MOUNT_SCRIPT = '/playground/mount.js';

/** The page's only inline style; the policy allows it by its hash. */
const PAGE_STYLE = 'html, body { height: 100%; margin: 0; } #graphiql { height: 100vh; }';

/**
 * Everything from this origin only: no inline script and no eval (GraphiQL and React need
 * neither), no inline style but the page's own (GraphiQL and CodeMirror style elements through
 * the CSSOM, which the policy does not restrict); fonts and icons come inlined in GraphiQL's CSS
 * as data: URLs; GraphiQL's fetcher talks to /graphql. The one <style> element GraphiQL adds, the
 * scroll lock of its settings and shortcuts dialogs, is refused (a console message): the page
 * never scrolls, so nothing changes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' 'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Loaded {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
}

/** `<package dir>/<file>`, found through the package's package.json wherever npm put it. */
function assetPath(asset: Asset): string {
  return path.join(path.dirname(require.resolve(`${asset.pkg}/package.json`)), asset.file);
}

function parseAccept(accept: string): { type: string; subtype: string; q: number }[] {
  return accept.split(',').flatMap((part) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return [{ type, subtype, q: Number.isFinite(q) ? q : 0 }];
  });
}

/** The quality the Accept header gives a media type, from its most specific matching range. */
function quality(ranges: ReturnType<typeof parseAccept>, mediaType: string): { q: number; specificity: number } {
  const [type, subtype] = mediaType.split('/');
  let best = { q: 0, specificity: -1 };
  for (const r of ranges) {
    const specificity = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1;
    if (specificity > best.specificity) best = { q: r.q, specificity };
  }
  return best;
}

/**
 * Whether a request's Accept header prefers text/html to the JSON Apollo answers with, the way
 * Apollo Server decides to show a landing page: a browser's navigation does; a bare wildcard (curl,
 * fetch), a client's `application/json`, or a tie do not.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const html = quality(ranges, 'text/html');
  const json = ['application/json', 'application/graphql-response+json']
    .map((t) => quality(ranges, t))
    .reduce((a, b) => (b.q > a.q || (b.q === a.q && b.specificity > a.specificity) ? b : a));
  return html.q > 0 && (html.q > json.q || (html.q === json.q && html.specificity > json.specificity));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that can sit inside a <script> or HTML without closing it. */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function mountScript(): string {
  const options = {
    defaultTabs: EXAMPLE_TABS.map((tab) => ({ query: tab.query })),
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: '{}',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  };
  return `// Mounts GraphiQL (window.GraphiQL, window.React, window.ReactDOM from /playground/assets/).
(function () {
  'use strict';
  var options = ${safeJson(options)};
  // Posts JSON to /graphql (which passes Apollo's CSRF prevention) with the headers editor's headers.
  function fetcher(params, opts) {
    var headers = Object.assign(
      { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json;q=0.9' },
      (opts && opts.headers) || {}
    );
    return fetch('/graphql', { method: 'POST', headers: headers, body: JSON.stringify(params), credentials: 'omit' })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        try { return JSON.parse(text); } catch (e) { return { errors: [{ message: text }] }; }
      });
  }
  options.fetcher = fetcher;
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, options));
})();
`;
}

function page(versions: Record<string, string>): string {
  const asset = (name: string) => `${ASSET_PREFIX}${name}?v=${encodeURIComponent(versions[name] ?? '0')}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Jointly · GraphQL playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(asset('graphiql.min.css'))}">
<style>${PAGE_STYLE}</style>
</head>
<body>
<div id="graphiql"><noscript>The playground needs JavaScript. The GraphQL endpoint is POST /graphql.</noscript></div>
<script src="${escapeHtml(asset('react.production.min.js'))}"></script>
<script src="${escapeHtml(asset('react-dom.production.min.js'))}"></script>
<script src="${escapeHtml(asset('graphiql.min.js'))}"></script>
<script src="${MOUNT_SCRIPT}?v=${encodeURIComponent(versions['graphiql.min.js'] ?? '0')}"></script>
</body>
</html>
`;
}

function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

/** A body ready to send, with its gzip form and an ETag from its content. */
function load(body: Buffer): Loaded {
  return { body, gzipped: gzipSync(body), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/**
 * Sends a loaded body: gzip when accepted (with its own ETag), 304 on a matching If-None-Match,
 * no body for HEAD. `vary` names request headers besides Accept-Encoding that chose this answer.
 */
function sendLoaded(req: IncomingMessage, res: ServerResponse, loaded: Loaded, headers: Record<string, string>, vary: string[] = []): void {
  const gzip = acceptsGzip(req);
  const etag = gzip ? `${loaded.etag.slice(0, -1)}-gz"` : loaded.etag;
  const common = { ...headers, etag, vary: [...vary, 'Accept-Encoding'].join(', '), 'x-content-type-options': 'nosniff' };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, common).end();
    return;
  }
  const body = gzip ? loaded.gzipped : loaded.body;
  res.writeHead(200, { ...common, ...(gzip ? { 'content-encoding': 'gzip' } : {}), 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...extra });
  res.end(text);
}

/**
 * The playground's routes, for the HTTP server to try before anything else: answers (and returns
 * true) for /playground, /playground/*, a browser's GET /graphql without a `query` parameter, and a
 * browser's GET / (a redirect to /playground); returns false for everything else, GraphQL requests
 * included.
 */
export function playgroundHandler(): PlaygroundHandler {
  const versions: Record<string, string> = {};
  let pageCache: Loaded | undefined;
  let mountCache: Loaded | undefined;
  const assetCache = new Map<string, Promise<Loaded>>();

  const versionsOf = () => {
    for (const [name, asset] of Object.entries(ASSETS)) versions[name] ??= versionOf(asset.pkg);
    return versions;
  };
  const pageHeaders = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };

  /** On /graphql the page is one of two answers, chosen by the Accept header. */
  function servePage(req: IncomingMessage, res: ServerResponse, vary: string[] = []): void {
    pageCache ??= load(Buffer.from(page(versionsOf()), 'utf8'));
    sendLoaded(req, res, pageCache, pageHeaders, vary);
  }

  function serveMount(req: IncomingMessage, res: ServerResponse): void {
    mountCache ??= load(Buffer.from(mountScript(), 'utf8'));
    sendLoaded(req, res, mountCache, { 'content-type': JS, 'cache-control': 'no-cache' });
  }

  function serveAsset(req: IncomingMessage, res: ServerResponse, name: string): void {
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) {
      sendText(res, 404, `no playground asset ${JSON.stringify(name)}`);
      return;
    }
    let loading = assetCache.get(name);
    if (!loading) {
      loading = readFile(assetPath(asset)).then(load);
      assetCache.set(name, loading);
      loading.catch(() => assetCache.delete(name));
    }
    loading.then(
      (loaded) => sendLoaded(req, res, loaded, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=31536000, immutable' }),
      () => sendText(res, 500, `the playground asset ${name} cannot be read: is the ${asset.pkg} package installed?`),
    );
  }

  return (req, res, url) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const readOnly = method === 'GET' || method === 'HEAD';
    const { pathname } = url;

    if (pathname === '/') {
      // A browser opening the server's address lands on the playground; API clients get the JSON 404.
      if (!readOnly || !prefersHtml(req.headers.accept)) return false;
      res.writeHead(302, { location: '/playground', vary: 'Accept', 'cache-control': 'no-cache', 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : 'the playground is at /playground');
      return true;
    }
    if (pathname === '/graphql') {
      // GraphQL over GET carries a query parameter: that, and anything not from a browser, is Apollo's.
      if (!readOnly || url.searchParams.has('query') || !prefersHtml(req.headers.accept)) return false;
      servePage(req, res, ['Accept']);
      return true;
    }
    if (pathname !== '/playground' && !pathname.startsWith('/playground/')) return false;
    if (!readOnly) {
      sendText(res, 405, `${method} is not allowed here`, { allow: 'GET, HEAD' });
      return true;
    }
    if (pathname === '/playground' || pathname === '/playground/') servePage(req, res);
    else if (pathname === MOUNT_SCRIPT) serveMount(req, res);
    else if (pathname.startsWith(ASSET_PREFIX)) serveAsset(req, res, pathname.slice(ASSET_PREFIX.length));
    else sendText(res, 404, `nothing at ${pathname}; the playground is at /playground`);
    return true;
  };
}
