import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, BaseContext, HeaderMap } from '@apollo/server';
import type { ChangeFeed } from '../database/change-feed';
import { accessLog, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { requestId, runInRequestScope, type RequestScope } from '../observability/request-scope';
import { playgroundHandler } from '../playground/playground';
import type { CorsConfig } from '../config/config';
import { limitConnections, timeoutOptions, type ConnectionLimits } from './connection-limits';
import { answerPreflight, setCorsHeaders } from './cors';
import { trackInFlight } from './drain';
import type { Readiness } from '../database/readiness';
import { createGraphQLHandler, sendJson as send } from './graphql-handler';
import type { ResponseStore } from './response-cache';
import type { RateLimiter } from './rate-limit';
import { attachSubscriptions, type SubscriptionOptions, type SubscriptionServer } from './subscriptions';
import type { FairShare } from './fair-share';

/** What the HTTP server answers with once start-up is done (see HttpServer.serve). */
export interface HttpServerOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  /** Builds the per-request GraphQL context from the request's headers. */
  context: (headers: HeaderMap) => Promise<C>;
  /** The response body as sent, from the body Apollo wrote and the request's context. */
  finishBody?: (context: C, body: string) => string;
  /** Called once the request is answered (or failed): ends what the context still holds open. */
  settle?: (context: C) => Promise<void>;
  /** Answers GET /readyz: the database answers and its migrations are current. */
  readiness: () => Promise<Readiness>;
  /** Whole responses to public read queries (see http/response-cache); none when undefined. */
  cache?: { store: ResponseStore; feed: ChangeFeed };
  /** Requests per client address per minute on /graphql (see scale/rate-limit); none when undefined. */
  rateLimit?: RateLimiter;
  /** Where a request's read ran (read replicas): whether its answer may be cached, and what the replica had replayed. */
  readOf?: (context: C) => { cacheable: boolean; replayed?: bigint };
  /** Headers a GraphQL answer carries from its context (a write's Jointly-WAL-Position). */
  responseHeaders?: (context: C) => [string, string][];
  /** GraphQL subscriptions over WebSocket at /graphql (see http/subscriptions); none when undefined. */
  subscriptions?: SubscriptionOptions;
  /** Prometheus metrics on GET /metrics; none when undefined. */
  metrics?: Metrics;
  /** When set, GET /metrics needs `Authorization: Bearer <metricsToken>` (401 otherwise). */
  metricsToken?: string;
  maxBodyBytes?: number;
  /** The token limit (JOINTLY_MAX_TOKENS): the response cache reads no longer document. */
  maxTokens?: number;
  /** Serve the GraphiQL playground on /playground (and on GET /graphql and GET / to browsers). */
  playground?: boolean;
  /** Which other origins' pages may call /graphql (JOINTLY_CORS_ORIGINS). */
  cors: CorsConfig;
  /** The per-address share of the database (see http/fair-share); the same one the limits plugin admits with. */
  fairShare?: FairShare;
}

export interface ListenOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Request timeouts and open-connection caps (JOINTLY_REQUEST_TIMEOUT_MS …); Node's defaults when undefined. */
  connections?: ConnectionLimits;
}

/** The port is taken, or cannot be used: said in one line that names the port, the host and the way out. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

export interface HttpServer {
  /** The GraphQL endpoint, `http://<host>:<port>/graphql`. */
  url: string;
  /** The port listened on (the one picked when 0 was asked for). */
  port: number;
  /** HTTP requests being answered now. */
  readonly inFlight: number;
  /** WebSocket connections open on /graphql. */
  readonly sockets: number;
  /** Starts answering with the application; until then every request but /healthz gets 503 (starting). */
  serve<C extends BaseContext>(options: HttpServerOptions<C>): void;
  /** Stops accepting, lets requests in flight finish; after timeoutMs closes the rest and rejects (ShutdownTimeoutError). */
  close(timeoutMs?: number): Promise<void>;
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** The request's URL; an unparseable target (it never reaches a handler) counts as `/` and gets a 404. */
function requestUrl(req: http.IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return new URL('http://localhost/');
  }
}

function routeOf(pathname: string): string {
  if (pathname === '/graphql' || PROBES.has(pathname)) return pathname;
  if (pathname === '/playground' || pathname.startsWith('/playground/')) return '/playground';
  return 'other';
}

/** The one line for a listen() that failed: a taken port says how to pick another. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new ListenError(`port ${port} on ${host} is in use; stop what uses it or pass --port/PORT`);
    case 'EACCES':
      return new ListenError(`port ${port} on ${host} needs privileges this process lacks (EACCES); pass --port/PORT above 1023`);
    case 'EADDRNOTAVAIL':
      return new ListenError(`${host} is not an address of this machine (EADDRNOTAVAIL); pass --host/HOST (127.0.0.1, or 0.0.0.0 for every interface)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ListenError(`the host ${host} cannot be resolved (${error.code}); pass --host/HOST (127.0.0.1, or 0.0.0.0 for every interface)`);
    default:
      return error;
  }
}

/**
 * A plain node:http server, listening before anything else starts (so that a taken port fails at
 * once): /graphql through Apollo, /healthz (alive), /readyz (database reachable, migrations
 * current), /metrics, the playground when enabled, and 404 for the rest — once `serve` gave it the
 * application; before, it answers /healthz, and 503 (starting) to everything else. Every response
 * carries an `x-request-id`; every request is logged once with its status, duration and SQL count.
 */
