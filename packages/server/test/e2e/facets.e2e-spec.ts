import { createClient, type StatementFilter } from '../../../client/src/index';
import { createToken, exportBundle, readBundleFile, SAMPLE_BUNDLES, type RunningServer } from '../../src/index';
import { forumCondition, topicCondition } from '../../src/modules/statement/statement-conditions';
import { graphql, startTestServer } from '../support/test-database';

type Counted = { value: string; count: number };
type SessionCounted = { forum: string | null; session: string; count: number };

/** Most first, then by value (the sample's values are ASCII, so code-unit order is every collation's). */
const byCount = <T extends { count: number }>(key: (item: T) => string) => (a: T, b: T) =>
  b.count - a.count || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** What the facets of the whole archive must be, counted from the sample bundles themselves. */
function expectedFacets(): { topics: Counted[]; forums: Counted[]; sessions: SessionCounted[] } {
  const statements = SAMPLE_BUNDLES.flatMap((file) => readBundleFile(file).statements ?? []);
  const tally = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    return counts;
  };
  const topics = tally(statements.flatMap((s) => [...new Set(s.topics ?? [])]));
  const forums = tally(statements.flatMap((s) => (s.forum ? [s.forum] : [])));
  const sessions = tally(statements.flatMap((s) => (s.session ? [JSON.stringify([s.forum ?? null, s.session])] : [])));
  return {
    topics: [...topics].map(([value, count]) => ({ value, count })).sort(byCount((f) => f.value)),
    forums: [...forums].map(([value, count]) => ({ value, count })).sort(byCount((f) => f.value)),
    sessions: [...sessions]
      .map(([key, count]) => {
        const [forum, session] = JSON.parse(key) as [string | null, string];
        return { forum, session, count };
      })
      .sort(byCount((f) => `${f.forum}\u0000${f.session}`)),
  };
}

