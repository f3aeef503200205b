import type { RunningServer } from '../../src/index';
import { readmeExamples } from '../support/operations';
import { graphql, startTestServer } from '../support/test-database';

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
