import type { RunningServer } from '../../src/index';
import { graphql, startTestServer } from '../support/test-database';

type Keys = { nodes: { key: string }[] };
type SourcePage = {
  sources: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    nodes: { key: string; publishedOn: string | null }[];
  };
};

const SOURCES = /* GraphQL */ `
  query Sources($first: Int, $after: String, $last: Int, $before: String, $filter: SourceFilter) {
    sources(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { key publishedOn }
    }
  }
`;

/** The 12 sources of the sample bundles. */
const ALL_SOURCES = [
  'seed-article-2021-10-22',
  'appledaily-2020-10-07',
  'xinhua-2020-10-07',
  'defencepk-2020-full-list',
  'tuidang-2019-11-document-war',
  'unwatch-2019-missing-48',
  'shinn-2019-28-african',
  'suaramuslim-2019-qatar',
  'yahoo-2019-qatar-withdraws',
  'hrc41-g17',
  'amnesty-ca-2019-07-hrc41',
  'tashkenttimes-2019-uzbekistan',
];

describe('the sources and people API over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const sources = async (variables: Record<string, unknown>) => {
    const { data, errors } = await graphql<SourcePage>(server.url, SOURCES, variables);
    expect(errors).toBeUndefined();
    return data!.sources;
  };

  describe('sources', () => {
    it('lists all 12 sample sources, newest first', async () => {
      const page = await sources({ first: 100 });
      expect(page.totalCount).toBe(12);
      expect(page.nodes.map((n) => n.key).sort()).toEqual([...ALL_SOURCES].sort());
      const dates = page.nodes.map((n) => n.publishedOn!.padEnd(10, '-01').slice(0, 10));
      expect(dates).toEqual([...dates].sort().reverse());
      expect(page.nodes[0]).toEqual({ key: 'seed-article-2021-10-22', publishedOn: '2021-10-22' });
      expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    });

    it('pages forward with first/after and back with last/before, without overlaps or gaps', async () => {
      const forward: string[] = [];
      let after: string | null = null;
      let endCursor: string | null = null;
      for (let i = 0; i < 5; i++) {
        const page = await sources({ first: 5, after });
        forward.push(...page.nodes.map((n) => n.key));
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        endCursor = page.pageInfo.endCursor;
        if (!page.pageInfo.hasNextPage) break;
        after = endCursor;
      }
      expect(forward).toHaveLength(12);
      expect(new Set(forward).size).toBe(12);

      // From the end of the list back to its start: the last page first, each page in list order.
      const backward: string[][] = [];
      const last = await sources({ last: 5 });
      expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      backward.unshift(last.nodes.map((n) => n.key));
      let before = last.pageInfo.startCursor;
      for (let i = 0; i < 5 && before; i++) {
        const page = await sources({ last: 5, before });
        expect(page.pageInfo.hasNextPage).toBe(true);
        backward.unshift(page.nodes.map((n) => n.key));
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(backward.map((p) => p.length)).toEqual([2, 5, 5]);
      expect(backward.flat()).toEqual(forward);

      // Nothing after the last item.
      const beyond = await sources({ first: 5, after: endCursor });
      expect(beyond.nodes).toEqual([]);
      expect(beyond.pageInfo.hasNextPage).toBe(false);
    });

    it('filters by publication period: "2020" to "2020" is the whole year', async () => {
      const year = await sources({ filter: { publishedFrom: '2020', publishedTo: '2020' } });
      expect(year.nodes.map((n) => n.key).sort()).toEqual(['appledaily-2020-10-07', 'defencepk-2020-full-list', 'xinhua-2020-10-07']);
      expect(year.totalCount).toBe(3);

      const month = await sources({ filter: { publishedFrom: '2019-08', publishedTo: '2019-08' } });
      expect(month.nodes.map((n) => n.key).sort()).toEqual(['hrc41-g17', 'suaramuslim-2019-qatar', 'yahoo-2019-qatar-withdraws']);

      const since = await sources({ filter: { publishedFrom: '2020-10-07' } });
      expect(since.nodes.map((n) => n.key).sort()).toEqual(['appledaily-2020-10-07', 'seed-article-2021-10-22', 'xinhua-2020-10-07']);

      const until = await sources({ filter: { publishedTo: '2019-07' } });
      expect(until.nodes.map((n) => n.key).sort()).toEqual(['amnesty-ca-2019-07-hrc41', 'tashkenttimes-2019-uzbekistan']);

      const reversed = await graphql(server.url, SOURCES, { filter: { publishedFrom: '2021', publishedTo: '2020' } });
      expect(reversed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const malformed = await graphql(server.url, SOURCES, { filter: { publishedFrom: '2020-13' } });
      expect(malformed.errors?.[0]).toBeDefined();
    });

    it('filters by kind and by publisher', async () => {
      const ngo = await sources({ filter: { kind: 'NGO_PAGE' } });
      expect(ngo.nodes.map((n) => n.key).sort()).toEqual(['amnesty-ca-2019-07-hrc41', 'unwatch-2019-missing-48']);
      expect(ngo.totalCount).toBe(2);

      const unWatch = await sources({ filter: { publisher: 'UN Watch' } });
      expect(unWatch.nodes.map((n) => n.key)).toEqual(['unwatch-2019-missing-48']);

      const both = await sources({ filter: { kind: 'NEWS_ARTICLE', publisher: 'Xinhua' } });
      expect(both.nodes.map((n) => n.key)).toEqual(['xinhua-2020-10-07']);
      const none = await sources({ filter: { kind: 'NGO_PAGE', publisher: 'Xinhua' } });
      expect(none).toMatchObject({ nodes: [], totalCount: 0 });
    });

    it('searches the full text', async () => {
      const found = await sources({ filter: { search: 'unfettered access' } });
      expect(found.nodes.map((n) => n.key)).toEqual(['seed-article-2021-10-22']);
      expect(found.totalCount).toBe(1);
      const nothing = await sources({ filter: { search: 'photosynthesis' } });
      expect(nothing.nodes).toEqual([]);
      const paged = await sources({ first: 1, filter: { search: 'Xinjiang' } });
      expect(paged.nodes).toHaveLength(1);
      expect(paged.totalCount).toBeGreaterThan(1);
      expect(paged.pageInfo.hasNextPage).toBe(true);
    });

    it('finds a source by key and by global id; unknown is null; bad ids and arguments are BAD_USER_INPUT', async () => {
      type One = { source: { id: string; key: string; kind: string } | null };
      const byKey = await graphql<One>(server.url, `{ source(key: "hrc41-g17") { id key kind } }`);
      expect(byKey.data!.source).toMatchObject({ key: 'hrc41-g17', kind: 'OTHER' });
      const byId = await graphql<One>(server.url, `query($id: ID) { source(id: $id) { key } }`, { id: byKey.data!.source!.id });
      expect(byId.data!.source!.key).toBe('hrc41-g17');

      const missing = await graphql<One>(server.url, `{ source(key: "nope") { key } }`);
      expect(missing.errors).toBeUndefined();
      expect(missing.data!.source).toBeNull();

      const garbage = await graphql(server.url, `{ source(id: "garbage") { key } }`);
      expect(garbage.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

      const person = await graphql<{ person: { id: string } }>(server.url, `{ person(key: "zhang-jun") { id } }`);
      const wrongType = await graphql(server.url, `query($id: ID) { source(id: $id) { key } }`, { id: person.data!.person.id });
      expect(wrongType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

      for (const query of [`{ source { key } }`, `{ source(id: "${byKey.data!.source!.id}", key: "hrc41-g17") { key } }`]) {
        const { errors } = await graphql(server.url, query);
        expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
    });

    it('refuses a page over 100 and forged cursors with BAD_USER_INPUT', async () => {
      const big = await graphql(server.url, SOURCES, { first: 101 });
      expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const bigLast = await graphql(server.url, SOURCES, { last: 101 });
      expect(bigLast.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const forged = Buffer.from(JSON.stringify(['Heusgen', 'x'])).toString('base64url');
      const cursor = await graphql(server.url, SOURCES, { after: forged });
      expect(cursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const nested = await graphql(server.url, `query($after: String) { source(key: "hrc41-g17") { statements(after: $after) { totalCount } } }`, {
        after: forged,
      });
      expect(nested.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('Source.statements', () => {
    type Reported = { source: { statements: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { key: string; date: string }[] } } };
    const REPORTED = `query($key: String, $first: Int, $after: String, $last: Int, $before: String) {
      source(key: $key) { statements(first: $first, after: $after, last: $last, before: $before) { totalCount pageInfo { hasNextPage endCursor } nodes { key date } } }
    }`;

    it('lists the four 2021 statements the seed article reports', async () => {
      const { data, errors } = await graphql<Reported>(server.url, REPORTED, { key: 'seed-article-2021-10-22' });
      expect(errors).toBeUndefined();
      const statements = data!.source.statements;
      expect(statements.totalCount).toBe(4);
      expect(statements.nodes.map((n) => n.key).sort()).toEqual([
        'unga76-c3-xinjiang-china-reply',
        'unga76-c3-xinjiang-cuba',
        'unga76-c3-xinjiang-france',
        'unga76-c3-xinjiang-kuwait-gulf',
      ]);
      expect(statements.nodes.every((n) => n.date === '2021-10-21')).toBe(true);
    });

    it('lists a statement once although the source supports it three ways', async () => {
      // hrc41-g17 is evidence for the counter-letter itself, for signatures of it, and for a count claim.
      const { data } = await graphql<Reported>(server.url, REPORTED, { key: 'hrc41-g17' });
      expect(data!.source.statements).toMatchObject({ totalCount: 1, nodes: [{ key: 'hrc41-xinjiang-counter-letter', date: '2019-07-12' }] });
      // Only through signatures' evidence.
      const uzbekistan = await graphql<Reported>(server.url, REPORTED, { key: 'tashkenttimes-2019-uzbekistan' });
      expect(uzbekistan.data!.source.statements.nodes.map((n) => n.key)).toEqual(['hrc41-xinjiang-counter-letter']);
      // Through the count claim and signatures' evidence.
      const suara = await graphql<Reported>(server.url, REPORTED, { key: 'suaramuslim-2019-qatar' });
      expect(suara.data!.source.statements.nodes.map((n) => n.key)).toEqual(['hrc41-xinjiang-counter-letter']);
    });

    it('pages the statements of a source both ways', async () => {
      const first = await graphql<Reported>(server.url, REPORTED, { key: 'seed-article-2021-10-22', first: 3 });
      expect(first.data!.source.statements.pageInfo.hasNextPage).toBe(true);
      expect(first.data!.source.statements.totalCount).toBe(4);
      const rest = await graphql<Reported>(server.url, REPORTED, {
        key: 'seed-article-2021-10-22',
        first: 3,
        after: first.data!.source.statements.pageInfo.endCursor,
      });
      expect(rest.data!.source.statements.pageInfo.hasNextPage).toBe(false);
      const forward = [...first.data!.source.statements.nodes, ...rest.data!.source.statements.nodes].map((n) => n.key);
      expect(forward).toHaveLength(4);
      expect(new Set(forward).size).toBe(4);
      const last = await graphql<Reported>(server.url, REPORTED, { key: 'seed-article-2021-10-22', last: 2 });
      expect(last.data!.source.statements.nodes.map((n) => n.key)).toEqual(forward.slice(2));
      const newest = await graphql<Reported>(server.url, REPORTED, { key: 'defencepk-2020-full-list' });
      expect(newest.data!.source.statements.nodes.map((n) => n.key).sort()).toEqual(['unga75-c3-xinjiang-cuba', 'unga75-c3-xinjiang-germany']);
    });

    it('batches: the same number of SQL statements for 1 source as for 12 (no N+1)', async () => {
      // statements(first: 1) leaves some lists longer than their page, so their counts need a query.
      const query = `query($first: Int) { sources(first: $first) { nodes { key statements(first: 1) { totalCount nodes { key } } } } }`;
      const count = async (first: number) => {
        const before = server.database.sql.total;
        const { data, errors } = await graphql<{ sources: { nodes: { key: string; statements: { totalCount: number; nodes: Keys['nodes'] } }[] } }>(
          server.url,
          query,
          { first },
        );
        expect(errors).toBeUndefined();
        expect(data!.sources.nodes.every((s) => s.statements.totalCount >= s.statements.nodes.length && s.statements.nodes.length > 0)).toBe(true);
        return server.database.sql.total - before;
      };
      const one = await count(1);
      const all = await count(100);
      expect(all).toBe(one);
      // sources page, statement lists, the statements, their counts
      expect(one).toBeLessThanOrEqual(4);
    });
  });

  describe('people', () => {
    type People = { people: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { key: string; name: string }[] } };
    const PEOPLE = `query($first: Int, $after: String, $last: Int, $before: String, $filter: PersonFilter) {
      people(first: $first, after: $after, last: $last, before: $before, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { key name } }
    }`;
    const people = async (variables: Record<string, unknown>) => {
      const { data, errors } = await graphql<People>(server.url, PEOPLE, variables);
      expect(errors).toBeUndefined();
      return data!.people;
    };

    it('lists the four sample people by name, paging forward and backward', async () => {
      const all = await people({});
      expect(all.totalCount).toBe(4);
      expect(all.nodes.map((n) => n.key)).toEqual(['christoph-heusgen', 'michelle-bachelet', 'nicolas-de-riviere', 'zhang-jun']);
      const first = await people({ first: 3 });
      expect(first.pageInfo.hasNextPage).toBe(true);
      const rest = await people({ first: 3, after: first.pageInfo.endCursor });
      expect([...first.nodes, ...rest.nodes].map((n) => n.key)).toEqual(all.nodes.map((n) => n.key));
      const last = await people({ last: 2 });
      expect(last.nodes.map((n) => n.key)).toEqual(['nicolas-de-riviere', 'zhang-jun']);
    });

    it('searches names accent-insensitively, by word start and by alias', async () => {
      const keys = async (search: string) => (await people({ filter: { search } })).nodes.map((n) => n.key);
      expect(await keys('Riviere')).toEqual(['nicolas-de-riviere']);
      expect(await keys('Rivière')).toEqual(['nicolas-de-riviere']);
      expect(await keys('nicolas de riviere')).toEqual(['nicolas-de-riviere']);
      expect(await keys('riv')).toEqual(['nicolas-de-riviere']);
      expect(await keys('Bach')).toEqual(['michelle-bachelet']);
      expect(await keys('Michele')).toEqual(['michelle-bachelet']);
      expect(await keys('zhang')).toEqual(['zhang-jun']);
      expect(await keys('Nobody')).toEqual([]);
      expect(await keys('%')).toEqual([]);
      expect((await people({ filter: { search: 'Riviere' } })).totalCount).toBe(1);
    });

    it('finds a person by key and by global id; unknown is null; bad ids and page sizes are BAD_USER_INPUT', async () => {
      type One = { person: { id: string; key: string; name: string; aliases: string[] } | null };
      const byKey = await graphql<One>(server.url, `{ person(key: "michelle-bachelet") { id key name aliases } }`);
      expect(byKey.data!.person).toMatchObject({ key: 'michelle-bachelet', name: 'Michelle Bachelet', aliases: ['Michele Bachelet'] });
      const byId = await graphql<One>(server.url, `query($id: ID) { person(id: $id) { key } }`, { id: byKey.data!.person!.id });
      expect(byId.data!.person!.key).toBe('michelle-bachelet');
      expect((await graphql<One>(server.url, `{ person(key: "nope") { key } }`)).data!.person).toBeNull();
      expect((await graphql(server.url, `{ person(id: "garbage") { key } }`)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await graphql(server.url, `{ person { key } }`)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await graphql(server.url, PEOPLE, { first: 101 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('gives roles with the signatory represented and the period', async () => {
      type Roles = { person: { roles: { title: string; organization: string | null; from: string | null; to: string | null; signatory: { iso3: string | null } | null }[] } };
      const heusgen = await graphql<Roles>(server.url, `{ person(key: "christoph-heusgen") { roles { title organization from to signatory { iso3 } } } }`);
      expect(heusgen.errors).toBeUndefined();
      expect(heusgen.data!.person.roles).toEqual([
        { title: 'Permanent Representative of Germany to the United Nations', organization: null, from: '2017', to: '2021', signatory: { iso3: 'DEU' } },
      ]);
      const bachelet = await graphql<Roles>(server.url, `{ person(key: "michelle-bachelet") { roles { organization from to signatory { iso3 } } } }`);
      expect(bachelet.data!.person.roles).toEqual([
        { organization: 'Office of the United Nations High Commissioner for Human Rights', from: '2018-09', to: null, signatory: null },
      ]);
    });

    it('lists the statements a person delivered, newest first, batched', async () => {
      type Delivered = { people: { nodes: { key: string; statements: { totalCount: number; nodes: { key: string }[] } }[] } };
      const query = `query($first: Int) { people(first: $first) { nodes { key statements { totalCount nodes { key } } } } }`;
      const before = server.database.sql.total;
      const { data, errors } = await graphql<Delivered>(server.url, query, { first: 100 });
      const statements = server.database.sql.total - before;
      expect(errors).toBeUndefined();
      const byKey = Object.fromEntries(data!.people.nodes.map((p) => [p.key, p.statements]));
      expect(byKey['nicolas-de-riviere']).toEqual({ totalCount: 1, nodes: [{ key: 'unga76-c3-xinjiang-france' }] });
      expect(byKey['zhang-jun']).toEqual({ totalCount: 1, nodes: [{ key: 'unga76-c3-xinjiang-china-reply' }] });
      expect(byKey['christoph-heusgen']).toEqual({ totalCount: 1, nodes: [{ key: 'unga75-c3-xinjiang-germany' }] });
      expect(byKey['michelle-bachelet']).toEqual({ totalCount: 0, nodes: [] });
      // people page, statement lists, the statements, their counts
      expect(statements).toBeLessThanOrEqual(4);
    });
  });
});

describe('undated sources', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
    // Two sources without a publication date, next to the 12 dated ones of the sample data.
    await server.database.dataSource.query(
      `INSERT INTO source (key, kind, title, authors, version) VALUES
         ('undated-a', 'OTHER', 'An undated page', '{}', 1), ('undated-b', 'OTHER', 'Another undated page', '{}', 1)`,
    );
  });
  afterAll(async () => {
    await server.stop();
  });

  it('sort last and page both ways with the dated ones', async () => {
    type Page = { sources: { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }; nodes: { key: string; publishedOn: string | null }[] } };
    const run = async (variables: Record<string, unknown>) => {
      const { data, errors } = await graphql<Page>(server.url, SOURCES, variables);
      expect(errors).toBeUndefined();
      return data!.sources;
    };
    const all = await run({ first: 100 });
    expect(all.totalCount).toBe(14);
    expect(all.nodes.slice(12).map((n) => n.key).sort()).toEqual(['undated-a', 'undated-b']);
    expect(all.nodes.slice(12).every((n) => n.publishedOn === null)).toBe(true);

    const forward: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await run({ first: 3, after });
      forward.push(...page.nodes.map((n) => n.key));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(forward).toEqual(all.nodes.map((n) => n.key));

    const backward: string[] = [];
    let before: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await run({ last: 3, before });
      backward.unshift(...page.nodes.map((n) => n.key));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward).toEqual(forward);

    const dated = await run({ filter: { publishedTo: '2100' } });
    expect(dated.totalCount).toBe(12);
  });
});
