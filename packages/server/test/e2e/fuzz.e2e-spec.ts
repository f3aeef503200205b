import http from 'node:http';
import fc from 'fast-check';
import type { GraphQLSchema } from 'graphql';
import { buildJointlySchema, type RunningServer } from '../../src/index';
import { leakDetector, type LeakDetector } from '../support/leak-check';
import { DocumentBuilder, loadPools, NODE_TYPES, Random, type Pools } from '../support/operations';
import { graphql, startTestServer } from '../support/test-database';

/**
 * Seeded fuzzing of the real server over HTTP: documents generated from the schema (fields,
 * arguments, variables, fragments, aliases, nested connections with small pages) and broken ones
 * (mutated documents, garbage, wrong variable types, unknown fields, huge numbers, unicode).
 * Every response must be a GraphQL response below 500 with a code on every error and nothing leaked;
 * the process must see no unhandled rejection or uncaught exception; the server must still answer.
 *
 * Each run takes a fresh seed (printed); reproduce a failure with JOINTLY_FUZZ_SEED=<the printed
 * seed>. `npm test` sends ~1,000 requests; CI sends 10,000 (JOINTLY_FUZZ_CASES).
 */
const SEED = process.env.JOINTLY_FUZZ_SEED ? Number(process.env.JOINTLY_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const BATCH = 6; // requests in flight at once, over as many keep-alive connections
const CASES = Number(process.env.JOINTLY_FUZZ_CASES ?? 1_000);
const RUNS = Math.ceil(CASES / BATCH); // batches of BATCH documents
const ACCEPTS = ['application/graphql-response+json, application/json', 'application/json', 'application/graphql-response+json'];

interface Case {
  kind: string;
  accept: string;
  /** The raw request body. */
  body: string;
}

/** Breaks a valid document in one of several ways. */
function mutateDocument(random: Random, query: string): string {
  const at = () => random.int(0, query.length);
  const junk = random.pick(['{', '}', '(', ')', '$', '...', '@skip', '@include(if: $nope)', '"', '"""', ':', '!', '[', '#', 'on', 'fragment', '\u0000', '𝔘', 'é', '\\u{D800}']);
  switch (random.int(0, 6)) {
    case 0: {
      const from = at();
      return query.slice(0, from) + query.slice(Math.min(query.length, from + random.int(1, 12)));
    }
    case 1: {
      const i = at();
      return `${query.slice(0, i)}${junk}${query.slice(i)}`;
    }
    case 2:
      return query.slice(0, at());
    case 3: {
      const names = [...query.matchAll(/\b[a-z][A-Za-z]+\b/g)];
      if (!names.length) return `${query}}`;
      const target = random.pick(names);
      const replacement = random.pick(['noSuchField', 'statementz', '__schema', '__type', 'títle', 'x'.repeat(300)]);
      return query.slice(0, target.index) + replacement + query.slice(target.index + target[0].length);
    }
    case 4:
      return query.replace(/\b\d+\b/, random.pick(['99999999999999999999999', '1e400', '-2147483649', '2147483648', '0.5', '"3"', 'null', 'true']));
    case 5:
      return query.replace(/\{/, `{ ${random.pick(['unknownField', 'statements { nope }', '__typename @deprecated', 'node { id }', '...Missing'])} `);
    default: {
      const from = at();
      const to = Math.min(query.length, from + random.int(1, 40));
      return query.slice(0, to) + query.slice(from, to) + query.slice(to);
    }
  }
}

/**
 * Keep-alive connections, BATCH of them. node:http rather than fetch: a third of the cost per request,
 * which matters over 10,000 of them on two cores. So the leak guard (which wraps fetch) does not see
 * these responses; each one is checked with the same detector below.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: BATCH });
/** Every connection the run opened: keep-alive means a handful, not one per request. */
const sockets = new Set<unknown>();

function post(url: URL, c: Case): Promise<{ status: number; contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', accept: c.accept, 'apollo-require-preflight': 'true', 'content-length': Buffer.byteLength(c.body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? '', text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('socket', (socket) => sockets.add(socket));
    request.on('error', reject);
    request.end(c.body);
  });
}

/** A JSON request body. */
const body = (request: Record<string, unknown>): string => JSON.stringify(request);

