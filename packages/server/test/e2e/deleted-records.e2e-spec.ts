/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL responses, checked field by field by the assertions */
import { createToken, type RunningServer } from '../../src/index';
import { startTestServer } from '../support/test-database';

type Gql = { status: number; cache: string | null; data?: Record<string, any>; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };

/**
 * A deleted record is gone for the public, by every path a read can take to it: lookups, lists,
 * node(s), relations, search, facets, comparisons and counts; and so is what is reachable only
 * through it (a deleted statement's signatures, evidence and history). An editor's token with
 * includeDeleted still reads them.
 */
describe('deleted records, for the public and for editors', () => {
  let server: RunningServer;
  let editor: string;
  /** Deletes, restores and importBundle need the admin role; an editor reads with includeDeleted. */
  let admin: string;
  const call = async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Gql> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, cache: response.headers.get('x-jointly-cache'), ...((await response.json()) as object) };
  };
  /** An anonymous read that must succeed; its data. */
  const read = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const result = await call(query, variables);
    expect(result.errors).toBeUndefined();
    return result.data!;
  };
  const asEditor = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const result = await call(query, variables, editor);
    expect(result.errors).toBeUndefined();
    return result.data!;
  };
  const asAdmin = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const result = await call(query, variables, admin);
    expect(result.errors).toBeUndefined();
    return result.data!;
  };
  const mutate = async (mutation: string, input: Record<string, unknown>): Promise<any> => {
    const payload = Object.values((await asAdmin(mutation, { input })) as object)[0];
    expect(payload.errors).toEqual([]);
    return payload;
  };

  const BUNDLE = {
    format: 'jointly-bundle/1',
    sources: [
      { key: 'vanishing-source', kind: 'OTHER', title: 'Quokkaphobia report', body: 'The quokkaphobia statement was read by the Vanishing League.' },
      { key: 'staying-source', kind: 'OTHER', title: 'Staying report', body: 'The Staying Alliance also mentioned quokkaphobia twice.' },
    ],
    signatories: [
      { key: 'vanishing-league', kind: 'NGO', name: 'Vanishing League' },
      { key: 'staying-ngo', kind: 'NGO', name: 'Staying Ngo' },
      { key: 'staying-alliance', kind: 'ORGANIZATION', name: 'Staying Alliance', members: ['vanishing-league', 'staying-ngo'] },
      { key: 'vanishing-alliance', kind: 'ORGANIZATION', name: 'Vanishing Alliance', members: ['staying-ngo'] },
    ],
    people: [
      { key: 'vanishing-envoy', name: 'Vanishing Envoy', roles: [{ title: 'Envoy', signatory: 'vanishing-league' }] },
      { key: 'staying-envoy', name: 'Staying Envoy', roles: [{ title: 'Envoy of the league', signatory: 'vanishing-league' }] },
    ],
    statements: [
      {
        key: 'vanishing-statement',
        kind: 'JOINT_STATEMENT',
        title: 'Quokkaphobia joint statement',
        text: 'We, the signatories, condemn quokkaphobia.',
        date: '2031-05-04',
        forum: 'Vanishing Forum',
        topics: ['Quokkaphobia'],
        leadSignatory: 'vanishing-league',
        deliveredBy: 'staying-envoy',
        signatures: [
          { signatory: 'vanishing-league', evidence: [{ source: 'vanishing-source', quote: 'read by the Vanishing League' }] },
          { signatory: 'FRA' },
        ],
        evidence: [{ source: 'staying-source', quote: 'mentioned quokkaphobia' }],
        countClaims: [{ count: 2, source: 'vanishing-source', quote: 'The quokkaphobia statement' }],
      },
      {
        key: 'staying-reply',
        kind: 'RIGHT_OF_REPLY',
        title: 'Reply on the quokka question',
        date: '2031-05-05',
        forum: 'Vanishing Forum',
        topics: ['Quokka replies'],
        respondsTo: 'vanishing-statement',
        signatures: [{ signatory: 'FRA' }, { signatory: 'staying-ngo' }],
        evidence: [{ source: 'staying-source', quote: 'The Staying Alliance' }],
      },
    ],
  };

  const ids: Record<string, string> = {};
  let signatureId = '';
  let counts: { statements: number; sources: number; people: number; franceSignatures: number; vanishingForum: number };

  const COUNTS = `{
    statements { totalCount }
    sources { totalCount }
    people { totalCount }
    signatory(ref: "FRA") { signatures { totalCount } }
    statementsInForum: statements(filter: { forum: "Vanishing Forum" }) { totalCount nodes { key } }
  }`;
  const readCounts = async () => {
    const data = await read(COUNTS);
    return {
      statements: data.statements.totalCount as number,
      sources: data.sources.totalCount as number,
      people: data.people.totalCount as number,
      franceSignatures: data.signatory.signatures.totalCount as number,
      vanishingForum: data.statementsInForum.totalCount as number,
    };
  };
  const versionOf = async (query: string): Promise<number> => Object.values((await asEditor(query)) as object)[0].version;

  beforeAll(async () => {
    server = await startTestServer();
    editor = (await createToken(server.database.dataSource.manager, 'curator', 'editor')).token;
    admin = (await createToken(server.database.dataSource.manager, 'keeper', 'admin')).token;
    const imported = await asAdmin(`mutation($bundle: JSON!) { importBundle(bundle: $bundle) { errors { code path message } } }`, { bundle: BUNDLE });
    expect(imported.importBundle.errors).toEqual([]);
    const found = await read(`{
      statement(key: "vanishing-statement") { id signatures { nodes { id signatory { key } } } }
      source(key: "vanishing-source") { id }
      person(key: "vanishing-envoy") { id }
      signatory(ref: "vanishing-league") { id }
      alliance: signatory(ref: "vanishing-alliance") { id }
    }`);
    Object.assign(ids, {
      statement: found.statement.id,
      source: found.source.id,
      person: found.person.id,
      signatory: found.signatory.id,
      alliance: found.alliance.id,
    });
    signatureId = found.statement.signatures.nodes.find((n: any) => n.signatory.key === 'vanishing-league').id;

    // A cached public answer that reaches the statement through one of its signatures.
    const SIGNATURE_NODE = `query SignatureNode($id: ID!) { node(id: $id) { ... on Signature { statement { title text } } } }`;
    expect((await call(SIGNATURE_NODE, { id: signatureId })).cache).toBe('miss');
    const cached = await call(SIGNATURE_NODE, { id: signatureId });
    expect(cached.cache).toBe('hit');
    expect(cached.data!.node.statement.title).toBe('Quokkaphobia joint statement');

    counts = await readCounts();
    expect(counts.vanishingForum).toBe(2);

    // Deleted through the API, in the order the archive allows: the statement first, then what only it used.
    const DELETE = (type: string) => `mutation($input: VersionedRefInput!) { delete${type}(input: $input) { errors { code path message } } }`;
    await mutate(DELETE('Statement'), { id: 'vanishing-statement', expectedVersion: await versionOf(`{ statement(key: "vanishing-statement") { version } }`) });
    await mutate(DELETE('Source'), { id: 'vanishing-source', expectedVersion: await versionOf(`{ source(key: "vanishing-source") { version } }`) });
    await mutate(DELETE('Person'), { id: 'vanishing-envoy', expectedVersion: await versionOf(`{ person(key: "vanishing-envoy") { version } }`) });
    await mutate(DELETE('Signatory'), { id: 'vanishing-league', expectedVersion: await versionOf(`{ signatory(ref: "vanishing-league") { version } }`) });
    await mutate(DELETE('Signatory'), { id: 'vanishing-alliance', expectedVersion: await versionOf(`{ signatory(ref: "vanishing-alliance") { version } }`) });

    // The write emptied the cache: the same request is answered afresh, without the statement.
    const after = await call(SIGNATURE_NODE, { id: signatureId });
    expect(after.cache).not.toBe('hit');
    expect(after.errors).toBeUndefined();
    expect(after.data!.node).toBeNull();
  });
  afterAll(() => server?.stop());

  it('finds none of them by key, reference or id (lookups, node, nodes)', async () => {
    const data = await read(
      `query($statement: ID!, $signature: ID!, $source: ID!, $person: ID!, $signatory: ID!) {
        byKey: statement(key: "vanishing-statement") { title }
        byId: statement(id: $statement) { title }
        source(key: "vanishing-source") { title }
        sourceById: source(id: $source) { title }
        person(key: "vanishing-envoy") { name }
        personById: person(id: $person) { name }
        signatory(ref: "vanishing-league") { name }
        statementNode: node(id: $statement) { id }
        signatureNode: node(id: $signature) { id ... on Signature { statement { title text revisions { totalCount } } } }
        sourceNode: node(id: $source) { id }
        personNode: node(id: $person) { id }
        signatoryNode: node(id: $signatory) { id }
        nodes(ids: [$statement, $signature, $source, $person, $signatory]) { id }
      }`,
      { statement: ids.statement, signature: signatureId, source: ids.source, person: ids.person, signatory: ids.signatory },
    );
    expect(data).toEqual({
      byKey: null,
      byId: null,
      source: null,
      sourceById: null,
      person: null,
      personById: null,
      signatory: null,
      statementNode: null,
      signatureNode: null,
      sourceNode: null,
      personNode: null,
      signatoryNode: null,
      nodes: [null, null, null, null, null],
    });
  });

  it('reads relations to them as null, and leaves them out of lists', async () => {
    const data = await read(`{
      statement(key: "staying-reply") { respondsTo { key title } signatures { totalCount nodes { signatory { key } } } evidence { source { key } } }
      alliance: signatory(ref: "staying-alliance") { members { key } }
      ngo: signatory(ref: "staying-ngo") { memberOf { key } }
      person(key: "staying-envoy") { roles { title signatory { key } } statements { totalCount nodes { key } } }
      stayingSource: source(key: "staying-source") { statements { totalCount nodes { key } } }
      france: signatory(ref: "FRA") { signatures(first: 100) { totalCount nodes { statement { key } } } }
    }`);
    expect(data.statement.respondsTo).toBeNull();
    expect(data.statement.signatures.nodes.map((n: any) => n.signatory.key)).toEqual(['fra', 'staying-ngo']);
    expect(data.alliance.members).toEqual([{ key: 'staying-ngo' }]);
    expect(data.ngo.memberOf).toEqual([{ key: 'staying-alliance' }]);
    expect(data.person.roles).toEqual([{ title: 'Envoy of the league', signatory: null }]);
    expect(data.person.statements).toEqual({ totalCount: 0, nodes: [] });
    expect(data.stayingSource.statements).toEqual({ totalCount: 1, nodes: [{ key: 'staying-reply' }] });
    const france = data.france.signatures.nodes.map((n: any) => n.statement.key);
    expect(france).toContain('staying-reply');
    expect(france).not.toContain('vanishing-statement');
  });

  it('leaves them out of every list, search, facet and count, which agree', async () => {
    const now = await readCounts();
    expect(now).toEqual({
      statements: counts.statements - 1,
      sources: counts.sources - 1,
      people: counts.people - 1,
      franceSignatures: counts.franceSignatures - 1,
      vanishingForum: 1,
    });
    const data = await read(`{
      statements(first: 100, filter: { forum: "Vanishing Forum" }) { totalCount nodes { key } }
      topic: statements(filter: { topic: "Quokkaphobia" }) { totalCount nodes { key } }
      sources(first: 100) { nodes { key } }
      people(first: 100) { nodes { key } }
      signatories(first: 100, filter: { search: "Vanishing" }) { totalCount nodes { key } }
      search(query: "quokkaphobia") { totalCount nodes { type node { ... on Statement { key } ... on Source { key } } } }
      league: search(query: "Vanishing") { totalCount nodes { node { ... on Statement { key } ... on Signatory { key } ... on Source { key } ... on Person { key } } } }
      statementFacets(filter: { forum: "Vanishing Forum" }) { topics { value count } }
    }`);
    expect(data.statements).toEqual({ totalCount: 1, nodes: [{ key: 'staying-reply' }] });
    expect(data.topic).toEqual({ totalCount: 0, nodes: [] });
    expect(data.sources.nodes.map((n: any) => n.key)).not.toContain('vanishing-source');
    expect(data.people.nodes.map((n: any) => n.key)).not.toContain('vanishing-envoy');
    expect(data.signatories).toEqual({ totalCount: 0, nodes: [] });
    expect(data.search.nodes.map((n: any) => n.node.key)).toEqual(['staying-source']);
    expect(data.search.totalCount).toBe(1);
    // Only the reply, whose forum has the word.
    expect(data.league).toEqual({ totalCount: 1, nodes: [{ node: { key: 'staying-reply' } }] });
    expect(data.statementFacets.topics).toEqual([{ value: 'Quokka replies', count: 1 }]);
  });

  it('does not compare or align them (NOT_FOUND)', async () => {
    // By key, the same answer as a key no statement ever had.
    const compared = await call(`{ compareStatements(a: "vanishing-statement", b: "staying-reply") { both { key } } }`);
    const unknown = await call(`{ compareStatements(a: "never-a-statement", b: "staying-reply") { both { key } } }`);
    expect(compared.errors?.[0]?.extensions?.code).toBe(unknown.errors?.[0]?.extensions?.code);
    expect(compared.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message.replace('never-a-statement', 'vanishing-statement'));
    expect(compared.data).toBeNull();
    const byId = await call(`query($id: ID!) { compareStatements(a: $id, b: "staying-reply") { both { key } } }`, { id: ids.statement });
    expect(byId.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const aligned = await call(`query($id: ID!) { signatoryAlignment(statements: ["staying-reply", $id]) { rows { signatory { key } } } }`, { id: ids.statement });
    expect(aligned.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses includeDeleted without a token (UNAUTHENTICATED), and shows nothing deleted', async () => {
    const result = await call(`query($id: ID!) { node(id: $id, includeDeleted: true) { id } statement(key: "staying-reply") { respondsTo { key } } }`, { id: signatureId });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(result.data?.node ?? null).toBeNull();
    expect(result.data?.statement).toEqual({ respondsTo: null });
    const bogus = await call(`{ statement(key: "vanishing-statement", includeDeleted: true) { title } }`, {}, 'jly_not-a-token');
    expect(bogus.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(bogus.data?.statement ?? null).toBeNull();
  });

  it('still shows them to an editor who asks with includeDeleted, with their history', async () => {
    const data = await asEditor(
      `query($signature: ID!, $signatory: ID!, $alliance: ID!) {
        statement(key: "vanishing-statement", includeDeleted: true) {
          title deletedAt leadSignatory { key deletedAt } deliveredBy { key }
          signatures { nodes { id signatory { key } evidence { source { key deletedAt } } } }
          countClaims { source { key } }
          revisions(first: 100) { totalCount nodes { via } }
        }
        reply: statement(key: "staying-reply") { respondsTo { key deletedAt } }
        signature: node(id: $signature, includeDeleted: true) { ... on Signature { statement { key } signatory { key } } }
        source(key: "vanishing-source", includeDeleted: true) { key deletedAt revisions { totalCount } }
        person(key: "vanishing-envoy", includeDeleted: true) { key deletedAt roles { signatory { key } } }
        nodes(ids: [$signatory, $alliance], includeDeleted: true) { ... on Signatory { key deletedAt } }
        envoy: person(key: "staying-envoy") { roles { signatory { key } } }
        compared: compareStatements(a: "vanishing-statement", b: "staying-reply") { a { key } }
      }`,
      { signature: signatureId, signatory: ids.signatory, alliance: ids.alliance },
    );
    expect(data.statement).toMatchObject({
      title: 'Quokkaphobia joint statement',
      deletedAt: expect.any(String),
      leadSignatory: { key: 'vanishing-league', deletedAt: expect.any(String) },
      deliveredBy: { key: 'staying-envoy' },
      countClaims: [{ source: { key: 'vanishing-source' } }],
    });
    expect(data.statement.signatures.nodes.map((n: any) => n.signatory.key)).toEqual(['vanishing-league', 'fra']);
    expect(data.statement.signatures.nodes[0].evidence).toEqual([{ source: { key: 'vanishing-source', deletedAt: expect.any(String) } }]);
    expect(data.statement.revisions.nodes.map((r: any) => r.via)).toContain('deleteStatement');
    expect(data.reply.respondsTo).toEqual({ key: 'vanishing-statement', deletedAt: expect.any(String) });
    expect(data.signature).toEqual({ statement: { key: 'vanishing-statement' }, signatory: { key: 'vanishing-league' } });
    expect(data.source).toMatchObject({ key: 'vanishing-source', deletedAt: expect.any(String) });
    expect(data.source.revisions.totalCount).toBeGreaterThan(1);
    expect(data.person).toMatchObject({ key: 'vanishing-envoy', deletedAt: expect.any(String), roles: [{ signatory: { key: 'vanishing-league' } }] });
    expect(data.nodes).toEqual([
      { key: 'vanishing-league', deletedAt: expect.any(String) },
      { key: 'vanishing-alliance', deletedAt: expect.any(String) },
    ]);
    expect(data.envoy.roles).toEqual([{ signatory: { key: 'vanishing-league' } }]);
    // A lookup the read engine made while planning (the public archive's) is not what answers it.
    expect(data.compared).toEqual({ a: { key: 'vanishing-statement' } });
  });

  it('shows an editor the public archive when includeDeleted is not asked', async () => {
    const data = await asEditor(`query($id: ID!) { node(id: $id) { id } statement(key: "staying-reply") { respondsTo { key } } }`, { id: signatureId });
    expect(data).toEqual({ node: null, statement: { respondsTo: null } });
  });

  // Last: it brings the statement back.
  it('restores a statement only once what it names is restored, then shows it to everyone again', async () => {
    const RESTORE = (type: string) =>
      `mutation($input: VersionedRefInput!) { restore${type}(input: $input) { errors { code path message } } }`;
    const deletedVersion = async (field: string) => Object.values((await asEditor(`{ ${field} { version } }`)) as object)[0].version as number;
    const statementVersion = await deletedVersion(`statement(key: "vanishing-statement", includeDeleted: true)`);
    const refused = await asAdmin(RESTORE('Statement'), { input: { id: 'vanishing-statement', expectedVersion: statementVersion } });
    expect(refused.restoreStatement.errors).toEqual([
      {
        code: 'CONFLICT',
        path: ['input', 'id'],
        message: 'the statement names 2 deleted records: signatory "vanishing-league", source "vanishing-source"; restore them first',
      },
    ]);
    expect(await read(`{ statement(key: "vanishing-statement") { key } }`)).toEqual({ statement: null });
    await mutate(RESTORE('Signatory'), { id: 'vanishing-league', expectedVersion: (await asEditor(`{ node(id: "${ids.signatory}", includeDeleted: true) { ... on Signatory { version } } }`)).node.version });
    await mutate(RESTORE('Source'), { id: 'vanishing-source', expectedVersion: await deletedVersion(`source(key: "vanishing-source", includeDeleted: true)`) });
    await mutate(RESTORE('Statement'), { id: 'vanishing-statement', expectedVersion: statementVersion });
    const data = await read(`query($id: ID!) { node(id: $id) { ... on Signature { statement { key } } } statement(key: "staying-reply") { respondsTo { key } } }`, { id: signatureId });
    expect(data).toEqual({ node: { statement: { key: 'vanishing-statement' } }, statement: { respondsTo: { key: 'vanishing-statement' } } });
  });
});