describe('statementFacets: the topics, forums and sessions there are, with their counts', () => {
  let server: RunningServer;
  let client: ReturnType<typeof createClient>;
  beforeAll(async () => {
    server = await startTestServer();
    client = createClient({ url: server.url, retry: false });
  });
  afterAll(async () => {
    await server.stop();
  });

  const totalCount = async (filter: StatementFilter) => (await client.statements({ filter, first: 1 })).statements.totalCount;

  it('lists every topic, forum and session of the sample data with its count, most first', async () => {
    const expected = expectedFacets();
    // The sample: 11 statements on Xinjiang, 9 of them in the Third Committee (sessions 74–76), 2 at HRC41.
    expect(expected.topics[0]).toEqual({ value: 'Xinjiang', count: 11 });
    expect(expected.forums).toEqual([
      { value: 'UN General Assembly Third Committee', count: 9 },
      { value: 'UN Human Rights Council', count: 2 },
    ]);
    const { statementFacets } = await client.statementFacets({});
    expect(statementFacets).toEqual(expected);
    expect(statementFacets.topics.map((t) => t.value)).toEqual(['Xinjiang', 'Hong Kong', 'Tibet', 'Xizang']);
    expect(statementFacets.sessions[0]).toEqual({ forum: 'UN General Assembly Third Committee', session: '76', count: 4 });
  });

  it('counts under the same filter as statements(filter:): each count is the totalCount of filtering by that value too', async () => {
    const filters: StatementFilter[] = [{ dateFrom: '2021' }, { signedBy: { all: ['France'] } }, { search: '"Hong Kong"' }, { kind: 'JOINT_LETTER' }, { forum: 'UN Human Rights Council' }];
    for (const filter of filters) {
      const { statementFacets } = await client.statementFacets({ filter });
      const all = await totalCount(filter);
      expect([filter, all > 0, statementFacets.topics.length > 0]).toEqual([filter, true, true]);
      for (const { value, count } of statementFacets.topics) expect([filter, value, await totalCount({ ...filter, topic: value })]).toEqual([filter, value, count]);
      for (const { value, count } of statementFacets.forums) expect([filter, value, await totalCount({ ...filter, forum: value })]).toEqual([filter, value, count]);
      for (const { forum, session, count } of statementFacets.sessions) {
        expect([filter, session, await totalCount({ ...filter, forum, session })]).toEqual([filter, session, count]);
      }
      // Every matching statement has a forum and a session in the sample, so the lists add up to the total.
      expect(statementFacets.forums.reduce((n, f) => n + f.count, 0)).toBe(all);
      expect(statementFacets.sessions.reduce((n, f) => n + f.count, 0)).toBe(all);
    }
    // The 2021 statements: the four of the Third Committee's 76th session, one of which (Cuba's) also names Hong Kong and Xizang.
    expect((await client.statementFacets({ filter: { dateFrom: '2021' } })).statementFacets).toEqual({
      topics: [
        { value: 'Xinjiang', count: 4 },
        { value: 'Hong Kong', count: 1 },
        { value: 'Xizang', count: 1 },
      ],
      forums: [{ value: 'UN General Assembly Third Committee', count: 4 }],
      sessions: [{ forum: 'UN General Assembly Third Committee', session: '76', count: 4 }],
    });
    // Nothing matches: empty lists, not an error.
    expect((await client.statementFacets({ filter: { topic: 'No such topic' } })).statementFacets).toEqual({ topics: [], forums: [], sessions: [] });
  });

  it('takes the most frequent first n of each list, at most 100, and refuses more with BAD_USER_INPUT', async () => {
    const { statementFacets } = await client.statementFacets({ first: 1 });
    expect(statementFacets).toEqual({
      topics: [{ value: 'Xinjiang', count: 11 }],
      forums: [{ value: 'UN General Assembly Third Committee', count: 9 }],
      sessions: [{ forum: 'UN General Assembly Third Committee', session: '76', count: 4 }],
    });
    expect((await client.statementFacets({ first: 0 })).statementFacets).toEqual({ topics: [], forums: [], sessions: [] });
    const over = await graphql(server.url, `{ statementFacets { topics(first: 101) { value } } }`);
    expect(over.errors?.[0]).toMatchObject({ message: 'first must be between 0 and 100, got 101', extensions: { code: 'BAD_USER_INPUT' } });
    const long = await graphql(server.url, `query($topic: String) { statementFacets(filter: { topic: $topic }) { topics { value } } }`, { topic: 'x'.repeat(201) });
    expect(long.errors?.[0]).toMatchObject({ message: 'filter.topic is 201 characters long; at most 200 are allowed.', extensions: { code: 'BAD_USER_INPUT' } });
    const badFilter = await graphql(server.url, `{ statementFacets(filter: { signedBy: { all: ["Atlantis"] } }) { topics { value } } }`);
    expect(badFilter.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('issues one SQL statement for the lists asked for, whatever first is', async () => {
    const count = async (first: number, filter: StatementFilter) => {
      const before = server.database.sql.total;
      await client.statementFacets({ first, filter });
      return server.database.sql.total - before;
    };
    expect(await count(1, { topic: 'xinjiang' })).toBe(1);
    expect(await count(100, { topic: 'xinjiang' })).toBe(1);
    // A signatory reference in the filter is resolved once for the three lists.
    const one = await count(1, { signedBy: { any: ['France', 'Germany'] } });
    expect(await count(100, { signedBy: { any: ['France', 'Germany'] } })).toBe(one);
    expect(one).toBeLessThanOrEqual(5);
    const before = server.database.sql.total;
    await graphql(server.url, `{ statementFacets(filter: { dateTo: "2019" }) { forums { value count } } }`);
    expect(server.database.sql.total - before).toBe(1);
  });

  it('never counts deleted statements, and counts them again once restored', async () => {
    const admin = (await createToken(server.database.dataSource.manager, 'facets-e2e', 'admin')).token;
    const writer = createClient({ url: server.url, retry: false, token: admin });
    const key = 'unga75-c3-xinjiang-germany';
    const version = (await client.statement({ key })).statement!.version;
    const deleted = await writer.deleteStatement({ input: { id: key, expectedVersion: version } });
    expect(deleted.deleteStatement.errors).toEqual([]);
    const after = (await client.statementFacets({})).statementFacets;
    expect(after.topics).toEqual([
      { value: 'Xinjiang', count: 10 },
      { value: 'Hong Kong', count: 1 },
      { value: 'Xizang', count: 1 },
    ]);
    expect(after.forums[0]).toEqual({ value: 'UN General Assembly Third Committee', count: 8 });
    expect(after.sessions.find((s) => s.session === '75')).toEqual({ forum: 'UN General Assembly Third Committee', session: '75', count: 2 });
    const restored = await writer.restoreStatement({ input: { id: key, expectedVersion: version + 1 } });
    expect(restored.restoreStatement.errors).toEqual([]);
    expect((await client.statementFacets({})).statementFacets).toEqual(expectedFacets());
  });

  it('groups spellings that differ only in case or accents, shows the most common one, and counts a statement once', async () => {
    const admin = (await createToken(server.database.dataSource.manager, 'facets-spellings', 'admin')).token;
    const writer = createClient({ url: server.url, retry: false, token: admin });
    const base = { kind: 'JOINT_STATEMENT' as const, date: '2022-06', session: 'HRC41' };
    const created = [
      await writer.createStatement({ input: { ...base, key: 'facets-upper', title: 'Upper case', topics: ['TIBET'], forum: 'un human rights council' } }),
      await writer.createStatement({ input: { ...base, key: 'facets-twice', title: 'Twice', topics: ['Tibet', 'tibét'], forum: 'UN Human Rights Council' } }),
    ];
    expect(created.map((c) => c.createStatement.errors)).toEqual([[], []]);
    try {
      const { statementFacets } = await client.statementFacets({ filter: { dateFrom: '2019' } });
      // Tibet: the German statement of 2020 and the two new ones; "Tibet" is written twice, "TIBET" and "tibét" once each.
      expect(statementFacets.topics.find((t) => /tib/i.test(t.value))).toEqual({ value: 'Tibet', count: 3 });
      expect(statementFacets.topics.filter((t) => /tib/i.test(t.value))).toHaveLength(1);
      expect(await totalCount({ topic: 'tibet' })).toBe(3);
      expect(statementFacets.forums).toContainEqual({ value: 'UN Human Rights Council', count: 4 });
      expect(statementFacets.forums).toHaveLength(2);
      expect(statementFacets.sessions).toContainEqual({ forum: 'UN Human Rights Council', session: 'HRC41', count: 4 });
    } finally {
      for (const key of ['facets-upper', 'facets-twice']) {
        const deleted = await writer.deleteStatement({ input: { id: key, expectedVersion: 1 } });
        expect(deleted.deleteStatement.errors).toEqual([]);
      }
    }
    expect((await client.statementFacets({})).statementFacets).toEqual(expectedFacets());
  });

  it('matches topics and forums ignoring case and accents, the whole value only, in every filter that has them', async () => {
    for (const topic of ['Xinjiang', 'xinjiang', 'XINJIANG', 'Xïnjiang']) expect([topic, await totalCount({ topic })]).toEqual([topic, 11]);
    for (const topic of ['Xinjian', 'jiang', 'Xinjiang ']) expect([topic, await totalCount({ topic })]).toEqual([topic, 0]);
    const tibet = await client.statements({ filter: { topic: 'Tibét' } });
    expect(tibet.statements.nodes.map((s) => s.key)).toEqual(['unga75-c3-xinjiang-germany']);
    const hrc = await client.statements({ filter: { forum: 'un human rights council' } });
    expect(hrc.statements.nodes.map((s) => s.key).sort()).toEqual(['hrc41-xinjiang-counter-letter', 'hrc41-xinjiang-letter-22']);
    expect(await totalCount({ forum: 'UN Human Rights' })).toBe(0);
    // The facets under a folded filter are those of the exact one.
    expect((await client.statementFacets({ filter: { forum: 'UN HUMAN RIGHTS COUNCIL' } })).statementFacets).toEqual(
      (await client.statementFacets({ filter: { forum: 'UN Human Rights Council' } })).statementFacets,
    );
    // A signatory's signing history: Germany read the 2020 statement that names Tibet.
    const history = await client.signatorySignatures({ ref: 'DEU', filter: { topic: 'TIBET', forum: 'un general assembly third committee' } });
    expect(history.signatory!.signatures.nodes.map((n) => n.statement.key)).toEqual(['unga75-c3-xinjiang-germany']);
    // jointly export --topic/--forum: the same rule.
    const manager = server.database.dataSource.manager;
    const keys = async (filter: { topic?: string; forum?: string }) => (await exportBundle(manager, filter)).statements!.map((s) => s.key);
    expect(await keys({ topic: 'tibét' })).toEqual(await keys({ topic: 'Tibet' }));
    expect(await keys({ topic: 'tibét' })).toEqual(['unga75-c3-xinjiang-germany']);
    expect((await keys({ forum: 'un human rights council' })).sort()).toEqual(['hrc41-xinjiang-counter-letter', 'hrc41-xinjiang-letter-22']);
  });

  it('keeps the topic and forum conditions on their indexes', async () => {
    const plan = async (condition: string, value: string) => {
      const runner = server.database.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        // Eleven rows are read fastest by a sequential scan; forbid it to see which index serves the condition.
        await runner.query('SET LOCAL enable_seqscan = off');
        const rows: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN SELECT s.id FROM "statement" s WHERE s.deleted_at IS NULL AND ${condition}`, [value]);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    };
    expect(await plan(topicCondition('s', '$1'), 'xinjiang')).toMatch(/Index Scan on ix_statement_folded_topics/);
    expect(await plan(forumCondition('s', '$1'), 'un human rights council')).toMatch(/Index Scan (using|on) ix_statement_folded_forum/);
  });
});
