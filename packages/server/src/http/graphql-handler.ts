import type http from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import type { ChangeFeed } from '../database/change-feed';
import { currentRequest } from '../observability/request-scope';
import { addVary } from './cors';
import { cacheKey, DeclaredVariables, getParams, MAX_CACHED_REQUEST_BYTES, type RequestParams } from './cache-key';
import type { ResponseStore } from './response-cache';
import { parseLsn, WAL_POSITION_HEADER } from '../database/replicas';
import type { RateLimiter } from './rate-limit';
import { parseJsonNotingDuplicates } from '../import/parser/json-syntax';
import { clientAddress, type FairShare } from './fair-share';

export interface GraphQLHandlerOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  /** Builds the per-request GraphQL context from the request's headers. */
  context: (headers: HeaderMap) => Promise<C>;
  /** The response body as sent, from the body Apollo wrote and the request's context (the read engine's JSON goes in here). */
  finishBody?: (context: C, body: string) => string;
  /** Called once the request is answered (or failed): ends what the context still holds open. */
  settle?: (context: C) => Promise<void>;
  /** Request bodies above this many bytes are refused with 413 before they are parsed. */
  maxBodyBytes: number;
  /** The token limit: a longer document is refused by Apollo, and the cache key does not parse it either. */
  maxTokens?: number;
  /** Whole responses to public read queries, dropped whenever the feed reports a change. */
  cache?: { store: ResponseStore; feed: ChangeFeed };
  /** Requests per client address per minute (JOINTLY_RATE_LIMIT_PER_MINUTE): refused with 429 before the body is read. */
  rateLimit?: RateLimiter;
  /**
   * Where the request's read ran: whether its answer may be kept, and the WAL position a replica had
   * replayed (see database/replicas). Absent: every answer comes from the primary.
   */
  readOf?: (context: C) => { cacheable: boolean; replayed?: bigint };
  /** Headers the answer carries from its context (a write's Jointly-WAL-Position). */
  responseHeaders?: (context: C) => [string, string][];
  /** The per-address share of the database for expensive operations (the limits plugin admits them). */
  fairShare?: FairShare;
}

class BodyTooLarge extends Error {}

/**
 * The body as text, refused (BodyTooLarge) past `limit` bytes: at once when Content-Length says so,
 * else as soon as the count passes it. The rest is read and dropped rather than the socket destroyed,
 * so that the client receives the 413.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (chunks.length > 0 || size - chunk.length <= limit) {
        chunks.length = 0; // over the limit: answer now, drop what follows
        reject(new BodyTooLarge());
      }
    });
    req.on('end', () => (size <= limit ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new BodyTooLarge())));
    req.on('error', reject);
  });
}

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

export function sendJson(res: http.ServerResponse, status: number, body: unknown, contentType: string = JSON_TYPE): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(JSON.stringify(body));
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  header.split(',').forEach((part, order) => {
    const [essence = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const [type, subtype] = essence.split('/');
    if (!type || !subtype) return;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=').map((s) => s.trim());
      if (name === 'q') q = value !== undefined && /^\d(\.\d{0,3})?$/.test(value) ? Math.min(1, Number(value)) : 0;
    }
    ranges.push({ type, subtype, q, order });
  });
  return ranges;
}

/** The quality the Accept ranges give a media type: the most specific matching range decides (RFC 9110 §12.5.1). */
function quality(ranges: MediaRange[], type: string, subtype: string): { q: number; order: number } {
  let best: { q: number; order: number; specificity: number } = { q: 0, order: Infinity, specificity: -1 };
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' && range.subtype === '*' ? 0 : -1;
    if (specificity > best.specificity) best = { q: range.q, order: range.order, specificity };
  }
  return best;
}

/**
 * The response media type the Accept header asks for: `application/json` (also when there is no
 * Accept header, as the GraphQL-over-HTTP spec says), `application/graphql-response+json`, or
 * null when the client accepts neither (406).
 */
