/** The client without a server: a scripted fetch checks headers, retries, timeouts, errors and pagination. */
import { createClient, isJointlyError, JointlyError, MutationError, unwrap, type ClientOptions, type JointlyErrorCode } from '../src/index';
import { parseRetryAfter } from '../src/transport';

interface Call {
  url: string;
  headers: Record<string, string>;
  body: { query: string; operationName?: string; variables?: Record<string, unknown> };
  signal: AbortSignal;
}

type Reply = Response | Error | ((call: Call) => Response | Promise<Response>);

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A fetch that answers with the given replies in turn and records each call. */
function scripted(...replies: Reply[]) {
  const calls: Call[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const call = { url, headers: init.headers as Record<string, string>, body: JSON.parse(String(init.body)), signal: init.signal! };
    calls.push(call);
    const reply = replies.shift();
    if (!reply) throw new Error('no more scripted replies');
    if (reply instanceof Error) throw reply;
    return typeof reply === 'function' ? reply(call) : reply;
  };
  return { calls, fetch: fetch as unknown as typeof globalThis.fetch };
}

const fast = { retries: 2, baseDelayMs: 1, maxDelayMs: 50 };
const ok = () => json({ data: { signatory: { id: '1' } } });
const client = (fetch: typeof globalThis.fetch, options: Partial<ClientOptions> = {}) =>
  createClient({ url: 'http://api.test/graphql', fetch, retry: fast, ...options });

async function failure(promise: Promise<unknown>): Promise<JointlyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof JointlyError)) throw new Error(`expected a JointlyError, got ${String(error)}`);
  return error;
}

/** A fetch that never answers until its signal aborts. */
const hanging = (call: Call) =>
  new Promise<Response>((_resolve, reject) => call.signal.addEventListener('abort', () => reject(call.signal.reason)));

describe('requests', () => {
  it('posts JSON with the CSRF preflight header, the token and extra headers', async () => {
    const { calls, fetch } = scripted(ok());
    const api = client(fetch, { token: 'jly_secret', headers: { 'X-Trace': 't1', 'Content-Type': 'text/plain' } });
    const result = await api.signatory({ ref: 'FRA' });
    expect(result.signatory?.id).toBe('1');
    expect(calls[0]!.url).toBe('http://api.test/graphql');
    expect(calls[0]!.headers).toMatchObject({
      'content-type': 'application/json',
      'apollo-require-preflight': 'true',
      authorization: 'Bearer jly_secret',
      'x-trace': 't1',
    });
    expect(calls[0]!.body).toMatchObject({ operationName: 'Signatory', variables: { ref: 'FRA' } });
    expect(calls[0]!.body.query).toMatch(/^query Signatory\(\$ref: String!\)/);
  });

  it('asks a token function before every request and sends no Authorization without a token', async () => {
    const { calls, fetch } = scripted(ok(), ok());
    let n = 0;
    const api = client(fetch, { token: async () => (n++ === 0 ? 'first' : null) });
    await api.signatory({ ref: 'FRA' });
    await api.signatory({ ref: 'FRA' });
    expect(calls[0]!.headers.authorization).toBe('Bearer first');
    expect(calls[1]!.headers.authorization).toBeUndefined();
  });

  it('refuses a string that does not parse without sending it', async () => {
    const { calls, fetch } = scripted(ok());
    await expect(client(fetch).request('{ statements {')).rejects.toMatchObject({ name: 'JointlyError', code: 'GRAPHQL_ERROR' });
    expect(calls).toHaveLength(0);
  });

  it('runs string documents and per-call headers', async () => {
    const { calls, fetch } = scripted(json({ data: { statements: { totalCount: 3 } } }));
    const result = await client(fetch).request<{ statements: { totalCount: number } }>('{ statements { totalCount } }', {}, { headers: { 'x-call': '1' } });
    expect(result.statements.totalCount).toBe(3);
    expect(calls[0]!.headers['x-call']).toBe('1');
  });
});

