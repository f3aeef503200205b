import type { RunningServer } from '../../src/index';
import { toGlobalId } from '../../src/common/global-id';
import { graphql, startTestServer } from '../support/test-database';

type Keys = { statements: { totalCount: number; nodes: { key: string }[] } };

describe('the read API answers researchers’ questions (sample data)', () => {
  let server: RunningServer;
  let ask: <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) => Promise<T>;
  beforeAll(async () => {
    server = await startTestServer();
    ask = async <T,>(query: string, variables?: Record<string, unknown>) => {
      const { data, errors } = await graphql<T>(server.url, query, variables);
      if (errors) throw new Error(JSON.stringify(errors));
      return data!;
    };
  });
  afterAll(async () => {
    await server.stop();
  });

  const keysOf = async (filter: Record<string, unknown>, orderBy = 'DATE_DESC') =>
    (
      await ask<Keys>(`query($filter: StatementFilter, $orderBy: StatementOrderBy) { statements(first: 100, filter: $filter, orderBy: $orderBy) { totalCount nodes { key } } }`, {
        filter,
        orderBy,
      })
    ).statements;

  it('compares the 2019 UK statement with the 2020 German one: who joined, who left', async () => {
    const { compareStatements: c } = await ask<{
      compareStatements: { a: { key: string }; b: { key: string }; both: { iso3: string }[]; onlyA: { iso3: string }[]; onlyB: { iso3: string }[] };
    }>(`{ compareStatements(a: "unga74-c3-xinjiang-uk", b: "unga75-c3-xinjiang-germany") { a { key } b { key } both { iso3 } onlyA { iso3 } onlyB { iso3 } } }`);
    expect(c.a.key).toBe('unga74-c3-xinjiang-uk');
    expect(c.both).toHaveLength(23);
    expect(c.onlyA).toEqual([]);
    expect(c.onlyB.map((s) => s.iso3).sort()).toEqual(['BGR', 'BIH', 'CHE', 'ESP', 'HND', 'HRV', 'HTI', 'ITA', 'MCO', 'MHL', 'MKD', 'NRU', 'PLW', 'POL', 'SVK', 'SVN']);
  });

  it("lists every statement Qatar signed, with its status (its signing history)", async () => {
    const { signatory } = await ask<{
      signatory: { name: string; signatures: { totalCount: number; nodes: { status: string; joinedOn: string; withdrawnOn: string; statement: { key: string } }[] } };
    }>(`{ signatory(ref: "Qatar") { name signatures { totalCount nodes { status joinedOn withdrawnOn statement { key } } } } }`);
    expect(signatory.signatures.totalCount).toBe(1);
    expect(signatory.signatures.nodes).toEqual([
      { status: 'WITHDRAWN', joinedOn: '2019-07-12', withdrawnOn: '2019-07-18', statement: { key: 'hrc41-xinjiang-counter-letter' } },
    ]);
    const { signatory: france } = await ask<{ signatory: { signatures: { totalCount: number; nodes: { statement: { key: string; date: string } }[] } } }>(
      `{ signatory(ref: "FRA") { signatures(filter: { dateFrom: "2020" }) { totalCount nodes { statement { key date } } } } }`,
    );
    expect(france.signatures.nodes.map((n) => n.statement.key)).toEqual(['unga76-c3-xinjiang-france', 'unga75-c3-xinjiang-germany']);
    expect(france.signatures.totalCount).toBe(2);
  });

  it("pages through a signatory's history forwards and backwards, newest first, without gaps or repeats", async () => {
    type History = { signatory: { signatures: { nodes: { statement: { key: string; date: string } }[]; edges: { cursor: string }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null; startCursor: string | null } } } };
    const PAGE = `query($after: String, $before: String, $first: Int, $last: Int, $filter: SignatureHistoryFilter) {
      signatory(ref: "FRA") { signatures(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
        nodes { statement { key date } } edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
    for (const filter of [null, { topic: 'Xinjiang' }]) {
      const all = (await ask<History>(PAGE, { first: 100, filter })).signatory.signatures.nodes.map((n) => n.statement.key);
      expect(all.length).toBeGreaterThan(3);
      // Page by page with pages of 2: forwards from the start (first/after), backwards from the end (last/before).
      const walk = async (forwards: boolean) => {
        const keys: string[] = [];
        let cursor: string | null = null;
        for (;;) {
          const variables = forwards ? { first: 2, after: cursor, filter } : { last: 2, before: cursor, filter };
          const page: History['signatory']['signatures'] = (await ask<History>(PAGE, variables)).signatory.signatures;
          const seen = page.nodes.map((n) => n.statement.key);
          if (forwards) keys.push(...seen);
          else keys.unshift(...seen);
          if (!(forwards ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage)) return keys;
          cursor = forwards ? page.pageInfo.endCursor : page.pageInfo.startCursor;
        }
      };
      expect(await walk(true)).toEqual(all);
      expect(await walk(false)).toEqual(all);
    }
  });

  it('filters by signedBy all / any / none (signatures that stand)', async () => {
    expect((await keysOf({ signedBy: { all: ['France', 'DEU'] } })).nodes.map((n) => n.key).sort()).toEqual([
      'hrc41-xinjiang-letter-22',
      'unga74-c3-xinjiang-uk',
      'unga75-c3-xinjiang-germany',
    ]);
    expect((await keysOf({ signedBy: { any: ['Cuba', 'France'] } })).totalCount).toBe(7);
    expect((await keysOf({ topic: 'Xinjiang', signedBy: { none: ['fr'] } })).totalCount).toBe(7);
    // Qatar withdrew from the counter-letter, so it does not stand among its signatories.
    expect((await keysOf({ signedBy: { all: ['Cuba', 'Qatar'] } })).totalCount).toBe(0);
    expect((await keysOf({ signedBy: { any: ['Cuba'], none: ['Kuwait'] } })).nodes.map((n) => n.key).sort()).toEqual([
      'unga75-c3-xinjiang-cuba',
      'unga76-c3-xinjiang-cuba',
    ]);
    const { errors } = await graphql(server.url, `{ statements(filter: { signedBy: { all: ["Liebia"] } }) { nodes { key } } }`);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(/filter\.signedBy\.all\[0\]: "Liebia" matches no signatory; did you mean .*Libya/);
  });

  it('filters by kind, forum, session, topic, dates, lead signatory, reply and text', async () => {
    expect((await keysOf({ kind: 'JOINT_LETTER' })).totalCount).toBe(2);
    expect((await keysOf({ forum: 'UN Human Rights Council' })).totalCount).toBe(2);
    expect((await keysOf({ session: '76' })).totalCount).toBe(4);
    expect((await keysOf({ topic: 'Tibet' })).nodes).toEqual([{ key: 'unga75-c3-xinjiang-germany' }]);
    expect((await keysOf({ dateFrom: '2020', dateTo: '2020' })).totalCount).toBe(3);
    expect((await keysOf({ dateFrom: '2019-07', dateTo: '2019-07' })).totalCount).toBe(2);
    expect((await keysOf({ leadSignatory: 'Cuba' })).nodes.map((n) => n.key).sort()).toEqual(['unga75-c3-xinjiang-cuba', 'unga76-c3-xinjiang-cuba']);
    expect((await keysOf({ respondsTo: 'unga76-c3-xinjiang-france' })).totalCount).toBe(3);
    expect((await keysOf({ search: 'unfettered access' })).nodes).toEqual([{ key: 'unga76-c3-xinjiang-france' }]);
    expect((await keysOf({ search: 'unfettered access' }, 'RELEVANCE')).nodes).toEqual([{ key: 'unga76-c3-xinjiang-france' }]);
  });

  it('orders by the number of signatures that stand, and counts them beside the claim', async () => {
    const { statements } = await ask<{ statements: { nodes: { key: string; listedSignatoryCount: number; claimedSignatoryCount: number }[] } }>(
      `{ statements(first: 3, orderBy: SIGNATURE_COUNT_DESC) { nodes { key listedSignatoryCount claimedSignatoryCount } } }`,
    );
    expect(statements.nodes).toEqual([
      { key: 'hrc41-xinjiang-counter-letter', listedSignatoryCount: 50, claimedSignatoryCount: 50 },
      { key: 'unga75-c3-xinjiang-cuba', listedSignatoryCount: 45, claimedSignatoryCount: 45 },
      { key: 'unga75-c3-xinjiang-germany', listedSignatoryCount: 39, claimedSignatoryCount: 39 },
    ]);
    const { errors } = await graphql(server.url, `{ statements(orderBy: RELEVANCE) { nodes { key } } }`);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows provenance: evidence with its passage, count claims, replies, readers', async () => {
    const { statement } = await ask<{
      statement: {
        evidence: { quote: string; paragraph: number; start: number; end: number; source: { key: string; body: string } }[];
        signatures: { nodes: { evidence: { quote: string; source: { key: string } }[] }[] };
        responses: { key: string }[];
        deliveredBy: { name: string };
        leadSignatory: { iso3: string };
      };
    }>(`{ statement(key: "unga76-c3-xinjiang-france") {
          evidence { quote paragraph start end source { key body } }
          signatures { nodes { evidence { quote source { key } } } }
          responses { key } deliveredBy { name } leadSignatory { iso3 } } }`);
    const [evidence] = statement.evidence;
    expect(evidence!.source.key).toBe('seed-article-2021-10-22');
    expect(evidence!.paragraph).toBe(2);
    expect(evidence!.source.body.slice(evidence!.start, evidence!.end)).toBe(evidence!.quote);
    expect(statement.signatures.nodes[0]!.evidence).toEqual([{ quote: 'read by French Ambassador Nicolas de Rivière', source: { key: 'seed-article-2021-10-22' } }]);
    expect(statement.responses.map((r) => r.key).sort()).toEqual(['unga76-c3-xinjiang-china-reply', 'unga76-c3-xinjiang-cuba', 'unga76-c3-xinjiang-kuwait-gulf']);
    expect(statement.deliveredBy.name).toBe('Nicolas de Rivière');
    expect(statement.leadSignatory.iso3).toBe('FRA');

    const { statement: counter } = await ask<{ statement: { respondsTo: { key: string }; countClaims: { count: number; source: { key: string } }[] } }>(
      `{ statement(key: "hrc41-xinjiang-counter-letter") { respondsTo { key } countClaims { count source { key } } } }`,
    );
    expect(counter.respondsTo.key).toBe('hrc41-xinjiang-letter-22');
    expect(counter.countClaims).toEqual([
      { count: 37, source: { key: 'suaramuslim-2019-qatar' } },
      { count: 50, source: { key: 'hrc41-g17' } },
    ]);
  });

  it('aligns signatories across statements', async () => {
    const { signatoryAlignment: t } = await ask<{
      signatoryAlignment: { statements: { key: string }[]; rows: { signatory: { iso3: string }; signedCount: number; signatures: ({ status: string } | null)[] }[] };
    }>(`{ signatoryAlignment(statements: ["hrc41-xinjiang-letter-22", "unga74-c3-xinjiang-uk", "unga75-c3-xinjiang-germany"]) {
          statements { key } rows { signatory { iso3 } signedCount signatures { status } } } }`);
    expect(t.statements.map((s) => s.key)).toEqual(['hrc41-xinjiang-letter-22', 'unga74-c3-xinjiang-uk', 'unga75-c3-xinjiang-germany']);
    const row = (iso3: string) => t.rows.find((r) => r.signatory.iso3 === iso3)!;
    expect(row('FRA')).toMatchObject({ signedCount: 3 });
    expect(row('ESP').signatures.map((s) => s?.status ?? null)).toEqual(['SIGNED', null, 'SIGNED']);
    expect(row('POL').signatures.map((s) => s?.status ?? null)).toEqual([null, null, 'SIGNED']);
    expect(t.rows[0]!.signedCount).toBe(3);
    // 22 + Albania, Liechtenstein, USA (2019) + 14 more in 2020 (Spain and Switzerland were already in 2019's letter)
    expect(t.rows).toHaveLength(39);

    // Every unknown statement is named in one error.
    const { errors } = await graphql(server.url, `{ signatoryAlignment(statements: ["hrc41-xinjiang-letter-22", "no-such-key", "nor-this"]) { rows { signedCount } } }`);
    expect(errors).toHaveLength(1);
    expect(errors?.[0]).toMatchObject({
      message: 'statements[1]: "no-such-key" is neither a statement id nor a statement key; statements[2]: "nor-this" is neither a statement id nor a statement key',
      extensions: { code: 'BAD_USER_INPUT', argument: 'statements', unknown: ['no-such-key', 'nor-this'] },
    });
  });

  it('knows groups, members and every name of a signatory', async () => {
    const { signatory } = await ask<{ signatory: { members: { iso3: string }[]; aliases: { name: string }[] } }>(
      `{ signatory(ref: "gcc") { members { iso3 } aliases { name } } }`,
    );
    expect(signatory.members.map((m) => m.iso3).sort()).toEqual(['ARE', 'BHR', 'KWT', 'OMN', 'QAT', 'SAU']);
    expect(signatory.aliases.map((a) => a.name)).toEqual(expect.arrayContaining(['GCC', 'Gulf countries']));
    const { signatory: kuwait } = await ask<{ signatory: { memberOf: { key: string }[]; aliases: { name: string; kind: string }[] } }>(
      `{ signatory(ref: "Kuwait") { memberOf { key } aliases { name kind } } }`,
    );
    expect(kuwait.memberOf).toEqual([{ key: 'gcc' }]);
    expect(kuwait.aliases).toEqual(expect.arrayContaining([{ name: 'KWT', kind: 'CODE' }]));
    const { signatories } = await ask<{ signatories: { totalCount: number; nodes: { iso3: string }[] } }>(
      `{ signatories(filter: { memberOf: "Gulf Cooperation Council", kind: STATE }) { totalCount nodes { iso3 } } }`,
    );
    expect(signatories.totalCount).toBe(6);
    const fuzzy = await ask<{ signatories: { nodes: { iso3: string }[] } }>(`{ signatories(filter: { search: "Germny" }) { nodes { iso3 } } }`);
    expect(fuzzy.signatories.nodes.map((n) => n.iso3)).toContain('DEU');
    const states = await ask<{ signatories: { totalCount: number } }>(`{ signatories(filter: { kind: STATE }) { totalCount } }`);
    expect(states.signatories.totalCount).toBe(195);
  });

  it('resolves any node by its global id, and says what to send when an id is malformed', async () => {
    const { statement, signatory } = await ask<{ statement: { id: string; signatures: { nodes: { id: string }[] } }; signatory: { id: string } }>(
      `{ statement(key: "unga76-c3-xinjiang-cuba") { id signatures(first: 1) { nodes { id } } } signatory(ref: "CUB") { id } }`,
    );
    const ids = [statement.id, statement.signatures.nodes[0]!.id, signatory.id];
    const { nodes } = await ask<{ nodes: ({ __typename: string; key?: string; nameAsWritten?: string; iso3?: string } | null)[] }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Statement { key } ... on Signature { nameAsWritten } ... on Signatory { iso3 } } }`,
      { ids },
    );
    expect(nodes).toEqual([
      { __typename: 'Statement', key: 'unga76-c3-xinjiang-cuba' },
      { __typename: 'Signature', nameAsWritten: 'Cuba' },
      { __typename: 'Signatory', iso3: 'CUB' },
    ]);
    const unknown = Buffer.from('Statement:v1:00000000-0000-4000-8000-000000000000').toString('base64url');
    expect(await ask(`query($id: ID!) { node(id: $id) { id } }`, { id: unknown })).toEqual({ node: null });
    const bad = await graphql(server.url, `{ node(id: "definitely-not-an-id") { id } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/is not a valid id/);
    const many = await graphql(server.url, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 101 }, () => unknown) });
    expect(many.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('walks a connection forwards and backwards with no duplicates or gaps while rows are added', async () => {
    const page = `query($after: String, $before: String, $first: Int, $last: Int) {
      statements(first: $first, after: $after, last: $last, before: $before) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { key } } }`;
    type Page = { statements: { pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string }; nodes: { key: string }[] } };
    const first = await ask<Page>(page, { first: 4 });
    // A newer statement arrives while the client pages: it sorts before the cursor and must not shift the pages.
    await server.database.dataSource.query(
      `INSERT INTO statement (key, kind, title, date, date_precision, topics, version) VALUES ('late-arrival', 'OTHER', 'Late', '2024-01-01', 'DAY', '{}', 1)`,
    );
    const keys = first.statements.nodes.map((n) => n.key);
    let cursor = first.statements.pageInfo.endCursor;
    let more = first.statements.pageInfo.hasNextPage;
    while (more) {
      const next: Page = await ask<Page>(page, { first: 4, after: cursor });
      keys.push(...next.statements.nodes.map((n) => n.key));
      cursor = next.statements.pageInfo.endCursor;
      more = next.statements.pageInfo.hasNextPage;
    }
    expect(keys).toHaveLength(11);
    expect(new Set(keys).size).toBe(11);
    expect(keys).not.toContain('late-arrival');

    const back = await ask<Page>(page, { last: 3, before: cursor });
    expect(back.statements.nodes.map((n) => n.key)).toEqual(keys.slice(7, 10));
    expect(back.statements.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const both = await graphql(server.url, `{ statements(first: 2, last: 2) { nodes { key } } }`);
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('issues the same number of SQL statements, at most 8, for the nested query with N = 1 and N = 100', async () => {
    // Largest list first, so that N = 1 already exercises every relation (signatures with evidence, a reply).
    const nested = `query($n: Int) { statements(first: $n, orderBy: SIGNATURE_COUNT_DESC) { nodes {
        signatures(first: 100) { nodes { signatory { name } evidence { source { title } } } }
        evidence { source { title } } respondsTo { title } } } }`;
    const count = async (n: number) => {
      const before = server.database.sql.total;
      const { errors } = await graphql(server.url, nested, { n });
      expect(errors).toBeUndefined();
      return server.database.sql.total - before;
    };
    const one = await count(1);
    const hundred = await count(100);
    expect(hundred).toBe(one);
    expect(hundred).toBeLessThanOrEqual(8);
  });
  it('compares two statements by key in one SQL statement: who signed both, only the first, only the second', async () => {
    const a = 'unga74-c3-xinjiang-uk';
    const b = 'unga75-c3-xinjiang-germany';
    type Signed = { statement: { signatures: { nodes: { status: string; signatory: { iso3: string | null; key: string } }[] } } };
    const signedOn = async (key: string) =>
      new Set(
        (await ask<Signed>(`query($key: String!) { statement(key: $key) { signatures(first: 100) { nodes { status signatory { iso3 key } } } } }`, { key }))
          .statement.signatures.nodes.filter((n) => n.status === 'SIGNED')
          .map((n) => n.signatory.key),
      );
    const [inA, inB] = [await signedOn(a), await signedOn(b)];
    const before = server.database.sql.total;
    type Compared = { compareStatements: { a: { key: string }; b: { key: string }; both: { key: string; name: string }[]; onlyA: { key: string }[]; onlyB: { key: string }[] } };
    const { compareStatements: c } = await ask<Compared>(
      `query($a: ID!, $b: ID!) { compareStatements(a: $a, b: $b) { a { key } b { key } both { key name } onlyA { key } onlyB { key } } }`,
      { a, b },
    );
    expect(server.database.sql.total - before).toBe(1);
    expect([c.a.key, c.b.key]).toEqual([a, b]);
    const keys = (list: { key: string }[]) => list.map((s) => s.key).sort();
    expect(keys(c.both)).toEqual([...inA].filter((k) => inB.has(k)).sort());
    expect(keys(c.onlyA)).toEqual([...inA].filter((k) => !inB.has(k)).sort());
    expect(keys(c.onlyB)).toEqual([...inB].filter((k) => !inA.has(k)).sort());
    expect(c.both.length).toBeGreaterThan(10);
    const names = c.both.map((s) => s.name);
    expect(names).toEqual([...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
  });

  it('refuses a comparison with a statement that is not there, whatever the selection: the service\'s errors', async () => {
    const known = 'unga74-c3-xinjiang-uk';
    const nowhere = toGlobalId('Statement', '00000000-0000-4000-8000-000000000000');
    const COMPARE = `query($a: ID!, $b: ID!) { compareStatements(a: $a, b: $b) { both { key } } }`;
    for (const [a, b, code, message] of [
      [known, 'no-such-statement', 'BAD_USER_INPUT', /^b: "no-such-statement" is neither a statement id nor a statement key/],
      [nowhere, known, 'NOT_FOUND', /^a: no statement has the id or key/],
      ['not a key!', known, 'BAD_USER_INPUT', /^a: "not a key!" is neither/],
    ] as const) {
      const { data, errors } = await graphql(server.url, COMPARE, { a, b });
      expect(data).toBeUndefined(); // data: null
      expect(errors?.[0]?.extensions?.code).toBe(code);
      expect(errors?.[0]?.message).toMatch(message);
    }
  });
});
