/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL responses, checked field by field by the assertions */
import { createToken, revokeToken, type RunningServer } from '../../src/index';
import { startTestServer } from '../support/test-database';

type Gql = { status: number; data?: Record<string, any>; errors?: { message: string; extensions?: Record<string, unknown> }[] };

describe('curating the archive through the API', () => {
  let server: RunningServer;
  let editor: string;
  let admin: string;
  const call = async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Gql> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };

  beforeAll(async () => {
    server = await startTestServer();
    const em = server.database.dataSource.manager;
    editor = (await createToken(em, 'alice', 'editor')).token;
    admin = (await createToken(em, 'root', 'admin')).token;
  });
  afterAll(async () => {
    await server.stop();
  });

  const CREATE = `mutation($input: CreateStatementInput!) { createStatement(input: $input) {
    statement { id key version listedSignatoryCount signatures { nodes { nameAsWritten signatory { iso3 } } } }
    errors { code path message } } }`;
  const input = {
    key: 'hrc44-test-statement',
    title: 'A test joint statement',
    kind: 'JOINT_STATEMENT',
    date: '2020-06',
    forum: 'UN Human Rights Council',
    topics: ['Hong Kong'],
    leadSignatory: 'Cuba',
    signatures: [{ signatory: 'Cuba' }, { signatory: 'DPRK' }, { signatory: 'Lao PDR' }],
    evidence: [{ source: 'seed-article-2021-10-22', quote: 'the Cuban envoy made a joint statement' }],
  };

  it('refuses writes without a valid token (UNAUTHENTICATED) and never echoes the token', async () => {
    const none = await call(CREATE, { input });
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const bogus = 'jly_not-a-real-token-but-a-secret';
    const bad = await call(CREATE, { input }, bogus);
    expect(bad.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(bad)).not.toContain(bogus);
    // reads stay public, with or without a token
    const read = await call(`{ statements(first: 1) { totalCount } }`, {}, bogus);
    expect(read.data?.statements.totalCount).toBe(11);
  });

  it('creates a statement with names resolved, and reports bad references in the payload', async () => {
    const created = await call(CREATE, { input }, editor);
    expect(created.errors).toBeUndefined();
    const payload = created.data!.createStatement;
    expect(payload.errors).toEqual([]);
    expect(payload.statement).toMatchObject({ key: 'hrc44-test-statement', version: 1, listedSignatoryCount: 3 });
    expect(payload.statement.signatures.nodes.map((n: { signatory: { iso3: string } }) => n.signatory.iso3)).toEqual(['CUB', 'PRK', 'LAO']);

    const again = await call(CREATE, { input }, editor);
    expect(again.data!.createStatement).toEqual({
      statement: null,
      errors: [{ code: 'CONFLICT', path: ['input', 'key'], message: 'a statement has this key already' }],
    });

    const bad = await call(
      CREATE,
      { input: { ...input, key: 'another-one', signatures: [{ signatory: 'Liebia' }], deliveredBy: 'nobody', evidence: [{ source: 'seed-article-2021-10-22', quote: 'not in the article' }] } },
      editor,
    );
    const errors = bad.data!.createStatement.errors as { code: string; path: string[]; message: string }[];
    expect(bad.data!.createStatement.statement).toBeNull();
    expect(errors).toEqual(
      expect.arrayContaining([
        { code: 'INVALID_REFERENCE', path: ['input', 'signatures', '0', 'signatory'], message: expect.stringMatching(/"Liebia" matches no signatory; did you mean .*Liberia/) },
        { code: 'INVALID_REFERENCE', path: ['input', 'deliveredBy'], message: 'no person has the key "nobody"' },
        { code: 'BAD_USER_INPUT', path: ['input', 'evidence', '0', 'quote'], message: expect.stringMatching(/does not occur/) },
      ]),
    );
    const nothing = await call(`{ statement(key: "another-one") { key } }`);
    expect(nothing.data!.statement).toBeNull();

    const invalid = await call(CREATE, { input: { ...input, key: 'Bad Key!' } }, editor);
    expect(invalid.data!.createStatement.errors[0]).toMatchObject({ code: 'BAD_USER_INPUT', path: ['input', 'key'] });
  });

  it('updates at the expected version only: a stale version is a CONFLICT that writes nothing', async () => {
    const UPDATE = `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { statement { title version session } errors { code path message } } }`;
    const ok = await call(UPDATE, { input: { id: 'hrc44-test-statement', expectedVersion: 1, title: 'Retitled', session: 'HRC44' } }, editor);
    expect(ok.data!.updateStatement).toEqual({ statement: { title: 'Retitled', version: 2, session: 'HRC44' }, errors: [] });
    const stale = await call(UPDATE, { input: { id: 'hrc44-test-statement', expectedVersion: 1, title: 'Lost update' } }, editor);
    expect(stale.data!.updateStatement.statement).toBeNull();
    expect(stale.data!.updateStatement.errors).toEqual([
      { code: 'CONFLICT', path: ['input', 'expectedVersion'], message: expect.stringMatching(/is at version 2, not 1/) },
    ]);
    const now = await call(`{ statement(key: "hrc44-test-statement") { title version } }`);
    expect(now.data!.statement).toEqual({ title: 'Retitled', version: 2 });
    const missing = await call(UPDATE, { input: { id: 'no-such-statement', expectedVersion: 1, title: 'x' } }, editor);
    expect(missing.data!.updateStatement.errors[0].code).toBe('NOT_FOUND');
  });

  it('adds, withdraws and removes signatures, each recorded with who and how', async () => {
    const ADD = `mutation($input: AddSignatureInput!) { addSignature(input: $input) { signature { id version status position nameAsWritten } errors { code path message } } }`;
    const added = await call(ADD, { input: { statement: 'hrc44-test-statement', signatory: 'Syrian Arab Republic', joinedOn: '2020-07' } }, editor);
    const signature = added.data!.addSignature.signature;
    expect(signature).toMatchObject({ status: 'SIGNED', position: 3, nameAsWritten: 'Syrian Arab Republic', version: 1 });
    const twice = await call(ADD, { input: { statement: 'hrc44-test-statement', signatory: 'Syria' } }, editor);
    expect(twice.data!.addSignature.errors[0].code).toBe('CONFLICT');

    const WITHDRAW = `mutation($input: WithdrawSignatureInput!) { withdrawSignature(input: $input) { signature { status withdrawnOn version } errors { code } } }`;
    const withdrawn = await call(WITHDRAW, { input: { id: signature.id, expectedVersion: 1, withdrawnOn: '2020-08-01' } }, editor);
    expect(withdrawn.data!.withdrawSignature.signature).toEqual({ status: 'WITHDRAWN', withdrawnOn: '2020-08-01', version: 2 });
    const counted = await call(`{ statement(key: "hrc44-test-statement") { listedSignatoryCount signatures { totalCount } } }`);
    expect(counted.data!.statement).toEqual({ listedSignatoryCount: 3, signatures: { totalCount: 4 } });

    const REMOVE = `mutation($input: VersionedRefInput!) { removeSignature(input: $input) { signature { nameAsWritten } errors { code } } }`;
    const removed = await call(REMOVE, { input: { id: signature.id, expectedVersion: 2 } }, editor);
    expect(removed.data!.removeSignature).toEqual({ signature: { nameAsWritten: 'Syrian Arab Republic' }, errors: [] });

    const history = await call(`{ statement(key: "hrc44-test-statement") { revisions(first: 100) { totalCount nodes { actor via action table before after } } } }`);
    const revisions = history.data!.statement.revisions.nodes as { actor: string; via: string; action: string; table: string; before: any; after: any }[];
    expect(revisions.every((r) => r.actor === 'alice')).toBe(true);
    const byVia = (via: string) => revisions.filter((r) => r.via === via);
    expect(byVia('removeSignature')).toEqual([expect.objectContaining({ action: 'DELETE', table: 'signature', after: null, before: expect.objectContaining({ name_as_written: 'Syrian Arab Republic', status: 'WITHDRAWN' }) })]);
    expect(byVia('updateStatement')).toEqual([expect.objectContaining({ action: 'UPDATE', before: expect.objectContaining({ title: 'A test joint statement' }), after: expect.objectContaining({ title: 'Retitled' }) })]);
    expect(byVia('createStatement').map((r) => r.table).sort()).toEqual(['evidence', 'signature', 'signature', 'signature', 'statement']);
  });

  it('deletes softly and restores, with the history kept', async () => {
    const DELETE = `mutation($input: VersionedRefInput!) { deleteStatement(input: $input) { statement { deletedAt version } errors { code message } } }`;
    const RESTORE = `mutation($input: VersionedRefInput!) { restoreStatement(input: $input) { statement { deletedAt version } errors { code message } } }`;
    const deleted = await call(DELETE, { input: { id: 'hrc44-test-statement', expectedVersion: 2 } }, admin);
    expect(deleted.data!.deleteStatement.statement.deletedAt).not.toBeNull();
    expect((await call(`{ statement(key: "hrc44-test-statement") { key } }`)).data!.statement).toBeNull();
    expect((await call(`{ statements(filter: { topic: "Hong Kong" }, first: 50) { nodes { key } } }`)).data!.statements.nodes).not.toContainEqual({ key: 'hrc44-test-statement' });
    const restored = await call(RESTORE, { input: { id: 'hrc44-test-statement', expectedVersion: 3 } }, admin);
    expect(restored.data!.restoreStatement).toEqual({ statement: { deletedAt: null, version: 4 }, errors: [] });
    const again = await call(RESTORE, { input: { id: 'hrc44-test-statement', expectedVersion: 4 } }, admin);
    expect(again.data!.restoreStatement.errors[0].code).toBe('CONFLICT');
  });

  it('imports a bundle through importBundle, with a dry run that writes nothing', async () => {
    const IMPORT = `mutation($bundle: JSON!, $dryRun: Boolean) { importBundle(bundle: $bundle, dryRun: $dryRun) {
      dryRun summary { statements { created updated unchanged } signatures { created } } errors { code path message } } }`;
    const bundle = {
      format: 'jointly-bundle/1',
      statements: [{ key: 'api-import-1', kind: 'OTHER', title: 'Imported over the API', date: '2022', signatures: [{ signatory: 'Türkiye' }] }],
    };
    const dry = await call(IMPORT, { bundle, dryRun: true }, admin);
    expect(dry.data!.importBundle).toEqual({ dryRun: true, summary: { statements: { created: 1, updated: 0, unchanged: 0 }, signatures: { created: 1 } }, errors: [] });
    expect((await call(`{ statement(key: "api-import-1") { key } }`)).data!.statement).toBeNull();
    const real = await call(IMPORT, { bundle }, admin);
    expect(real.data!.importBundle.summary.statements.created).toBe(1);
    const repeat = await call(IMPORT, { bundle }, admin);
    expect(repeat.data!.importBundle.summary.statements).toEqual({ created: 0, updated: 0, unchanged: 1 });
    // Schema problems do not hide the names of the same bundle: one answer lists them all.
    const broken = await call(
      IMPORT,
      {
        bundle: {
          format: 'jointly-bundle/1',
          statements: [
            { key: 'x', kind: 'SPEECH', title: 't', date: '2022', colour: 'red' },
            { key: 'y', kind: 'OTHER', title: 't', date: '2022-13', signatures: [{ signatory: 'Republic of Gambia' }, { signatory: 'Frnace' }] },
          ],
        },
      },
      admin,
    );
    expect(broken.data!.importBundle).toEqual({
      dryRun: false,
      summary: null,
      errors: [
        { code: 'BAD_USER_INPUT', path: ['bundle', 'statements', '0', 'colour'], message: 'unknown field "colour"' },
        { code: 'BAD_USER_INPUT', path: ['bundle', 'statements', '0', 'kind'], message: expect.stringMatching(/^must be one of JOINT_STATEMENT, /) },
        { code: 'BAD_USER_INPUT', path: ['bundle', 'statements', '1', 'date'], message: 'date must be YYYY, YYYY-MM or YYYY-MM-DD' },
        { code: 'INVALID_REFERENCE', path: ['bundle', 'statements', '1', 'signatures', '1', 'signatory'], message: '"Frnace" matches no signatory; did you mean France, Greece, Monaco?' },
      ],
    });
  });

  it('refuses a bundle with a field given twice in one object, located, and writes nothing', async () => {
    const IMPORT = `mutation($bundle: JSON!) { importBundle(bundle: $bundle) { summary { statements { created } } errors { code path message } } }`;
    // Raw JSON: JSON.stringify cannot repeat a field, and JSON.parse would keep only the last.
    const statement = '{"key": "api-repeated", "kind": "OTHER", "title": "First", "date": "2022", "title": "Second", "signatures": [{"signatory": "FRA"}]}';
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: `{"query": ${JSON.stringify(IMPORT)}, "variables": {"bundle": {"format": "jointly-bundle/1", "statements": [${statement}]}}}`,
    });
    const body = (await response.json()) as Gql;
    expect(body.data!.importBundle).toEqual({
      summary: null,
      errors: [{ code: 'BAD_USER_INPUT', path: ['bundle', 'statements', '0', 'title'], message: 'the field "title" is given twice in one object (only the last would be kept)' }],
    });
    expect((await call(`{ statement(key: "api-repeated") { key } }`)).data!.statement).toBeNull();
  });

  it('refuses membership and reply cycles, through the archive too, in importBundle and in updates', async () => {
    const IMPORT = `mutation($bundle: JSON!) { importBundle(bundle: $bundle) { summary { statements { created } } errors { code path message } } }`;
    const group = (key: string, name: string, members: string[]) => ({ key, kind: 'GROUP', name, members });
    const reply = (key: string, respondsTo?: string) => ({ key, kind: 'OTHER', title: key, date: '2021', ...(respondsTo ? { respondsTo } : {}) });
    const first = await call(
      IMPORT,
      { bundle: { format: 'jointly-bundle/1', signatories: [group('cyc-a', 'Cycle Alpha', ['FRA']), group('cyc-b', 'Cycle Beta', ['cyc-a'])], statements: [reply('cyc-s1'), reply('cyc-s2', 'cyc-s1')] } },
      admin,
    );
    expect(first.data!.importBundle.errors).toEqual([]);
    // Each edge alone is fine; against what the archive holds, it closes a circle.
    const closing = await call(
      IMPORT,
      { bundle: { format: 'jointly-bundle/1', signatories: [group('cyc-a', 'Cycle Alpha', ['cyc-b'])], statements: [reply('cyc-s1', 'cyc-s2')] } },
      admin,
    );
    expect(closing.data!.importBundle).toEqual({
      summary: null,
      errors: [
        { code: 'BAD_USER_INPUT', path: ['bundle', 'signatories', '0', 'members', '0'], message: 'a group would be a member of itself: "Cycle Alpha" has member "Cycle Beta", "Cycle Beta" has member "Cycle Alpha"' },
        { code: 'BAD_USER_INPUT', path: ['bundle', 'statements', '0', 'respondsTo'], message: 'a statement would respond to itself through replies: "cyc-s1" responds to "cyc-s2" responds to "cyc-s1"' },
      ],
    });
    const versions = await call(`{ signatory(ref: "cyc-a") { version } statement(key: "cyc-s1") { version respondsTo { key } } }`);
    expect(versions.data!.statement.respondsTo).toBeNull();
    const updateGroup = await call(
      `mutation($input: UpdateSignatoryInput!) { updateSignatory(input: $input) { errors { code path message } } }`,
      { input: { id: 'cyc-a', expectedVersion: versions.data!.signatory.version, members: ['FRA', 'cyc-b'] } },
      editor,
    );
    expect(updateGroup.data!.updateSignatory.errors).toEqual([
      { code: 'BAD_USER_INPUT', path: ['input', 'members', '1'], message: 'a group would be a member of itself: "Cycle Alpha" has member "Cycle Beta", "Cycle Beta" has member "Cycle Alpha"' },
    ]);
    const updateReply = await call(
      `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { errors { code path message } } }`,
      { input: { id: 'cyc-s1', expectedVersion: versions.data!.statement.version, respondsTo: 'cyc-s2' } },
      editor,
    );
    expect(updateReply.data!.updateStatement.errors).toEqual([
      { code: 'BAD_USER_INPUT', path: ['input', 'respondsTo'], message: 'a statement would respond to itself through replies: "cyc-s1" responds to "cyc-s2" responds to "cyc-s1"' },
    ]);
    const after = await call(`{ signatory(ref: "cyc-a") { members { key } } statement(key: "cyc-s1") { respondsTo { key } } }`);
    expect(after.data).toEqual({ signatory: { members: [{ key: 'fra' }] }, statement: { respondsTo: null } });
  });

  it('accepts revoked tokens no more, and admins where editors may', async () => {
    const em = server.database.dataSource.manager;
    const { token } = await createToken(em, 'temporary', 'editor');
    const UPDATE = `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { errors { code } } }`;
    const before = await call(UPDATE, { input: { id: 'no-such', expectedVersion: 1 } }, token);
    expect(before.data!.updateStatement.errors[0].code).toBe('NOT_FOUND');
    await revokeToken(em, 'temporary');
    const after = await call(UPDATE, { input: { id: 'no-such', expectedVersion: 1 } }, token);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const asAdmin = await call(UPDATE, { input: { id: 'no-such', expectedVersion: 1 } }, admin);
    expect(asAdmin.data!.updateStatement.errors[0].code).toBe('NOT_FOUND');
  });

  it("records a token's last use to the minute, without a write for every request", async () => {
    const em = server.database.dataSource.manager;
    const { token } = await createToken(em, 'last-used', 'editor');
    const lastUsed = async () => ((await em.query(`SELECT last_used_at FROM api_token WHERE name = 'last-used'`)) as { last_used_at: Date | null }[])[0]!.last_used_at;
    expect(await lastUsed()).toBeNull();
    const UPDATE = `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { errors { code } } }`;
    await call(UPDATE, { input: { id: 'no-such', expectedVersion: 1 } }, token);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await call(UPDATE, { input: { id: 'no-such', expectedVersion: 1 } }, token);
    expect(await lastUsed()).toEqual(first);
    // Used again more than a minute later: recorded again.
    await em.query(`UPDATE api_token SET last_used_at = now() - interval '2 minutes' WHERE name = 'last-used'`);
    const backdated = await lastUsed();
    await call(UPDATE, { input: { id: 'no-such', expectedVersion: 1 } }, token);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(backdated!.getTime());
  });

  it('updates a statement in one transaction of three statements (token and writer, the update, the payload) between BEGIN and COMMIT', async () => {
    const { statement } = (await call(`{ statement(key: "unga76-c3-xinjiang-france") { id version leadSignatory { name } signatures(first: 3) { nodes { signatory { name } } } } }`)).data!;
    const UPDATE = `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) {
      statement { id title version leadSignatory { name } signatures(first: 3) { nodes { signatory { name } } } } errors { code } } }`;
    const sql = server.database.sql;
    const before = { statements: sql.total, roundTrips: sql.roundTrips };
    const updated = await call(UPDATE, { input: { id: statement.id, expectedVersion: statement.version, title: 'Joint statement read by France (edited)' } }, editor);
    const used = { statements: sql.total - before.statements, roundTrips: sql.roundTrips - before.roundTrips };
    expect(updated.data!.updateStatement).toMatchObject({ errors: [], statement: { title: 'Joint statement read by France (edited)', version: statement.version + 1 } });
    // The payload's relations are read in the same transaction, as a read would answer them.
    expect(updated.data!.updateStatement.statement).toMatchObject({ leadSignatory: statement.leadSignatory, signatures: statement.signatures });
    expect(statement.leadSignatory).toEqual({ name: 'France' });
    // Three statements (token and writer, the conditional update, the payload) and BEGIN / COMMIT.
    expect(used).toEqual({ statements: 3, roundTrips: 5 });
    // The history names the token's holder and the mutation: the writer was set in the same transaction.
    const revisions = (await call(`{ statement(key: "unga76-c3-xinjiang-france") { revisions(first: 1) { nodes { actor via } } } }`)).data!.statement.revisions.nodes;
    expect(revisions).toEqual([{ actor: 'alice', via: 'updateStatement' }]);
  });

  it('rolls a failed update back whole, and still records the use of its token', async () => {
    const em = server.database.dataSource.manager;
    await em.query(`UPDATE api_token SET last_used_at = NULL WHERE name = 'alice'`);
    const { statement } = (await call(`{ statement(key: "unga76-c3-xinjiang-cuba") { id version title } }`)).data!;
    const UPDATE = `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { statement { id } errors { code path } } }`;
    const failed = await call(UPDATE, { input: { id: statement.id, expectedVersion: statement.version, title: 'never written', deliveredBy: 'no-such-person' } }, editor);
    expect(failed.data!.updateStatement).toEqual({ statement: null, errors: [{ code: 'INVALID_REFERENCE', path: ['input', 'deliveredBy'] }] });
    const after = (await call(`{ statement(key: "unga76-c3-xinjiang-cuba") { version title } }`)).data!.statement;
    expect(after).toEqual({ version: statement.version, title: statement.title });
    const [token] = (await em.query(`SELECT last_used_at FROM api_token WHERE name = 'alice'`)) as { last_used_at: Date | null }[];
    expect(token!.last_used_at).toBeInstanceOf(Date);
  });

  it('answers a malformed or unknown id the same way in every mutation: NOT_FOUND in the payload, nothing written', async () => {
    const unknownSignature = Buffer.from('Signature:v1:00000000-0000-4000-8000-000000000000').toString('base64url');
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['withdrawSignature', 'WithdrawSignatureInput', { id: 'not-an-id', expectedVersion: 1 }, 'signature'],
      ['withdrawSignature', 'WithdrawSignatureInput', { id: unknownSignature, expectedVersion: 1 }, 'signature'],
      ['removeSignature', 'VersionedRefInput', { id: 'not-an-id', expectedVersion: 1 }, 'signature'],
      ['updateStatement', 'UpdateStatementInput', { id: 'not-an-id', expectedVersion: 1, title: 'x' }, 'statement'],
      ['updateSource', 'UpdateSourceInput', { id: 'not-an-id', expectedVersion: 1, title: 'x' }, 'source'],
      ['updatePerson', 'UpdatePersonInput', { id: 'not-an-id', expectedVersion: 1, name: 'x' }, 'person'],
      ['updateSignatory', 'UpdateSignatoryInput', { id: 'not-an-id', expectedVersion: 1, aliases: ['x'] }, 'signatory'],
    ];
    for (const [mutation, inputType, input, field] of cases) {
      const answer = await call(`mutation($input: ${inputType}!) { ${mutation}(input: $input) { ${field} { id } errors { code path } } }`, { input }, editor);
      expect({ mutation, input, answer: answer.errors ?? answer.data![mutation] }).toEqual({ mutation, input, answer: { [field]: null, errors: [{ code: 'NOT_FOUND', path: ['input', 'id'] }] } });
    }
  });

  it('checks every mutation input the same way: a rule of its input type is a payload error at its path', async () => {
    const answer = await call(
      `mutation($input: VersionedRefInput!) { deleteStatement(input: $input) { statement { id } errors { code path } } }`,
      { input: { id: 'unga76-c3-xinjiang-cuba', expectedVersion: 0 } },
      admin,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.deleteStatement).toEqual({ statement: null, errors: [{ code: 'BAD_USER_INPUT', path: ['input', 'expectedVersion'] }] });
  });

  it('runs several mutation fields in one transaction, each in a savepoint: one that fails leaves the others written', async () => {
    const read = async () => (await call(`{ a: statement(key: "unga75-c3-xinjiang-cuba") { version title } b: statement(key: "unga74-c3-xinjiang-belarus") { version title } }`)).data!;
    const before = await read();
    const answer = await call(
      `mutation($a: UpdateStatementInput!, $b: UpdateStatementInput!, $c: UpdateStatementInput!) {
        first: updateStatement(input: $a) { statement { title } errors { code } }
        stale: updateStatement(input: $b) { statement { title } errors { code } }
        third: updateStatement(input: $c) { statement { title } errors { code } } }`,
      {
        a: { id: 'unga75-c3-xinjiang-cuba', expectedVersion: before.a.version, title: `${before.a.title} (1)` },
        b: { id: 'unga74-c3-xinjiang-belarus', expectedVersion: before.b.version + 5, title: 'never written' },
        c: { id: 'unga74-c3-xinjiang-belarus', expectedVersion: before.b.version, title: `${before.b.title} (3)` },
      },
      editor,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      first: { statement: { title: `${before.a.title} (1)` }, errors: [] },
      stale: { statement: null, errors: [{ code: 'CONFLICT' }] },
      third: { statement: { title: `${before.b.title} (3)` }, errors: [] },
    });
    expect(await read()).toEqual({ a: { version: before.a.version + 1, title: `${before.a.title} (1)` }, b: { version: before.b.version + 1, title: `${before.b.title} (3)` } });
  });

  it('gives the connection back when a mutation is refused after its token was checked', async () => {
    // The token check begins the request's transaction; an argument over its bound is refused after it.
    for (let i = 0; i < 12; i++) {
      const refused = await call(`mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { errors { code } } }`, { input: { id: 'x'.repeat(100_000), expectedVersion: 1 } }, editor);
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    // More refusals than the pool has connections, and the archive still answers reads and writes.
    expect((await call(`{ statements(first: 1) { totalCount } }`)).data!.statements.totalCount).toBeGreaterThan(0);
    const { statement } = (await call(`{ statement(key: "unga75-c3-xinjiang-cuba") { version } }`)).data!;
    const written = await call(`mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { errors { code } } }`, { input: { id: 'unga75-c3-xinjiang-cuba', expectedVersion: statement.version, text: 'after the refusals' } }, editor);
    expect(written.data!.updateStatement.errors).toEqual([]);
  });

  it('loses no update under concurrency: successes + conflicts = attempts, and the final version says so', async () => {
    const { statement } = (await call(`{ statement(key: "unga75-c3-xinjiang-kuwait-gulf") { version } }`)).data!;
    const start = statement.version as number;
    const attempts = 24;
    const UPDATE = `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { statement { version } errors { code } } }`;
    const results = await Promise.all(
      Array.from({ length: attempts }, (_, i) =>
        call(UPDATE, { input: { id: 'unga75-c3-xinjiang-kuwait-gulf', expectedVersion: start + (i % 4), text: `edit ${i}` } }, editor),
      ),
    );
    const ok = results.filter((r) => r.data?.updateStatement.errors.length === 0).length;
    const conflicts = results.filter((r) => r.data?.updateStatement.errors[0]?.code === 'CONFLICT').length;
    expect(results.filter((r) => r.data?.updateStatement?.errors.length !== 0 && r.data?.updateStatement?.errors[0]?.code !== 'CONFLICT')).toEqual([]);
    expect(ok + conflicts).toBe(attempts);
    expect(ok).toBeGreaterThanOrEqual(1);
    expect(ok).toBeLessThanOrEqual(4);
    const final = (await call(`{ statement(key: "unga75-c3-xinjiang-kuwait-gulf") { version revisions(first: 100) { nodes { via } } } }`)).data!.statement;
    expect(final.version).toBe(start + ok);
    expect(final.revisions.nodes.filter((r: { via: string }) => r.via === 'updateStatement')).toHaveLength(ok);
  });
});
