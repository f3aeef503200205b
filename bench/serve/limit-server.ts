/**
 * The hand-written limit server, as a child process of the harness:
 *
 *   node bench/dist/serve/limit-server.js      env: DATABASE_URL, PORT, POOL_SIZE (10)
 *
 * node:http and a pg pool of POOL_SIZE. POST /graphql takes the same JSON body as Jointly
 * ({ query, variables, operationName }), picks the handler by operationName (the document itself is
 * not parsed), runs its one SQL statement (serve/limit-sql.ts) and writes the JSON text PostgreSQL
 * built. Its SQL statements are counted like PostGraphile's (serve/sql-count.ts).
 */
import http from 'node:http';
import pg from 'pg';
import { LIMIT_HANDLERS } from './limit-sql';
import { countSqlStatements } from './sql-count';

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function main(): Promise<void> {
  countSqlStatements();
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is required');
  const port = Number(process.env.PORT ?? 5001);
  const pool = new pg.Pool({ connectionString, max: Number(process.env.POOL_SIZE ?? 10) });
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') return send(res, 200, '{"status":"ok"}');
    if (req.method !== 'POST' || req.url !== '/graphql') return send(res, 404, '{"error":"not found"}');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let handler;
      let variables: Record<string, unknown>;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { operationName?: string; variables?: Record<string, unknown> };
        handler = LIMIT_HANDLERS[body.operationName ?? ''];
        variables = body.variables ?? {};
      } catch {
        return send(res, 400, '{"errors":[{"message":"invalid JSON"}]}');
      }
      if (!handler) return send(res, 400, '{"errors":[{"message":"unknown operationName"}]}');
      pool.query<{ j: string }>(handler(variables)).then(
        (result) => send(res, 200, result.rows[0]!.j),
        (error: unknown) => send(res, 500, JSON.stringify({ errors: [{ message: String(error) }] })),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.stdout.write(`ready on http://127.0.0.1:${port}/graphql\n`);
  const stop = () => {
    server.close();
    void pool.end().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
