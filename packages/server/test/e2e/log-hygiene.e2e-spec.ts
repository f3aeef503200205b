import { QueryFailedError } from 'typeorm';
import { createFormatError } from '../../src/graphql/format-error';
import { MAX_LOG_LINE_BYTES } from '../../src/observability/logger';
import type { Database, RunningServer } from '../../src/index';
import { capturingLogger, openTestDatabase, startTestServer } from '../support/test-database';

const MARKER = 'draft-text-marker-7f3a';

async function post(url: string, body: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' }, body });
  return { status: response.status, json: (await response.json()) as { errors?: { extensions?: { code?: string } }[] } };
}

describe('logs carry no request data, and every line is bounded', () => {
  let server: RunningServer;
  const log = capturingLogger();

  beforeAll(async () => {
    server = await startTestServer({ logger: log.logger });
  });
  afterAll(() => server?.stop());

  it('a request whose SQL fails logs the error without its parameters, and a 1 MB request writes a bounded line', async () => {
    // A NUL byte reaches PostgreSQL in a parameter (text cannot hold one): the SQL fails, the error is masked and logged.
    const before = log.lines.length;
    const big = `${MARKER}\u0000${'x'.repeat(1024 * 1024)}`;
    const requests = [
      { query: 'query($r: String!) { signatory(ref: $r) { name } }', variables: { r: `${MARKER}\u0000` } },
      { query: 'query($k: String!) { statement(key: $k) { title } }', variables: { k: big } },
      { query: `query Q${'A'.repeat(1024 * 1024)} { statements(first: 1) { totalCount } }` },
      { query: '{ statements(first: 1) { totalCount } }', variables: { unused: big } },
    ];
    const answers = [];
    for (const request of requests) {
      const start = log.lines.length;
      answers.push(await post(server.url, JSON.stringify(request)));
      const written = log.lines.slice(start).reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
      process.stdout.write(`log bytes for a request of ${JSON.stringify(request).length} bytes: ${written}\n`);
    }
    for (const answer of answers) expect(answer.status).toBeLessThan(500);
    const lines = log.lines.slice(before);
    expect(lines.length).toBeGreaterThanOrEqual(answers.length);
    const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
    process.stdout.write(`log bytes for four requests of ~1 MB: ${bytes}\n`);
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
      expect(line).not.toContain(MARKER);
      expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
  });
});

describe('database errors are logged by an allow-list', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  async function failure(sql: string, parameters: unknown[]): Promise<unknown> {
    try {
      await db.dataSource.query(sql, parameters);
    } catch (error) {
      return error;
    }
    throw new Error('the SQL did not fail');
  }

  it('keeps the code, the name and the constraint, never parameters, values in the message or the detail', async () => {
    const errors = [
      // invalid input syntax for type integer: "<marker>"
      await failure('SELECT $1::int', [MARKER]),
      // duplicate key: its detail is "Key (k)=(<marker>) already exists."
      await failure(`CREATE TEMP TABLE uq_probe (k text CONSTRAINT uq_probe_k UNIQUE); INSERT INTO uq_probe VALUES ('${MARKER}'), ('${MARKER}')`, []),
    ].filter((e): e is QueryFailedError => e instanceof QueryFailedError);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    const { lines, logger } = capturingLogger();
    const format = createFormatError(logger);
    for (const error of errors) format({ message: 'x', extensions: {} }, error);
    expect(lines).toHaveLength(errors.length);
    for (const line of lines) {
      expect(line).not.toContain(MARKER);
      expect(line).not.toMatch(/parameters|driverError|"query"|"detail"/);
    }
    const logged = lines.map((line) => (JSON.parse(line) as { err: Record<string, unknown> }).err);
    expect(logged[0]).toMatchObject({ name: 'QueryFailedError', code: '22P02' });
    expect(logged[0]!.message).toBe('invalid input syntax for type integer: "…"');
    expect(logged.at(-1)).toMatchObject({ code: '23505', constraint: 'uq_probe_k', message: 'duplicate key value violates unique constraint "uq_probe_k"' });
    expect(typeof logged[0]!.stack).toBe('string');
  });
});
