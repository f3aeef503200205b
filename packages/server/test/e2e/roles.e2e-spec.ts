/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL responses, checked field by field by the assertions */
import { createToken, type RunningServer } from '../../src/index';
import { startTestServer } from '../support/test-database';

type Gql = { status: number; data?: Record<string, any>; errors?: { message: string; extensions?: Record<string, unknown> }[] };

/** What each role may do (README, "Roles"): editors curate records; deleting, restoring and bulk imports need an admin. */
describe('roles', () => {
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
    editor = (await createToken(em, 'ed', 'editor')).token;
    admin = (await createToken(em, 'ad', 'admin')).token;
  });
  afterAll(async () => {
    await server.stop();
  });

  const forbidden = (answer: Gql, operation: string) => {
    expect(answer.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    expect(answer.errors![0]!.message).toBe('this needs the admin role; the token "ed" is editor');
    expect(answer.data?.[operation] ?? null).toBeNull();
  };

  // An editor creates one record of each kind; deleting and restoring it take an admin.
  const RECORDS = [
    { type: 'Statement', field: 'statement', input: { key: 'roles-statement', title: 'Roles', kind: 'OTHER', date: '2024' } },
    { type: 'Source', field: 'source', input: { key: 'roles-source', kind: 'OTHER', title: 'Roles' } },
    { type: 'Person', field: 'person', input: { key: 'roles-person', name: 'Ro Les' } },
    { type: 'Signatory', field: 'signatory', input: { key: 'roles-group', kind: 'GROUP', name: 'Roles Group' } },
  ];

  it.each(RECORDS)('delete$type and restore$type: FORBIDDEN to an editor, done for an admin', async ({ type, field, input }) => {
    const created = await call(`mutation($input: Create${type}Input!) { create${type}(input: $input) { ${field} { version } errors { code message } } }`, { input }, editor);
    expect(created.data![`create${type}`]).toEqual({ [field]: { version: 1 }, errors: [] });

    const DELETE = `mutation($input: VersionedRefInput!) { delete${type}(input: $input) { ${field} { version deletedAt } errors { code message } } }`;
    const RESTORE = `mutation($input: VersionedRefInput!) { restore${type}(input: $input) { ${field} { version deletedAt } errors { code message } } }`;
    forbidden(await call(DELETE, { input: { id: input.key, expectedVersion: 1 } }, editor), `delete${type}`);
    const deleted = await call(DELETE, { input: { id: input.key, expectedVersion: 1 } }, admin);
    expect(deleted.data![`delete${type}`]).toEqual({ [field]: { version: 2, deletedAt: expect.any(String) }, errors: [] });

    forbidden(await call(RESTORE, { input: { id: input.key, expectedVersion: 2 } }, editor), `restore${type}`);
    const restored = await call(RESTORE, { input: { id: input.key, expectedVersion: 2 } }, admin);
    expect(restored.data![`restore${type}`]).toEqual({ [field]: { version: 3, deletedAt: null }, errors: [] });
  });

  it('importBundle (a dry run too): FORBIDDEN to an editor, done for an admin', async () => {
    const IMPORT = `mutation($bundle: JSON!, $dryRun: Boolean) { importBundle(bundle: $bundle, dryRun: $dryRun) { dryRun summary { statements { created } } errors { code } } }`;
    const bundle = { format: 'jointly-bundle/1', statements: [{ key: 'roles-import', kind: 'OTHER', title: 'Imported', date: '2022' }] };
    forbidden(await call(IMPORT, { bundle, dryRun: true }, editor), 'importBundle');
    forbidden(await call(IMPORT, { bundle }, editor), 'importBundle');
    expect((await call(`{ statement(key: "roles-import") { key } }`)).data!.statement).toBeNull();
    const imported = await call(IMPORT, { bundle }, admin);
    expect(imported.data!.importBundle).toEqual({ dryRun: false, summary: { statements: { created: 1 } }, errors: [] });
  });

  it('leaves an editor every other write: create, update, signatures', async () => {
    const UPDATE = `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { statement { version } errors { code } } }`;
    const ADD = `mutation($input: AddSignatureInput!) { addSignature(input: $input) { signature { id version } errors { code } } }`;
    const REMOVE = `mutation($input: VersionedRefInput!) { removeSignature(input: $input) { errors { code } } }`;
    await call(`mutation($input: CreateStatementInput!) { createStatement(input: $input) { errors { code } } }`, { input: { key: 'roles-editor', title: 'E', kind: 'OTHER', date: '2024' } }, editor);
    expect((await call(UPDATE, { input: { id: 'roles-editor', expectedVersion: 1, title: 'Edited' } }, editor)).data!.updateStatement).toEqual({ statement: { version: 2 }, errors: [] });
    const added = (await call(ADD, { input: { statement: 'roles-editor', signatory: 'FRA' } }, editor)).data!.addSignature;
    expect(added.errors).toEqual([]);
    expect((await call(REMOVE, { input: { id: added.signature.id, expectedVersion: 1 } }, editor)).data!.removeSignature.errors).toEqual([]);
  });
});
