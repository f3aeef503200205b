import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runCli } from '../../../cli/test/run-cli';
import {
  burst,
  CONCURRENT,
  expectAllServed,
  expectRefusedOrServed,
  isOk,
  killLeftovers,
  LARGE_QUERY,
  newConnectionsRefused,
  post,
  report,
  serve,
  requestsInFlight,
  stopServe,
  waitFor,
  type Served,
} from './support';

const CREATE_SOURCE = `mutation Create($input: CreateSourceInput!) {
  createSource(input: $input) { errors { message } source { id key title } }
}`;

/** `jointly serve` on the embedded database (PGlite in the server's process) in a temporary folder. */
describe('the server on its embedded database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointly-fault-'));
  const dataDir = path.join(dir, 'data');
  let token: string;

  beforeAll(async () => {
    // Before any server runs: this also creates the database.
    const created = await runCli(['--data-dir', dataDir, 'token', 'create', '--name', 'fault-test', '--role', 'editor']);
    expect(created).toMatchObject({ code: 0 });
    token = created.stdout.trim();
  });

  afterAll(() => {
    killLeftovers();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('on SIGTERM finishes every request in flight, refuses new connections, closes PGlite and exits 0', async () => {
    const server: Served = await serve({}, ['--data-dir', dataDir]);
    const agent = new http.Agent({ keepAlive: true });
    try {
      expect(isOk(await post(server.url, LARGE_QUERY))).toBe(true);
      const load = burst(server.url, agent);
      await waitFor('50 connections', () => load.connected() === CONCURRENT);
      await requestsInFlight(server.url, 10);
      const term = Date.now();
      const answeredBefore = load.received();
      server.child.kill('SIGTERM');
      const stopping = await server.line(/SIGTERM: stopping/);
      const probes = await newConnectionsRefused(server.url);
      const answers = await load.answers;
      const exit = await server.exited;

      expectRefusedOrServed(probes);
      expectAllServed(answers);
      const afterTerm = answers.filter((a) => a.end > term);
      // The test means something only when requests were still running at the signal.
      expect(afterTerm.length).toBeGreaterThanOrEqual(10);
      // Answered once the server was draining (it says so before it starts): no keep-alive. (A response
      // written just before the signal was handled may still reach us a little after the signal was sent.)
      const whileDraining = answers.filter((a) => a.end > stopping.at + 100);
      expect(whileDraining.length).toBeGreaterThanOrEqual(5);
      expect(whileDraining.filter((a) => a.headers.connection !== 'close')).toEqual([]);
      expect(exit.code).toBe(0);
      expect(exit.at - term).toBeLessThan(10_000);
      expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
      report(
        `SIGTERM with ${CONCURRENT} requests in flight (embedded): ${answeredBefore} answered before the signal, ${afterTerm.length} after, all 200; exit 0 ${exit.at - term} ms after the signal`,
      );
    } finally {
      agent.destroy();
      await stopServe(server);
    }
  });

  it('drops its cached answers when another connection commits through its embedded database: the change feed hears it', async () => {
    const server: Served = await serve({ JOINTLY_RESPONSE_CACHE_MB: '16' }, ['--data-dir', dataDir]);
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${(JSON.parse(fs.readFileSync(`${dataDir}.lock`, 'utf8')) as { port: number }).port}/postgres` });
    try {
      const TITLE = '{ statements(first: 1) { nodes { key title } } }';
      const first = await post(server.url, TITLE);
      expect(isOk(first)).toBe(true);
      expect((await post(server.url, TITLE)).headers['x-jointly-cache']).toBe('hit');
      const { key } = (first.body!.data!.statements as { nodes: { key: string }[] }).nodes[0]!;
      await client.connect();
      await client.query(`UPDATE "statement" SET "title" = 'Changed by another connection' WHERE "key" = $1`, [key]);
      const after = await waitFor('an answer that shows the write', async () => {
        const answer = await post(server.url, TITLE);
        return (answer.body!.data!.statements as { nodes: { title: string }[] }).nodes[0]!.title === 'Changed by another connection' && answer;
      }, 5000);
      expect(after.headers['x-jointly-cache']).toBe('miss');
    } finally {
      await client.end().catch(() => undefined);
      await stopServe(server);
    }
  });

  it('after kill -9 loses nothing it had answered: restarted on the same folder, every committed write is there', async () => {
    const first = await serve({}, ['--data-dir', dataDir]);
    const suffix = Date.now().toString(36);
    const keys = ['a', 'b', 'c'].map((k) => `kill-9-${suffix}-${k}`);
    for (const key of keys) {
      const answer = await post(first.url, CREATE_SOURCE, {
        token,
        variables: { input: { key, kind: 'NEWS_ARTICLE', title: `Written just before kill -9 (${key})`, url: `https://example.org/${key}` } },
      });
      expect(isOk(answer)).toBe(true);
      expect(answer.body?.data?.createSource).toMatchObject({ errors: [], source: { key } });
    }
    // Right after the last answer: no shutdown, no flush, no lock release.
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    expect(JSON.parse(fs.readFileSync(`${dataDir}.lock`, 'utf8'))).toEqual({ pid: first.child.pid, port: expect.any(Number) });

    const restartedAt = Date.now();
    const second = await serve({}, ['--data-dir', dataDir]);
    try {
      report(`kill -9 of the embedded server: restarted on the same folder (stale lock taken over) in ${Date.now() - restartedAt} ms`);
      for (const key of keys) {
        const found = await post(second.url, `query ($key: String!) { source(key: $key) { key title url } }`, { variables: { key } });
        expect(isOk(found)).toBe(true);
        expect(found.body?.data?.source).toEqual({ key, title: `Written just before kill -9 (${key})`, url: `https://example.org/${key}` });
      }
      // And it still takes writes.
      const more = await post(second.url, CREATE_SOURCE, { token, variables: { input: { key: `after-restart-${suffix}`, kind: 'OTHER', title: 'After the restart' } } });
      expect(more.body?.data?.createSource).toMatchObject({ errors: [], source: { key: `after-restart-${suffix}` } });
    } finally {
      expect((await stopServe(second)).code).toBe(0);
    }
  });
});
