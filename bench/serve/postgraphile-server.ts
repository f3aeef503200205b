/**
 * PostGraphile 5 over the benchmark archive, as a child process of the harness:
 *
 *   node --require bench/dist/serve/polyfill.js bench/dist/serve/postgraphile-server.js
 *   env: DATABASE_URL, PORT, POOL_SIZE (10)
 *
 * The amber preset, makePgService over a pg pool of POOL_SIZE connections, schema `public`, served by
 * grafserv's node:http adapter on /graphql. Two additions for questions its generated schema cannot
 * ask: the SQL function search_statements (full-text search; serve/archive.ts creates it), and an
 * orderBy value STATEMENT_DATE_ASC/DESC on signatures (the signed statement's date), made with
 * graphile-utils' addPgTableOrderBy — PostGraphile's documented way to order by a related table's
 * column: a correlated subquery in its ORDER BY (and in its cursor conditions).
 * Every SQL statement its pool runs is counted (serve/sql-count.ts).
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { TYPES } from 'postgraphile/@dataplan/pg';
import { addPgTableOrderBy, orderByAscDesc } from 'postgraphile/utils';
import { countSqlStatements } from './sql-count';

/** Signatures ordered by the date of the statement signed: STATEMENT_DATE_ASC / STATEMENT_DATE_DESC. */
const StatementDateOrderPlugin = addPgTableOrderBy({ schemaName: 'public', tableName: 'signature' }, (build) => {
  const { sql } = build;
  return orderByAscDesc('STATEMENT_DATE', (queryBuilder) => ({
    fragment: sql`(select t.date from public.statement as t where t.id = ${queryBuilder.alias}.statement_id)`,
    codec: TYPES.date,
  }));
});

async function main(): Promise<void> {
  countSqlStatements();
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is required');
  const port = Number(process.env.PORT ?? 5000);
  const pool = new pg.Pool({ connectionString, max: Number(process.env.POOL_SIZE ?? 10) });
  const preset: GraphileConfig.Preset = {
    extends: [PostGraphileAmberPreset],
    plugins: [StatementDateOrderPlugin],
    pgServices: [makePgService({ pool, schemas: ['public'] })],
    grafserv: { port, graphqlPath: '/graphql', graphiql: false },
    grafast: { explain: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  server.once('listening', () => {
    server.on('error', (error) => process.stderr.write(`${String(error)}\n`));
  });
  await serv.addTo(server);
  await pgl.getSchema(); // build the schema before reporting ready
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.stdout.write(`ready on http://127.0.0.1:${port}/graphql\n`);
  const stop = () => {
    server.close();
    void Promise.resolve(pgl.release()).finally(() => pool.end().finally(() => process.exit(0)));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