export function negotiateResponseType(accept: string | undefined): string | null {
  if (accept === undefined || accept.trim() === '') return JSON_TYPE;
  const ranges = parseAccept(accept);
  const json = quality(ranges, 'application', 'json');
  const graphql = quality(ranges, 'application', 'graphql-response+json');
  if (json.q <= 0 && graphql.q <= 0) return null;
  if (graphql.q > json.q || (graphql.q === json.q && graphql.order < json.order)) return GRAPHQL_RESPONSE_TYPE;
  return JSON_TYPE;
}

/**
 * GraphQL request errors: the HTTP request was well formed, but the document did not parse or
 * validate, its variables did not coerce, or the operation could not be chosen. Apollo answers them
 * with 400; under `application/json` the GraphQL-over-HTTP spec wants 200 (the client reads
 * `errors`), under `application/graphql-response+json` 400.
 */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_COMPLEX']);

function isGraphQLRequestErrorResponse(body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || 'data' in parsed) return false;
  const errors = (parsed as { errors?: unknown }).errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((error: { extensions?: { code?: unknown } } | null) => typeof error?.extensions?.code === 'string' && REQUEST_ERROR_CODES.has(error.extensions.code))
  );
}

/**
 * Whether Apollo's CSRF prevention lets the request through — conservatively: a preflight header, or a
 * JSON content type (Apollo also lets other non-simple types through; those just skip the cache).
 */
