/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL responses, checked field by field by the assertions */
import { Client } from 'pg';
import { createToken, type RunningServer } from '../../src/index';
import { backend, startTestServer, testDatabaseUrl } from '../support/test-database';

type Gql = { status: number; data?: Record<string, any>; errors?: { message: string; extensions?: Record<string, unknown> }[] };

/**
 * Writes racing each other over HTTP. On PostgreSQL the server gets a pool large enough for the
 * requests to run at once; the embedded database is one session, where they queue, and the answers
 * must be the same.
 */
describe('writes under concurrency', () => {
  let server: RunningServer;
  let databaseUrl: string;
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
    databaseUrl = await testDatabaseUrl();
    server = await startTestServer({ databaseUrl, env: backend === 'embedded' ? {} : { JOINTLY_DB_POOL_SIZE: '20' } });
    const em = server.database.dataSource.manager;
    editor = (await createToken(em, 'racer', 'editor')).token;
    admin = (await createToken(em, 'boss', 'admin')).token;
  });
  afterAll(async () => {
    await server.stop();
  });

  const CREATE = `mutation($input: CreateStatementInput!) { createStatement(input: $input) { statement { version } errors { code message } } }`;
  const create = async (key: string) => {
    const created = await call(CREATE, { input: { key, title: `Race ${key}`, kind: 'JOINT_STATEMENT', date: '2024-03' } }, editor);
    expect(created.data!.createStatement.errors).toEqual([]);
  };
  const LIST = `query($key: String!) { statement(key: $key) { version listedSignatoryCount signatures(first: 100) { totalCount nodes { id version status position signatory { iso3 } } } } }`;
  const list = async (key: string) => (await call(LIST, { key })).data!.statement;

  /** 80 requests queue behind one session on the embedded database: slow on a busy machine. */
  const MANY_REQUESTS_MS = 180_000;

  const STATES = ['FRA', 'DEU', 'ITA', 'ESP', 'PRT', 'NLD', 'BEL', 'LUX', 'AUT', 'CHE', 'SWE', 'NOR', 'DNK', 'FIN', 'ISL', 'IRL'];

  it('numbers and counts signatures added, withdrawn and removed at once', async () => {
    await create('race-signatures');
    const ADD = `mutation($input: AddSignatureInput!) { addSignature(input: $input) { signature { position } errors { code message } } }`;
    const added = await Promise.all(STATES.map((signatory) => call(ADD, { input: { statement: 'race-signatures', signatory } }, editor)));
    expect(added.map((a) => a.errors ?? a.data!.addSignature.errors)).toEqual(STATES.map(() => []));
    let now = await list('race-signatures');
    expect(now.signatures.nodes.map((n: any) => n.position).sort((a: number, b: number) => a - b)).toEqual(STATES.map((_, i) => i));
    expect(now.listedSignatoryCount).toBe(STATES.length);
    expect(now.signatures.totalCount).toBe(STATES.length);

    // Half of them withdraw at once.
    const WITHDRAW = `mutation($input: WithdrawSignatureInput!) { withdrawSignature(input: $input) { signature { status } errors { code message } } }`;
    const withdrawing = now.signatures.nodes.slice(0, 8);
    const withdrawn = await Promise.all(withdrawing.map((n: any) => call(WITHDRAW, { input: { id: n.id, expectedVersion: n.version } }, editor)));
    expect(withdrawn.map((w) => w.errors ?? w.data!.withdrawSignature.errors)).toEqual(withdrawing.map(() => []));
    now = await list('race-signatures');
    expect(now.listedSignatoryCount).toBe(8);
    expect(now.signatures.nodes.filter((n: any) => n.status === 'WITHDRAWN')).toHaveLength(8);

    // Four signed and four withdrawn ones are taken off at once.
    const REMOVE = `mutation($input: VersionedRefInput!) { removeSignature(input: $input) { signature { position } errors { code message } } }`;
    const removing = [...now.signatures.nodes.filter((n: any) => n.status === 'SIGNED').slice(0, 4), ...now.signatures.nodes.filter((n: any) => n.status === 'WITHDRAWN').slice(0, 4)];
    const removed = await Promise.all(removing.map((n: any) => call(REMOVE, { input: { id: n.id, expectedVersion: n.version } }, editor)));
    expect(removed.map((r) => r.errors ?? r.data!.removeSignature.errors)).toEqual(removing.map(() => []));
    now = await list('race-signatures');
    expect(now.listedSignatoryCount).toBe(4);
    expect(now.signatures.totalCount).toBe(8);
    const positions = now.signatures.nodes.map((n: any) => n.position);
    expect(new Set(positions).size).toBe(8);

    // Added again at once, after the removals: new positions follow the list, none repeated.
    const back = removing.map((n: any) => n.signatory.iso3 as string);
    const readded = await Promise.all(back.map((signatory) => call(ADD, { input: { statement: 'race-signatures', signatory } }, editor)));
    expect(readded.map((a) => a.errors ?? a.data!.addSignature.errors)).toEqual(back.map(() => []));
    now = await list('race-signatures');
    expect(new Set(now.signatures.nodes.map((n: any) => n.position)).size).toBe(16);
    expect(now.listedSignatoryCount).toBe(12);
    expect(now.signatures.totalCount).toBe(16);
    }, MANY_REQUESTS_MS);

  it('restores and deletes at the expected version only: one success per version, the others CONFLICT', async () => {
    const DELETE = `mutation($input: VersionedRefInput!) { deleteStatement(input: $input) { statement { version } errors { code path message } } }`;
    const RESTORE = `mutation($input: VersionedRefInput!) { restoreStatement(input: $input) { statement { version } errors { code path message } } }`;
    const keys = Array.from({ length: 10 }, (_, i) => `race-restore-${i}`);
    for (const key of keys) await create(key);

    // 8 deletes of each of 10 statements at version 1, all at once: 80 attempts, 10 can succeed.
    const deletes = await Promise.all(keys.flatMap((id) => Array.from({ length: 8 }, () => call(DELETE, { input: { id, expectedVersion: 1 } }, admin))));
    const deleted = deletes.filter((d) => d.data?.deleteStatement.errors.length === 0);
    expect(deleted).toHaveLength(10);
    expect(deleted.map((d) => d.data!.deleteStatement.statement.version)).toEqual(keys.map(() => 2));
    const lost = deletes.filter((d) => d.data?.deleteStatement.errors.length !== 0);
    expect(lost).toHaveLength(70);
    for (const d of lost) expect(['CONFLICT', 'NOT_FOUND']).toContain(d.data!.deleteStatement.errors[0].code);

    // 8 restores of each at version 2, all at once: 10 succeed, 70 are CONFLICTs.
    const restores = await Promise.all(keys.flatMap((id) => Array.from({ length: 8 }, () => call(RESTORE, { input: { id, expectedVersion: 2 } }, admin))));
    const restored = restores.filter((r) => r.data?.restoreStatement.errors.length === 0);
    expect(restored).toHaveLength(10);
    expect(restored.map((r) => r.data!.restoreStatement.statement.version)).toEqual(keys.map(() => 3));
    const conflicts = restores.filter((r) => r.data?.restoreStatement.errors[0]?.code === 'CONFLICT');
    expect(conflicts).toHaveLength(70);
    for (const c of conflicts) expect(c.data!.restoreStatement.statement).toBeNull();
    for (const key of keys) {
      const now = (await call(`query($key: String!) { statement(key: $key) { version deletedAt revisions(first: 100) { nodes { via } } } }`, { key })).data!.statement;
      expect(now).toMatchObject({ version: 3, deletedAt: null });
      expect(now.revisions.nodes.filter((r: { via: string }) => r.via === 'restoreStatement')).toHaveLength(1);
      expect(now.revisions.nodes.filter((r: { via: string }) => r.via === 'deleteStatement')).toHaveLength(1);
    }
    }, MANY_REQUESTS_MS);

  it('a stale restore names the current version; restoring a live record is a CONFLICT', async () => {
    const DELETE = `mutation($input: VersionedRefInput!) { deleteStatement(input: $input) { statement { version } errors { code path message } } }`;
    const RESTORE = `mutation($input: VersionedRefInput!) { restoreStatement(input: $input) { statement { version } errors { code path message } } }`;
    await create('race-stale-restore');
    expect((await call(DELETE, { input: { id: 'race-stale-restore', expectedVersion: 1 } }, admin)).data!.deleteStatement.errors).toEqual([]);
    const stale = await call(RESTORE, { input: { id: 'race-stale-restore', expectedVersion: 1 } }, admin);
    expect(stale.data!.restoreStatement).toEqual({
      statement: null,
      errors: [{ code: 'CONFLICT', path: ['input', 'expectedVersion'], message: expect.stringMatching(/is at version 2, not 1/) }],
    });
    expect((await call(RESTORE, { input: { id: 'race-stale-restore', expectedVersion: 2 } }, admin)).data!.restoreStatement.errors).toEqual([]);
    const live = await call(RESTORE, { input: { id: 'race-stale-restore', expectedVersion: 3 } }, admin);
    expect(live.data!.restoreStatement.errors).toEqual([{ code: 'CONFLICT', path: ['input', 'id'], message: 'the statement is not deleted' }]);
  });

  it('bumps the version on a write from outside the API (psql), so an update at the old version is a CONFLICT', async () => {
    await create('race-psql');
    const UPDATE = `mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { statement { title version } errors { code path message } } }`;
    const psql = new Client({ connectionString: databaseUrl });
    await psql.connect();
    try {
      await psql.query(`UPDATE statement SET title = 'Edited in psql' WHERE key = 'race-psql'`);
      // A write that changes nothing is no new version; derived columns (counts) are none either.
      await psql.query(`UPDATE statement SET title = title WHERE key = 'race-psql'`);
      const rows = (await psql.query(`SELECT version FROM statement WHERE key = 'race-psql'`)).rows as { version: number }[];
      expect(rows).toEqual([{ version: 2 }]);
      // Whoever sets the version, a write is one step: it cannot be set back.
      await psql.query(`UPDATE statement SET title = 'Edited again', version = 1 WHERE key = 'race-psql'`);
      expect((await psql.query(`SELECT version FROM statement WHERE key = 'race-psql'`)).rows).toEqual([{ version: 3 }]);
    } finally {
      await psql.end();
    }
    const stale = await call(UPDATE, { input: { id: 'race-psql', expectedVersion: 1, title: 'Overwrite' } }, editor);
    expect(stale.data!.updateStatement).toEqual({
      statement: null,
      errors: [{ code: 'CONFLICT', path: ['input', 'expectedVersion'], message: expect.stringMatching(/is at version 3, not 1/) }],
    });
    const ok = await call(UPDATE, { input: { id: 'race-psql', expectedVersion: 3, title: 'Through the API' } }, editor);
    expect(ok.data!.updateStatement).toEqual({ statement: { title: 'Through the API', version: 4 }, errors: [] });
    // Adding a signature changes the statement's count, not its version.
    const ADD = `mutation($input: AddSignatureInput!) { addSignature(input: $input) { errors { code } } }`;
    expect((await call(ADD, { input: { statement: 'race-psql', signatory: 'FRA' } }, editor)).data!.addSignature.errors).toEqual([]);
    expect(await list('race-psql')).toMatchObject({ version: 4, listedSignatoryCount: 1 });
    // The history has every write, the psql ones without a name.
    const history = (await call(`{ statement(key: "race-psql") { revisions(first: 100) { nodes { actor via action table } } } }`)).data!.statement.revisions.nodes;
    expect(history.filter((r: any) => r.table === 'statement')).toHaveLength(4);
    expect(history.filter((r: any) => r.table === 'statement' && r.actor === null)).toHaveLength(2);
  });

  it('an import writes one version per changed record, as an API update does', async () => {
    const IMPORT = `mutation($bundle: JSON!) { importBundle(bundle: $bundle) { summary { statements { created updated unchanged } } errors { code message } } }`;
    const bundle = (title: string) => ({
      format: 'jointly-bundle/1',
      statements: [{ key: 'race-import', kind: 'OTHER', title, date: '2022', signatures: [{ signatory: 'FRA' }, { signatory: 'DEU' }] }],
    });
    expect((await call(IMPORT, { bundle: bundle('First') }, admin)).data!.importBundle.summary.statements).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect((await list('race-import')).version).toBe(1);
    expect((await call(IMPORT, { bundle: bundle('First') }, admin)).data!.importBundle.summary.statements).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect((await list('race-import')).version).toBe(1);
    expect((await call(IMPORT, { bundle: bundle('Second') }, admin)).data!.importBundle.summary.statements).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const now = await list('race-import');
    expect(now).toMatchObject({ version: 2, listedSignatoryCount: 2 });
    expect(now.signatures.nodes.map((n: any) => n.version)).toEqual([1, 1]);
  });

  it('a reply and the statement it answers, created by one bundle, are both at version 1; re-linking a reply is one version', async () => {
    const IMPORT = `mutation($bundle: JSON!) { importBundle(bundle: $bundle) { errors { code message } } }`;
    const VERSION = `query($key: String!) { statement(key: $key) { version respondsTo { key } } }`;
    const version = async (key: string) => (await call(VERSION, { key })).data!.statement;
    // The reply comes first in the file: its link is written once the statement it answers exists.
    const first = {
      format: 'jointly-bundle/1',
      statements: [
        { key: 'race-reply', kind: 'RIGHT_OF_REPLY', title: 'Reply', date: '2022', respondsTo: 'race-answered' },
        { key: 'race-answered', kind: 'JOINT_STATEMENT', title: 'Answered', date: '2022' },
      ],
    };
    expect((await call(IMPORT, { bundle: first }, admin)).data!.importBundle.errors).toEqual([]);
    expect(await version('race-reply')).toEqual({ version: 1, respondsTo: { key: 'race-answered' } });
    expect(await version('race-answered')).toMatchObject({ version: 1 });
    // The same reply now answers a statement new in this bundle: one change, one version.
    const second = {
      format: 'jointly-bundle/1',
      statements: [
        { key: 'race-reply', kind: 'RIGHT_OF_REPLY', title: 'Reply', date: '2022', respondsTo: 'race-answered-too' },
        { key: 'race-answered-too', kind: 'JOINT_STATEMENT', title: 'Answered too', date: '2022' },
      ],
    };
    expect((await call(IMPORT, { bundle: second }, admin)).data!.importBundle.errors).toEqual([]);
    expect(await version('race-reply')).toEqual({ version: 2, respondsTo: { key: 'race-answered-too' } });
    // The setting stays inside the import's transaction: a later write in psql is a version again.
    const psql = new Client({ connectionString: databaseUrl });
    await psql.connect();
    try {
      await psql.query(`UPDATE statement SET title = 'Reply, edited' WHERE key = 'race-reply'`);
      expect((await psql.query(`SELECT version FROM statement WHERE key = 'race-reply'`)).rows).toEqual([{ version: 3 }]);
    } finally {
      await psql.end();
    }
  });
});
