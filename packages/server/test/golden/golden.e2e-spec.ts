import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { getNamedType, isAbstractType, isObjectType, type GraphQLSchema } from 'graphql';
import { buildJointlySchema, type RunningServer } from '../../src/index';
import { buildGoldenArchive, GOLDEN_ARCHIVES, type GoldenArchive } from '../support/golden-archive';
import { Normaliser } from '../support/normalise';
import { generatedOperations, loadPools, NODE_TYPES, playgroundExamples, readmeExamples, sdkOperations, type Operation, type Pools } from '../support/operations';
import { backend, startTestServer } from '../support/test-database';

/**
 * Golden answers: the read API's answers over two archives, recorded once and compared on every
 * run, byte for byte after normalisation (ids, global ids and cursors named by the records' keys,
 * timestamps replaced; see support/normalise.ts) — same values, same key order, same errors with
 * their codes and paths, same HTTP status. A change of the read path must leave them as they are.
 *
 * The operations: every read operation of the SDK (schema/operations/queries) with variables naming
 * real records, the README's examples, the playground's tabs, and GENERATED operations built from
 * the schema with a fixed seed (support/operations.ts: nested selections, aliases, fragments,
 * @include/@skip, every filter and order, both page directions with cursors the archive returned,
 * node/nodes of every type…). The archives: the sample data, and the benchmark's archive of size S
 * (support/golden-archive.ts), both built in every run on the backend under test (PGlite, or
 * PostgreSQL with TEST_DATABASE_URL; importing S takes 15–35 s on PGlite, 5–10 s on PostgreSQL on
 * two cores); the same golden files hold for both.
 *
 * Record them again (only when an answer is meant to change): `npm run golden:record`.
 */
const RECORD = process.env.JOINTLY_GOLDEN === 'record';
const SEED = 20_261_203;
const GENERATED = 1_000;
/** Requests in flight at once, over as many keep-alive connections. */
const CONCURRENCY = 4;
const GOLDEN_DIR = __dirname;
/**
 * The server's refusals that depend on time rather than on the operation (the fair share of
 * expensive operations, statement timeouts, the per-request database budget) are off: on a loaded
 * machine they would refuse a different operation each run. The limits on the operation itself
 * (depth, aliases, cost, input sizes) stay, and their errors are part of the golden answers.
 */
const UNTIMED = { JOINTLY_EXPENSIVE_COST: '100000000', JOINTLY_STATEMENT_TIMEOUT_MS: '0', JOINTLY_REQUEST_DB_BUDGET_MS: '0' };
const goldenFile = (archive: GoldenArchive) => path.join(GOLDEN_DIR, `${archive}.ndjson`);

interface Named {
  name: string;
  operation: Operation;
}

function operationSet(schema: GraphQLSchema, pools: Pools): { all: Named[]; generated: ReturnType<typeof generatedOperations> } {
  const generated = generatedOperations(schema, pools, SEED, GENERATED);
  const all: Named[] = [
    ...sdkOperations(pools),
    ...readmeExamples().map((query, i) => ({ name: `readme.${i}`, operation: { query, variables: {} } })),
    ...playgroundExamples().map((query, i) => ({ name: `playground.${i}`, operation: { query, variables: {} } })),
    ...generated,
  ];
  return { all, generated };
}

function post(agent: http.Agent, url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Runs `task` over `items`, `limit` at a time, keeping the results in order. */
async function inOrder<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!);
      }
    }),
  );
  return results;
}

/** One golden line: the operation's name, a hash of its normalised request, the status and the normalised answer. */
function goldenLine(name: string, request: string, status: number, response: string): string {
  return `{"name":${JSON.stringify(name)},"request":"${createHash('sha256').update(request).digest('hex').slice(0, 16)}","status":${status},"response":${response}}`;
}

