import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS } from '../../server/src/database/migrations';
import { isOk, killLeftovers, post, requestLoop, serve, stopServe, type Served } from '../../server/test/faults/support';
import { runCli } from './run-cli';

const NAMES = MIGRATIONS.map((m) => new m().name!);

const CREATE_SOURCE = `mutation Create($input: CreateSourceInput!) {
  createSource(input: $input) { errors { code message } source { key title } }
}`;
const NEWEST = `query Newest { statements(first: 2) { totalCount nodes { key title } } }`;

/**
 * `jointly serve` (as `npm start` runs it) on the embedded database, and the commands a curator runs
 * meanwhile on the same folder: they work through the server's database, and the server sees their writes.
 */
describe('jointly commands next to a running server on the embedded database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointly-shared-'));
  const dataDir = path.join(dir, 'data');
  const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
  let server: Served;
  let using: string;

  beforeAll(async () => {
    server = await serve({ JOINTLY_RESPONSE_CACHE_MB: '64' }, ['--data-dir', dataDir]);
    using = `using the database of the running server (process ${server.child.pid})\n`;
  }, 120_000);

  afterAll(async () => {
    try {
      if (server) {
        expect((await stopServe(server)).code).toBe(0);
        expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
      }
    } finally {
      killLeftovers();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the server through the lock file, which names its process and the port of its database', () => {
    expect(JSON.parse(fs.readFileSync(`${dataDir}.lock`, 'utf8'))).toEqual({ pid: server.child.pid, port: expect.any(Number) });
  });

  it('creates a token the server accepts at once, and lists tokens as JSON (never the token or its hash)', async () => {
    const created = await cli('token', 'create', '--name', 'alice', '--role', 'editor');
    expect(created.code).toBe(0);
    expect(created.stderr).toBe(`${using}created the editor token "alice"; it is shown only now: send it as Authorization: Bearer <token>\n`);
    const token = created.stdout.trim();
    expect(token).toMatch(/^jly_[\w-]{43}$/);

    const written = await post(server.url, CREATE_SOURCE, { token, variables: { input: { key: 'next-to-server', kind: 'OTHER', title: 'Written with a token made meanwhile' } } });
    expect(written.body?.errors).toBeUndefined();
    expect(written.body?.data?.createSource).toEqual({ errors: [], source: { key: 'next-to-server', title: 'Written with a token made meanwhile' } });

    const listed = await cli('token', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe(using);
    const tokens = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(tokens).toEqual([
      { name: 'alice', role: 'editor', prefix: token.slice(0, 10), createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), lastUsedAt: expect.stringMatching(/^\d{4}-/), revokedAt: null },
    ]);
    expect(listed.stdout).not.toContain(token.slice(10));
    expect(listed.stdout).not.toMatch(/hash/i);
  });

  it('imports a bundle that the next read sees: the server drops its cached answers on the import\'s commit', async () => {
    const before = await post(server.url, NEWEST);
    expect(isOk(before)).toBe(true);
    expect((await post(server.url, NEWEST)).headers['x-jointly-cache']).toBe('hit');

    const bundle = path.join(dir, 'meanwhile.json');
    const statement = { key: 'imported-meanwhile', kind: 'JOINT_STATEMENT', title: 'Imported while the server ran', date: '2030-01-15', signatures: [{ signatory: 'France' }] };
    fs.writeFileSync(bundle, JSON.stringify({ format: 'jointly-bundle/1', statements: [statement] }));
    const imported = await cli('import', '-q', bundle);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toBe(using);
    expect(imported.stdout).toMatch(/^2 created, 0 updated, 0 unchanged/);

    const after = await post(server.url, NEWEST);
    expect(after.headers['x-jointly-cache']).toBe('miss');
    const total = (before.body?.data?.statements as { totalCount: number }).totalCount;
    expect(after.body?.data?.statements).toEqual({
      totalCount: total + 1,
      nodes: [{ key: 'imported-meanwhile', title: 'Imported while the server ran' }, (before.body?.data?.statements as { nodes: unknown[] }).nodes[0]],
    });

    const exported = await cli('export', '--topic', 'nothing-has-this-topic');
    expect(exported.code).toBe(0);
    expect(exported.stderr).toBe(using);
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'jointly-bundle/1' });
    const all = await cli('export', '--format', 'csv');
    // The signature row, then the statement's facts beside it (title, kind, counts, list status, topics, sources).
    expect(all.stdout).toMatch(/^imported-meanwhile,2030-01-15,.*,FRA,France,France,SIGNED,,,Imported while the server ran,/m);
  });

  it('serves every request while a long import writes through it (they wait for its transaction, none fails)', async () => {
    const statements = Array.from({ length: 1500 }, (_, i) => ({
      key: `long-import-${i}`,
      kind: 'JOINT_STATEMENT',
      title: `Statement ${i} of a long import`,
      date: '2022',
      signatures: ['France', 'Germany', 'Japan', 'Brazil', 'India', 'Kenya'].map((signatory) => ({ signatory })),
    }));
    const bundle = path.join(dir, 'long.json');
    fs.writeFileSync(bundle, JSON.stringify({ format: 'jointly-bundle/1', statements }));
    // Different documents, so that the answers come from the database, not from the cache.
    const load = requestLoop(server.url, (n) => `{ statements(first: ${1 + (n % 20)}) { totalCount nodes { key signatures(first: 3) { nodes { signatory { name } } } } } }`, 3);
    const importing = cli('import', '-q', bundle);
    // Commands that need no transaction of their own, at the same time.
    const shown = await Promise.all([cli('migrate', 'show', '--json'), cli('token', 'list', '--json')]);
    const imported = await importing;
    const answers = await load.stop();

    expect(imported).toMatchObject({ code: 0, stderr: using });
    expect(imported.stdout).toMatch(/^10500 created, 0 updated, 0 unchanged/);
    expect(shown.map((r) => r.code)).toEqual([0, 0]);
    expect(answers.length).toBeGreaterThan(0);
    const failed = answers.filter((a) => !isOk(a)).map((a) => ({ status: a.status, error: a.error, errors: a.body?.errors }));
    // With the server's last log lines when some failed, to tell a reset by the server from one on the way.
    expect({ failed, log: failed.length ? server.output().split('\n').slice(-40).join('\n') : '' }).toEqual({ failed: [], log: '' });
    const counted = await post(server.url, `{ statements(first: 1, filter: { dateFrom: "2022", dateTo: "2022" }) { totalCount } }`);
    expect(counted.body?.data?.statements).toEqual({ totalCount: 1500 });
  });

  it('shows the migrations, as JSON too', async () => {
    const shown = await cli('migrate', 'show', '--json');
    expect(shown).toMatchObject({ code: 0, stderr: using });
    expect(JSON.parse(shown.stdout)).toEqual(NAMES.map((name) => ({ name, applied: true })));
    const text = await cli('migrate', 'show');
    expect(text.stdout).toBe(NAMES.map((n) => `[X] ${n}\n`).join(''));
  });

  it.each([
    ['migrate revert', ''],
    ['migrate run', ' (or just start it again: it applies pending migrations when it starts)'],
    ['seed', ' (a server starting on an empty archive loads the sample data itself)'],
  ])('refuses `%s` in one line that names the server and what to do', async (command, instead) => {
    const refused = await cli(...command.split(' '));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(`jointly: the server (process ${server.child.pid}) is using ${dataDir}: stop it first, then run \`jointly ${command}\`${instead}\n`);
    expect(JSON.parse((await cli('migrate', 'show', '--json')).stdout)).toEqual(NAMES.map((name) => ({ name, applied: true })));
  });
});

describe('jointly commands on a folder held by a process that does not share it', () => {
  it('say so in one line and leave the lock alone (a server still starting, another command, an older version)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointly-held-'));
    try {
      const dataDir = path.join(dir, 'data');
      // This test process is alive, and its lock names no port (the form older versions wrote).
      fs.writeFileSync(`${dataDir}.lock`, String(process.pid));
      const listed = await runCli(['--data-dir', dataDir, 'token', 'list']);
      expect(listed.code).toBe(1);
      expect(listed.stderr).toBe(
        `jointly: the data folder ${dataDir} is in use by process ${process.pid}, which does not share it (yet): try again once the server says "Jointly is serving" or the other command has finished\n`,
      );
      expect(fs.readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
      expect(fs.existsSync(dataDir)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