export async function listenHttp(options: ListenOptions): Promise<HttpServer> {
  const { logger } = options;
  const access = accessLog(logger);
  let app: ((req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void>) | undefined;
  let metrics: Metrics | undefined;
  let subscriptions: SubscriptionServer | undefined;
  let draining = false;

  const server = http.createServer(options.connections ? timeoutOptions(options.connections) : {}, (req, res) => {
    const scope: RequestScope = { id: requestId(req.headers['x-request-id']), errorCodes: [], sql: 0 };
    res.setHeader('x-request-id', scope.id);
    const started = process.hrtime.bigint();
    const url = requestUrl(req);
    void runInRequestScope(scope, () =>
      (app ?? starting)(req, res, url)
        .catch((error: unknown) => {
          logger.error({ err: error }, 'request failed');
          if (!res.headersSent) send(res, 500, { errors: [{ message: `Internal server error (request id ${scope.id})`, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: scope.id } }] });
          else res.end();
        })
        .then(() => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const { pathname } = url;
          const route = routeOf(pathname);
          // A preflight (OPTIONS) is answered before Apollo: no GraphQL request.
          const isGraphQL = route === '/graphql' && req.method !== 'OPTIONS';
          metrics?.observeHttp(route, res.statusCode);
          if (isGraphQL) {
            metrics?.observeGraphQL(scope.operation ?? '(invalid)', scope.operationType ?? 'none', seconds, scope.errorCodes);
          }
          const line = {
            reqId: scope.id,
            method: req.method,
            path: pathname,
            status: res.statusCode,
            durationMs: Math.round(seconds * 10_000) / 10,
            sql: scope.sql,
            ...(scope.operation !== undefined && { operation: scope.operation, operationType: scope.operationType }),
            ...(scope.cache !== undefined && { cache: scope.cache }),
            ...(scope.errorCodes.length > 0 && { errors: scope.errorCodes }),
          };
          access(isGraphQL ? 'info' : 'debug', line);
        }),
    );
  });

  /** Before `serve`: alive, not ready. */
  async function starting(_req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/healthz') {
      send(res, 200, { status: 'ok' });
      return;
    }
    res.setHeader('retry-after', '1');
    if (url.pathname === '/readyz') {
      send(res, 503, { status: draining ? 'draining' : 'starting', checks: {} });
      return;
    }
    const message = 'the server is starting (opening and migrating its database); retry in a moment';
    send(res, 503, { errors: [{ message, extensions: { code: 'DATABASE_UNAVAILABLE' } }] });
  }

  // Attached before the server accepts its first connection.
  if (options.connections) limitConnections(server, options.connections);
  const drain = trackInFlight(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options.host, options.port)));
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    url: `http://${host}:${port}/graphql`,
    port,
    get inFlight() {
      return drain.inFlight;
    },
    get sockets() {
      return subscriptions?.sockets ?? 0;
    },
    serve<C extends BaseContext>(application: HttpServerOptions<C>) {
      metrics = application.metrics;
      app = handlerFor(application, () => draining);
      if (application.subscriptions) subscriptions = attachSubscriptions(server, application.subscriptions);
    },
    // Graceful: no new connections, requests in flight finish with `Connection: close` (see drain.ts);
    // WebSockets are told the server goes away (1001).
    close: async (timeoutMs?: number) => {
      draining = true;
      await subscriptions?.close();
      return drain.close(timeoutMs);
    },
  };
}

/** Whether an Authorization header carries this bearer token; compared in constant time (digests of equal length). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer +(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token)) && given !== '';
}

/** The application's routes. */
function handlerFor<C extends BaseContext>(options: HttpServerOptions<C>, draining: () => boolean) {
  const { metrics, cors } = options;
  const graphql = createGraphQLHandler({ apollo: options.apollo, context: options.context, finishBody: options.finishBody, settle: options.settle, maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024, maxTokens: options.maxTokens, cache: options.cache, fairShare: options.fairShare, rateLimit: options.rateLimit, readOf: options.readOf, responseHeaders: options.responseHeaders });
  const playground = options.playground ? playgroundHandler() : undefined;

  return async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/graphql' && req.method === 'OPTIONS') {
      answerPreflight(req, res, cors);
      return;
    }
    if (playground?.(req, res, url)) return;
    switch (url.pathname) {
      case '/healthz':
        send(res, 200, { status: 'ok' });
        return;
      case '/readyz': {
        if (draining()) {
          send(res, 503, { status: 'draining', checks: {} });
          return;
        }
        const readiness = await options.readiness();
        const status = !readiness.ready ? 'unavailable' : readiness.degraded ? 'degraded' : 'ready';
        send(res, readiness.ready ? 200 : 503, { status, checks: readiness.checks });
        return;
      }
      case '/metrics':
        if (metrics && options.metricsToken !== undefined && !bearerMatches(req.headers.authorization, options.metricsToken)) {
          res.setHeader('www-authenticate', 'Bearer realm="metrics"');
          send(res, 401, { error: '/metrics needs Authorization: Bearer <JOINTLY_METRICS_TOKEN>' });
          return;
        }
        if (metrics) {
          const { contentType, body } = await metrics.render();
          res.writeHead(200, { 'content-type': contentType });
          res.end(body);
          return;
        }
        break;
      case '/graphql':
        setCorsHeaders(req, res, cors);
        await graphql(req, res, url);
        return;
    }
    send(res, 404, { error: `nothing at ${url.pathname}; the GraphQL endpoint is /graphql` });
  };
}