/** Where two JSON values first differ, as a path and the two values there. */
function firstDifference(expected: unknown, actual: unknown, at = '$'): string | undefined {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return undefined;
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object' && Array.isArray(expected) === Array.isArray(actual)) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const keysE = Object.keys(e);
    const keysA = Object.keys(a);
    if (keysE.join('\u0000') !== keysA.join('\u0000') && !Array.isArray(expected)) return `${at}: keys ${JSON.stringify(keysE)} recorded, ${JSON.stringify(keysA)} now`;
    for (const key of keysE) {
      const inner = firstDifference(e[key], a[key], Array.isArray(expected) ? `${at}[${key}]` : `${at}.${key}`);
      if (inner) return inner;
    }
    if (keysA.length !== keysE.length) return `${at}: ${keysE.length} items recorded, ${keysA.length} now`;
  }
  const show = (v: unknown) => (JSON.stringify(v) ?? 'undefined').slice(0, 400);
  return `${at}: recorded ${show(expected)}, now ${show(actual)}`;
}

/** Whether an answer's data holds a non-empty list somewhere. */
function hasNonEmptyList(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return Object.values(value).some(hasNonEmptyList);
  return false;
}

/** Every field of every output type a read can reach from Query. */
/** Root fields without golden answers: the change feed's cursors hold transaction ids, which differ from database to database (changes.e2e-spec covers it). */
const NOT_GOLDEN = new Set(['Query.changes']);

function readableFields(schema: GraphQLSchema): string[] {
  const seen = new Set<string>();
  const fields: string[] = [];
  const visit = (typeName: string) => {
    if (seen.has(typeName)) return;
    seen.add(typeName);
    const type = schema.getType(typeName);
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (NOT_GOLDEN.has(`${type.name}.${field.name}`)) continue;
        fields.push(`${type.name}.${field.name}`);
        visit(getNamedType(field.type).name);
      }
    } else if (isAbstractType(type)) for (const possible of schema.getPossibleTypes(type)) visit(possible.name);
  };
  visit('Query');
  return fields;
}

