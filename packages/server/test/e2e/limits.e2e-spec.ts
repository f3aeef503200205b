import { getIntrospectionQuery } from 'graphql';
import { loadConfig, startServer, type RunningServer } from '../../src/index';
import { backend, quiet, startTestServer, testDatabaseUrl, TEST_CONNECT_TIMEOUT_MS } from '../support/test-database';

/**
 * CSRF prevention is on: a JSON POST with the preflight header. The GraphQL-over-HTTP media type
 * asks for the status that says what happened (400 for a refused request).
 */
const HEADERS = { 'content-type': 'application/json', 'apollo-require-preflight': 'true', accept: 'application/graphql-response+json' };

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function post(url: string, body: unknown): Promise<{ status: number; body: GraphQLResponse }> {
  const response = await fetch(url, { method: 'POST', headers: HEADERS, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

/** statements.nodes, then `levels` × respondsTo, then id: levels + 3 fields deep. */
function nested(levels: number): string {
  return `${'respondsTo { '.repeat(levels)}id${' }'.repeat(levels)}`;
}

const THREE_PAGES_OF_100 = /* GraphQL */ `
  query ThreePages($n: Int) {
    statements(first: $n) { nodes { signatures(first: $n) { nodes { signatory { signatures(first: $n) { nodes { id } } } } } } }
  }
`;

describe('limits before execution, over HTTP', () => {
  let server: RunningServer;
  /** NODE_ENV=production (no field suggestions) and a 2 KB body limit. */
  let production: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
    const env = { DATABASE_URL: await testDatabaseUrl(), PORT: '0', JOINTLY_DB_POOL_SIZE: backend === 'embedded' ? '1' : '4', JOINTLY_DB_CONNECT_TIMEOUT_MS: TEST_CONNECT_TIMEOUT_MS };
    production = await startServer(loadConfig({ ...env, NODE_ENV: 'production', JOINTLY_MAX_BODY_BYTES: '2048' }), quiet);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), production?.stop()]);
  });

  /** Sends the request and checks that the server issued no SQL statement for it. */
  async function withoutSql(body: unknown, on: RunningServer = server) {
    const before = on.database.sql.total;
    const response = await post(on.url, body);
    expect(on.database.sql.total).toBe(before);
    return response;
  }

  async function expectRefused(body: unknown, expected: { limit: string; max: number; measured?: number }) {
    const { status, body: response } = await withoutSql(body);
    expect(status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', ...expected });
    expect(response.errors![0]!.message).toMatch(/^The operation is too complex: /);
  }

  it('answers a normal query (which runs SQL)', async () => {
    const before = server.database.sql.total;
    const query = '{ statements(first: 2) { totalCount nodes { key } } statement(key: "hrc41-xinjiang-letter-22") { signatures(first: 3) { totalCount nodes { nameAsWritten } } } }';
    const { status, body } = await post(server.url, { query });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const data = body.data as { statements: { totalCount: number; nodes: unknown[] }; statement: { signatures: { totalCount: number; nodes: unknown[] } } };
    expect(data.statements.totalCount).toBeGreaterThan(2);
    expect(data.statements.nodes).toHaveLength(2);
    expect(data.statement.signatures.totalCount).toBe(22);
    expect(data.statement.signatures.nodes).toHaveLength(3);
    expect(server.database.sql.total).toBeGreaterThan(before);
  });

  it("answers GraphiQL's and codegen's introspection queries (deeper than maxDepth)", async () => {
    for (const query of [
      getIntrospectionQuery(),
      getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }),
    ]) {
      const { status, body } = await post(server.url, { query });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      const types = (body.data!.__schema as { types: { name: string }[] }).types.map((t) => t.name);
      expect(types).toEqual(expect.arrayContaining(['Statement', 'StatementConnection', '__Schema']));
    }
  });

  it('refuses deep nesting', async () => {
    await expectRefused({ query: `{ statements { nodes { ${nested(9)} } } }` }, { limit: 'depth', max: 10, measured: 12 });
  });

  it('refuses a deep query hidden in a fragment named __schema or __type, or under an alias __schema', async () => {
    for (const name of ['__schema', '__type']) {
      await expectRefused({ query: `query { ...${name} } fragment ${name} on Query { statements { nodes { ${nested(9)} } } }` }, { limit: 'depth', max: 10, measured: 12 });
    }
    await expectRefused({ query: `{ __schema: statements { nodes { ${nested(9)} } } }` }, { limit: 'depth', max: 10, measured: 12 });
    // …and a costly one behind a fragment named __schema
    await expectRefused(
      { query: 'query { ...__schema } fragment __schema on Query { statements(first: 100) { nodes { signatures(first: 100) { nodes { signatory { signatures(first: 100) { nodes { id } } } } } } } }' },
      { limit: 'cost', max: 200_000, measured: 1_030_202 },
    );
  });

  it('refuses an alias bomb', async () => {
    const query = `{ ${Array.from({ length: 31 }, (_, i) => `s${i}: statements { totalCount }`).join(' ')} }`;
    await expectRefused({ query }, { limit: 'aliases', max: 30, measured: 31 });
  });

  it('refuses nested pages of 100 by their cost, with the page sizes in literals or variables', async () => {
    await expectRefused(
      { query: '{ statements(first: 100) { nodes { signatures(first: 100) { nodes { signatory { signatures(first: 100) { nodes { id } } } } } } } }' },
      { limit: 'cost', max: 200_000, measured: 1_030_202 },
    );
    await expectRefused({ query: THREE_PAGES_OF_100, variables: { n: 100 } }, { limit: 'cost', max: 200_000, measured: 1_030_202 });
    // the same document with small pages runs
    const { status, body } = await post(server.url, { query: THREE_PAGES_OF_100, variables: { n: 2 } });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect((body.data!.statements as { nodes: unknown[] }).nodes).toHaveLength(2);
  });

  it('refuses a token flood', async () => {
    await expectRefused({ query: `{ ${'__typename '.repeat(2000)}}` }, { limit: 'tokens', max: 2000 });
  });

  it('refuses a directive flood', async () => {
    await expectRefused({ query: `{ statements { totalCount ${'nodes @include(if: true) { id } '.repeat(21)}} }` }, { limit: 'directives', max: 20, measured: 21 });
  });

  it('refuses a fragment cycle as invalid', async () => {
    const query = 'query { statements { nodes { ...A } } } fragment A on Statement { respondsTo { ...B } } fragment B on Statement { responses { ...A } }';
    const { status, body } = await withoutSql({ query });
    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/Cannot spread fragment "A" within itself/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
  });

  it('refuses a batched request (a JSON array)', async () => {
    const { status, body } = await withoutSql([{ query: '{ statements { totalCount } }' }, { query: '{ people { totalCount } }' }]);
    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })]);
  });

  it('refuses a body over maxBodyBytes with 413 before reading the rest', async () => {
    const query = `# ${'x'.repeat(3000)}\n{ statements { totalCount } }`;
    const { status, body } = await withoutSql({ query }, production);
    expect(status).toBe(413);
    expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'PAYLOAD_TOO_LARGE' } })]);
  });

  it('says "Did you mean" outside production, and not in production (NODE_ENV=production)', async () => {
    const typo = { query: '{ statements { nodes { titel } } }' };
    const development = await withoutSql(typo);
    expect(development.status).toBe(400);
    expect(development.body.errors![0]!.message).toMatch(/Did you mean "title"/);

    const hidden = await withoutSql(typo, production);
    expect(hidden.status).toBe(400);
    expect(hidden.body.errors).toEqual([{ message: 'Cannot query field "titel" on type "Statement".', locations: [{ line: 1, column: 24 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);

    const enumTypo = { query: 'query ($o: StatementOrderBy!) { statements(orderBy: $o) { totalCount } }', variables: { o: 'DATE_DES' } };
    expect((await withoutSql(enumTypo)).body.errors![0]!.message).toMatch(/Did you mean the enum value "DATE_DESC"/);
    const enumHidden = await withoutSql(enumTypo, production);
    expect(enumHidden.status).toBe(400);
    expect(enumHidden.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(enumHidden.body.errors![0]!.message).toMatch(/^Variable "\$o" got invalid value "DATE_DES"/);
    expect(enumHidden.body.errors![0]!.message).not.toMatch(/Did you mean/);
  });
});
