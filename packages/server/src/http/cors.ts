import type http from 'node:http';
import type { CorsConfig } from '../config/config';

/**
 * Cross-origin requests to /graphql (JOINTLY_CORS_ORIGINS):
 *
 * - nothing configured: no CORS header at all, so browsers keep pages of other origins out (same
 *   origin only); a preflight is refused with 403;
 * - `*`: any origin may read. `Access-Control-Allow-Origin: *` without credentials (browsers send no
 *   cookies then), and the `authorization` request header is not allowed either: a page on any origin
 *   reads, only a listed origin writes;
 * - exact origins: the origin is echoed with `Access-Control-Allow-Credentials: true` and the
 *   `authorization` header allowed, so a listed curation site can send a write token.
 *
 * Whenever the answer depends on the Origin header (exact origins are listed) responses carry
 * `Vary: Origin`, so that caches keep the answers apart; the response cache stores bodies, and these
 * headers are set per request.
 */

/** The methods /graphql answers. */
export const ALLOWED_METHODS = 'GET, POST, OPTIONS';

/** What a browser may send besides the safelisted headers: what the SDK, GraphiQL and Apollo Client send. */
const READ_HEADERS = ['accept', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id', 'jointly-wal-position'];
const WRITE_HEADERS = [...READ_HEADERS, 'authorization'];

/** Response headers a page may read besides the safelisted ones: the request id, the cache's answer, the SDK's Retry-After and a write's WAL position (read-your-writes). */
const EXPOSED_HEADERS = 'x-request-id, x-jointly-cache, retry-after, jointly-wal-position';

/** Seconds a browser may keep a preflight's answer (Chromium caps it at 7200). */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Adds names to the response's Vary header, keeping those already there. */
export function addVary(res: http.ServerResponse, ...names: string[]): void {
  const current = res.getHeader('vary');
  const present = String(current ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const missing = names.filter((name) => !present.some((p) => p.toLowerCase() === name.toLowerCase()));
  if (missing.length > 0) res.setHeader('vary', [...present, ...missing].join(', '));
}

type Grant = 'listed' | 'any' | undefined;

/** What the policy grants a request's Origin: `listed` (credentials, writes), `any` (reads), or nothing. */
function grantFor(cors: CorsConfig, origin: string | undefined): Grant {
  if (origin !== undefined && cors.origins.includes(origin.toLowerCase())) return 'listed';
  return cors.anyOrigin ? 'any' : undefined;
}

/** The headers that say which origin may read the response. */
function allowOrigin(res: http.ServerResponse, cors: CorsConfig, origin: string | undefined): Grant {
  if (cors.origins.length > 0) addVary(res, 'Origin');
  const grant = grantFor(cors, origin);
  if (grant === 'listed') {
    res.setHeader('access-control-allow-origin', origin!);
    res.setHeader('access-control-allow-credentials', 'true');
  } else if (grant === 'any') {
    res.setHeader('access-control-allow-origin', '*');
  }
  return grant;
}

/** Sets the CORS headers of a response from /graphql (before anything is written). */
export function setCorsHeaders(req: http.IncomingMessage, res: http.ServerResponse, cors: CorsConfig): void {
  if (allowOrigin(res, cors, req.headers.origin)) res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
}

/**
 * Answers OPTIONS /graphql without reading its body and without Apollo: a preflight from an allowed
 * origin gets 204 with the methods, headers and max age; one from any other origin 403 without CORS
 * headers (the browser then blocks the request); an OPTIONS that is no preflight 204 with `Allow`.
 */
export function answerPreflight(req: http.IncomingMessage, res: http.ServerResponse, cors: CorsConfig): void {
  // A body (there should be none) is not read: the connection closes after the answer.
  if (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') res.setHeader('connection', 'close');
  else if (req.headers['transfer-encoding'] !== undefined) res.setHeader('connection', 'close');
  res.setHeader('allow', ALLOWED_METHODS);
  const origin = req.headers.origin;
  if (origin === undefined || req.headers['access-control-request-method'] === undefined) {
    res.writeHead(204).end();
    return;
  }
  const grant = allowOrigin(res, cors, origin);
  if (!grant) {
    res.writeHead(403).end();
    return;
  }
  res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
  res.setHeader('access-control-allow-headers', (grant === 'listed' ? WRITE_HEADERS : READ_HEADERS).join(', '));
  res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
  res.writeHead(204).end();
}
