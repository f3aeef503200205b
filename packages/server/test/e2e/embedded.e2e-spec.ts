import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, runCli } from '../../../cli/test/run-cli';
import { graphql } from '../support/test-database';

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

/** `jointly serve` with no DATABASE_URL: the embedded database in `dataDir`. */
function serve(dataDir: string): Promise<Served> {
  const { DATABASE_URL: _drop, ...env } = process.env;
  // As deployed (not NODE_ENV=test, under which libraries behave differently on signals).
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'serve', '--port', '0'], { env: { ...env, NODE_ENV: 'production' } });
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

    // A second process may not open the same folder.
    const second = await runCli(['--data-dir', dataDir, 'migrate', 'show']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`jointly: the data folder .*data is in use by process ${first.child.pid}`));

    const exited = exitOf(first.child);
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);

    const again = await serve(dataDir);
    try {
      expect(again.output()).not.toMatch(/loaded the sample data/);
      const after = await graphql<{ statements: { totalCount: number } }>(again.url, count);
      expect(after.data!.statements.totalCount).toBe(11);
    } finally {
      const done = exitOf(again.child);
      again.child.kill('SIGTERM');
      await done;
    }
  });
});
