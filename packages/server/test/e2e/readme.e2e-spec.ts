import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunningServer } from '../../src/index';
import { graphql, startTestServer } from '../support/test-database';

/** Every GraphQL example of the README, one operation each (a block may hold several, each starting at column 0). */
function readmeExamples(): string[] {
  const readme = readFileSync(resolve(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((block) =>
    block
      .split(/\n(?=\{)/)
      .map((part) => part.replace(/^#.*$/gm, '').trim())
      .filter((part) => part.startsWith('{')),
  );
}

describe('the README examples', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const examples = readmeExamples();

  it('are there to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
  });

  it.each(examples.map((query, i) => [i, query] as const))('example %i runs without errors and finds data', async (_i, query) => {
    const { status, data, errors } = await graphql(server.url, query);
    expect(errors).toBeUndefined();
    expect(status).toBe(200);
    expect(Object.values(data!).every((value) => value !== null)).toBe(true);
  });
});
