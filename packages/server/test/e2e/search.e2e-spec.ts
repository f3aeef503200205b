import type { RunningServer } from '../../src/index';
import { graphql, startTestServer } from '../support/test-database';

const SEARCH = /* GraphQL */ `
  query Search($query: String!, $types: [SearchType!], $first: Int, $after: String) {
    search(query: $query, types: $types, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges {
        cursor
        node {
          rank
          snippet
          type
          node {
            __typename
            ... on Statement { id key title }
            ... on Source { id key title }
            ... on Person { id key name }
            ... on Signatory { id key name iso3 }
          }
        }
      }
    }
  }
`;

interface Hit {
  rank: number;
  snippet: string;
  type: 'STATEMENT' | 'SOURCE' | 'PERSON' | 'SIGNATORY';
  node: { __typename: string; id: string; key: string; title?: string; name?: string; iso3?: string | null };
}

interface SearchResult {
  search: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Hit }[];
  };
}

describe('full-text search over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function search(variables: Record<string, unknown>) {
    const { status, data, errors } = await graphql<SearchResult>(server.url, SEARCH, variables);
    expect(status).toBe(200);
    expect(errors).toBeUndefined();
    return { ...data!.search, hits: data!.search.edges.map((e) => e.node) };
  }
  const keysOf = (hits: Hit[], type: Hit['type']) => hits.filter((h) => h.type === type).map((h) => h.node.key);

  it('finds the source and the statement that say "unfettered access", the source first among sources, with marked snippets', async () => {
    const { hits, totalCount } = await search({ query: 'unfettered access' });
    expect(totalCount).toBe(hits.length);
    expect(keysOf(hits, 'SOURCE')[0]).toBe('seed-article-2021-10-22');
    expect(keysOf(hits, 'STATEMENT')).toContain('unga76-c3-xinjiang-france');
    const source = hits.find((h) => h.node.key === 'seed-article-2021-10-22')!;
    expect(source.node.__typename).toBe('Source');
    expect(source.rank).toBeGreaterThan(0);
    expect(source.snippet).toContain('<mark>unfettered</mark> <mark>access</mark>');
    expect(source.snippet).toMatch(/Xinjiang/);
    // best first
    const ranks = hits.map((h) => h.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  });

  it('searches for quoted phrases', async () => {
    const { hits } = await search({ query: '"unfettered access"' });
    expect(keysOf(hits, 'SOURCE')).toContain('seed-article-2021-10-22');
    expect(keysOf(hits, 'STATEMENT')).toContain('unga76-c3-xinjiang-france');
    // the words in the other order are not the phrase
    const reversed = await search({ query: '"access unfettered"' });
    expect(reversed.hits).toHaveLength(0);
    expect(reversed.totalCount).toBe(0);
  });

  it('excludes -words', async () => {
    const all = await search({ query: 'Xinjiang', types: ['STATEMENT'], first: 100 });
    expect(keysOf(all.hits, 'STATEMENT')).toEqual(expect.arrayContaining(['unga76-c3-xinjiang-cuba', 'unga75-c3-xinjiang-cuba']));
    const { hits } = await search({ query: 'Xinjiang -Cuba', types: ['STATEMENT'], first: 100 });
    const keys = keysOf(hits, 'STATEMENT');
    expect(keys).toContain('unga76-c3-xinjiang-france');
    expect(keys).not.toContain('unga76-c3-xinjiang-cuba');
    expect(keys).not.toContain('unga75-c3-xinjiang-cuba');
    expect(keys).toHaveLength(all.hits.length - 2);
    expect(hits.every((h) => !/cuba/i.test(h.node.title!) && !/cuba/i.test(h.snippet))).toBe(true);
  });

  it('matches either word with or', async () => {
    const { hits } = await search({ query: 'Kuwait or Belarus', types: ['STATEMENT'] });
    expect(keysOf(hits, 'STATEMENT').sort()).toEqual(['unga74-c3-xinjiang-belarus', 'unga75-c3-xinjiang-kuwait-gulf', 'unga76-c3-xinjiang-kuwait-gulf']);
  });

  it('ignores accents', async () => {
    const { hits } = await search({ query: 'Riviere' });
    const person = hits.find((h) => h.type === 'PERSON')!;
    expect(person.node).toMatchObject({ __typename: 'Person', key: 'nicolas-de-riviere', name: 'Nicolas de Rivière' });
    expect(person.snippet).toBe('Nicolas de <mark>Rivière</mark>');
  });

  it('searches only the types asked for', async () => {
    const { hits } = await search({ query: 'Germany', types: ['SIGNATORY'] });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.type === 'SIGNATORY' && h.node.__typename === 'Signatory')).toBe(true);
    expect(hits[0]!.node).toMatchObject({ name: 'Germany', iso3: 'DEU' });
    const everything = await search({ query: 'Germany', types: [] });
    expect(new Set(everything.hits.map((h) => h.type))).toEqual(new Set(['SIGNATORY', 'STATEMENT']));
  });

  it('pages through every hit with keyset cursors, without duplicates, and counts them', async () => {
    const seen: string[] = [];
    const ranks: number[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (let i = 0; i < 100; i++) {
      const page = await search({ query: 'Xinjiang', first: 2, after });
      totalCount = page.totalCount;
      expect(page.hits.length).toBeLessThanOrEqual(2);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.hits.map((h) => h.node.id));
      ranks.push(...page.hits.map((h) => h.rank));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.length).toBeGreaterThan(10);
    expect(new Set(seen).size).toBe(seen.length);
    expect(totalCount).toBe(seen.length);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const all = await search({ query: 'Xinjiang', first: 100 });
    expect(all.hits.map((h) => h.node.id)).toEqual(seen);
  });

  it('resolves the hits as nodes', async () => {
    const { hits } = await search({ query: 'unfettered access', first: 1 });
    type N = { node: { __typename: string } | null };
    const { data } = await graphql<N>(server.url, `query($id: ID!) { node(id: $id) { __typename } }`, { id: hits[0]!.node.id });
    expect(data!.node!.__typename).toBe(hits[0]!.node.__typename);
  });

  it('refuses blank, word-less and overlong queries with BAD_USER_INPUT', async () => {
    for (const query of ['', '   ', 'the', '"" -', 'x'.repeat(501)]) {
      const { errors } = await graphql(server.url, SEARCH, { query });
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const blank = await graphql(server.url, SEARCH, { query: '  ' });
    expect(blank.errors?.[0]?.message).toMatch(/query is empty; send words to look for/);
    const stopWords = await graphql(server.url, SEARCH, { query: 'the' });
    expect(stopWords.errors?.[0]?.message).toMatch(/no searchable word/);
  });

  it('refuses a page over 100 and cursors of other lists with BAD_USER_INPUT', async () => {
    const tooMany = await graphql(server.url, SEARCH, { query: 'Xinjiang', first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(tooMany.errors?.[0]?.message).toMatch(/first must be between 0 and 100/);
    const id = '00000000-0000-4000-8000-000000000000';
    // 3.5e38 is a finite number but no real (the rank's type) holds it.
    for (const position of [['2021-10-21', id], [0.5, 'ARTICLE', id], [0.5, 'SOURCE', 'not-a-uuid'], ['0.5', 'SOURCE', id], [3.5e38, 'SOURCE', id]]) {
      const after = Buffer.from(JSON.stringify(position)).toString('base64url');
      const { errors } = await graphql(server.url, SEARCH, { query: 'Xinjiang', after });
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
