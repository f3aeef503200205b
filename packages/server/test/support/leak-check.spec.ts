import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { introspectionFromSchema, printSchema } from 'graphql';
import pg from 'pg';
import { QueryFailedError } from 'typeorm';
import { buildJointlySchema } from '../../src/graphql/schema';
import { SignatureEntity } from '../../src/modules/statement/signature.entity';
import { StatementEntity } from '../../src/modules/statement/statement.entity';
import { databaseNames, leakDetector, metadataOnlyDataSource, type LeakDetector } from './leak-check';
import { failOnLeaks } from './leak-guard';

const DATA = path.join(__dirname, '../../data');
const bundle = (name: string) => readFileSync(path.join(DATA, name), 'utf8');
/** What Apollo would send for an error whose message and extensions were not masked. */
const errorBody = (message: string, extensions: Record<string, unknown> = { code: 'INTERNAL_SERVER_ERROR' }) =>
  JSON.stringify({ errors: [{ message, locations: [{ line: 1, column: 3 }], path: ['statement'], extensions }], data: { statement: null } });

describe('the leak detector', () => {
  let detector: LeakDetector;
  const patternsOf = (body: string) => detector.findLeaks(body).map((leak) => leak.pattern);
  beforeAll(async () => {
    detector = await leakDetector();
  });

  it('knows the database names from the entity metadata and the migrations', async () => {
    const names = await databaseNames();
    expect(names.tables).toEqual(expect.arrayContaining(['statement', 'signature', 'source', 'signatory_alias', 'count_claim', 'revision', 'migration']));
    expect(names.columns).toEqual(expect.arrayContaining(['name_as_written', 'created_at', 'title', 'statement_id']));
    expect(names.others).toEqual(expect.arrayContaining(['uq_statement_key', 'fk_signature_statement_id', 'ix_statement_search', 'trg_statement_audit_insert', 'jointly_audit']));
  });

  describe('catches', () => {
    it.each([
      ['a unique violation', 'duplicate key value violates unique constraint "uq_statement_key"'],
      ['a missing relation', 'relation "statement" does not exist'],
      ['a missing column', 'column "titel" does not exist'],
      ['a syntax error', 'syntax error at or near "FROM"'],
      ['a not-null violation', 'null value in column "title" of relation "statement" violates not-null constraint'],
      ['a foreign key violation', 'insert or update on table "signature" violates foreign key constraint "fk_signature_statement_id"'],
      ['a bad uuid', 'invalid input syntax for type uuid: "not-a-uuid"'],
      ['an aborted transaction', 'current transaction is aborted, commands ignored until end of transaction block'],
      ['a statement timeout', 'canceling statement due to statement timeout'],
      ['a refused connection', 'connect ECONNREFUSED 127.0.0.1:5432'],
    ])('a Postgres error message: %s', (_what, message) => {
      expect(patternsOf(errorBody(message)).length).toBeGreaterThan(0);
    });

    it('a QueryFailedError as TypeORM throws it (query, parameters, driver error)', async () => {
      const dataSource = await metadataOnlyDataSource();
      const [query, parameters] = dataSource
        .getRepository(SignatureEntity)
        .createQueryBuilder('signature')
        .insert()
        .values({ statementId: '00000000-0000-4000-8000-000000000000', signatoryId: '00000000-0000-4000-8000-000000000001', position: 1, nameAsWritten: 'France' })
        .getQueryAndParameters();
      const driverError = Object.assign(new pg.DatabaseError('duplicate key value violates unique constraint "uq_signature_statement_id_signatory_id"', 0, 'error'), {
        severity: 'ERROR',
        code: '23505',
        detail: 'Key (statement_id, signatory_id)=(00000000-0000-4000-8000-000000000000, 00000000-0000-4000-8000-000000000001) already exists.',
        table: 'signature',
        constraint: 'uq_signature_statement_id_signatory_id',
        routine: '_bt_check_unique',
      });
      const error = new QueryFailedError(query, parameters, driverError);
      expect(query).toMatch(/^INSERT INTO "signature"/);

      // Each part alone is caught, not only the whole.
      expect(patternsOf(errorBody(error.message))).toEqual(expect.arrayContaining(['constraint violation', 'duplicate key', 'database identifier']));
      expect(patternsOf(errorBody('x', { code: 'INTERNAL_SERVER_ERROR', query }))).toEqual(expect.arrayContaining(['SQL statement', 'table name in SQL', 'database identifier']));
      expect(patternsOf(errorBody('x', { code: 'INTERNAL_SERVER_ERROR', detail: driverError.detail }))).toEqual(expect.arrayContaining(['key detail', 'database identifier']));
      expect(patternsOf(errorBody('x', { code: 'INTERNAL_SERVER_ERROR', exception: JSON.parse(JSON.stringify(error)) as unknown }))).toEqual(
        expect.arrayContaining(['driver error fields', 'SQL statement']),
      );
      expect(patternsOf(errorBody(`${error.name}: ${error.message}`))).toContain('TypeORM error');
    });

    it('SQL the server builds (TypeORM query builder) and writes (raw SQL)', async () => {
      const dataSource = await metadataOnlyDataSource();
      const [select] = dataSource.getRepository(StatementEntity).createQueryBuilder('s').where('s.key = :key', { key: 'x' }).orderBy('s.date', 'DESC').getQueryAndParameters();
      expect(patternsOf(errorBody(`failed: ${select}`))).toEqual(
        expect.arrayContaining(['SQL SELECT … FROM', 'SQL quoted alias.column', 'SQL placeholder comparison', 'table name in SQL', 'database identifier']),
      );
      // Fragments, each without any of the others.
      expect(patternsOf(errorBody('SELECT count(*) AS total FROM statement WHERE deleted_at IS NULL'))).toEqual(
        expect.arrayContaining(['SQL SELECT … FROM', 'table name in SQL', 'database identifier']),
      );
      expect(patternsOf(errorBody('near: FROM statement s'))).toEqual(['table name in SQL']);
      expect(patternsOf(errorBody('near: JOIN signature ON'))).toEqual(['table name in SQL']);
      expect(patternsOf(errorBody('near: WHERE "s"."title" = '))).toEqual(expect.arrayContaining(['SQL quoted alias.column', 'column name in SQL']));
      expect(patternsOf(errorBody('near: WHERE title = $1'))).toEqual(expect.arrayContaining(['column name in SQL', 'SQL placeholder comparison']));
      expect(patternsOf(errorBody('UPDATE evidence SET paragraph = 2'))).toEqual(expect.arrayContaining(['SQL UPDATE … SET', 'table name in SQL']));
      expect(patternsOf(errorBody('VALUES ($1, $2) RETURNING "id", "version"'))).toEqual(['SQL RETURNING']);
      expect(patternsOf(errorBody('the index ix_signatory_alias_normalized_trgm'))).toEqual(['database identifier']);
      expect(patternsOf(errorBody('a row of count_claim'))).toEqual(['database identifier']);
    });

    it('a stack trace, and file paths', () => {
      const stack = new Error('boom').stack!;
      expect(stack).toMatch(/\n\s+at /);
      expect(patternsOf(errorBody(stack))).toEqual(expect.arrayContaining(['stack frame']));
      expect(patternsOf(errorBody('x', { code: 'INTERNAL_SERVER_ERROR', stacktrace: stack.split('\n') }))).toEqual(expect.arrayContaining(['stacktrace field', 'stack frame']));
      expect(patternsOf(errorBody('    at StatementService.findById (statement.service.ts:42:13)'))).toEqual(['source location']);
      expect(patternsOf(errorBody('    at async Promise.all (index 0)\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)'))).toEqual(
        expect.arrayContaining(['stack frame']),
      );
      expect(patternsOf(errorBody('cannot read /work/main/packages/server/data/seed.bundle.json'))).toEqual(
        expect.arrayContaining(['file path /packages/', 'absolute path']),
      );
      expect(patternsOf(errorBody('in node_modules'))).toEqual(['file path node_modules']);
      expect(patternsOf(errorBody('see file:///srv/x.js'))).toEqual(expect.arrayContaining(['file URL']));
    });

    it('leaks inside a revision row’s values, and revision-like keys outside `data`', () => {
      const row = { title: 'x', note: new Error('boom').stack };
      const body = JSON.stringify({ data: { statement: { revisions: { nodes: [{ action: 'UPDATE', table: 'statement', before: row, after: null }] } } } });
      expect(patternsOf(body)).toContain('stack frame');
      const outside = JSON.stringify({ errors: [{ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR', table: 'signatory_alias', before: { name_as_written: 'x' } } }] });
      expect(patternsOf(outside)).toEqual(['database identifier']);
    });
  });

  describe('the request’s own text quoted back', () => {
    // A fuzzer case (seed 233613157): a variable object whose key holds `<$4` came back in graphql-js's message.
    const request = JSON.stringify({ query: 'query($v1: String!) { signatory(ref: $v1) { iso2 } }', variables: { v1: { '|}<$4/!': 2.79e-258, 'x"= $1': 1 } } });
    const echo = (extra = '') =>
      errorBody(`Variable "$v1" got invalid value { |}<$4/!: 2.79e-258, x"= $1: 1 }; String cannot represent a non string value${extra}`, { code: 'BAD_USER_INPUT' });

    it('is passed over when the request is given, and counted when it is not', () => {
      expect(detector.findLeaks(echo(), request)).toEqual([]);
      expect(patternsOf(echo())).toEqual(['SQL placeholder comparison']);
    });

    it('does not hide a leak of the same pattern later in the body, nor one of another pattern', () => {
      expect(detector.findLeaks(echo(': WHERE id > $2'), request).map((leak) => leak.pattern)).toEqual(expect.arrayContaining(['SQL placeholder comparison']));
      const other = detector.findLeaks(echo(' at relation "statement"'), request).map((leak) => leak.pattern);
      expect(other).toEqual(expect.arrayContaining(['relation "…"']));
      expect(other).not.toContain('SQL placeholder comparison');
    });

    it('counts text that is in the request only as part of a longer match', () => {
      const near = JSON.stringify({ query: '{ x }', variables: { s: 'duplicate key' } });
      expect(detector.findLeaks(errorBody('duplicate key value violates unique constraint "uq_statement_key"'), near).map((leak) => leak.pattern)).toEqual(
        expect.arrayContaining(['duplicate key', 'constraint violation', 'database identifier']),
      );
    });
  });

  describe('passes', () => {
    it('the sample data (statements, sources, people) as the API returns it', () => {
      for (const name of ['seed.bundle.json', 'xinjiang-2019-2020.bundle.json']) {
        const text = bundle(name);
        expect(detector.findLeaks(text)).toEqual([]);
        const { statements, sources, people } = JSON.parse(text) as Record<string, Record<string, unknown>[] | undefined>;
        expect(statements?.length).toBeGreaterThan(0);
        for (const statement of statements ?? []) {
          expect(detector.findLeaks(JSON.stringify({ data: { statement } }))).toEqual([]);
        }
        expect(detector.findLeaks(JSON.stringify({ data: { sources, people } }))).toEqual([]);
      }
    });

    it('the schema: introspection and SDL (descriptions mention INSERT, sources, statements)', async () => {
      const schema = await buildJointlySchema();
      expect(detector.findLeaks(JSON.stringify({ data: introspectionFromSchema(schema) }))).toEqual([]);
      const sdl = printSchema(schema);
      expect(sdl).toMatch(/INSERT, UPDATE or DELETE/);
      expect(detector.findLeaks(sdl)).toEqual([]);
    });

    it('GraphQL errors that name fields and arguments that share names with tables and columns', () => {
      for (const message of [
        'Cannot query field "statement" on type "Query". Did you mean "statements"?',
        'Unknown argument "source" on field "Query.statement".',
        'Field "signature" argument "key" of type "String!" is required, but it was not provided.',
        'Variable "$first" got invalid value "many"; Int cannot represent non-integer value: "many"',
        'Syntax Error: Unexpected Name "from".',
        'The signature is not on this statement; removed from the list.',
      ]) {
        expect({ message, leaks: detector.findLeaks(errorBody(message, { code: 'GRAPHQL_VALIDATION_FAILED' })) }).toEqual({ message, leaks: [] });
      }
    });

    it('revision rows: the history API returns rows as the database holds them', () => {
      const body = JSON.stringify({
        data: {
          signatory: {
            revisions: {
              nodes: [{ actor: 'alice', via: 'updateSignatory', action: 'INSERT', table: 'signatory_alias', before: null, after: { signatory_id: 'x', created_at: '2024-01-01', name: 'Türkiye' } }],
            },
          },
        },
      });
      expect(detector.findLeaks(body)).toEqual([]);
    });

    it('an ndjson export line and a money amount', () => {
      expect(detector.findLeaks('{"type":"statement","key":"a","title":"Statement from source"}\n')).toEqual([]);
      expect(detector.findLeaks(JSON.stringify({ data: { text: 'pledged $1 million, select from the list' } }))).toEqual([]);
    });
  });
});

describe('the leak guard (jest setupFilesAfterEnv)', () => {
  let server: http.Server;
  let origin: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/leaky') res.end(errorBody('relation "statement" does not exist'));
      else res.end(JSON.stringify({ data: { statement: { title: 'A joint statement' } } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads every local response through a clone, leaving the body to the test', async () => {
    const response = await fetch(`${origin}/clean`);
    expect(await response.json()).toEqual({ data: { statement: { title: 'A joint statement' } } });
    await expect(failOnLeaks()).resolves.toBeUndefined();
  });

  it('reports a leaking response with its URL and the excerpt (and then forgets it)', async () => {
    const response = await fetch(`${origin}/leaky`);
    expect(response.status).toBe(200);
    const failure = failOnLeaks();
    await expect(failure).rejects.toThrow(`${origin}/leaky`);
    await expect(failure).rejects.toThrow(/relation "…": .*relation \\"statement\\" does not exist/);
    await expect(failOnLeaks()).resolves.toBeUndefined();
  });
});