function caseArbitrary(schema: GraphQLSchema, pools: Pools): fc.Arbitrary<Case> {
  const accept = fc.constantFrom(...ACCEPTS);
  const seed = fc.noShrink(fc.integer());
  const valid = (kind: 'query' | 'mutation') =>
    fc.tuple(seed, fc.integer({ min: 2, max: 5 })).map(([s, depth]) => new DocumentBuilder(schema, new Random(s), pools, depth).operation(kind));

  const validQuery = fc.tuple(valid('query'), accept).map(([op, a]): Case => ({ kind: 'valid query', accept: a, body: body(op) }));
  const validMutation = fc.tuple(valid('mutation'), accept).map(([op, a]): Case => ({ kind: 'valid mutation', accept: a, body: body(op) }));
  const mutated = fc
    .tuple(valid('query'), seed, accept)
    .map(([op, s, a]): Case => ({ kind: 'mutated document', accept: a, body: body({ ...op, query: mutateDocument(new Random(s), op.query) }) }));
  const wrongVariables = fc
    .tuple(valid('query'), fc.dictionary(fc.constantFrom('v0', 'v1', 'v2', 'v3', 'extra'), fc.jsonValue({ maxDepth: 2 })), accept)
    .map(([op, variables, a]): Case => ({ kind: 'wrong variable types', accept: a, body: body({ ...op, variables: { ...op.variables, ...variables } }) }));
  const hugeNumbers = fc
    .tuple(fc.constantFrom('statements', 'people', 'sources', 'signatories'), fc.constantFrom(1e308, -1, 2 ** 31, 2 ** 53, 1.5, -0, 101, 1e21), fc.boolean(), accept)
    .map(([field, n, asVariable, a]): Case => ({
      kind: 'huge numbers',
      accept: a,
      body: asVariable
        ? body({ query: `query($n: Int) { ${field}(first: $n) { totalCount nodes { id } } }`, variables: { n } })
        : `{"query": "{ ${field}(first: ${String(n).replace('e+', 'e')}0000) { totalCount } }"}`,
    }));
  const garbage = fc
    .tuple(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary-ascii', maxLength: 4000 })), accept)
    .map(([query, a]): Case => ({ kind: 'garbage document', accept: a, body: body({ query }) }));
  const unicodeStrings = fc
    .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }), fc.constantFrom('statement(key: $s) { title }', 'signatory(ref: $s) { name }', 'search(query: $s, first: 3) { totalCount nodes { snippet } }'), accept)
    .map(([s, selection, a]): Case => ({ kind: 'unicode variables', accept: a, body: body({ query: `query($s: String!) { ${selection} }`, variables: { s } }) }));
  const badRequests = fc
    .tuple(
      fc.constantFrom<Record<string, unknown> | unknown[] | string>(
        { query: '{ __typename }', variables: 'not an object' },
        { query: '{ __typename }', variables: [1, 2] },
        { query: '{ __typename }', operationName: 7 },
        { query: 'query A { __typename } query B { __typename }' },
        { query: 'query A { __typename }', operationName: 'Nope' },
        { query: { kind: 'Document' } },
        { variables: {} },
        [{ query: '{ __typename }' }],
        'not json at all',
        '{"query": "{ __typename }"',
        { query: `{ ${'a { '.repeat(400)}${'} '.repeat(400)}}` },
        { query: `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: __typename`).join(' ')} }` },
        { query: 'subscription { __typename }' },
        { query: '{ __schema { types { name fields { name } } } }' },
        { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } },
      ),
      accept,
    )
    .map(([request, a]): Case => ({ kind: 'malformed request', accept: a, body: typeof request === 'string' ? request : body(request as Record<string, unknown>) }));

  // Documents built from the schema with every string in their variables replaced by something
  // hostile: characters text cannot hold, lengths past every bound, forged cursors, the year 0000.
  const cursor = (position: unknown[]) => Buffer.from(JSON.stringify(position)).toString('base64url');
  const hostile = fc.constantFrom(
    'a\u0000b',
    '\u0000',
    'x\uD800',
    '\uDC00y',
    'x'.repeat(201),
    'w '.repeat(2600),
    '0000',
    '0000-01',
    cursor(['2019-02-30', '00000000-0000-0000-0000-000000000000']),
    cursor([1e308, '00000000-0000-0000-0000-000000000000']),
    cursor([2 ** 31, '00000000-0000-0000-0000-000000000000']),
    cursor(['a\u0000', '00000000-0000-0000-0000-000000000000']),
  );
  const replaceStrings = (value: unknown, pick: () => string): unknown =>
    typeof value === 'string' ? pick() : Array.isArray(value) ? value.map((v) => replaceStrings(v, pick)) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, pick)])) : value;
  const hostileInputs = fc
    .tuple(fc.oneof(valid('query'), valid('mutation')), fc.array(hostile, { minLength: 1, maxLength: 8 }), accept)
    .map(([op, values, a]): Case => {
      let i = 0;
      return { kind: 'hostile inputs', accept: a, body: body({ ...op, variables: replaceStrings(op.variables, () => values[i++ % values.length]!) as Record<string, unknown> }) };
    });
  return fc.oneof(
    { weight: 8, arbitrary: hostileInputs },
    { weight: 30, arbitrary: validQuery },
    { weight: 10, arbitrary: validMutation },
    { weight: 20, arbitrary: mutated },
    { weight: 10, arbitrary: wrongVariables },
    { weight: 5, arbitrary: hugeNumbers },
    { weight: 10, arbitrary: garbage },
    { weight: 8, arbitrary: unicodeStrings },
    { weight: 7, arbitrary: badRequests },
  );
}

describe('fuzzing the GraphQL endpoint', () => {
  let server: RunningServer;
  let schema: GraphQLSchema;
  let detector: LeakDetector;
  let pools: Pools;
  const crashes: string[] = [];
  const onRejection = (reason: unknown) => crashes.push(`unhandledRejection: ${String(reason)}`);
  const onException = (error: unknown) => crashes.push(`uncaughtException: ${String(error)}`);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    [server, schema, detector] = await Promise.all([startTestServer(), buildJointlySchema(), leakDetector()]);
    pools = await loadPools(server.url);
    expect(NODE_TYPES.flatMap((type) => pools.ids[type]).length).toBeGreaterThan(8);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    agent.destroy();
    await server.stop();
  });

  it(`answers ${RUNS * BATCH}+ generated requests with GraphQL responses below 500, a code on every error, no leak`, async () => {
    const codes = new Map<string, number>();
    const statuses = new Map<number, number>();
    const kinds = new Map<string, number>();
    const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
    let sent = 0;

    const send = async (c: Case): Promise<void> => {
      const response = await post(new URL(server.url), c);
      sent++;
      bytes += Buffer.byteLength(c.body);
      const { text } = response;
      const where = `${c.kind} (HTTP ${response.status}, accept ${c.accept})\nrequest: ${c.body.slice(0, 2000)}\nresponse: ${text.slice(0, 2000)}`;
      if (response.status >= 500) throw new Error(`status ${response.status}: ${where}`);
      if (!/^application\/(graphql-response\+)?json\s*(;|$)/.test(response.contentType)) throw new Error(`content-type ${response.contentType}: ${where}`);
      let parsed: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        throw new Error(`not JSON: ${where}`);
      }
      if (typeof parsed !== 'object' || parsed === null || !('data' in parsed || 'errors' in parsed)) throw new Error(`neither data nor errors: ${where}`);
      for (const error of parsed.errors ?? []) {
        const code = error.extensions?.code;
        if (typeof code !== 'string') throw new Error(`an error without extensions.code: ${where}`);
        count(codes, code);
      }
      if (!parsed.errors?.length) count(codes, '(no errors)');
      // Bad input of any kind is a typed error, never an internal one.
      if (parsed.errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) throw new Error(`INTERNAL_SERVER_ERROR: ${where}`);
      if (c.kind.startsWith('valid ')) {
        // Documents built from the schema parse and validate (unless a limit refuses them), and never break the server.
        const wrong = (parsed.errors ?? []).map((e) => e.extensions?.code).filter((code) => code === 'GRAPHQL_PARSE_FAILED' || code === 'GRAPHQL_VALIDATION_FAILED' || code === 'INTERNAL_SERVER_ERROR');
        if (wrong.length) throw new Error(`${wrong.join(', ')} for a document built from the schema: ${where}`);
      }
      const leaks = detector.findLeaks(text, c.body);
      if (leaks.length) throw new Error(`leaked ${leaks.map((l) => `${l.pattern}: ${l.excerpt}`).join('; ')}: ${where}`);
      count(statuses, response.status);
      count(kinds, c.kind);
    };

    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    let bytes = 0;
    process.stdout.write(`fuzz seed ${SEED} (JOINTLY_FUZZ_SEED), ${RUNS} runs of ${BATCH} concurrent requests\n`);
    await fc.assert(
      fc.asyncProperty(fc.array(caseArbitrary(schema, pools), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        await Promise.all(batch.map(send));
      }),
      // No shrinking: each failure message already carries the request and the response.
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const sorted = <K extends string | number>(map: Map<K, number>) => Object.fromEntries([...map].sort((a, b) => b[1] - a[1]));
    process.stdout.write(
      `fuzz: ${sent} requests in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s); this process used ${cpuSeconds.toFixed(1)} s of CPU (${((cpuSeconds * 1000) / sent).toFixed(1)} ms a request, server and client); mean request ${Math.round(bytes / sent)} bytes; ${sockets.size} connections\n` +
        `  statuses ${JSON.stringify(sorted(statuses))}\n  codes ${JSON.stringify(sorted(codes))}\n  kinds ${JSON.stringify(sorted(kinds))}\n`,
    );

    expect(sent).toBe(RUNS * BATCH);
    expect(sockets.size).toBeLessThanOrEqual(BATCH * 2);
    expect(crashes).toEqual([]);
    // Every kind ran, and the valid documents did run: some answered without any error.
    expect([...kinds.keys()].sort()).toEqual(
      ['garbage document', 'hostile inputs', 'huge numbers', 'malformed request', 'mutated document', 'unicode variables', 'valid mutation', 'valid query', 'wrong variable types'].sort(),
    );
    expect(codes.get('(no errors)') ?? 0).toBeGreaterThan(sent / 10);
    expect(codes.get('UNAUTHENTICATED') ?? 0).toBeGreaterThan(sent / 100);
    // Nothing a client can send is an internal error (subscriptions and persisted queries are refused by name).
    expect(codes.get('INTERNAL_SERVER_ERROR') ?? 0).toBe(0);

    const after = await graphql<{ statements: { totalCount: number } }>(server.url, '{ statements(first: 1) { totalCount } }');
    expect(after.errors).toBeUndefined();
    expect(after.data?.statements.totalCount).toBeGreaterThan(0);
  }, 600_000); // ~55 s of CPU; generous for a loaded machine (the time is printed)
});
