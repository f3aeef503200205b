import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BIN, runCli } from '../../../cli/test/run-cli';
import pg from 'pg';
import { graphql, testDatabaseUrl } from '../support/test-database';

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

/** `jointly serve` with no DATABASE_URL: the embedded database in `dataDir`. */
function serve(dataDir: string, extra: Record<string, string> = {}): Promise<Served> {
  const { DATABASE_URL: _drop, ...env } = process.env;
  // As deployed (not NODE_ENV=test, under which libraries behave differently on signals).
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'serve', '--port', '0'], { env: { ...env, NODE_ENV: 'production', ...extra } });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const ready = /^Jointly is serving (http:\/\/\S+)/m.exec(output);
      if (ready) resolve({ child, url: ready[1]!, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the server on its embedded database', () => {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jointly-')), 'data');
  afterAll(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

  it('creates the data folder, loads the sample data, locks the folder and keeps the data across restarts', async () => {
    const first = await serve(dataDir);
    expect(first.output()).toMatch(/loaded the sample data/);
    // The start-up line names both addresses a newcomer opens.
    const { port } = new URL(first.url);
    expect(first.output()).toContain(`Jointly is serving http://127.0.0.1:${port}/graphql (playground: http://127.0.0.1:${port}/playground)\n`);
    const count = `{ statements(first: 1) { totalCount } fr: signatory(ref: "FRA") { name } }`;
    const answer = await graphql<{ statements: { totalCount: number }; fr: { name: string } }>(first.url, count);
    expect(answer.data).toEqual({ statements: { totalCount: 11 }, fr: { name: 'France' } });

    // A second server may not open the same folder (commands work through the first: packages/cli/test/next-to-server.e2e-spec.ts).
    const second = await runCli(['--data-dir', dataDir, 'serve', '--port', '0']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`jointly: the data folder .*data is in use by process ${first.child.pid}; stop it`));

    const exited = exitOf(first.child);
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);

    // A database-time budget is for PostgreSQL: on the embedded database a statement's time is mostly
    // its wait behind others', so even a 1 ms budget stops nothing there.
    const again = await serve(dataDir, { JOINTLY_REQUEST_DB_BUDGET_MS: '1' });
    try {
      expect(again.output()).not.toMatch(/loaded the sample data/);
      const after = await graphql<{ statements: { totalCount: number } }>(again.url, count);
      expect(after.data!.statements.totalCount).toBe(11);
      const nested = await graphql<{ statements: { nodes: { signatures: { nodes: unknown[] } }[] } }>(
        again.url,
        `{ statements(first: 100) { nodes { key signatures(first: 100) { nodes { signatory { name signatures(first: 5) { totalCount } } } } } } }`,
      );
      expect(nested.errors).toBeUndefined();
      expect(nested.data!.statements.nodes.flatMap((s) => s.signatures.nodes).length).toBeGreaterThan(100);
    } finally {
      const done = exitOf(again.child);
      again.child.kill('SIGTERM');
      await done;
    }
  });
});

describe('connections sharing one database (for the embedded one: PGlite\'s single session behind its socket)', () => {
  it('keeps each connection\'s queries whole: a large parameter arriving in many chunks is never bound to another connection\'s statement', async () => {
    const url = await testDatabaseUrl();
    const [large, small] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await large.connect();
    await small.connect();
    try {
      const text = 'x'.repeat(4_000_000);
      let running = true;
      const wrong: unknown[] = [];
      const smallQueries = (async () => {
        let n = 0;
        while (running) {
          const { rows } = await small.query<{ small: number }>('SELECT $1::int + 1 AS small', [n]).catch((error: Error) => ({ rows: [{ small: error.message.slice(0, 80) }] }));
          if (rows[0]?.small !== n + 1) wrong.push(rows[0]?.small);
          n++;
        }
        return n;
      })();
      for (let i = 0; i < 3; i++) {
        const { rows } = await large.query<{ length: number }>('SELECT length($1::text) AS length', [text]).catch((error: Error) => ({ rows: [{ length: error.message.slice(0, 80) }] }));
        if (rows[0]?.length !== text.length) wrong.push(rows[0]?.length);
      }
      running = false;
      expect(await smallQueries).toBeGreaterThan(0);
      expect(wrong).toEqual([]);
    } finally {
      await large.end();
      await small.end();
    }
  });

  it.each([
    ['outside a transaction', false],
    ['inside a transaction', true],
  ])('goes on serving the others when a connection dies in the middle of a failed extended-protocol query %s', async (_where, inTransaction) => {
    const url = new URL(await testDatabaseUrl());
    const other = new pg.Client({ connectionString: url.toString() });
    await other.connect();
    try {
      const int32 = (n: number) => {
        const b = Buffer.alloc(4);
        b.writeInt32BE(n);
        return b;
      };
      const frame = (type: string, body: Buffer) => Buffer.concat([Buffer.from(type, 'latin1'), int32(body.length + 4), body]);
      const cstring = (text: string) => Buffer.from(`${text}\0`);
      const params = Buffer.concat([cstring('user'), cstring(decodeURIComponent(url.username) || 'postgres'), cstring('database'), cstring(url.pathname.slice(1)), Buffer.from([0])]);
      const startup = Buffer.concat([int32(params.length + 8), int32(196608), params]);
      // Parse fails (no such column), so the session skips messages until a Sync; Bind follows; the socket closes before any Sync.
      const steps = [
        ...(inTransaction ? [frame('Q', cstring('BEGIN'))] : []),
        Buffer.concat([frame('P', Buffer.concat([cstring(''), cstring('SELECT no_such_column'), Buffer.from([0, 0])])), frame('B', Buffer.concat([cstring(''), cstring(''), Buffer.from([0, 0, 0, 0, 0, 0])]))]),
      ];
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect(Number(url.port), url.hostname);
        let received = Buffer.alloc(0);
        socket.on('error', reject);
        socket.on('close', () => resolve());
        socket.on('data', (data: Buffer) => {
          received = Buffer.concat([received, data]);
          if (received.includes(Buffer.from('no_such_column'))) socket.destroy();
          else if (received.includes(Buffer.from('Z\0\0\0\x05', 'latin1'))) {
            // ReadyForQuery: the next step.
            received = Buffer.alloc(0);
            socket.write(steps.shift()!);
          }
        });
        socket.write(startup);
      });
      for (let i = 0; i < 3; i++) expect((await other.query<{ n: number }>('SELECT $1::int AS n', [i])).rows).toEqual([{ n: i }]);
    } finally {
      await other.end();
    }
  });
});
