import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { createFormatError } from '../graphql/format-error';
import { createLogger } from './logger';
import { Metrics } from './metrics';
import { runInRequestScope } from './request-scope';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', format: 'json', destination }) };
}

describe('the logger', () => {
  it('redacts credentials and variables wherever they appear, and stamps the request id', () => {
    const { lines, logger } = capture();
    runInRequestScope({ id: 'req-42', errorCodes: [], sql: 0 }, () => {
      logger.info({ authorization: 'Bearer abc', variables: { q: 'x' }, headers: { authorization: 'Bearer def' }, token: 'jtk_1' }, 'hello');
    });
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({ msg: 'hello', reqId: 'req-42', authorization: '[redacted]', variables: '[redacted]', token: '[redacted]', headers: { authorization: '[redacted]' } });
    expect(lines[0]).not.toMatch(/abc|def|jtk_1/);
  });
});

describe('formatError', () => {
  it('masks an unexpected error as INTERNAL_SERVER_ERROR with an error id that is also in the log', () => {
    const { lines, logger } = capture();
    const format = createFormatError(logger);
    const boom = new Error('relation "statement" does not exist at /srv/packages/server/src/x.ts:1:1');
    const wrapped = new GraphQLError(boom.message, { originalError: boom, path: ['statements'] });
    const formatted = format({ message: boom.message, path: ['statements'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, wrapped);
    expect(formatted.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const errorId = formatted.extensions?.errorId as string;
    expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(formatted.message).toBe(`Internal server error (error id ${errorId})`);
    expect(JSON.stringify(formatted)).not.toMatch(/relation|does not exist|\/srv|stacktrace/);
    const logged = JSON.parse(lines[0]!) as { errorId: string; err: { message: string; stack: string } };
    expect(logged.errorId).toBe(errorId);
    // Quoted parts of a message are where drivers put values: they are not logged (see safeError).
    expect(logged.err.message).toBe('relation "…" does not exist at /srv/packages/server/src/x.ts:1:1');
  });
});

describe('metrics', () => {
  it('keeps at most 200 operation names as labels; the rest count as "other"', async () => {
    const metrics = new Metrics({ pool: () => undefined, sqlStatements: () => 7 });
    for (let i = 0; i < 250; i++) metrics.observeGraphQL(`Op${i}`, 'query', 0.01, i % 50 === 0 ? ['NOT_FOUND'] : []);
    const { body } = await metrics.render();
    expect(body).toContain('jointly_graphql_request_duration_seconds_count{operation="Op199",type="query"} 1');
    expect(body).not.toContain('operation="Op200"');
    expect(body).toContain('jointly_graphql_request_duration_seconds_count{operation="other",type="query"} 50');
    expect(body).toContain('jointly_graphql_errors_total{code="NOT_FOUND"} 5');
    expect(body).toContain('jointly_sql_statements_total 7');
  });
});
