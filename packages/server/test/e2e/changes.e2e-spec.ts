/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL responses, checked field by field by the assertions */
import pg from 'pg';
import { createToken, type RunningServer } from '../../src/index';
import { backend, startTestServer } from '../support/test-database';

type Gql = { status: number; data?: Record<string, any>; errors?: { message: string; extensions?: Record<string, unknown> }[] };

const onPostgres = backend === 'postgres' ? it : () => undefined;
const CHANGE = `id at recordType recordId recordKey recordDeleted table action fields`;
const FEED = `query($after: String, $first: Int) { changes(after: $after, first: $first) { edges { cursor node { ${CHANGE} } } pageInfo { endCursor hasNextPage } totalCount } }`;

/**
 * `changes`: every committed change, in commit order, so that another project can copy the archive
 * and follow it: page to the end, keep the last cursor, ask again for what came since.
 */
// Waiting for the cluster's other transactions (another file's import of the S archive takes ~15 s) may take a while.
jest.setTimeout(180_000);

describe('the change feed', () => {
  let server: RunningServer;
  let admin: string;
  const call = async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Gql> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };
  const read = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const result = await call(query, variables);
    expect(result.errors).toBeUndefined();
    return result.data!;
  };
  const mutate = async (mutation: string, input: Record<string, unknown>): Promise<any> => {
    const result = await call(mutation, { input }, admin);
    expect(result.errors).toBeUndefined();
    const payload = Object.values(result.data!)[0];
    expect(payload.errors).toEqual([]);
    return payload;
  };
  /**
   * Until no committed change of this database waits to be listed. The feed lists a transaction
   * once every older one has ended, in any database of the cluster: on PostgreSQL, other test files'
   * transactions hold it back for a moment.
   */
  const settled = async () => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const [{ waiting }] = await server.database.dataSource.query(
        `SELECT EXISTS (SELECT 1 FROM revision WHERE txid >= (pg_snapshot_xmin(pg_current_snapshot()))::text::bigint) AS waiting`,
      );
      if (!waiting) return;
      if (Date.now() > deadline) throw new Error('committed changes still held back after 90 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  /** Every change after `after`, page by page (once nothing committed waits: `settle`); and the cursor to follow on from. */
  const follow = async (after: string | null, first = 100, settle = true): Promise<{ changes: any[]; cursor: string | null; pages: number }> => {
    if (settle) await settled();
    const changes: any[] = [];
    let cursor = after;
    let pages = 0;
    for (;;) {
      const { changes: page } = await read(FEED, { after: cursor, first });
      pages++;
      changes.push(...page.edges.map((e: any) => e.node));
      if (page.pageInfo.endCursor) cursor = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) return { changes, cursor, pages };
    }
  };
  const statementVersion = async (key: string): Promise<{ id: string; version: number }> => (await read(`{ statement(key: "${key}") { id version } }`)).statement;

  beforeAll(async () => {
    server = await startTestServer();
    admin = (await createToken(server.database.dataSource.manager, 'feed-keeper', 'admin')).token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lists the whole history once, oldest first, in pages (the sample data as imported)', async () => {
    const { changes, pages } = await follow(null, 37);
    const { changes: whole } = await read(FEED, { first: 1 });
    expect(changes.length).toBe(whole.totalCount);
    expect(changes.length).toBeGreaterThan(100);
    expect(pages).toBe(Math.ceil(changes.length / 37) + (changes.length % 37 === 0 ? 1 : 0));
    expect(new Set(changes.map((c) => c.id)).size).toBe(changes.length);
    // The sample data's statements were inserted, with their signatures, by the import.
    const statements = changes.filter((c) => c.table === 'statement' && c.action === 'INSERT');
    expect(statements.length).toBeGreaterThan(0);
    for (const c of statements) {
      expect(c).toMatchObject({ recordType: 'Statement', recordDeleted: false, fields: [] });
      expect(typeof c.recordKey).toBe('string');
    }
    const signature = changes.find((c) => c.table === 'signature');
    expect(signature.recordType).toBe('Statement');
    // recordId is the global id node(id:) takes.
    const node = await read(`query($id: ID!) { node(id: $id) { __typename ... on Statement { key } } }`, { id: signature.recordId });
    expect(node.node.__typename).toBe('Statement');
  });

  it('from the last cursor: only what was committed since, with the fields an update changed', async () => {
    const { cursor } = await follow(null);
    expect((await follow(cursor)).changes).toEqual([]);
    const statement = await statementVersion('unga76-c3-xinjiang-france');
    await mutate(`mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { errors { code } } }`, {
      id: statement.id,
      expectedVersion: statement.version,
      title: 'Joint statement on the human rights situation in Xinjiang (retitled for the feed)',
    });
    const { changes, cursor: next } = await follow(cursor);
    expect(changes).toEqual([
      expect.objectContaining({ recordType: 'Statement', recordId: statement.id, recordKey: 'unga76-c3-xinjiang-france', recordDeleted: false, table: 'statement', action: 'UPDATE', fields: ['title'] }),
    ]);
    expect((await follow(next)).changes).toEqual([]);
  });

  it('a deletion: the record no longer stands, its key is no longer told; a restore brings both back', async () => {
    const { cursor } = await follow(null);
    const statement = await statementVersion('unga76-c3-xinjiang-china-reply');
    await mutate(`mutation($input: VersionedRefInput!) { deleteStatement(input: $input) { errors { code } } }`, { id: statement.id, expectedVersion: statement.version });
    const { changes, cursor: next } = await follow(cursor);
    expect(changes).toEqual([expect.objectContaining({ recordType: 'Statement', recordId: statement.id, recordKey: null, recordDeleted: true, action: 'UPDATE', fields: ['deletedAt'] })]);
    const deleted = (await call(`query($id: ID!) { node(id: $id, includeDeleted: true) { ... on Statement { version } } }`, { id: statement.id }, admin)).data!.node;
    await mutate(`mutation($input: VersionedRefInput!) { restoreStatement(input: $input) { errors { code } } }`, { id: statement.id, expectedVersion: deleted.version });
    const restored = await follow(next);
    expect(restored.changes).toEqual([expect.objectContaining({ recordKey: 'unga76-c3-xinjiang-china-reply', recordDeleted: false, fields: ['deletedAt'] })]);
    // Listed earlier, the deletion now reads as the record stands: the feed tells the present state of the record.
    const again = await follow(cursor);
    expect(again.changes.map((c) => c.recordDeleted)).toEqual([false, false]);
  });

  it('answers the same through the read engine and through the resolvers', async () => {
    const { changes: page } = await read(FEED, { first: 50 });
    // Introspection is not planned: the whole operation is answered by graphql-js and the resolvers.
    const both = await read(`query($first: Int) { __schema { queryType { name } } changes(first: $first) { edges { cursor node { ${CHANGE} } } pageInfo { endCursor hasNextPage } totalCount } }`, { first: 50 });
    expect(both.changes).toEqual(page);
  });

  it('refuses a forged cursor and an oversized page as bad input', async () => {
    const forged = await call(FEED, { after: Buffer.from(JSON.stringify(['1', 'x'])).toString('base64url') });
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const huge = await call(FEED, { after: Buffer.from(JSON.stringify(['99999999999999999999', '1'])).toString('base64url') });
    expect(huge.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const big = await call(FEED, { first: 1000 });
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  // PGlite runs one transaction at a time: only PostgreSQL can commit out of revision order.
  onPostgres('a long transaction that commits late is listed, not stepped over', async () => {
    const { cursor } = await follow(null);
    const direct = new pg.Client({ connectionString: server.database.location });
    await direct.connect();
    try {
      await direct.query('BEGIN');
      await direct.query(`UPDATE source SET title = title || ' (long transaction)' WHERE key = (SELECT key FROM source WHERE deleted_at IS NULL ORDER BY key LIMIT 1)`);
      // A later write through the API commits first; its revision number is higher, its transaction too.
      const statement = await statementVersion('unga76-c3-xinjiang-france');
      await mutate(`mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { errors { code } } }`, { id: statement.id, expectedVersion: statement.version, session: 'Third Committee, 76th session (feed test)' });
      // Not listed yet: an older transaction is still running.
      const meanwhile = await follow(cursor, 100, false);
      expect(meanwhile.changes).toEqual([]);
      await direct.query('COMMIT');
    } finally {
      await direct.end();
    }
    const { changes } = await follow(cursor);
    expect(changes.map((c) => [c.table, c.fields])).toEqual([
      ['source', ['title']],
      ['statement', ['session']],
    ]);
  });
});
