import { getIntrospectionQuery } from 'graphql';
import type { RunningServer } from '../../src/index';
import { startTestServer, testDatabaseUrl } from '../support/test-database';

/**
 * Compiled execution (graphql-jit, the default) against graphql-js's interpreter
 * (JOINTLY_COMPILED_OPERATIONS=0) on the same archive: every document below — nested lists,
 * aliases, fragments, the Node interface, the search union, defaults, @skip/@include, errors
 * inside lists, null propagation, custom scalars, introspection — must get the same HTTP status and
 * the same JSON from both.
 */
interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

const NESTED = `query Nested($first: Int!, $signatures: Int = 3) {
  statements(first: $first) {
    totalCount
    nodes {
      __typename id key title date kind forum createdAt listedSignatoryCount claimedSignatoryCount topics
      signatures(first: $signatures) {
        totalCount
        nodes { position status nameAsWritten joinedOn signatory { key name iso3 kind } }
        edges { cursor node { ...SignatureBits } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
      evidence { quote source { key title publisher publishedOn } }
      leadSignatory { key }
      respondsTo { key }
      responses { key }
    }
    pageInfo { hasNextPage endCursor }
  }
}
fragment SignatureBits on Signature { id version withdrawnOn who: signatory { ... on Signatory { key } } }`;

function cases(ids: { statement: string; signatory: string; signature: string }): Case[] {
  return [
    { name: 'the nested list, with aliases and fragments', query: NESTED, variables: { first: 5 } },
    { name: 'the nested list at full page sizes', query: NESTED, variables: { first: 100, signatures: 100 } },
    {
      name: 'a non-null enum variable left to its default, and one given',
      query: `query Ordered($orderBy: StatementOrderBy! = SIGNATURE_COUNT_DESC, $n: Int) { statements(first: $n, orderBy: $orderBy) { nodes { key listedSignatoryCount } } }`,
      variables: { n: 4 },
    },
    {
      name: 'the same with the variable given',
      query: `query Ordered($orderBy: StatementOrderBy! = SIGNATURE_COUNT_DESC, $n: Int) { statements(first: $n, orderBy: $orderBy) { nodes { key } } }`,
      variables: { n: 4, orderBy: 'DATE_DESC' },
    },
    {
      name: '@skip and @include',
      query: `query Directives($with: Boolean!, $without: Boolean!) { statements(first: 3) { nodes { key title @include(if: $with) date @skip(if: $without) signatures(first: 2) @include(if: $with) { nodes { signatory { key } } } } } }`,
      variables: { with: true, without: true },
    },
    {
      name: 'the Node interface, one of each type',
      query: `query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Statement { key } ... on Signatory { iso3 name } ... on Signature { nameAsWritten statement { key } } } }`,
      variables: { ids: [ids.statement, ids.signatory, ids.signature] },
    },
    {
      name: 'the search union',
      query: `{ search(query: "xinjiang", first: 10) { totalCount edges { cursor rank snippet node { __typename ... on Statement { key date } ... on Source { key title } ... on Person { key } ... on Signatory { key } } } } }`,
    },
    {
      name: "a signatory's history with each statement",
      query: `query History($ref: String!) { signatory(ref: $ref) { key name signatures(first: 10) { totalCount edges { cursor node { position status statement { key title date } } } pageInfo { hasNextPage endCursor } } } }`,
      variables: { ref: 'FRA' },
    },
    {
      name: 'a comparison',
      query: `{ compareStatements(a: "unga76-c3-xinjiang-france", b: "unga76-c3-xinjiang-cuba") { a { key } b { key } both { key } onlyA { iso3 } onlyB { iso3 } } }`,
    },
    { name: 'a bad argument inside a list: an error per item, the rest answered', query: `{ statements(first: 3) { nodes { key signatures(first: 1000) { totalCount } } } }` },
    { name: 'a malformed global id', query: `{ statement(id: "not-an-id") { key } ok: statement(key: "unga76-c3-xinjiang-france") { key } }` },
    { name: 'a forged cursor', query: `{ statements(first: 2, after: "bm90IGEgY3Vyc29y") { nodes { key } } }` },
    { name: 'a variable of the wrong type', query: `query($n: Int!) { statements(first: $n) { nodes { key } } }`, variables: { n: 'ten' } },
    { name: 'a required variable left out', query: `query($n: Int!) { statements(first: $n) { nodes { key } } }` },
    { name: 'an unknown operation name', query: `query A { __typename }`, operationName: 'Nope' },
    { name: 'two operations, the second chosen', query: `query A { __typename } query B { statements(first: 1) { nodes { key } } }`, operationName: 'B' },
    { name: 'introspection', query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true }) },
  ];
}

async function answer(server: RunningServer, c: Case): Promise<{ status: number; body: unknown }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'apollo-require-preflight': 'true' },
    body: JSON.stringify({ query: c.query, variables: c.variables ?? {}, ...(c.operationName ? { operationName: c.operationName } : {}) }),
  });
  return { status: response.status, body: await response.json() };
}

describe('compiled execution answers exactly as graphql-js does', () => {
  const answers: Record<'compiled' | 'interpreted', Map<string, { status: number; body: unknown }>> = { compiled: new Map(), interpreted: new Map() };
  let all: Case[] = [];

  beforeAll(async () => {
    const databaseUrl = await testDatabaseUrl();
    // One server at a time on the same archive (the embedded database serves one connection).
    for (const mode of ['interpreted', 'compiled'] as const) {
      const server = await startTestServer({
        databaseUrl,
        env: { JOINTLY_COMPILED_OPERATIONS: mode === 'compiled' ? '100' : '0', JOINTLY_RESPONSE_CACHE_MB: '0' },
      });
      try {
        if (all.length === 0) {
          const ids = (await answer(server, {
            name: 'ids',
            query: `{ statement(key: "unga76-c3-xinjiang-france") { id signatures(first: 1) { nodes { id signatory { id } } } } }`,
          })).body as { data: { statement: { id: string; signatures: { nodes: { id: string; signatory: { id: string } }[] } } } };
          const statement = ids.data.statement;
          all = cases({ statement: statement.id, signature: statement.signatures.nodes[0]!.id, signatory: statement.signatures.nodes[0]!.signatory.id });
        }
        // Twice each: the first compiles, the second runs the compiled function.
        for (const c of all) answers[mode].set(c.name, await answer(server, c));
        for (const c of all) expect(await answer(server, c)).toEqual(answers[mode].get(c.name));
      } finally {
        await server.stop();
      }
    }
  });

  it('covers answers with data and with errors', () => {
    const bodies = [...answers.compiled.values()].map((a) => a.body as { data?: unknown; errors?: unknown[] });
    expect(bodies.filter((b) => b.errors === undefined && b.data).length).toBeGreaterThanOrEqual(10);
    expect(bodies.filter((b) => b.errors?.length).length).toBeGreaterThanOrEqual(5);
    const nested = answers.compiled.get('the nested list at full page sizes')!.body as { data: { statements: { nodes: { signatures: { nodes: unknown[] } }[] } } };
    expect(nested.data.statements.nodes.reduce((n, s) => n + s.signatures.nodes.length, 0)).toBeGreaterThan(100);
  });

  it.each(cases({ statement: '', signatory: '', signature: '' }).map((c) => c.name))(
    '%s',
    (name) => {
      expect(answers.compiled.get(name)).toBeDefined();
      expect(answers.compiled.get(name)).toEqual(answers.interpreted.get(name));
    },
  );
});
