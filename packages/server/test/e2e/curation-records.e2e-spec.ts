/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL responses, checked field by field by the assertions */
import { createToken, type RunningServer } from '../../src/index';
import { startTestServer } from '../support/test-database';

type Gql = { status: number; data?: Record<string, any>; errors?: { message: string; extensions?: Record<string, unknown> }[] };
type Revision = { actor: string | null; via: string | null; action: string; table: string; before: any; after: any };

describe('curating sources, people and signatories through the API', () => {
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
  /** Runs a mutation as the editor (deletes and restores: as the admin) and returns its payload. */
  const edit = async (query: string, input: Record<string, unknown>): Promise<any> => {
    const result = await call(query, { input }, /\{ (delete|restore)[A-Z]\w*\(/.test(query) ? admin : editor);
    expect(result.errors).toBeUndefined();
    return Object.values(result.data!)[0];
  };
  const read = async (query: string): Promise<any> => {
    const result = await call(query);
    expect(result.errors).toBeUndefined();
    return Object.values(result.data!)[0];
  };

  beforeAll(async () => {
    server = await startTestServer();
    editor = (await createToken(server.database.dataSource.manager, 'alice', 'editor')).token;
    admin = (await createToken(server.database.dataSource.manager, 'bob', 'admin')).token;
  });
  afterAll(async () => {
    await server.stop();
  });

  const SOURCE_FIELDS = `key kind title url publisher authors publishedOn language summary body version deletedAt`;
  const CREATE_SOURCE = `mutation($input: CreateSourceInput!) { createSource(input: $input) { source { ${SOURCE_FIELDS} } errors { code path message } } }`;
  const UPDATE_SOURCE = `mutation($input: UpdateSourceInput!) { updateSource(input: $input) { source { ${SOURCE_FIELDS} } errors { code path message } } }`;
  const DELETE_SOURCE = `mutation($input: VersionedRefInput!) { deleteSource(input: $input) { source { key version deletedAt } errors { code path message } } }`;
  const RESTORE_SOURCE = `mutation($input: VersionedRefInput!) { restoreSource(input: $input) { source { key version deletedAt } errors { code path message } } }`;

  const PERSON_FIELDS = `key name aliases version deletedAt roles { title organization from to signatory { iso3 } }`;
  const CREATE_PERSON = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { ${PERSON_FIELDS} } errors { code path message } } }`;
  const UPDATE_PERSON = `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { ${PERSON_FIELDS} } errors { code path message } } }`;
  const DELETE_PERSON = `mutation($input: VersionedRefInput!) { deletePerson(input: $input) { person { key version deletedAt } errors { code path message } } }`;
  const RESTORE_PERSON = `mutation($input: VersionedRefInput!) { restorePerson(input: $input) { person { key version deletedAt } errors { code path message } } }`;

  const SIGNATORY_FIELDS = `key kind name isBuiltIn version deletedAt aliases { name origin } members { iso3 }`;
  const CREATE_SIGNATORY = `mutation($input: CreateSignatoryInput!) { createSignatory(input: $input) { signatory { ${SIGNATORY_FIELDS} } errors { code path message } } }`;
  const UPDATE_SIGNATORY = `mutation($input: UpdateSignatoryInput!) { updateSignatory(input: $input) { signatory { ${SIGNATORY_FIELDS} } errors { code path message } } }`;
  const DELETE_SIGNATORY = `mutation($input: VersionedRefInput!) { deleteSignatory(input: $input) { signatory { key version deletedAt } errors { code path message } } }`;
  const RESTORE_SIGNATORY = `mutation($input: VersionedRefInput!) { restoreSignatory(input: $input) { signatory { key version deletedAt } errors { code path message } } }`;

  const CREATE_STATEMENT = `mutation($input: CreateStatementInput!) { createStatement(input: $input) { statement { key version } errors { code path message } } }`;
  const DELETE_STATEMENT = `mutation($input: VersionedRefInput!) { deleteStatement(input: $input) { statement { deletedAt } errors { code } } }`;

  const revisionsOf = async (query: string): Promise<Revision[]> => (await read(query)).revisions.nodes;
  const REVISION_FIELDS = `revisions(first: 100) { totalCount nodes { actor via action table before after } }`;

  it('refuses every write without a valid token (UNAUTHENTICATED); reads stay public', async () => {
    const attempts: [string, Record<string, unknown>][] = [
      [CREATE_SOURCE, { key: 'no-token-source', kind: 'OTHER', title: 'x' }],
      [UPDATE_SOURCE, { id: 'seed-article-2021-10-22', expectedVersion: 1, title: 'x' }],
      [DELETE_SOURCE, { id: 'seed-article-2021-10-22', expectedVersion: 1 }],
      [RESTORE_SOURCE, { id: 'seed-article-2021-10-22', expectedVersion: 1 }],
      [CREATE_PERSON, { key: 'no-token-person', name: 'x' }],
      [UPDATE_PERSON, { id: 'zhang-jun', expectedVersion: 1, name: 'x' }],
      [DELETE_PERSON, { id: 'michelle-bachelet', expectedVersion: 1 }],
      [RESTORE_PERSON, { id: 'michelle-bachelet', expectedVersion: 1 }],
      [CREATE_SIGNATORY, { key: 'no-token-org', kind: 'NGO', name: 'x' }],
      [UPDATE_SIGNATORY, { id: 'gcc', expectedVersion: 1, name: 'x' }],
      [DELETE_SIGNATORY, { id: 'gcc', expectedVersion: 1 }],
      [RESTORE_SIGNATORY, { id: 'gcc', expectedVersion: 1 }],
    ];
    for (const [query, input] of attempts) {
      const none = await call(query, { input });
      expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const bogus = await call(query, { input }, 'jly_not-a-real-token');
      expect(bogus.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(await read(`{ source(key: "no-token-source") { key } }`)).toBeNull();
    expect(await read(`{ person(key: "zhang-jun") { name version } }`)).toEqual({ name: 'Zhang Jun', version: 1 });
    expect(await read(`{ signatory(ref: "gcc") { name deletedAt } }`)).toEqual({ name: 'Gulf Cooperation Council', deletedAt: null });
  });

  describe('sources', () => {
    it('creates a source from the fields of a bundle record, checked as an import checks them', async () => {
      const created = await edit(CREATE_SOURCE, {
        key: 'test-source',
        kind: 'NEWS_ARTICLE',
        title: 'A test article',
        url: 'https://example.org/article',
        authors: ['A. Writer'],
        publishedOn: '2022-03',
        language: 'en',
        summary: 'A summary.',
      });
      expect(created).toEqual({
        errors: [],
        source: {
          key: 'test-source',
          kind: 'NEWS_ARTICLE',
          title: 'A test article',
          url: 'https://example.org/article',
          publisher: null,
          authors: ['A. Writer'],
          publishedOn: '2022-03',
          language: 'en',
          summary: 'A summary.',
          body: null,
          version: 1,
          deletedAt: null,
        },
      });
      const again = await edit(CREATE_SOURCE, { key: 'test-source', kind: 'OTHER', title: 'Again' });
      expect(again).toEqual({ source: null, errors: [{ code: 'CONFLICT', path: ['input', 'key'], message: 'a source has this key already' }] });
      const bad = await edit(CREATE_SOURCE, { key: 'test-source-bad', kind: 'OTHER', title: 'Bad', url: 'ftp://example.org/x', language: 'not a tag' });
      expect(bad.source).toBeNull();
      expect(bad.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'BAD_USER_INPUT', path: ['input', 'url'] }),
          expect.objectContaining({ code: 'BAD_USER_INPUT', path: ['input', 'language'] }),
        ]),
      );
      const badKey = await edit(CREATE_SOURCE, { key: 'Bad Key', kind: 'OTHER', title: 'Bad' });
      expect(badKey.errors[0]).toMatchObject({ code: 'BAD_USER_INPUT', path: ['input', 'key'] });
      expect(await read(`{ source(key: "test-source-bad") { key } }`)).toBeNull();
    });

    it('updates at the expected version: absent fields stay, null clears; a stale version is a CONFLICT that writes nothing', async () => {
      const ok = await edit(UPDATE_SOURCE, {
        id: 'test-source',
        expectedVersion: 1,
        title: 'A retitled article',
        publishedOn: '2022-03-04',
        authors: ['A. Writer', 'B. Writer'],
        summary: null,
      });
      expect(ok.errors).toEqual([]);
      expect(ok.source).toMatchObject({
        title: 'A retitled article',
        publishedOn: '2022-03-04',
        authors: ['A. Writer', 'B. Writer'],
        summary: null,
        url: 'https://example.org/article',
        language: 'en',
        version: 2,
      });
      const stale = await edit(UPDATE_SOURCE, { id: 'test-source', expectedVersion: 1, title: 'Lost update' });
      expect(stale).toEqual({
        source: null,
        errors: [{ code: 'CONFLICT', path: ['input', 'expectedVersion'], message: expect.stringMatching(/is at version 2, not 1/) }],
      });
      expect(await read(`{ source(key: "test-source") { title version } }`)).toEqual({ title: 'A retitled article', version: 2 });
      const cleared = await edit(UPDATE_SOURCE, { id: 'test-source', expectedVersion: 2, title: null, url: 'not a url' });
      expect(cleared.errors).toEqual(
        expect.arrayContaining([
          { code: 'BAD_USER_INPUT', path: ['input', 'title'], message: 'title cannot be cleared' },
          expect.objectContaining({ code: 'BAD_USER_INPUT', path: ['input', 'url'] }),
        ]),
      );
      const missing = await edit(UPDATE_SOURCE, { id: 'no-such-source', expectedVersion: 1, title: 'x' });
      expect(missing.errors[0]).toMatchObject({ code: 'NOT_FOUND', path: ['input', 'id'] });
    });

    it('locates every cited quote again when the body changes, and refuses a body that loses one', async () => {
      const body = 'An opening paragraph.\n\nThe envoy said that 12 countries backed the text.';
      const quote = 'said that 12 countries backed';
      expect((await edit(CREATE_SOURCE, { key: 'quoted-source', kind: 'TRANSCRIPT', title: 'A transcript', body })).errors).toEqual([]);
      const statement = await edit(CREATE_STATEMENT, {
        key: 'quoting-statement',
        title: 'A statement quoting the transcript',
        kind: 'JOINT_STATEMENT',
        date: '2022-03',
        signatures: [{ signatory: 'France', evidence: [{ source: 'quoted-source', quote }] }],
        countClaims: [{ count: 12, source: 'quoted-source', quote: 'backed the text' }],
        evidence: [{ source: 'quoted-source', quote }],
      });
      expect(statement.errors).toEqual([]);
      const EVIDENCE = `{ statement(key: "quoting-statement") { evidence { quote paragraph start end } signatures { nodes { evidence { paragraph start end } } } } }`;
      const at = (text: string) => ({ start: text.indexOf(quote), end: text.indexOf(quote) + quote.length });
      expect((await read(EVIDENCE)).evidence).toEqual([{ quote, paragraph: 2, ...at(body) }]);

      const moved = 'A new first paragraph.\n\nAnother one, longer than before.\n\nThe envoy said that 12   countries backed the text, we hear.';
      const movedAt = { start: moved.indexOf('said that'), end: moved.indexOf(' backed') + ' backed'.length };
      const updated = await edit(UPDATE_SOURCE, { id: 'quoted-source', expectedVersion: 1, body: moved });
      expect(updated.errors).toEqual([]);
      expect(updated.source).toMatchObject({ body: moved, version: 2 });
      const after = await read(EVIDENCE);
      expect(after.evidence).toEqual([{ quote, paragraph: 3, ...movedAt }]);
      expect(after.signatures.nodes[0].evidence).toEqual([{ paragraph: 3, ...movedAt }]);

      const lost = await edit(UPDATE_SOURCE, { id: 'quoted-source', expectedVersion: 2, title: 'Renamed too', body: 'Nothing of the sort was said.' });
      expect(lost).toEqual({
        source: null,
        errors: [{ code: 'BAD_USER_INPUT', path: ['input', 'body'], message: expect.stringContaining('"quoting-statement"') }],
      });
      expect(await read(`{ source(key: "quoted-source") { title body version } }`)).toEqual({ title: 'A transcript', body: moved, version: 2 });
      expect((await read(EVIDENCE)).evidence).toEqual([{ quote, paragraph: 3, ...movedAt }]);

      // the evidence quote stays but the count claim's is lost: refused all the same
      const claimLost = await edit(UPDATE_SOURCE, { id: 'quoted-source', expectedVersion: 2, body: 'He said that 12 countries backed it.' });
      expect(claimLost.errors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', path: ['input', 'body'] })]);
      expect(await read(`{ source(key: "quoted-source") { version } }`)).toEqual({ version: 2 });

      // the moved offsets are in the histories of the statement and of the signature, written by updateSource
      const histories = await read(
        `{ statement(key: "quoting-statement") { ${REVISION_FIELDS} signatures { nodes { ${REVISION_FIELDS} } } } }`,
      );
      const relocated = expect.objectContaining({ actor: 'alice', via: 'updateSource', action: 'UPDATE', table: 'evidence', after: expect.objectContaining({ paragraph: 3 }) });
      const byUpdate = (list: Revision[]) => list.filter((r) => r.via === 'updateSource');
      expect(byUpdate(histories.revisions.nodes)).toEqual([relocated]);
      expect(byUpdate(histories.signatures.nodes[0].revisions.nodes)).toEqual([relocated]);
    });

    it('refuses to delete a source live statements cite, naming how many and up to five of them', async () => {
      for (const key of ['extra-citing-1', 'extra-citing-2']) {
        const created = await edit(CREATE_STATEMENT, { key, title: 'Cites the seed article', kind: 'OTHER', date: '2021', evidence: [{ source: 'seed-article-2021-10-22' }] });
        expect(created.errors).toEqual([]);
      }
      const { version } = await read(`{ source(key: "seed-article-2021-10-22") { version } }`);
      const refused = await edit(DELETE_SOURCE, { id: 'seed-article-2021-10-22', expectedVersion: version });
      expect(refused.source).toBeNull();
      expect(refused.errors).toEqual([{ code: 'CONFLICT', path: ['input', 'id'], message: expect.stringMatching(/^6 live statements cite this source \(\d+ evidence or count claims\): /) }]);
      const message = refused.errors[0].message as string;
      expect(message).toContain('"extra-citing-1", "extra-citing-2", "unga76-c3-xinjiang-china-reply"');
      expect(message).toContain('and 1 more');
      expect(await read(`{ source(key: "seed-article-2021-10-22") { version deletedAt } }`)).toEqual({ version, deletedAt: null });
    });

    it('deletes softly once no live statement cites it, and restores it', async () => {
      const refused = await edit(DELETE_SOURCE, { id: 'quoted-source', expectedVersion: 2 });
      expect(refused.errors[0]).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^1 live statement cites this source .*"quoting-statement"/) });
      expect((await edit(DELETE_STATEMENT, { id: 'quoting-statement', expectedVersion: 1 })).errors).toEqual([]);
      const stale = await edit(DELETE_SOURCE, { id: 'quoted-source', expectedVersion: 1 });
      expect(stale.errors).toEqual([{ code: 'CONFLICT', path: ['input', 'expectedVersion'], message: expect.stringMatching(/is at version 2, not 1/) }]);
      const deleted = await edit(DELETE_SOURCE, { id: 'quoted-source', expectedVersion: 2 });
      expect(deleted.errors).toEqual([]);
      expect(deleted.source).toMatchObject({ key: 'quoted-source', version: 3, deletedAt: expect.any(String) });
      expect(await read(`{ source(key: "quoted-source") { key } }`)).toBeNull();
      expect((await edit(UPDATE_SOURCE, { id: 'quoted-source', expectedVersion: 3, title: 'x' })).errors[0].code).toBe('NOT_FOUND');
      expect((await edit(CREATE_SOURCE, { key: 'quoted-source', kind: 'OTHER', title: 'x' })).errors[0]).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('restoreSource'),
      });

      const staleRestore = await edit(RESTORE_SOURCE, { id: 'quoted-source', expectedVersion: 2 });
      expect(staleRestore.errors[0]).toMatchObject({ code: 'CONFLICT', path: ['input', 'expectedVersion'] });
      const restored = await edit(RESTORE_SOURCE, { id: 'quoted-source', expectedVersion: 3 });
      expect(restored).toEqual({ source: { key: 'quoted-source', version: 4, deletedAt: null }, errors: [] });
      expect((await edit(RESTORE_SOURCE, { id: 'quoted-source', expectedVersion: 4 })).errors[0].code).toBe('CONFLICT');
    });

    it("records who and how in the source's revisions", async () => {
      const revisions = await revisionsOf(`{ source(key: "quoted-source") { ${REVISION_FIELDS} } }`);
      expect(revisions.every((r) => r.actor === (/^(delete|restore)/.test(r.via ?? '') ? 'bob' : 'alice'))).toBe(true);
      expect(revisions.map((r) => r.via).reverse()).toEqual(['createSource', 'updateSource', 'deleteSource', 'restoreSource']);
      expect(revisions.at(-1)).toMatchObject({ action: 'INSERT', table: 'source', after: expect.objectContaining({ key: 'quoted-source' }) });
      expect(revisions[0]).toMatchObject({ action: 'UPDATE', before: expect.objectContaining({ deleted_at: expect.any(String) }), after: expect.objectContaining({ deleted_at: null }) });
    });
  });

  describe('people', () => {
    it('creates a person with roles whose signatories resolve as in imports', async () => {
      const created = await edit(CREATE_PERSON, {
        key: 'test-envoy',
        name: 'Test Envoy',
        aliases: ['T. Envoy'],
        roles: [{ title: 'Permanent Representative of Türkiye to the United Nations', signatory: 'Türkiye', from: '2019-05' }],
      });
      expect(created).toEqual({
        errors: [],
        person: {
          key: 'test-envoy',
          name: 'Test Envoy',
          aliases: ['T. Envoy'],
          version: 1,
          deletedAt: null,
          roles: [{ title: 'Permanent Representative of Türkiye to the United Nations', organization: null, from: '2019-05', to: null, signatory: { iso3: 'TUR' } }],
        },
      });
      const bad = await edit(CREATE_PERSON, { key: 'other-envoy', name: 'Other', roles: [{ title: 'Ambassador', signatory: 'Liebia' }] });
      expect(bad).toEqual({
        person: null,
        errors: [{ code: 'INVALID_REFERENCE', path: ['input', 'roles', '0', 'signatory'], message: expect.stringMatching(/"Liebia" matches no signatory; did you mean .*Liberia/) }],
      });
      expect(await read(`{ person(key: "other-envoy") { key } }`)).toBeNull();
      expect((await edit(CREATE_PERSON, { key: 'test-envoy', name: 'Twice' })).errors).toEqual([
        { code: 'CONFLICT', path: ['input', 'key'], message: 'a person has this key already' },
      ]);
    });

    it('replaces all roles when roles are given, resolving each signatory; errors name the role', async () => {
      const bad = await edit(UPDATE_PERSON, {
        id: 'test-envoy',
        expectedVersion: 1,
        name: 'Renamed Envoy',
        roles: [{ title: 'Ambassador', signatory: 'FRA' }, { title: 'Ambassador', signatory: 'Liebia' }],
      });
      expect(bad).toEqual({
        person: null,
        errors: [{ code: 'INVALID_REFERENCE', path: ['input', 'roles', '1', 'signatory'], message: expect.stringMatching(/"Liebia" matches no signatory; did you mean .*Liberia/) }],
      });
      expect(await read(`{ person(key: "test-envoy") { name version roles { title } } }`)).toEqual({
        name: 'Test Envoy',
        version: 1,
        roles: [{ title: 'Permanent Representative of Türkiye to the United Nations' }],
      });

      const ok = await edit(UPDATE_PERSON, {
        id: 'test-envoy',
        expectedVersion: 1,
        name: 'Renamed Envoy',
        roles: [
          { title: 'Ambassador of Türkiye to France', signatory: 'turkiye', from: '2015', to: '2019-04' },
          { title: 'Permanent Representative of Türkiye to the United Nations', signatory: 'TUR', from: '2019-05' },
          { title: 'Adviser', organization: 'OHCHR' },
        ],
      });
      expect(ok.errors).toEqual([]);
      expect(ok.person).toMatchObject({
        name: 'Renamed Envoy',
        aliases: ['T. Envoy'],
        version: 2,
        roles: [
          { title: 'Ambassador of Türkiye to France', from: '2015', to: '2019-04', signatory: { iso3: 'TUR' }, organization: null },
          { title: 'Permanent Representative of Türkiye to the United Nations', from: '2019-05', to: null, signatory: { iso3: 'TUR' } },
          { title: 'Adviser', organization: 'OHCHR', signatory: null },
        ],
      });
      const kept = await edit(UPDATE_PERSON, { id: 'test-envoy', expectedVersion: 2, aliases: null });
      expect(kept.person).toMatchObject({ aliases: [], version: 3, roles: [expect.anything(), expect.anything(), expect.anything()] });

      const stale = await edit(UPDATE_PERSON, { id: 'test-envoy', expectedVersion: 2, roles: null });
      expect(stale.errors).toEqual([{ code: 'CONFLICT', path: ['input', 'expectedVersion'], message: expect.stringMatching(/is at version 3, not 2/) }]);
      expect((await read(`{ person(key: "test-envoy") { roles { title } } }`)).roles).toHaveLength(3);
      const cleared = await edit(UPDATE_PERSON, { id: 'test-envoy', expectedVersion: 3, name: null });
      expect(cleared.errors).toEqual([{ code: 'BAD_USER_INPUT', path: ['input', 'name'], message: 'name cannot be cleared' }]);
    });

    it('refuses to delete someone live statements name as deliveredBy; deletes and restores others', async () => {
      const refused = await edit(DELETE_PERSON, { id: 'nicolas-de-riviere', expectedVersion: 1 });
      expect(refused).toEqual({
        person: null,
        errors: [{ code: 'CONFLICT', path: ['input', 'id'], message: expect.stringMatching(/^1 live statement names this person as deliveredBy: "unga76-c3-xinjiang-france"/) }],
      });
      const deleted = await edit(DELETE_PERSON, { id: 'test-envoy', expectedVersion: 3 });
      expect(deleted).toEqual({ person: { key: 'test-envoy', version: 4, deletedAt: expect.any(String) }, errors: [] });
      expect(await read(`{ person(key: "test-envoy") { key } }`)).toBeNull();
      const restored = await edit(RESTORE_PERSON, { id: 'test-envoy', expectedVersion: 4 });
      expect(restored).toEqual({ person: { key: 'test-envoy', version: 5, deletedAt: null }, errors: [] });
    });

    it('records who and how in their revisions, roles included', async () => {
      const revisions = await revisionsOf(`{ person(key: "test-envoy") { ${REVISION_FIELDS} } }`);
      expect(revisions.every((r) => r.actor === (/^(delete|restore)/.test(r.via ?? '') ? 'bob' : 'alice'))).toBe(true);
      const byVia = (via: string) => revisions.filter((r) => r.via === via).map((r) => `${r.action} ${r.table}`).sort();
      expect(byVia('createPerson')).toEqual(['INSERT person', 'INSERT person_role']);
      expect(byVia('updatePerson')).toEqual(['DELETE person_role', 'INSERT person_role', 'INSERT person_role', 'INSERT person_role', 'UPDATE person', 'UPDATE person']);
      expect(byVia('deletePerson')).toEqual(['UPDATE person']);
      expect(byVia('restorePerson')).toEqual(['UPDATE person']);
    });
  });

  describe('signatories', () => {
    it('creates organisations, groups and NGOs, never states', async () => {
      const state = await edit(CREATE_SIGNATORY, { key: 'new-state', kind: 'STATE', name: 'Freedonia' });
      expect(state).toEqual({ signatory: null, errors: [{ code: 'BAD_USER_INPUT', path: ['input', 'kind'], message: expect.stringMatching(/states are built in/) }] });
      const created = await edit(CREATE_SIGNATORY, {
        key: 'test-alliance',
        kind: 'GROUP',
        name: 'Test Alliance',
        aliases: ['TA'],
        members: ['Türkiye', 'FRA'],
      });
      expect(created.errors).toEqual([]);
      expect(created.signatory).toEqual({
        key: 'test-alliance',
        kind: 'GROUP',
        name: 'Test Alliance',
        isBuiltIn: false,
        version: 1,
        deletedAt: null,
        aliases: expect.arrayContaining([
          { name: 'Test Alliance', origin: 'bundle:test-alliance' },
          { name: 'TA', origin: 'bundle:test-alliance' },
        ]),
        members: expect.arrayContaining([{ iso3: 'TUR' }, { iso3: 'FRA' }]),
      });
      expect(await read(`{ signatory(ref: "TA") { key } }`)).toEqual({ key: 'test-alliance' });

      const bad = await edit(CREATE_SIGNATORY, { key: 'bad-alliance', kind: 'GROUP', name: 'Bad', members: ['FRA', 'Liebia'] });
      expect(bad).toEqual({
        signatory: null,
        errors: [{ code: 'INVALID_REFERENCE', path: ['input', 'members', '1'], message: expect.stringMatching(/"Liebia" matches no signatory/) }],
      });
      expect(await read(`{ signatory(ref: "bad-alliance") { key } }`)).toBeNull();
      expect((await edit(CREATE_SIGNATORY, { key: 'fra', kind: 'NGO', name: 'Not France' })).errors).toEqual([
        { code: 'CONFLICT', path: ['input', 'key'], message: '"fra" is the key of a built-in state; choose another key' },
      ]);
      expect((await edit(CREATE_SIGNATORY, { key: 'lonely-ngo', kind: 'NGO', name: 'Lonely NGO' })).errors).toEqual([]);
    });

    it('updates name, aliases and members at the expected version', async () => {
      const ok = await edit(UPDATE_SIGNATORY, { id: 'test-alliance', expectedVersion: 1, name: 'Renamed Alliance', members: ['DEU', 'deu', 'Germany', 'Türkiye'] });
      expect(ok.errors).toEqual([]);
      expect(ok.signatory.name).toBe('Renamed Alliance');
      expect(ok.signatory.version).toBe(2);
      expect(ok.signatory.aliases.map((a: { name: string }) => a.name).sort()).toEqual(['Renamed Alliance', 'TA']);
      expect(ok.signatory.members.map((m: { iso3: string }) => m.iso3).sort()).toEqual(['DEU', 'TUR']);
      expect(await read(`{ signatory(ref: "Test Alliance") { key } }`)).toBeNull();

      const aliases = await edit(UPDATE_SIGNATORY, { id: 'test-alliance', expectedVersion: 2, aliases: ['RA', 'The Alliance'] });
      expect(aliases.signatory.aliases.map((a: { name: string }) => a.name).sort()).toEqual(['RA', 'Renamed Alliance', 'The Alliance']);

      const stale = await edit(UPDATE_SIGNATORY, { id: 'test-alliance', expectedVersion: 2, members: null });
      expect(stale.errors).toEqual([{ code: 'CONFLICT', path: ['input', 'expectedVersion'], message: expect.stringMatching(/is at version 3, not 2/) }]);
      expect((await read(`{ signatory(ref: "test-alliance") { members { iso3 } } }`)).members).toHaveLength(2);

      const self = await edit(UPDATE_SIGNATORY, { id: 'test-alliance', expectedVersion: 3, members: ['Renamed Alliance'] });
      expect(self.errors).toEqual([{ code: 'BAD_USER_INPUT', path: ['input', 'members', '0'], message: 'a signatory cannot be a member of itself' }]);
    });

    it('lets only the aliases of a built-in state change', async () => {
      const { version } = await read(`{ signatory(ref: "TUR") { version } }`);
      const renamed = await edit(UPDATE_SIGNATORY, { id: 'TUR', expectedVersion: version, name: 'Turkey', members: ['FRA'] });
      expect(renamed.signatory).toBeNull();
      expect(renamed.errors).toEqual([
        { code: 'BAD_USER_INPUT', path: ['input', 'name'], message: expect.stringMatching(/is a built-in state.*only its aliases can change/) },
        { code: 'BAD_USER_INPUT', path: ['input', 'members'], message: expect.stringMatching(/is a built-in state/) },
      ]);
      const aliased = await edit(UPDATE_SIGNATORY, { id: 'TUR', expectedVersion: version, aliases: ['Anatolian Republic', 'Türkiye'] });
      expect(aliased.errors).toEqual([]);
      expect(aliased.signatory.version).toBe(version + 1);
      const bundleAliases = aliased.signatory.aliases.filter((a: { origin: string }) => a.origin.startsWith('bundle:'));
      // "Türkiye" is a name the state already has: not repeated
      expect(bundleAliases).toEqual([{ name: 'Anatolian Republic', origin: 'bundle:tur' }]);
      expect(await read(`{ signatory(ref: "Anatolian Republic") { iso3 } }`)).toEqual({ iso3: 'TUR' });
      const deleted = await edit(DELETE_SIGNATORY, { id: 'TUR', expectedVersion: version + 1 });
      expect(deleted.errors).toEqual([{ code: 'BAD_USER_INPUT', path: ['input', 'id'], message: 'built-in states cannot be deleted' }]);
    });

    it('refuses to delete a signatory live statements name; deletes and restores others', async () => {
      const statement = await edit(CREATE_STATEMENT, { key: 'alliance-statement', title: 'Read for the alliance', kind: 'JOINT_STATEMENT', date: '2022', signatures: [{ signatory: 'Renamed Alliance' }] });
      expect(statement.errors).toEqual([]);
      const refused = await edit(DELETE_SIGNATORY, { id: 'test-alliance', expectedVersion: 3 });
      expect(refused.errors).toEqual([{ code: 'CONFLICT', path: ['input', 'id'], message: expect.stringMatching(/^1 live statement names this signatory .*"alliance-statement"/) }]);

      const deleted = await edit(DELETE_SIGNATORY, { id: 'lonely-ngo', expectedVersion: 1 });
      expect(deleted).toEqual({ signatory: { key: 'lonely-ngo', version: 2, deletedAt: expect.any(String) }, errors: [] });
      expect(await read(`{ signatory(ref: "Lonely NGO") { key } }`)).toBeNull();
      const named = await edit(CREATE_STATEMENT, { key: 'ngo-statement', title: 'x', kind: 'OTHER', date: '2022', signatures: [{ signatory: 'Lonely NGO' }] });
      expect(named.errors[0]).toMatchObject({ code: 'INVALID_REFERENCE', path: ['input', 'signatures', '0', 'signatory'] });
      const restored = await edit(RESTORE_SIGNATORY, { id: 'lonely-ngo', expectedVersion: 2 });
      expect(restored).toEqual({ signatory: { key: 'lonely-ngo', version: 3, deletedAt: null }, errors: [] });
      expect(await read(`{ signatory(ref: "Lonely NGO") { key } }`)).toEqual({ key: 'lonely-ngo' });
    });

    it('records who and how in its revisions, aliases and members included', async () => {
      const revisions = await revisionsOf(`{ signatory(ref: "test-alliance") { ${REVISION_FIELDS} } }`);
      expect(revisions.every((r) => r.actor === (/^(delete|restore)/.test(r.via ?? '') ? 'bob' : 'alice'))).toBe(true);
      const tables = (via: string) => [...new Set(revisions.filter((r) => r.via === via).map((r) => r.table))].sort();
      expect(tables('createSignatory')).toEqual(['signatory', 'signatory_alias', 'signatory_membership']);
      expect(tables('updateSignatory')).toEqual(['signatory', 'signatory_alias', 'signatory_membership']);
      const ngo = await revisionsOf(`{ signatory(ref: "lonely-ngo") { ${REVISION_FIELDS} } }`);
      expect(ngo.filter((r) => r.table === 'signatory').map((r) => r.via)).toEqual(['restoreSignatory', 'deleteSignatory', 'createSignatory']);
      const state = await revisionsOf(`{ signatory(ref: "TUR") { revisions(first: 5) { nodes { actor via action table after } } } }`);
      expect(state[0]).toMatchObject({ actor: 'alice', via: 'updateSignatory' });
      expect(state.filter((r) => r.via === 'updateSignatory' && r.table === 'signatory_alias')).toEqual([
        expect.objectContaining({ action: 'INSERT', after: expect.objectContaining({ name: 'Anatolian Republic', origin: 'bundle:tur' }) }),
      ]);
    });

    it('resolves a name with its articles dropped wherever a name is read, and never picks one of two', async () => {
      expect(await read(`{ signatory(ref: "Republic of Gambia") { iso3 } }`)).toEqual({ iso3: 'GMB' });
      expect(await read(`{ signatory(ref: "the Republic of Philippines") { iso3 } }`)).toEqual({ iso3: 'PHL' });
      const byCode = await read(`{ statements(filter: { signedBy: { all: ["PHL"] } }) { totalCount } }`);
      expect(byCode.totalCount).toBeGreaterThan(0);
      expect(await read(`{ statements(filter: { signedBy: { all: ["Republic of Philippines"] } }) { totalCount } }`)).toEqual(byCode);
      const lead = await edit(CREATE_STATEMENT, { key: 'gambia-led', title: 'Read by the Gambia', kind: 'OTHER', date: '2022', leadSignatory: 'Republic of Gambia' });
      expect(lead.errors).toEqual([]);
      expect((await read(`{ statements(filter: { leadSignatory: "the Republic of Gambia" }) { nodes { key } } }`)).nodes).toEqual([{ key: 'gambia-led' }]);

      for (const [key, name] of [['gulf-council', 'Council of the States of the Gulf'], ['gulf-states', 'Council of States of the Gulf']]) {
        expect((await edit(CREATE_SIGNATORY, { key, kind: 'GROUP', name, members: ['Kuwait'] })).errors).toEqual([]);
      }
      const ambiguous = await call(`{ signatory(ref: "Council of States of Gulf") { key } }`);
      expect(ambiguous.errors?.[0]?.extensions).toEqual({
        code: 'AMBIGUOUS_REFERENCE',
        candidates: [
          { key: 'gulf-states', name: 'Council of States of the Gulf' },
          { key: 'gulf-council', name: 'Council of the States of the Gulf' },
        ],
      });
      const members = await call(`{ signatories(filter: { memberOf: "Council of States of Gulf" }) { totalCount } }`);
      expect(members.errors?.[0]?.extensions?.code).toBe('AMBIGUOUS_REFERENCE');
      expect((await read(`{ signatories(filter: { memberOf: "Council of the States of the Gulf" }) { nodes { iso3 } } }`)).nodes).toEqual([{ iso3: 'KWT' }]);
    });
  });
});
