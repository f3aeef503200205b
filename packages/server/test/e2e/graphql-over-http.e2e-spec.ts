import { serverAudits } from 'graphql-http';
import { createToken, type RunningServer } from '../../src/index';
import { startTestServer } from '../support/test-database';

/**
 * The GraphQL-over-HTTP spec, checked by graphql-http's own audits against the real server with
 * Apollo's CSRF prevention on: like the SDK, every audit request carries `apollo-require-preflight`.
 */
describe('GraphQL over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  /** What the SDK sends besides the request itself: the header Apollo's CSRF prevention asks for. */
  const preflighted = (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    headers.set('apollo-require-preflight', 'true');
    return globalThis.fetch(input, { ...init, headers });
  };

  describe('graphql-http server audits (no errors, no warnings)', () => {
    for (const audit of serverAudits({ url: () => server.url, fetchFn: preflighted })) {
      it(audit.name, async () => {
        const result = await audit.fn();
        const outcome = result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`;
        expect(outcome).toBe('ok');
      });
    }
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    preflighted(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('answers 406 to an Accept header that allows neither JSON type, before anything runs', async () => {
    const editor = (await createToken(server.database.dataSource.manager, 'http-406', 'editor')).token;
    const create = JSON.stringify({
      query: 'mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { key } errors { code } } }',
      variables: { input: { key: 'not-acceptable-person', name: 'Not Acceptable' } },
    });
    for (const accept of ['text/html', 'text/plain, application/xml', 'application/json;q=0', 'image/*']) {
      const response = await post(create, { accept, authorization: `Bearer ${editor}` });
      expect({ accept, status: response.status }).toEqual({ accept, status: 406 });
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_ACCEPTABLE' } }] });
    }
    const lookup = await post(JSON.stringify({ query: '{ person(key: "not-acceptable-person") { key } }' }));
    expect(await lookup.json()).toEqual({ data: { person: null } });
  });

  it.each([
    ['application/graphql-response+json, application/json', 'application/graphql-response+json'],
    ['application/json, application/graphql-response+json', 'application/json'],
    ['application/json;q=0.5, application/graphql-response+json', 'application/graphql-response+json'],
    ['application/*', 'application/json'],
    ['text/html, */*;q=0.1', 'application/json'],
  ])('Accept: %s is answered as %s', async (accept, type) => {
    const response = await post(JSON.stringify({ query: '{ __typename }' }), { accept });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
    expect(response.headers.get('vary')).toMatch(/accept/i);
  });

  it('answers a body that is not JSON with 400 in the negotiated media type', async () => {
    for (const [accept, type] of [
      ['application/json', 'application/json'],
      ['application/graphql-response+json', 'application/graphql-response+json'],
    ] as const) {
      const response = await post('{"query": "{ __typename }"', { accept });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it.each([
    ['a parse error', { query: '{' }, 'GRAPHQL_PARSE_FAILED'],
    ['a validation error', { query: '{ noSuchField }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['a variable coercion error', { query: 'query($first: Int) { statements(first: $first) { totalCount } }', variables: { first: 'many' } }, 'BAD_USER_INPUT'],
    ['an unknown operation name', { query: 'query A { __typename }', operationName: 'B' }, 'OPERATION_RESOLUTION_FAILURE'],
  ])('answers %s with 200 under application/json and 400 under application/graphql-response+json', async (_what, request, code) => {
    const legacy = await post(JSON.stringify(request), { accept: 'application/json' });
    expect(legacy.status).toBe(200);
    expect(legacy.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const legacyBody = (await legacy.json()) as Record<string, unknown>;
    expect(legacyBody).toMatchObject({ errors: [{ extensions: { code } }] });
    expect(legacyBody).not.toHaveProperty('data');

    const modern = await post(JSON.stringify(request), { accept: 'application/graphql-response+json' });
    expect(modern.status).toBe(400);
    expect(modern.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    expect(await modern.json()).toMatchObject({ errors: [{ extensions: { code } }] });
  });

  it('keeps malformed requests at 400 under application/json', async () => {
    for (const body of [{ query: 1 }, { query: '{ __typename }', variables: 'x' }, {}, [{ query: '{ __typename }' }]]) {
      const response = await post(JSON.stringify(body), { accept: 'application/json' });
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it('refuses mutations over GET with 405, and runs queries over GET', async () => {
    const mutation = new URL(server.url);
    mutation.searchParams.set('query', 'mutation { __typename }');
    const refused = await preflighted(mutation, { headers: { accept: 'application/graphql-response+json' } });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('POST');

    const query = new URL(server.url);
    query.searchParams.set('query', 'query($key: String) { person(key: $key) { key } }');
    query.searchParams.set('variables', JSON.stringify({ key: 'michelle-bachelet' }));
    const answered = await preflighted(query, { headers: { accept: 'application/graphql-response+json' } });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ data: { person: { key: 'michelle-bachelet' } } });
  });

  it('keeps CSRF prevention on: simple requests without the preflight header are refused', async () => {
    const get = new URL(server.url);
    get.searchParams.set('query', '{ __typename }');
    const simpleGet = await fetch(get, { headers: { accept: 'application/json' } });
    expect(simpleGet.status).toBe(400);
    expect(await simpleGet.text()).toMatch(/CSRF/);

    const simplePost = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(simplePost.status).toBe(400);
    expect(await simplePost.text()).toMatch(/CSRF/);
  });

  it('never answers a simple request from the response cache, which comes before Apollo', async () => {
    const get = new URL(server.url);
    get.searchParams.set('query', '{ statements(first: 1) { totalCount } }');
    const ask = (preflight: boolean) => (preflight ? preflighted : fetch)(get, { headers: { accept: 'application/json' } });
    expect((await ask(true)).status).toBe(200);
    const cached = await ask(true);
    expect(cached.headers.get('x-jointly-cache')).toBe('hit');
    const simple = await ask(false);
    expect(simple.status).toBe(400);
    expect(await simple.text()).toMatch(/CSRF/);

    const body = JSON.stringify({ query: '{ people(first: 1) { totalCount } }' });
    const textPost = (preflight: boolean) => (preflight ? preflighted : fetch)(server.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect((await textPost(true)).status).toBe(400); // Apollo reads only JSON bodies: nothing to cache, and no CSRF question
    const simplePost = await textPost(false);
    expect(simplePost.status).toBe(400);
    expect(await simplePost.text()).toMatch(/CSRF/);
  });
});
