/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL responses, checked field by field by the assertions */
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createClient as createJointlyClient } from '../../../client/src/index';
import { createToken, type RunningServer } from '../../src/index';
import { startTestServer } from '../support/test-database';

/** The subscriptions a server serves now (its jointly_subscriptions_active gauge). */
async function active(url: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  return Number(/^jointly_subscriptions_active (\d+)$/m.exec(text)?.[1] ?? -1);
}

/** Until the server serves `count` subscriptions (each has read where the feed ends: no change after this is missed). */
async function serving(url: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await active(url)) < count) {
    if (Date.now() > deadline) throw new Error(`the server did not take ${count} subscriptions within 10 s`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The next `count` events of a subscription, or its error. */
function take(client: Client, query: string, variables: Record<string, unknown>, count: number): { events: Promise<any[]>; stop: () => void } {
  const events: any[] = [];
  let stop = () => undefined as void;
  const done = new Promise<any[]>((resolve, reject) => {
    stop = client.subscribe(
      { query, variables },
      {
        next: (value) => {
          events.push(value);
          if (events.length === count) resolve(events);
        },
        error: (error) => reject(Array.isArray(error) ? new Error(JSON.stringify(error)) : (error as Error)),
        complete: () => resolve(events),
      },
    );
  });
  return { events: done, stop: () => stop() };
}

describe('subscriptions over WebSocket (graphql-ws)', () => {
  let server: RunningServer;
  let admin: string;
  let client: Client;
  const call = async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  };
  const retitle = async (key: string, title: string) => {
    const { data } = await call(`{ statement(key: "${key}") { id version } }`);
    const result = await call(`mutation($input: UpdateStatementInput!) { updateStatement(input: $input) { errors { code } } }`, { input: { id: data.statement.id, expectedVersion: data.statement.version, title } }, admin);
    expect(result.data.updateStatement.errors).toEqual([]);
  };

  beforeAll(async () => {
    server = await startTestServer();
    admin = (await createToken(server.database.dataSource.manager, 'live-keeper', 'admin')).token;
    client = createWsClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
  });
  afterAll(async () => {
    await client?.dispose();
    await server?.stop();
  });

  /** Subscribes, and waits until the server serves the subscription (graphql-ws acknowledges none: the server's gauge says it). */
  const subscribed = async (query: string, variables: Record<string, unknown>, count: number) => {
    const before = await active(server.url);
    const subscription = take(client, query, variables, count);
    await serving(server.url, before + 1);
    return subscription;
  };

  it('statementChanged: a write made over HTTP reaches the subscriber, filtered by key', async () => {
    const all = await subscribed(`subscription { statementChanged { recordKey table action fields } }`, {}, 2);
    const one = await subscribed(`subscription($key: String) { statementChanged(key: $key) { recordKey fields } }`, { key: 'unga76-c3-xinjiang-france' }, 1);
    await retitle('unga75-c3-xinjiang-germany', 'Joint statement on Xinjiang (live, one)');
    await retitle('unga76-c3-xinjiang-france', 'Joint statement on Xinjiang (live, two)');
    const events = await all.events;
    expect(events.map((e) => e.data.statementChanged)).toEqual([
      { recordKey: 'unga75-c3-xinjiang-germany', table: 'statement', action: 'UPDATE', fields: ['title'] },
      { recordKey: 'unga76-c3-xinjiang-france', table: 'statement', action: 'UPDATE', fields: ['title'] },
    ]);
    expect((await one.events).map((e) => e.data.statementChanged)).toEqual([{ recordKey: 'unga76-c3-xinjiang-france', fields: ['title'] }]);
  });

  it('signatureChanged: a signature withdrawn is told to the statement’s subscribers', async () => {
    const { data } = await call(`{ statement(key: "unga76-c3-xinjiang-france") { signatures(first: 1) { nodes { id version } } } }`);
    const signature = data.statement.signatures.nodes[0];
    const live = await subscribed(`subscription($key: String) { signatureChanged(statementKey: $key) { recordType table action fields } }`, { key: 'unga76-c3-xinjiang-france' }, 1);
    const result = await call(
      `mutation($input: WithdrawSignatureInput!) { withdrawSignature(input: $input) { errors { code message } } }`,
      { input: { id: signature.id, expectedVersion: signature.version, withdrawnOn: '2021-10-30' } },
      admin,
    );
    expect(result.data.withdrawSignature.errors).toEqual([]);
    const [event] = await live.events;
    expect(event.data.signatureChanged).toMatchObject({ recordType: 'Statement', table: 'signature', action: 'UPDATE' });
    expect(event.data.signatureChanged.fields).toContain('status');
  });

  it('the SDK: client.subscribe yields each event’s data, and ends when the loop breaks', async () => {
    const sdk = createJointlyClient({ url: server.url, webSocket: WebSocket, retry: false });
    const events = sdk.subscribe<{ statementChanged: { recordKey: string | null; fields: string[] } }>(
      'subscription($key: String) { statementChanged(key: $key) { recordKey fields } }',
      { key: 'unga75-c3-xinjiang-germany' },
    );
    const before = await active(server.url);
    const first = events.next();
    await serving(server.url, before + 1);
    await retitle('unga75-c3-xinjiang-germany', 'Joint statement on Xinjiang (through the SDK)');
    expect((await first).value).toEqual({ statementChanged: { recordKey: 'unga75-c3-xinjiang-germany', fields: ['title'] } });
    expect((await events.return!(undefined)).done).toBe(true);
    const refused = sdk.subscribe('subscription { statementChanged { nope } }');
    await expect(refused.next()).rejects.toMatchObject({ code: 'GRAPHQL_ERROR', message: expect.stringContaining('Cannot query field "nope"') });
  });

  it('over HTTP a subscription is refused as a request error, never run', async () => {
    const answer = await call(`subscription { statementChanged { id } }`);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('served over WebSocket'), extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
  });

  it('takes only subscriptions, under the limits queries have', async () => {
    await expect(take(client, `{ statements(first: 1) { totalCount } }`, {}, 1).events).rejects.toThrow(/only subscriptions are taken over WebSocket/);
    await expect(take(client, `subscription { statementChanged { nope } }`, {}, 1).events).rejects.toThrow(/GRAPHQL_VALIDATION_FAILED/);
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ');
    await expect(take(client, `subscription { statementChanged { ${aliases} } }`, {}, 1).events).rejects.toThrow(/alias/i);
    const [tooLong] = await take(client, `subscription($k: String) { statementChanged(key: $k) { id } }`, { k: 'x'.repeat(500) }, 1).events;
    expect(tooLong.errors).toEqual([expect.objectContaining({ message: 'key is longer than 200 characters', extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
  });
});
