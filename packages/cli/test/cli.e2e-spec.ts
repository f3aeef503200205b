import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUrl } from '../../server/test/support/test-database';
import { MIGRATIONS } from '../../server/src/database/migrations';
import { BIN, runCli } from './run-cli';

const NAMES = MIGRATIONS.map((m) => new m().name!);
const LAST = NAMES[NAMES.length - 1]!;

describe('the jointly CLI', () => {
  it('prints its version: the @jointly/cli package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toBe(`jointly ${version}\n`);
    }
  });

  it('is linked by npm as a committed launcher that says how to build when dist/ is missing', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin).toEqual({ jointly: 'bin/jointly.js' });
    // The same launcher in a copy of the package that was never built.
    const unbuilt = fs.mkdtempSync(path.join(os.tmpdir(), 'jointly-unbuilt-'));
    try {
      fs.mkdirSync(path.join(unbuilt, 'bin'));
      fs.copyFileSync(BIN, path.join(unbuilt, 'bin', 'jointly.js'));
      const result = await runCli(['--version'], {}, path.join(unbuilt, 'bin', 'jointly.js'));
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('jointly: the command is not built yet: run `npm run build` in the repository first (npm start and npm test build it too)\n');
    } finally {
      fs.rmSync(unbuilt, { recursive: true, force: true });
    }
  });

  it('shows, reverts and re-runs migrations on a PostgreSQL database', async () => {
    const url = await testDatabaseUrl();
    const shown = await runCli(['--database-url', url, 'migrate', 'show']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(NAMES.map((n) => `[X] ${n}\n`).join(''));

    const reverted = await runCli(['migrate', 'revert'], { DATABASE_URL: url });
    expect(reverted.code).toBe(0);
    expect(reverted.stdout).toBe(`reverted ${LAST}\n`);

    const pending = await runCli(['--database-url', url, 'migrate', 'show']);
    expect(pending.code).toBe(1);
    expect(pending.stdout).toBe(NAMES.map((n) => `${n === LAST ? '[ ]' : '[X]'} ${n}\n`).join(''));
    const json = await runCli(['--database-url', url, 'migrate', 'show', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual(NAMES.map((name) => ({ name, applied: name !== LAST })));

    const run = await runCli(['--database-url', url, 'migrate', 'run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`applied 1: ${LAST}\n`);
  });

  it('says in one line, without a stack trace, that a database URL is bad', async () => {
    const result = await runCli(['--database-url', 'mysql://localhost/x', 'migrate', 'show']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('jointly: DATABASE_URL must start with postgres:// or postgresql://, got "mysql://" (expected postgres://user@host:5432/database)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('says in one line that a database is unreachable, and shows the stack only with --verbose', async () => {
    const url = 'postgres://nobody@127.0.0.1:1/none';
    const result = await runCli(['--database-url', url, 'migrate', 'show']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('jointly: cannot connect to the database at postgres://nobody@127.0.0.1:1/none: ECONNREFUSED');
    const verbose = await runCli(['--verbose', '--database-url', url, 'migrate', 'show']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('prints the committed schema from the code, with no database', async () => {
    const result = await runCli(['schema', 'print'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(result.code).toBe(0);
    const committed = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(result.stdout).toBe(committed);
  });

  it('checks that the entities match the migrations, with no warning from the driver', async () => {
    const result = await runCli(['migrate', 'check']);
    expect(result.stdout).toMatch(/^ok: the migrations produce exactly the schema the entities describe/);
    expect(result.code).toBe(0);
    // TypeORM's schema builder sends concurrent queries on one connection unless they are queued (pg 8.19 deprecates it).
    expect(result.stderr).toBe('');
  });

  it('creates, lists and revokes write tokens; the token is printed once and stored only hashed', async () => {
    const url = await testDatabaseUrl();
    expect(JSON.parse((await runCli(['--database-url', url, 'token', 'list', '--json'])).stdout)).toEqual([]);
    const created = await runCli(['--database-url', url, 'token', 'create', '--name', 'carol', '--role', 'editor']);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^jly_[\w-]{43}$/);
    expect(created.stderr).toMatch(/created the editor token "carol"; it is shown only now/);
    const listed = await runCli(['--database-url', url, 'token', 'list']);
    expect(listed.stdout).toMatch(/^NAME\tROLE\tPREFIX\tCREATED\tLAST USED\tREVOKED\ncarol\teditor\tjly_\S+…\t\d{4}-\d\d-\d\d \d\d:\d\d\t-\t-\n$/);
    expect(listed.stdout).not.toContain(token.slice(10));
    const stored = await runCli(['--database-url', url, 'token', 'create', '--name', 'carol', '--role', 'editor']);
    expect(stored.code).toBe(1);
    expect(stored.stderr.trim()).toBe('jointly: a token named "carol" exists; revoke it first or choose another name');
    const badRole = await runCli(['--database-url', url, 'token', 'create', '--name', 'dave', '--role', 'owner']);
    expect(badRole.stderr.trim()).toBe('jointly: role must be editor or admin; got "owner"');
    const revoked = await runCli(['--database-url', url, 'token', 'revoke', 'carol']);
    expect(revoked.stdout.trim()).toBe('revoked "carol": requests with it are now UNAUTHENTICATED');
    expect((await runCli(['--database-url', url, 'token', 'list'])).stdout).toMatch(/carol\teditor\t\S+\t[\d :-]+\t-\t\d{4}-/);
  });
});
