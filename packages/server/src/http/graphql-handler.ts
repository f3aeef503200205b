import type http from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

export interface GraphQLHandlerOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  /** Builds the per-request GraphQL context from the request's headers. */
  context: (headers: HeaderMap) => Promise<C>;
  /** Request bodies above this many bytes are refused with 413 before they are parsed. */
  maxBodyBytes: number;
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

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** POST and GET /graphql: reads the body within its limit, then hands the request to Apollo. */
export function createGraphQLHandler<C extends BaseContext>(options: GraphQLHandlerOptions<C>) {
  const maxBody = options.maxBodyBytes;
  return async function handleGraphQL(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    let text: string;
    try {
      text = await readBody(req, maxBody);
    } catch (error) {
      if (error instanceof BodyTooLarge) sendJson(res, 413, { errors: [{ message: `request body over ${maxBody} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
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
        sendJson(res, 400, { errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
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
  };
}