describe('errors', () => {
  it.each<[string, Response, JointlyErrorCode, number]>([
    ['a server code', json({ errors: [{ message: 'no', extensions: { code: 'NOT_FOUND' } }], data: null }), 'NOT_FOUND', 200],
    ['an unknown code', json({ errors: [{ message: 'bad', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }, 400), 'GRAPHQL_ERROR', 400],
    ['no code', json({ errors: [{ message: 'bad' }] }), 'GRAPHQL_ERROR', 200],
    ['HTML', new Response('<h1>Bad gateway</h1>', { status: 502 }), 'BAD_RESPONSE', 502],
    ['JSON that is not GraphQL', json({ hello: 1 }), 'BAD_RESPONSE', 200],
    ['a 401 without GraphQL', new Response('no', { status: 401 }), 'UNAUTHENTICATED', 401],
  ])('maps %s to a JointlyError code', async (_what, response, code, status) => {
    const { fetch } = scripted(response);
    const error = await failure(client(fetch).signatory({ ref: 'x' }));
    expect(error).toMatchObject({ code, status });
    expect(isJointlyError(error)).toBe(true);
  });

  it('keeps every GraphQL error and the partial data', async () => {
    const errors = [
      { message: 'one', path: ['a'], extensions: { code: 'FORBIDDEN' } },
      { message: 'two', extensions: { code: 'NOT_FOUND' } },
    ];
    const { fetch } = scripted(json({ errors, data: { signatory: null } }));
    const error = await failure(client(fetch).signatory({ ref: 'x' }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe('one');
    expect(error.errors).toEqual(errors);
    expect(error.data).toEqual({ signatory: null });
  });

  it('reports a network failure as NETWORK once the retries are spent', async () => {
    const { calls, fetch } = scripted(new TypeError('fetch failed'), new TypeError('fetch failed'), new TypeError('fetch failed'));
    const error = await failure(client(fetch).signatory({ ref: 'x' }));
    expect(error.code).toBe('NETWORK');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(calls).toHaveLength(3);
  });
});

describe('retries', () => {
  it('retries network errors, 429 and 503 with backoff, then succeeds', async () => {
    const { calls, fetch } = scripted(new TypeError('fetch failed'), json({ errors: [{ message: 'slow down' }] }, 503), ok());
    await expect(client(fetch).signatory({ ref: 'x' })).resolves.toEqual({ signatory: { id: '1' } });
    expect(calls).toHaveLength(3);
  });

  it('retries DATABASE_UNAVAILABLE', async () => {
    const { calls, fetch } = scripted(json({ errors: [{ message: 'down', extensions: { code: 'DATABASE_UNAVAILABLE' } }], data: null }), ok());
    await client(fetch).signatory({ ref: 'x' });
    expect(calls).toHaveLength(2);
  });

  it('does not retry other errors', async () => {
    const { calls, fetch } = scripted(json({ errors: [{ message: 'no', extensions: { code: 'BAD_USER_INPUT' } }] }), ok());
    await expect(client(fetch).signatory({ ref: 'x' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(calls).toHaveLength(1);
  });

  it('honours Retry-After', async () => {
    const { calls, fetch } = scripted(new Response('busy', { status: 429, headers: { 'retry-after': '1' } }), ok());
    const started = Date.now();
    await client(fetch, { retry: { ...fast, maxDelayMs: 2000 } }).signatory({ ref: 'x' });
    expect(calls).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when Retry-After is longer than maxDelayMs', async () => {
    const { calls, fetch } = scripted(new Response('busy', { status: 429, headers: { 'retry-after': '120' } }), ok());
    const error = await failure(client(fetch).signatory({ ref: 'x' }));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 120_000 });
    expect(calls).toHaveLength(1);
  });

  it('never retries a mutation unless asked to', async () => {
    const input = { id: 's', expectedVersion: 1 };
    const once = scripted(new TypeError('fetch failed'), ok());
    await expect(client(once.fetch).deleteSource({ input })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(once.calls).toHaveLength(1);

    const payload = json({ data: { deleteSource: { source: { key: 's' }, errors: [] } } });
    const twice = scripted(new Response('', { status: 503 }), payload);
    await expect(client(twice.fetch, { retry: { ...fast, mutations: true } }).deleteSource({ input })).resolves.toBeDefined();
    expect(twice.calls).toHaveLength(2);
  });

  it('is off with retry: false, for the client or one call', async () => {
    const off = scripted(new TypeError('fetch failed'));
    await expect(client(off.fetch, { retry: false }).signatory({ ref: 'x' })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(off.calls).toHaveLength(1);
    const call = scripted(new TypeError('fetch failed'));
    await expect(client(call.fetch).signatory({ ref: 'x' }, { retry: false })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(call.calls).toHaveLength(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(1_000_000 + 5000).toUTCString(), 1_000_000)).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('timeouts and abort', () => {
  it('fails with TIMEOUT after timeoutMs, and does not retry past it', async () => {
    const { calls, fetch } = scripted(hanging, hanging, hanging);
    const started = Date.now();
    const error = await failure(client(fetch, { timeoutMs: 100 }).signatory({ ref: 'x' }));
    expect(error.code).toBe('TIMEOUT');
    expect(calls).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('takes a per-call timeout', async () => {
    const { fetch } = scripted(hanging);
    await expect(client(fetch).signatory({ ref: 'x' }, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('fails with ABORTED when the signal aborts, also during a backoff wait', async () => {
    const controller = new AbortController();
    const { fetch } = scripted(hanging);
    const pending = client(fetch).signatory({ ref: 'x' }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });

    const waiting = new AbortController();
    const slow = scripted(new Response('', { status: 503, headers: { 'retry-after': '5' } }));
    const during = client(slow.fetch, { retry: { maxDelayMs: 10_000 } }).signatory({ ref: 'x' }, { signal: waiting.signal });
    setTimeout(() => waiting.abort(), 20);
    await expect(during).rejects.toMatchObject({ code: 'ABORTED' });
    expect(slow.calls).toHaveLength(1);
  });

  it('sends nothing for an already aborted signal', async () => {
    const { calls, fetch } = scripted(ok());
    await expect(client(fetch).signatory({ ref: 'x' }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(calls).toHaveLength(0);
  });
});

describe('paginate', () => {
  const page = (keys: string[], endCursor: string | null, hasNextPage: boolean) =>
    json({ data: { statements: { totalCount: 5, pageInfo: { hasNextPage, endCursor }, nodes: keys.map((key) => ({ key })) } } });

  it('yields every node, passing each endCursor as $after', async () => {
    const { calls, fetch } = scripted(page(['a', 'b'], 'c1', true), page(['c', 'd'], 'c2', true), page(['e'], 'c3', false));
    const keys: string[] = [];
    for await (const statement of client(fetch).paginate.statements({ first: 2, filter: { topic: 'Xinjiang' } })) keys.push(statement.key);
    expect(keys).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(calls.map((c) => c.body.variables)).toEqual([
      { first: 2, filter: { topic: 'Xinjiang' } },
      { first: 2, filter: { topic: 'Xinjiang' }, after: 'c1' },
      { first: 2, filter: { topic: 'Xinjiang' }, after: 'c2' },
    ]);
  });

  it('stops early when the loop breaks', async () => {
    const { calls, fetch } = scripted(page(['a', 'b'], 'c1', true), page(['c'], 'c2', false));
    for await (const statement of client(fetch).paginate.statements()) if (statement.key === 'a') break;
    expect(calls).toHaveLength(1);
  });

  it('refuses a cursor that does not move', async () => {
    const { fetch } = scripted(page(['a'], 'c1', true), page(['b'], 'c1', true));
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const statement of client(fetch).paginate.statements()) seen.push(statement.key);
      })(),
    );
    expect(error.code).toBe('BAD_RESPONSE');
    expect(seen).toEqual(['a', 'b']);
  });

  it('yields nothing when the parent of a nested connection is null', async () => {
    const { fetch } = scripted(json({ data: { signatory: null } }));
    const nodes = [];
    for await (const signature of client(fetch).paginate.signatorySignatures({ ref: 'nobody' })) nodes.push(signature);
    expect(nodes).toEqual([]);
  });
});

describe('unwrap', () => {
  const errors = [
    { code: 'CONFLICT', path: ['input', 'expectedVersion'], message: 'stale' },
    { code: 'BAD_USER_INPUT', path: ['input', 'title'], message: 'empty' },
  ];

  it('returns the record of a payload or of a mutation result', () => {
    const payload = { source: { key: 's' }, errors: [] };
    expect(unwrap(payload)).toEqual({ key: 's' });
    expect(unwrap({ createSource: payload })).toEqual({ key: 's' });
  });

  it('returns a payload of several fields without its errors', () => {
    expect(unwrap({ importBundle: { dryRun: true, summary: null, errors: [] } })).toEqual({ dryRun: true, summary: null });
  });

  it('throws a MutationError with the payload errors', () => {
    let thrown: unknown;
    try {
      unwrap({ source: null, errors });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MutationError);
    expect(thrown).toBeInstanceOf(JointlyError);
    expect(thrown).toMatchObject({ name: 'MutationError', code: 'CONFLICT', errors, message: 'stale (at input.expectedVersion) (and 1 more)' });
  });
});
