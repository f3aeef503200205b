import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
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

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** A plain node:http server: /graphql through Apollo, /healthz, the playground when enabled, and 404 for the rest. */
export async function startHttpServer<C extends BaseContext>(options: HttpServerOptions<C>): Promise<RunningHttpServer> {
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
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
    let text: string;
    try {
      text = await readBody(req, maxBody);
    } catch (error) {
      if (error instanceof BodyTooLarge) send(res, 413, { errors: [{ message: `request body over ${maxBody} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = text;
    if ((headers.get('content-type') ?? '').includes('application/json') && text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        send(res, 400, { errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
        return;
      }
    }
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: () => options.context(headers),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
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
