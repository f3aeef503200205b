import { NameResolver } from '../../src/import/importer/name-resolver';
import { articleFreeSql, normalizeName, withoutArticles } from '../../src/reference/normalize';
import type { RunningServer } from '../../src/index';
import { graphql, startTestServer } from '../support/test-database';

const STATEMENTS = `query($filter: StatementFilter) { statements(first: 100, filter: $filter) { totalCount nodes { key } } }`;

type Listed = { statements: { totalCount: number; nodes: { key: string }[] } };

/** Lists of signatory references cost the same whatever their length: resolved together, each distinct one once. */
describe('signatory references in the read API', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  /** The answer and the number of SQL statements one request issued. */
  const counted = async <T,>(query: string, variables?: Record<string, unknown>) => {
    const before = server.database.sql.total;
    const result = await graphql<T>(server.url, query, variables);
    return { ...result, statements: server.database.sql.total - before };
  };

  /** `n` references to the same few states, written every way a reference can be (code, key, name, case, articles). */
  const refs = (n: number) => {
    const spellings = ['FRA', 'fr', 'France', 'the French Republic', 'CUB', 'Cuba', 'cuba', 'Republic of Cuba', 'Kuwait', 'kwt'];
    return Array.from({ length: n }, (_, i) => spellings[i % spellings.length]!);
  };

  it('issues as many SQL statements for signedBy with 100 references (duplicates among them) as with 2', async () => {
    const two = await counted<Listed>(STATEMENTS, { filter: { signedBy: { any: ['France', 'Cuba'], none: ['Kuwait'] } } });
    const hundred = await counted<Listed>(STATEMENTS, { filter: { signedBy: { any: refs(100), none: ['Kuwait', 'KWT', 'kuwait'] } } });
    expect(two.errors).toBeUndefined();
    expect(hundred.errors).toBeUndefined();
    expect(hundred.data).toEqual(two.data);
    expect(two.data!.statements.totalCount).toBeGreaterThan(0);
    expect(hundred.statements).toBe(two.statements);
    // The list's references, the page and its count: one statement each.
    expect(hundred.statements).toBeLessThanOrEqual(3);

    const all = await counted<Listed>(STATEMENTS, { filter: { leadSignatory: 'Cuba', signedBy: { all: refs(100).filter((r) => !/fr|kw/i.test(r)) } } });
    expect(all.errors).toBeUndefined();
    expect(all.statements).toBe(two.statements);
  });

  it('reports the first bad reference of a long list by its place, with suggestions, and nothing else', async () => {
    const list = [...refs(50), 'Liebia', ...refs(40), 'Atlantis'];
    const { errors, statements } = await counted(STATEMENTS, { filter: { signedBy: { all: refs(5), any: list } } });
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors![0]!.extensions?.argument).toBe('filter.signedBy.any[50]');
    expect(errors![0]!.message).toBe('filter.signedBy.any[50]: "Liebia" matches no signatory; did you mean Liberia, Libya, Algeria?; send an ISO code, a key or a known name');
    // The references, then the names alike for the one reported.
    expect(statements).toBe(2);
  });

  it('suggests, from the database, the names the import would suggest, most alike first', async () => {
    const resolver = await NameResolver.load(server.database.dataSource.manager);
    const typos = ['Frnace', 'Liebia', 'Atlantis', 'Swtzerland', 'Republc of Philipines', 'Untied Kingdom of Great Britian', 'Gernamy', 'Saudi Arabai', 'x'];
    for (const typo of typos) {
      const { errors } = await graphql(server.url, `query($r: String) { statements(filter: { leadSignatory: $r }) { totalCount } }`, { r: typo });
      const expected = resolver.suggest(typo);
      expect(expected.length).toBeGreaterThan(0);
      expect(errors?.[0]?.message).toBe(`filter.leadSignatory: "${typo}" matches no signatory; did you mean ${expected.join(', ')}?; send an ISO code, a key or a known name`);
    }
  });

  it('drops articles in SQL exactly as articleFreeName does', async () => {
    const names = ['the the Gambia', 'Republic of the Gambia', 'Saint Vincent and the Grenadines', 'Theland the', 'the', 'Other Thespians', 'a the b the c'].map(normalizeName);
    const rows: { name: string }[] = await server.database.dataSource.query(`SELECT ${articleFreeSql('n')} AS name FROM unnest($1::text[]) WITH ORDINALITY AS u(n, i) ORDER BY i`, [names]);
    expect(rows.map((r) => r.name)).toEqual(names.map(withoutArticles));
  });

  it('resolves the signatory(ref:) of many aliases in the one SQL statement of the answer', async () => {
    const query = `{ ${refs(10).map((ref, i) => `s${i}: signatory(ref: ${JSON.stringify(ref)}) { iso3 }`).join(' ')} }`;
    const { data, errors, statements } = await counted<Record<string, { iso3: string }>>(query);
    expect(errors).toBeUndefined();
    expect(Object.values(data!).map((s) => s.iso3)).toEqual(['FRA', 'FRA', 'FRA', 'FRA', 'CUB', 'CUB', 'CUB', 'CUB', 'KWT', 'KWT']);
    expect(statements).toBe(1);
  });

  it('refuses a 200 KB name by its length before normalising it, looking it up or working out suggestions', async () => {
    const huge = 'Atlantis '.repeat(22_000);
    for (const [query, variables, argument] of [
      [`query($r: String) { statements(filter: { leadSignatory: $r }) { totalCount } }`, { r: huge }, 'filter.leadSignatory'],
      [`query($r: String!) { statements(filter: { signedBy: { any: ["France", $r] } }) { totalCount } }`, { r: huge }, 'filter.signedBy.any[1]'],
      [`query($r: String) { signatories(filter: { memberOf: $r }) { totalCount } }`, { r: huge }, 'filter.memberOf'],
      [`query($r: String!) { signatory(ref: $r) { key } }`, { r: huge }, 'ref'],
    ] as const) {
      const { errors, statements } = await counted(query, variables);
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument, limit: 'length', max: 200, measured: huge.length });
      expect(statements).toBe(0);
    }
  });

  it('matches a reference at the bound like any other: no match, and suggestions from the database', async () => {
    const long = `Republic of ${'x'.repeat(188)}`;
    expect(long).toHaveLength(200);
    const { errors } = await counted(`query($r: String) { statements(filter: { leadSignatory: $r }) { totalCount } }`, { r: long });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.leadSignatory' });
    expect(errors?.[0]?.message).toMatch(/matches no signatory/);
  });
});
