import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, BaseContext, HeaderMap } from '@apollo/server';
import { createGraphQLHandler, sendJson as send } from './graphql-handler';
import { playgroundHandler } from '../playground/playground';

export interface HttpServerOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  host: string;
  port: number;
  /** Builds the per-request GraphQL context from the request's headers. */
  context: (headers: HeaderMap) => Promise<C>;
  /** Answers GET /healthz: resolves when the archive can serve. */
  healthCheck: () => Promise<void>;
  maxBodyBytes?: number;
  /** Serve the GraphiQL playground on /playground (and on GET /graphql to browsers). */
  playground?: boolean;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A plain node:http server: /graphql through Apollo, /healthz, the playground when enabled, and 404 for the rest. */
export async function startHttpServer<C extends BaseContext>(options: HttpServerOptions<C>): Promise<RunningHttpServer> {
  const graphql = createGraphQLHandler({ apollo: options.apollo, context: options.context, maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024 });
  const playground = options.playground ? playgroundHandler() : undefined;
  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (playground?.(req, res, url)) return;
    if (url.pathname === '/healthz') {
      try {
        await options.healthCheck();
        send(res, 200, { status: 'ok' });
      } catch {
        send(res, 503, { status: 'unavailable' });
      }
      return;
    }
    if (url.pathname !== '/graphql') {
      send(res, 404, { error: `nothing at ${url.pathname}; the GraphQL endpoint is /graphql` });
      return;
    }
    await graphql(req, res, url);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