describe.each(GOLDEN_ARCHIVES)('golden answers over the %s archive', (archive) => {
  let server: RunningServer;
  let normaliser: Normaliser;
  let schema: GraphQLSchema;
  let pools: Pools;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  beforeAll(async () => {
    const started = performance.now();
    const url = await buildGoldenArchive(archive);
    const built = performance.now();
    [server, schema] = await Promise.all([startTestServer({ databaseUrl: url, env: UNTIMED }), buildJointlySchema()]);
    [normaliser, pools] = await Promise.all([Normaliser.load(url), loadPools(server.url)]);
    process.stdout.write(`golden ${archive} on ${backend}: archive built in ${((built - started) / 1000).toFixed(1)} s\n`);
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });
  afterAll(() => agent.destroy());

  it(`${RECORD ? 'records' : 'gives'} the recorded answer to every operation`, async () => {
    const { all, generated } = operationSet(schema, pools);
    const started = performance.now();
    const answers = await inOrder(all, CONCURRENCY, async ({ name, operation }) => {
      const body = JSON.stringify(operation);
      const { status, text } = await post(agent, server.url, body);
      const request = JSON.stringify(normaliser.value(operation));
      return { name, status, response: normaliser.response(text), line: '' as string, request };
    });
    for (const a of answers) a.line = goldenLine(a.name, a.request, a.status, a.response);
    const seconds = (performance.now() - started) / 1000;

    // The answers are worth comparing: most generated operations find data, few are refused.
    const parsed = answers.map((a) => JSON.parse(a.response) as { data?: unknown; errors?: { extensions?: { code?: string } }[] });
    const generatedAnswers = parsed.slice(all.length - generated.length);
    const nonEmpty = generatedAnswers.filter((a) => hasNonEmptyList(a.data)).length / generatedAnswers.length;
    const clean = generatedAnswers.filter((a) => !a.errors?.length).length / generatedAnswers.length;
    const codes = new Map<string, number>();
    for (const a of parsed) for (const e of a.errors ?? []) codes.set(e.extensions?.code ?? '(none)', (codes.get(e.extensions?.code ?? '(none)') ?? 0) + 1);
    process.stdout.write(
      `golden ${archive} on ${backend}: ${all.length} operations (${generated.length} generated) in ${seconds.toFixed(1)} s; ` +
        `generated: ${(nonEmpty * 100).toFixed(0)} % with a non-empty list, ${(clean * 100).toFixed(0)} % without errors; error codes ${JSON.stringify(Object.fromEntries(codes))}\n`,
    );
    expect(nonEmpty).toBeGreaterThan(archive === 'sample' ? 0.6 : 0.5);
    expect(clean).toBeGreaterThan(0.8);
    // The SDK's operations, the README's and the playground's answer without errors over the sample data.
    if (archive === 'sample') expect(answers.filter((a, i) => i < all.length - generated.length && parsed[i]!.errors?.length).map((a) => a.name)).toEqual([]);
    expect(parsed.some((a) => a.errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR'))).toBe(false);

    // The generated operations cover what the read path does.
    const features = new Set(generated.flatMap((g) => [...g.features]));
    const wanted = [
      ...NODE_TYPES.map((t) => `node:${t}`),
      ...['first', 'after', 'last', 'before'].map((p) => `page:${p}`),
      ...['DATE_ASC', 'DATE_DESC', 'RELEVANCE', 'SIGNATURE_COUNT_ASC', 'SIGNATURE_COUNT_DESC', 'TITLE_ASC', 'TITLE_DESC'].map((o) => `orderBy:${o}`),
      ...['dateFrom', 'dateTo', 'forum', 'kind', 'leadSignatory', 'respondsTo', 'search', 'session', 'signedBy', 'topic'].map((f) => `filter:StatementFilter.${f}`),
      ...['all', 'any', 'none'].map((f) => `filter:SignedByFilter.${f}`),
      ...['dateFrom', 'dateTo', 'forum', 'topic'].map((f) => `filter:SignatureHistoryFilter.${f}`),
      ...['kind', 'memberOf', 'search'].map((f) => `filter:SignatoryFilter.${f}`),
      ...['kind', 'publishedFrom', 'publishedTo', 'publisher', 'search'].map((f) => `filter:SourceFilter.${f}`),
      'filter:PersonFilter.search',
      ...['alias', 'named fragment', 'inline fragment', '@include', '@skip', 'variable', 'includeDeleted'],
      ...readableFields(schema).map((f) => `field:${f}`),
    ];
    expect(wanted.filter((f) => !features.has(f))).toEqual([]);

    const lines = answers.map((a) => a.line);
    const file = goldenFile(archive);
    if (RECORD) {
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      process.stdout.write(`golden ${archive}: wrote ${path.relative(process.cwd(), file)} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB)\n`);
      return;
    }
    const recorded = new Map(
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => [(JSON.parse(line) as { name: string }).name, line] as const),
    );
    const problems: string[] = [];
    for (const [i, a] of answers.entries()) {
      const line = recorded.get(a.name);
      if (line === a.line) continue;
      const { query, variables } = all[i]!.operation;
      const asked = `\n  query: ${query.replace(/\s+/g, ' ').slice(0, 1500)}\n  variables: ${JSON.stringify(variables).slice(0, 500)}`;
      if (line === undefined) {
        problems.push(`${a.name}: no recorded answer (npm run golden:record)${asked}`);
        continue;
      }
      const old = JSON.parse(line) as { request: string; status: number; response: unknown };
      const now = JSON.parse(a.line) as typeof old;
      if (old.request !== now.request) problems.push(`${a.name}: the operation is not the one recorded (the generator or the pools changed: npm run golden:record)${asked}`);
      else if (old.status !== now.status) problems.push(`${a.name}: HTTP ${old.status} recorded, ${now.status} now${asked}`);
      else problems.push(`${a.name}: ${firstDifference(old.response, now.response) ?? 'the same JSON, another text'}${asked}`);
    }
    for (const name of recorded.keys()) if (!answers.some((a) => a.name === name)) problems.push(`${name}: recorded, but no longer asked`);
    if (problems.length) {
      throw new Error(`${problems.length} of ${answers.length} answers differ from ${path.relative(process.cwd(), file)}; the first:\n\n${problems.slice(0, 5).join('\n\n')}`);
    }
    expect(recorded.size).toBe(answers.length);
  }, 600_000);
});
