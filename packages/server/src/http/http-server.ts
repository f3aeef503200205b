import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, BaseContext, HeaderMap } from '@apollo/server';
import type { ChangeFeed } from '../database/change-feed';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { requestId, runInRequestScope, type RequestScope } from '../observability/request-scope';
import { playgroundHandler } from '../playground/playground';
import { trackInFlight } from './drain';
import { createGraphQLHandler, sendJson as send } from './graphql-handler';
import type { ResponseCache } from './response-cache';

/** What GET /readyz reports: ready to serve, or why not. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
}

export interface HttpServerOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  host: string;
  port: number;
  /** Builds the per-request GraphQL context from the request's headers. */
  context: (headers: HeaderMap) => Promise<C>;
  /** Answers GET /readyz: the database answers and its migrations are current. */
  readiness: () => Promise<Readiness>;
  logger: Logger;
  /** Whole responses to public read queries (see http/response-cache); none when undefined. */
  cache?: { store: ResponseCache; feed: ChangeFeed };
  /** Prometheus metrics on GET /metrics; none when undefined. */
  metrics?: Metrics;
  maxBodyBytes?: number;
  /** Serve the GraphiQL playground on /playground (and on GET /graphql to browsers). */
  playground?: boolean;
}

export interface RunningHttpServer {
  url: string;
  port: number;
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

/**
 * A plain node:http server: /graphql through Apollo, /healthz (alive), /readyz (database reachable,
 * migrations current), /metrics, the playground when enabled, and 404 for the rest. Every response
 * carries an `x-request-id`; every request is logged once with its status, duration and SQL count.
 */
export async function startHttpServer<C extends BaseContext>(options: HttpServerOptions<C>): Promise<RunningHttpServer> {
  const { logger, metrics } = options;
  const graphql = createGraphQLHandler({ apollo: options.apollo, context: options.context, maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024, cache: options.cache });
  const playground = options.playground ? playgroundHandler() : undefined;
  let draining = false;

  const server = http.createServer((req, res) => {
    const scope: RequestScope = { id: requestId(req.headers['x-request-id']), errorCodes: [], sql: 0 };
    res.setHeader('x-request-id', scope.id);
    const started = process.hrtime.bigint();
    const url = requestUrl(req);
    void runInRequestScope(scope, () =>
      handle(req, res, url)
        .catch((error: unknown) => {
          logger.error({ err: error }, 'request failed');
          if (!res.headersSent) send(res, 500, { errors: [{ message: `Internal server error (request id ${scope.id})`, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: scope.id } }] });
          else res.end();
        })
        .then(() => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const { pathname } = url;
          const route = routeOf(pathname);
          metrics?.observeHttp(route, res.statusCode);
          if (route === '/graphql') {
            metrics?.observeGraphQL(scope.operation ?? '(invalid)', scope.operationType ?? 'none', seconds, scope.errorCodes);
          }
          const line = {
            method: req.method,
            path: pathname,
            status: res.statusCode,
            durationMs: Math.round(seconds * 10_000) / 10,
            sql: scope.sql,
            ...(scope.operation !== undefined && { operation: scope.operation, operationType: scope.operationType }),
            ...(scope.cache !== undefined && { cache: scope.cache }),
            ...(scope.errorCodes.length > 0 && { errors: scope.errorCodes }),
          };
          if (route === '/graphql') logger.info(line, 'request');
          else logger.debug(line, 'request');
        }),
    );
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (playground?.(req, res, url)) return;
    switch (url.pathname) {
      case '/healthz':
        send(res, 200, { status: 'ok' });
        return;
      case '/readyz': {
        if (draining) {
          send(res, 503, { status: 'draining', checks: {} });
          return;
        }
        const readiness = await options.readiness();
        send(res, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'unavailable', checks: readiness.checks });
        return;
      }
      case '/metrics':
        if (metrics) {
          const { contentType, body } = await metrics.render();
          res.writeHead(200, { 'content-type': contentType });
          res.end(body);
          return;
        }
        break;
      case '/graphql':
        await graphql(req, res, url);
        return;
    }
    send(res, 404, { error: `nothing at ${url.pathname}; the GraphQL endpoint is /graphql` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // In the tick listen resolved: before any request is handled.
  const drain = trackInFlight(server);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    // Graceful: no new connections, requests in flight finish with `Connection: close` (see drain.ts).
    close: (timeoutMs?: number) => {
      draining = true;
      return drain.close(timeoutMs);
    },
  };
}
