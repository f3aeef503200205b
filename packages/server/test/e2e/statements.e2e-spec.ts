import type { RunningServer } from '../../src/index';
import { graphql, startTestServer } from '../support/test-database';

const NESTED = /* GraphQL */ `
  query Nested($first: Int, $signatures: Int) {
    statements(first: $first) {
      totalCount
      nodes {
        key
        title
        date
        signatures(first: $signatures) {
          totalCount
          nodes { nameAsWritten status joinedOn withdrawnOn signatory { name iso3 } }
        }
      }
    }
  }
`;

interface NestedResult {
  statements: {
    totalCount: number;
    nodes: {
      key: string;
      title: string;
      date: string;
      signatures: {
        totalCount: number;
        nodes: { nameAsWritten: string; status: string; joinedOn: string | null; withdrawnOn: string | null; signatory: { name: string; iso3: string | null } }[];
      };
    }[];
  };
}

describe('the statements API over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers the README query with the 2021 and 2019–2020 statements and their signatories', async () => {
    const { status, data, errors } = await graphql<NestedResult>(server.url, NESTED, { first: 20, signatures: 100 });
    expect(status).toBe(200);
    expect(errors).toBeUndefined();
    const statements = data!.statements;
    expect(statements.totalCount).toBe(11);
    const byKey = new Map(statements.nodes.map((s) => [s.key, s]));
    expect([...byKey.keys()]).toEqual(expect.arrayContaining(['unga76-c3-xinjiang-france', 'hrc41-xinjiang-letter-22', 'unga75-c3-xinjiang-cuba']));
    // newest first
    expect(statements.nodes[0]!.date).toBe('2021-10-21');
    expect(statements.nodes.at(-1)!.date).toBe('2019-07-08');

    const letter22 = byKey.get('hrc41-xinjiang-letter-22')!;
    expect(letter22.signatures.totalCount).toBe(22);
    const netherlands = letter22.signatures.nodes.find((n) => n.nameAsWritten === 'the Netherlands')!;
    expect(netherlands.signatory).toEqual({ name: 'Netherlands', iso3: 'NLD' });

    const counter = byKey.get('hrc41-xinjiang-counter-letter')!;
    expect(counter.signatures.totalCount).toBe(51);
    const iso = (written: string) => counter.signatures.nodes.find((n) => n.nameAsWritten === written)?.signatory.iso3;
    expect(iso('DR Congo')).toBe('COD');
    expect(iso('Congo')).toBe('COG');
    expect(iso('UAE')).toBe('ARE');
    expect(iso('Laos')).toBe('LAO');
    expect(iso('North Korea')).toBe('PRK');
    expect(iso('State of Palestine')).toBe('PSE');
    const qatar = counter.signatures.nodes.find((n) => n.nameAsWritten === 'Qatar')!;
    expect(qatar).toMatchObject({ status: 'WITHDRAWN', joinedOn: '2019-07-12', withdrawnOn: '2019-07-18' });

    const belarus = byKey.get('unga74-c3-xinjiang-belarus')!;
    const belarusIso = (written: string) => belarus.signatures.nodes.find((n) => n.nameAsWritten === written)?.signatory.iso3;
    expect(belarusIso('CAR')).toBe('CAF');
    expect(belarusIso('DRC')).toBe('COD');
    expect(belarusIso('Guinea Bissau')).toBe('GNB');
    expect(belarusIso('Guinea')).toBe('GIN');
  });

  it('pages with keyset cursors and never overlaps or skips', async () => {
    const page = `query($after: String) { statements(first: 4, after: $after) { pageInfo { hasNextPage endCursor } nodes { key } } }`;
    type Page = { statements: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { key: string }[] } };
    const keys: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const { data }: { data?: Page } = await graphql<Page>(server.url, page, { after });
      keys.push(...data!.statements.nodes.map((n) => n.key));
      if (!data!.statements.pageInfo.hasNextPage) break;
      after = data!.statements.pageInfo.endCursor;
    }
    expect(keys).toHaveLength(11);
    expect(new Set(keys).size).toBe(11);
  });

  it('refuses a page over 100 with BAD_USER_INPUT instead of silently capping it', async () => {
    const { errors } = await graphql(server.url, `{ statements(first: 101) { nodes { key } } }`);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(/first must be between 0 and 100/);
  });

  it('refuses cursors that are not positions of the list, as BAD_USER_INPUT', async () => {
    const forged = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');
    const statements = await graphql(server.url, `query($after: String) { statements(after: $after) { nodes { key } } }`, { after: forged });
    expect(statements.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const wrongList = Buffer.from(JSON.stringify(['2021-10-21', 'not-a-uuid'])).toString('base64url');
    const signatures = await graphql(server.url, `query($after: String) { statements(first: 1) { nodes { signatures(after: $after) { nodes { position } } } } }`, {
      after: wrongList,
    });
    expect(signatures.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(signatures)).not.toMatch(/INTERNAL_SERVER_ERROR|syntax|uuid/i);
  });

  it('finds a statement by key and by its global id', async () => {
    type One = { statement: { id: string; key: string; claimedSignatoryCount: number; listStatus: string; topics: string[] } | null };
    const byKey = await graphql<One>(server.url, `{ statement(key: "unga76-c3-xinjiang-france") { id key claimedSignatoryCount listStatus topics } }`);
    expect(byKey.data!.statement).toMatchObject({ key: 'unga76-c3-xinjiang-france', claimedSignatoryCount: 43, listStatus: 'PARTIAL', topics: ['Xinjiang'] });
    const id = byKey.data!.statement!.id;
    const byId = await graphql<One>(server.url, `query($id: ID) { statement(id: $id) { key } }`, { id });
    expect(byId.data!.statement!.key).toBe('unga76-c3-xinjiang-france');
    const missing = await graphql<One>(server.url, `{ statement(key: "no-such-statement") { key } }`);
    expect(missing.data!.statement).toBeNull();
    const bad = await graphql(server.url, `{ statement(id: "not-an-id") { key } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('resolves signatories by ISO code, key and name variants', async () => {
    type S = Record<string, { name: string; iso2: string; iso3: string; m49: string; unStatus: string } | null>;
    const { data } = await graphql<S>(
      server.url,
      `{ fr: signatory(ref: "FR") { name iso2 iso3 m49 unStatus }
         fra: signatory(ref: "FRA") { iso3 }
         key: signatory(ref: "deu") { iso3 }
         dprk: signatory(ref: "DPRK") { iso3 }
         turkiye: signatory(ref: "Türkiye") { iso3 }
         sudan: signatory(ref: "the Sudan") { iso3 }
         holySee: signatory(ref: "Holy See") { iso3 unStatus }
         nobody: signatory(ref: "Atlantis") { iso3 } }`,
    );
    expect(data!.fr).toEqual({ name: 'France', iso2: 'FR', iso3: 'FRA', m49: '250', unStatus: 'MEMBER' });
    expect(data!.fra!.iso3).toBe('FRA');
    expect(data!.key!.iso3).toBe('DEU');
    expect(data!.dprk!.iso3).toBe('PRK');
    expect(data!.turkiye!.iso3).toBe('TUR');
    expect(data!.sudan!.iso3).toBe('SDN');
    expect(data!.holySee).toEqual({ iso3: 'VAT', unStatus: 'OBSERVER' });
    expect(data!.nobody).toBeNull();
  });

  it('issues the same number of SQL statements for first: 1 and first: 100 (no N+1)', async () => {
    const count = async (first: number, signatures: number) => {
      const before = server.database.sql.total;
      const { errors } = await graphql(server.url, NESTED, { first, signatures });
      expect(errors).toBeUndefined();
      return server.database.sql.total - before;
    };
    const small = await count(1, 1);
    const large = await count(100, 100);
    expect(large).toBe(small);
    // statements page, its count, signatures page, their counts, signatories
    expect(small).toBeLessThanOrEqual(5);
  });
});
