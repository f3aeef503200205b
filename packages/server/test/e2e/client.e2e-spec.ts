import {
  createClient,
  isJointlyError,
  JointlyError,
  MutationError,
  SignatoryDocument,
  StatementDocument,
  StatementsDocument,
  unwrap,
} from '../../../client/src/index';
import { createToken, type RunningServer } from '../../src/index';
import { startTestServer } from '../support/test-database';

describe('the typed client against the live server', () => {
  let server: RunningServer;
  let editor: string;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    editor = (await createToken(server.database.dataSource.manager, 'client-e2e', 'editor')).token;
    admin = (await createToken(server.database.dataSource.manager, 'client-e2e-admin', 'admin')).token;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('runs the generated operations with typed results', async () => {
    const client = createClient({ url: server.url });
    const page = await client.request(StatementsDocument, { first: 2, signatures: 3 });
    expect(page.statements.totalCount).toBe(11);
    expect(page.statements.nodes).toHaveLength(2);
    expect(page.statements.pageInfo.hasNextPage).toBe(true);
    const one = await client.request(StatementDocument, { key: 'unga75-c3-xinjiang-germany' });
    expect(one.statement).toMatchObject({ kind: 'JOINT_STATEMENT', claimedSignatoryCount: 39, topics: ['Xinjiang', 'Hong Kong', 'Tibet'] });
    const state = await client.request(SignatoryDocument, { ref: 'Swaziland' });
    expect(state.signatory).toMatchObject({ iso3: 'SWZ', m49: '748', kind: 'STATE' });
  });

  it('has a typed method per operation', async () => {
    const client = createClient({ url: server.url });
    const { statements } = await client.statements({ filter: { topic: 'Hong Kong' }, orderBy: 'DATE_ASC', signatures: 1 });
    expect(statements.nodes.length).toBeGreaterThan(0);
    expect(statements.nodes.every((s) => s.topics.includes('Hong Kong'))).toBe(true);
    const dates = statements.nodes.map((s) => s.date);
    expect(dates).toEqual([...dates].sort());

    const { statement } = await client.statement({ key: 'unga75-c3-xinjiang-germany', signatures: 5 });
    expect(statement?.deliveredBy).toMatchObject({ key: 'christoph-heusgen' });
    expect(statement?.signatures.nodes).toHaveLength(5);

    const { compareStatements } = await client.compareStatements({ a: 'unga74-c3-xinjiang-uk', b: 'unga75-c3-xinjiang-germany' });
    expect(compareStatements.both.map((s) => s.iso3)).toContain('FRA');

    const { signatoryAlignment } = await client.signatoryAlignment({ statements: ['unga74-c3-xinjiang-uk', 'unga75-c3-xinjiang-germany'] });
    expect(signatoryAlignment.statements.map((s) => s.key)).toEqual(['unga74-c3-xinjiang-uk', 'unga75-c3-xinjiang-germany']);
    expect(signatoryAlignment.rows[0]?.signatures).toHaveLength(2);

    const { node } = await client.node({ id: statement!.id });
    expect(node).toMatchObject({ __typename: 'Statement', key: 'unga75-c3-xinjiang-germany', statementKind: 'JOINT_STATEMENT' });
    const { nodes } = await client.nodes({ ids: [statement!.signatures.nodes[0]!.id, statement!.id] });
    expect(nodes.map((n) => n?.__typename)).toEqual(['Signature', 'Statement']);

    const { person } = await client.person({ key: 'christoph-heusgen' });
    expect(person?.roles[0]?.signatory?.iso3).toBe('DEU');
    const { signatory } = await client.signatory({ ref: 'gcc' });
    expect(signatory?.members.length).toBeGreaterThan(0);
    const { source } = await client.source({ key: 'hrc41-g17' });
    expect(source?.unSymbol).toBe('A/HRC/41/G/17');
  });

  it('pages through every connection with client.paginate', async () => {
    const client = createClient({ url: server.url });
    const keys: string[] = [];
    for await (const statement of client.paginate.statements({ first: 3, signatures: 0 })) keys.push(statement.key);
    expect(keys).toHaveLength(11);
    expect(new Set(keys).size).toBe(11);

    const { signatories } = await client.signatories({ first: 1 });
    let count = 0;
    for await (const _signatory of client.paginate.signatories({ first: 100 })) count++;
    expect(count).toBe(signatories.totalCount);

    const hits = [];
    for await (const hit of client.paginate.search({ query: 'Xinjiang', types: ['STATEMENT'], first: 4 })) hits.push(hit);
    expect(hits.length).toBeGreaterThan(4);
    expect(hits.every((hit) => hit.node.__typename === 'Statement')).toBe(true);

    const signatures = [];
    for await (const signature of client.paginate.statementSignatures({ key: 'unga75-c3-xinjiang-germany', first: 10 })) signatures.push(signature);
    expect(signatures.map((s) => s.position)).toEqual(signatures.map((_, i) => i));

    const none = [];
    for await (const signature of client.paginate.signatorySignatures({ ref: 'no-such-signatory-anywhere' })) none.push(signature);
    expect(none).toEqual([]);
  });

  it('surfaces GraphQL errors with their code', async () => {
    const client = createClient({ url: server.url });
    const error = await client.request(StatementsDocument, { first: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JointlyError);
    expect(isJointlyError(error)).toBe(true);
    expect((error as JointlyError).code).toBe('BAD_USER_INPUT');
    expect((error as JointlyError).errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const invalid = await client.request('{ statements { nope } }').catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'GRAPHQL_ERROR', status: 400 });
  });

  it('writes with a token, and turns payload errors into a MutationError through unwrap()', async () => {
    const anonymous = createClient({ url: server.url });
    const input = { key: 'client-e2e-source', kind: 'NEWS_ARTICLE' as const, title: 'Written through the client' };
    await expect(anonymous.createSource({ input })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    const client = createClient({ url: server.url, token: editor });
    const source = unwrap(await client.createSource({ input }));
    expect(source).toMatchObject({ key: 'client-e2e-source', version: 1 });

    const updated = unwrap((await client.updateSource({ input: { id: source.key, expectedVersion: 1, publisher: 'Jointly' } })).updateSource);
    expect(updated).toMatchObject({ publisher: 'Jointly', version: 2 });

    const stale = await client
      .updateSource({ input: { id: source.key, expectedVersion: 1, title: 'Stale' } })
      .then(unwrap)
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(MutationError);
    expect(stale).toBeInstanceOf(JointlyError);
    expect((stale as MutationError).code).toBe('CONFLICT');
    expect((stale as MutationError).errors[0]).toMatchObject({ code: 'CONFLICT', path: expect.any(Array) });

    // importBundle needs an admin: an editor's token is FORBIDDEN.
    const empty = { bundle: { format: 'jointly-bundle/1', statements: [] }, dryRun: true };
    await expect(client.importBundle(empty)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // A payload of several fields: unwrap() gives it back without errors.
    const imported = unwrap(await createClient({ url: server.url, token: admin }).importBundle(empty));
    expect(imported.dryRun).toBe(true);
    expect(imported.summary?.statements).toEqual({ created: 0, updated: 0, unchanged: 0 });
  });
});
