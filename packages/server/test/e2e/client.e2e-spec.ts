import { createClient, JointlyError, SignatoryDocument, StatementDocument, StatementsDocument } from '../../../client/src/index';
import type { RunningServer } from '../../src/index';
import { startTestServer } from '../support/test-database';

describe('the typed client against the live server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('runs the generated operations with typed results', async () => {
    const client = createClient({ url: server.url });
    const page = await client.request(StatementsDocument, { first: 2, signatures: 3 });
    expect(page.statements.totalCount).toBe(11);
    expect(page.statements.nodes).toHaveLength(2);
    expect(page.statements.pageInfo.hasNextPage).toBe(true);
    const one = await client.request(StatementDocument, { key: 'unga75-c3-xinjiang-germany' });
    expect(one.statement).toMatchObject({ kind: 'JOINT_STATEMENT', claimedSignatoryCount: 39, topics: ['Xinjiang', 'Hong Kong', 'Tibet'] });
    const state = await client.request(SignatoryDocument, { ref: 'Swaziland' });
    expect(state.signatory).toMatchObject({ iso3: 'SWZ', m49: '748', kind: 'STATE' });
  });

  it('surfaces GraphQL errors with their code', async () => {
    const client = createClient({ url: server.url });
    const error = await client.request(StatementsDocument, { first: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JointlyError);
    expect((error as JointlyError).code).toBe('BAD_USER_INPUT');
  });
});
