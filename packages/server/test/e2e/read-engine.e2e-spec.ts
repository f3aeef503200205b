import type { RunningServer } from '../../src/index';
import { createToken } from '../../src/index';
import { startTestServer } from '../support/test-database';

/**
 * The read engine (src/read): a read operation is answered by one SQL statement that builds the
 * whole JSON answer. Its answers are proved the same as the resolvers' by the golden test; here,
 * what the design promises besides: one statement whatever the shape, one snapshot per response,
 * and the database's JSON text sent as it is.
 */
describe('the read engine', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { JOINTLY_RESPONSE_CACHE_MB: '0' } });
  });
  afterAll(async () => {
    await server.stop();
  });

  async function post(query: string, variables: Record<string, unknown> = {}): Promise<{ text: string; sql: number }> {
    const before = server.database.sql.total;
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const text = await response.text();
    expect(response.status).toBe(200);
    return { text, sql: server.database.sql.total - before };
  }

  const NESTED = `query($first: Int, $signatures: Int) {
    statements(first: $first) {
      totalCount
      edges { cursor node { id key title date topics respondsTo { key } leadSignatory { name memberOf { key } }
        signatures(first: $signatures) { totalCount pageInfo { hasNextPage endCursor } nodes { id position signatory { name iso3 aliases { name } } statement { key } evidence { quote source { title } } } }
        evidence { quote source { key title statements(first: 2) { nodes { key } } } }
        countClaims { count source { key } }
        deliveredBy { name roles { title signatory { key } } }
      } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
    sources(first: 3) { nodes { key publishedOn } }
    people(first: 3) { totalCount nodes { key statements { totalCount } } }
  }`;

  it('answers a nested read of several lists with one SQL statement, at every page size', async () => {
    for (const [first, signatures] of [
      [1, 1],
      [10, 100],
      [100, 10],
    ]) {
      const { text, sql } = await post(NESTED, { first, signatures });
      const answer = JSON.parse(text) as { data?: { statements: { edges: unknown[] } }; errors?: unknown };
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.statements.edges.length).toBe(Math.min(first!, 11));
      expect(sql).toBe(1);
    }
  });

  it('sends the JSON text the database wrote, as compact as JSON.stringify writes it', async () => {
    const { text } = await post(NESTED, { first: 20, signatures: 100 });
    expect(text).toBe(`${JSON.stringify(JSON.parse(text))}\n`);
    // Quotes, apostrophes and non-ASCII names of the sample data pass through as JSON.stringify escapes them.
    expect(text).toContain(`"title":"China's reply to the joint statement on Xinjiang"`);
  });

  it("reads a mutation's payload back through the planner: one SQL statement, whatever its selection", async () => {
    const { token } = await createToken(server.database.dataSource.manager, 'read-engine-editor', 'editor');
    const update = async (payload: string, version: number, agendaItem: string) => {
      const before = server.database.sql.total;
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { errors { code } statement { ${payload} } } }`,
          variables: { input: { id: 'hrc41-xinjiang-letter-22', expectedVersion: version, agendaItem } },
        }),
      });
      const { data } = (await response.json()) as { data: { updateStatement: { errors: unknown[]; statement: Record<string, unknown> } } };
      expect(data.updateStatement.errors).toEqual([]);
      return { statement: data.updateStatement.statement, sql: server.database.sql.total - before };
    };
    // First use of the token (its first use is recorded), then the same write with a nested and a flat payload.
    await update('id', 1, 'Item 3');
    const nested = await update(
      'key agendaItem version signatures(first: 3) { totalCount nodes { signatory { name memberOf { key } } } } evidence { source { key } } deliveredBy { name }',
      2,
      'Item 4',
    );
    expect(nested.statement).toEqual({
      key: 'hrc41-xinjiang-letter-22',
      agendaItem: 'Item 4',
      version: 3,
      signatures: { totalCount: 22, nodes: ['Australia', 'Austria', 'Belgium'].map((name) => ({ signatory: { name, memberOf: expect.any(Array) } })) },
      evidence: [{ source: { key: 'amnesty-ca-2019-07-hrc41' } }],
      deliveredBy: null,
    });
    const flat = await update('id', 3, 'Item 4.');
    expect(flat.statement.id).toEqual(expect.any(String));
    // The nested payload is read in the one statement that reads any payload.
    expect(nested.sql).toBe(flat.sql);
  });

  it('reads every root field of a response in one snapshot, while statements are being added', async () => {
    const query = `{ a: statements { totalCount } b: statements(first: 100) { nodes { key } } c: statements { totalCount } }`;
    let writing = true;
    let added = 0;
    const writer = (async () => {
      while (writing && added < 60) {
        // A copy of a statement under a new key, committed on its own.
        await server.database.dataSource.query(
          `INSERT INTO statement SELECT (jsonb_populate_record(NULL::statement, to_jsonb(s) || jsonb_build_object('id', gen_random_uuid(), 'key', s.key || '-copy-' || $1::text))).*
           FROM statement s WHERE s.key = 'unga76-c3-xinjiang-france'`,
          [String(++added)],
        );
      }
    })();
    const answers: { a: number; b: number; c: number }[] = [];
    try {
      while (added < 60) {
        const { text } = await post(query);
        const { data } = JSON.parse(text) as { data: { a: { totalCount: number }; b: { nodes: unknown[] }; c: { totalCount: number } } };
        answers.push({ a: data.a.totalCount, b: data.b.nodes.length, c: data.c.totalCount });
      }
    } finally {
      writing = false;
      await writer;
    }
    expect(answers.length).toBeGreaterThan(1);
    // More than one state of the archive was read, and every response holds one of them.
    expect(new Set(answers.map((x) => x.a)).size).toBeGreaterThan(1);
    expect(answers.filter((x) => x.a !== x.b || x.b !== x.c)).toEqual([]);
  });
});