function passesCsrfPrevention(headers: HeaderMap): boolean {
  const preflight = ['apollo-require-preflight', 'x-apollo-operation-name'].some((name) => (headers.get(name) ?? '') !== '');
  return preflight || (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * How deeply a JSON request body may nest objects and arrays: well over what any argument takes
 * (a bundle nests five levels; JSON arguments are checked at MAX_JSON_DEPTH), and checked before
 * the body is parsed, so that nothing walks a deeper one.
 */
export const MAX_BODY_NESTING = 64;

/** Whether JSON text nests `[` and `{` more than `max` deep (brackets inside strings aside): one pass, no parsing. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function statusFor(response: HTTPGraphQLResponse): number {
  const status = response.status ?? 200;
  if (status !== 400 || response.body.kind !== 'complete') return status;
  const contentType = response.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) return status;
  return isGraphQLRequestErrorResponse(response.body.string) ? 200 : status;
}

/**
 * POST and GET /graphql: reads the body within its limit, negotiates the response type, then hands
 * the request to Apollo (CSRF prevention, GET/POST rules, execution). Follows the GraphQL-over-HTTP
 * spec: 406 for an Accept header that allows neither JSON type (before anything runs), 400 for a
 * body that is not JSON, and 200 for GraphQL request errors under `application/json`.
 */
export function createGraphQLHandler<C extends BaseContext>(options: GraphQLHandlerOptions<C>) {
  const maxBody = options.maxBodyBytes;
  const declaredVariables = new DeclaredVariables(options.maxTokens);
  const trustProxy = options.fairShare?.config.trustProxy ?? false;
  return async function handleGraphQL(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const responseType = negotiateResponseType(req.headers.accept);
    addVary(res, 'Accept');
    if (options.rateLimit) {
      const taken = await options.rateLimit.take(clientAddress(req, trustProxy));
      if (!taken.allowed) {
        req.resume();
        res.setHeader('retry-after', String(taken.retryAfterSeconds));
        const message = `Too many requests from your address this minute; retry in ${taken.retryAfterSeconds} s.`;
        sendJson(res, 429, { errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: taken.retryAfterSeconds } }] }, responseType ?? JSON_TYPE);
        return;
      }
    }
    let text: string;
    try {
      text = await readBody(req, maxBody);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        sendJson(res, 413, { errors: [{ message: `request body over ${maxBody} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }, responseType ?? JSON_TYPE);
      }
      return;
    }
    if (responseType === null) {
      const message = 'the Accept header allows neither application/graphql-response+json nor application/json';
      sendJson(res, 406, { errors: [{ message, extensions: { code: 'NOT_ACCEPTABLE' } }] });
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown = text;
    if (/^\s*application\/json\s*(;|$)/i.test(headers.get('content-type') ?? '') && text !== '') {
      if (nestsDeeperThan(text, MAX_BODY_NESTING)) {
        const message = `the request body nests objects and arrays more than ${MAX_BODY_NESTING} levels deep`;
        sendJson(res, 400, { errors: [{ message, extensions: { code: 'BAD_USER_INPUT', limit: 'depth', max: MAX_BODY_NESTING } }] }, responseType);
        return;
      }
      try {
        // A bundle's fields given twice are problems of the import, which JSON.parse would hide.
        body = text.includes('importBundle') ? parseJsonNotingDuplicates(text) : JSON.parse(text);
      } catch {
        sendJson(res, 400, { errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }, responseType);
        return;
      }
    }
    // Reads are public and answered the same to everyone; a request with credentials is never cached.
    // Only requests that pass Apollo's CSRF prevention may be answered from the cache, which comes first;
    // large requests are not kept (they would crowd out many ordinary answers).
    const cache =
      options.cache && !headers.has('authorization') && passesCsrfPrevention(headers) && text.length + url.search.length <= MAX_CACHED_REQUEST_BYTES && options.cache.feed.reliable()
        ? options.cache
        : undefined;
    const params = method === 'GET' ? getParams(url.searchParams) : typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as RequestParams) : undefined;
    const key = cache && params && cacheKey(method, responseType, params, declaredVariables);
    const scope = currentRequest();
    // Read-your-writes: an answer from a replica behind the client's last write is not for it.
    const position = parseLsn(headers.get(WAL_POSITION_HEADER));
    let generation = -1;
    if (cache && key) {
      const found = await cache.store.lookup(key);
      generation = found.generation;
      const hit = found.hit && (position === undefined || found.hit.replayed === undefined || found.hit.replayed >= position) ? found.hit : undefined;
      if (hit) {
        if (scope) Object.assign(scope, { operation: hit.operation, operationType: 'query', cache: 'hit' });
        for (const [name, value] of hit.headers) res.setHeader(name, value);
        res.setHeader('x-jointly-cache', 'hit');
        res.statusCode = hit.status;
        res.end(hit.body);
        return;
      }
    }
    if (scope && options.fairShare) scope.clientAddress = clientAddress(req, trustProxy);
    let context: C | undefined;
    let response: HTTPGraphQLResponse;
    try {
      response = await options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers, search: url.search, body },
        context: async () => (context = await options.context(headers)),
      });
    } finally {
      // A write transaction the executor did not end (a refusal after the token was checked) is rolled back.
      if (context && options.settle) await options.settle(context);
    }
    const finish = (text: string) => (context && options.finishBody ? options.finishBody(context, text) : text);
    for (const [name, value] of response.headers) res.setHeader(name, value);
    if (context && options.responseHeaders) for (const [name, value] of options.responseHeaders(context)) res.setHeader(name, value);
    res.statusCode = statusFor(response);
    const read = context && options.readOf ? options.readOf(context) : { cacheable: true };
    if (response.body.kind === 'complete') {
      if (cache && key && generation >= 0 && read.cacheable && scope?.operationType === 'query' && scope.errorCodes.length === 0 && res.statusCode === 200) {
        // Encoded once: the cached bytes are also the ones sent.
        const bytes = Buffer.from(finish(response.body.string));
        const kept = { status: 200, headers: [...response.headers], body: bytes, operation: scope.operation ?? 'anonymous', ...(read.replayed !== undefined && { replayed: read.replayed }) };
        await cache.store.keep(key, generation, kept);
        scope.cache = 'miss';
        res.setHeader('x-jointly-cache', 'miss');
        res.end(bytes);
      } else {
        res.end(finish(response.body.string));
      }
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };
}
