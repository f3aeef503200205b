/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL responses, checked field by field by the assertions */
import { getNamedType, getNullableType, isInputObjectType, isLeafType, isListType, isNonNullType, isScalarType, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { buildJointlySchema, createToken, type RunningServer } from '../../src/index';
import { TEXT_LIMITS } from '../../src/common/text';
import { DEFAULT_LIST_LIMIT, LIST_LIMITS, MAX_JSON_DEPTH } from '../../src/graphql/limits';
import { MAX_BODY_NESTING } from '../../src/http/graphql-handler';
import { encodeCursor } from '../../src/common/pagination';
import { startTestServer } from '../support/test-database';

/** CSRF prevention's preflight header; the GraphQL-over-HTTP media type, so that a refusal is a 400. */
const HEADERS = { 'content-type': 'application/json', 'apollo-require-preflight': 'true', accept: 'application/graphql-response+json' };

type Answer = { status: number; data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\uD800b';
const ID = '00000000-0000-0000-0000-000000000000';

/** Every value of this type with `bad` in exactly one string-like place (each field of each input object, nested); none when it holds no text. */
function holding(type: GraphQLInputType, bad: string, depth = 0): unknown[] {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return holding(nullable.ofType as GraphQLInputType, bad, depth).map((item) => [item]);
  if (isScalarType(nullable)) return ['String', 'ID', 'PartialDate'].includes(nullable.name) ? [bad] : [];
  if (!isInputObjectType(nullable) || depth > 3) return [];
  return Object.values(nullable.getFields()).flatMap((field) => holding(field.type, bad, depth + 1).map((value) => ({ ...required(nullable), [field.name]: value })));
}

/** Placeholder values for the required fields of an input type (they are never read: the refusal comes first). */
function required(type: GraphQLInputType): Record<string, unknown> {
  const nullable = getNullableType(type);
  if (!isInputObjectType(nullable)) return {};
  const out: Record<string, unknown> = {};
  for (const field of Object.values(nullable.getFields())) {
    if (!isNonNullType(field.type) || field.defaultValue !== undefined) continue;
    const named = getNamedType(field.type);
    const leaf: unknown = named.name === 'Int' ? 1 : named.name === 'Boolean' ? true : named.name === 'PartialDate' ? '2020' : isLeafType(named) && 'getValues' in named ? named.getValues()[0]!.value : 'x';
    out[field.name] = isListType(getNullableType(field.type)) ? [leaf] : isInputObjectType(named) ? required(named) : leaf;
  }
  return out;
}

/** Every argument of a root field that can hold text, as a request with `bad` in it. */
function probes(schema: GraphQLSchema, root: 'Query' | 'Mutation', bad: string) {
  const type = root === 'Query' ? schema.getQueryType()! : schema.getMutationType()!;
  const out: { site: string; query: string; variables: Record<string, unknown> }[] = [];
  for (const field of Object.values(type.getFields())) {
    for (const arg of field.args) {
      for (const value of holding(arg.type, bad)) {
      const others = field.args.filter((a) => a !== arg && isNonNullType(a.type) && a.defaultValue === undefined);
      const variables: Record<string, unknown> = { v: value };
      others.forEach((o, i) => (variables[`o${i}`] = getNamedType(o.type).name === 'JSON' ? {} : isListType(getNullableType(o.type)) ? [ID] : isInputObjectType(getNamedType(o.type)) ? required(o.type) : ID));
      const declared = [`$v: ${String(arg.type)}`, ...others.map((o, i) => `$o${i}: ${String(o.type)}`)].join(', ');
      const passed = [`${arg.name}: $v`, ...others.map((o, i) => `${o.name}: $o${i}`)].join(', ');
      const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
      out.push({ site: `${root}.${field.name}(${arg.name})`, query: `${root === 'Query' ? 'query' : 'mutation'}(${declared}) { ${field.name}(${passed})${selection} }`, variables });
      }
    }
  }
  return out;
}

describe('bad input: a typed BAD_USER_INPUT before any work, never an internal error', () => {
  let server: RunningServer;
  let schema: GraphQLSchema;
  let admin: string;
  let editor: string;

  const post = async (body: unknown, token?: string): Promise<Answer> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { ...HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };
  /** A refused read: 400, one BAD_USER_INPUT naming the argument, and no SQL statement at all. */
  const refused = async (query: string, variables: Record<string, unknown>, expected: Record<string, unknown>, token?: string) => {
    const before = server.database.sql.total;
    const answer = await post({ query, variables }, token);
    if (!token) expect(server.database.sql.total).toBe(before);
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', ...expected });
    return answer.errors![0]!;
  };

  beforeAll(async () => {
    server = await startTestServer();
    schema = await buildJointlySchema();
    const em = server.database.dataSource.manager;
    admin = (await createToken(em, 'bad-input-admin', 'admin')).token;
    editor = (await createToken(em, 'bad-input-editor', 'editor')).token;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('refuses a NUL character in every text argument and input field of every query, without SQL', async () => {
    const all = probes(schema, 'Query', NUL);
    expect(all.length).toBeGreaterThanOrEqual(50);
    for (const probe of all) {
      const error = await refused(probe.query, probe.variables, { limit: 'character' });
      expect(error.message).toMatch(/NUL character/);
    }
  });

  it('refuses a lone surrogate in every text argument and input field of every query', async () => {
    for (const probe of probes(schema, 'Query', LONE_SURROGATE)) {
      const error = await refused(probe.query, probe.variables, { limit: 'character' });
      expect(error.message).toMatch(/lone UTF-16 surrogate/);
    }
  });

  it('refuses a NUL character in every text field of every mutation input, and writes nothing', async () => {
    const all = probes(schema, 'Mutation', NUL);
    expect(all.length).toBeGreaterThanOrEqual(90);
    const statements = async () => Number((await server.database.dataSource.query(`SELECT count(*) AS n FROM revision`))[0].n);
    const before = await statements();
    for (const probe of all) await refused(probe.query, probe.variables, { limit: 'character' }, admin);
    expect(await statements()).toBe(before);
  });

  it('refuses text over its bound, naming the argument, its bound and its length', async () => {
    const error = await refused('query($s: String) { statements(filter: { search: $s }) { totalCount } }', { s: 'word '.repeat(101) }, {
      argument: 'filter.search',
      limit: 'length',
      max: TEXT_LIMITS.search,
      measured: 505,
    });
    expect(error.message).toBe(`filter.search is 505 characters long; at most ${TEXT_LIMITS.search} are allowed.`);
    // A literal is bounded as a variable is; a 1 MB signatory name takes no time at all.
    await refused(`{ statements(filter: { leadSignatory: "${'x'.repeat(1_000_000)}" }) { totalCount } }`, {}, { argument: 'filter.leadSignatory', max: TEXT_LIMITS.default, measured: 1_000_000 });
    await refused('query($c: String) { statements(after: $c) { totalCount } }', { c: 'A'.repeat(TEXT_LIMITS.cursor + 1) }, { argument: 'after', max: TEXT_LIMITS.cursor });
    // A 1 MB title, with a token: refused before the mutation runs.
    const input = { key: 'big-title', title: 't'.repeat(1_000_000), kind: 'OTHER', date: '2020' };
    await refused('mutation($input: CreateStatementInput!) { createStatement(input: $input) { errors { code } } }', { input }, { argument: 'input.title', max: TEXT_LIMITS.title }, editor);
  });

  it('takes text up to its bound', async () => {
    const answer = await post({ query: 'query($s: String) { statements(filter: { search: $s }) { totalCount } }', variables: { s: 'x'.repeat(TEXT_LIMITS.search) } });
    expect(answer).toMatchObject({ status: 200, data: { statements: { totalCount: 0 } } });
    const created = await post(
      {
        query: 'mutation($input: CreateStatementInput!) { createStatement(input: $input) { statement { title } errors { code } } }',
        variables: { input: { key: 'long-title', title: 't'.repeat(TEXT_LIMITS.title), kind: 'OTHER', date: '2020' } },
      },
      editor,
    );
    expect(created.data.createStatement.errors).toEqual([]);
    expect(created.data.createStatement.statement.title).toHaveLength(TEXT_LIMITS.title);
  });

  it('refuses lists over their bound, before any reference is resolved', async () => {
    const refs = (n: number) => Array.from({ length: n }, (_, i) => `state ${i}`);
    const any = LIST_LIMITS['SignedByFilter.any'] ?? DEFAULT_LIST_LIMIT;
    await refused('query($r: [String!]) { statements(filter: { signedBy: { any: $r } }) { totalCount } }', { r: refs(any + 1) }, { argument: 'filter.signedBy.any', limit: 'items', max: any, measured: any + 1 });
    await refused('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array(101).fill(ID) }, { argument: 'ids', limit: 'items', max: 100 });
    await refused('query($s: [ID!]!) { signatoryAlignment(statements: $s) { rows { signatory { name } } } }', { s: Array(LIST_LIMITS['Query.signatoryAlignment(statements)']! + 1).fill('x') }, { argument: 'statements' });
    const topics = Array(DEFAULT_LIST_LIMIT + 1).fill('t');
    await refused('mutation($input: CreateStatementInput!) { createStatement(input: $input) { errors { code } } }', { input: { key: 'many-topics', title: 'T', kind: 'OTHER', date: '2020', topics } }, { argument: 'input.topics', max: DEFAULT_LIST_LIMIT }, editor);
    // The bound is of the list as sent: duplicates count.
    const answer = await post({ query: 'query($r: [String!]) { statements(filter: { signedBy: { any: $r } }) { totalCount } }', variables: { r: Array(any).fill('France') } });
    expect(answer.status).toBe(200);
  });

  it('refuses forged cursors that have the shape of one: impossible dates, numbers no column holds, NUL', async () => {
    const dates = [encodeCursor(['2019-02-30', ID]), encodeCursor(['0000-01-01', ID]), encodeCursor([1e308, ID])];
    const texts = [encodeCursor([`title${'\u0000'}`, ID]), encodeCursor([`a${'\uDC00'}`, ID])];
    const numbers = [encodeCursor([1e308, ID]), encodeCursor([2 ** 31, ID]), encodeCursor(['1', ID])];
    const lists: [string, string[]][] = [
      ['statements(after: $c)', dates],
      ['sources(after: $c)', dates],
      ['statements(after: $c, orderBy: TITLE_ASC)', texts],
      ['people(after: $c)', texts],
      ['signatories(after: $c)', texts],
      ['statements(after: $c, orderBy: SIGNATURE_COUNT_DESC)', numbers],
      ['statements(after: $c, orderBy: RELEVANCE, filter: { search: "xinjiang" })', [encodeCursor([1e308, ID])]],
    ];
    for (const [list, forged] of lists) {
      for (const c of forged) {
        const answer = await post({ query: `query($c: String) { ${list} { totalCount } }`, variables: { c } });
        expect({ list, c, codes: answer.errors?.map((e) => e.extensions?.code) }).toEqual({ list, c, codes: ['BAD_USER_INPUT'] });
        expect(answer.data?.[list.split('(')[0]!] ?? null).toBeNull();
      }
    }
    // A nested list's cursor too.
    const answer = await post({ query: `query($c: String) { statements(first: 1) { nodes { signatures(after: $c) { totalCount } } } }`, variables: { c: encodeCursor([1e308, ID]) } });
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses the year 0000 (there is none) wherever a date goes', async () => {
    const answer = await post({ query: '{ statements(filter: { dateFrom: "0000" }) { totalCount } }' });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const variable = await post({ query: 'query($d: PartialDate) { statements(filter: { dateTo: $d }) { totalCount } }', variables: { d: '0000-05' } });
    expect(variable.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const bundle = { format: 'jointly-bundle/1', statements: [{ key: 'year-zero', kind: 'OTHER', title: 'Year zero', date: '0000' }] };
    const imported = await post({ query: 'mutation($b: JSON!) { importBundle(bundle: $b) { errors { code path message } } }', variables: { b: bundle } }, admin);
    expect(imported.data.importBundle.errors).toEqual([{ code: 'BAD_USER_INPUT', path: ['bundle', 'statements', '0', 'date'], message: '"0000" is not a calendar date' }]);
  });

  it('asks a mutation for its token before looking at its input (401), and then bounds the input', async () => {
    let deep: unknown = {};
    for (let i = 0; i < MAX_JSON_DEPTH + 5; i++) deep = { a: deep };
    const IMPORT = 'mutation($b: JSON!) { importBundle(bundle: $b) { errors { code } } }';
    const anonymous = await post({ query: IMPORT, variables: { b: deep } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const raw = await fetch(server.url, { method: 'POST', headers: HEADERS, body: JSON.stringify({ query: IMPORT, variables: { b: deep } }) });
    expect(raw.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await post({ query: IMPORT, variables: { b: deep } }, 'not-a-token');
    expect(bad.status).toBe(401);
    await refused(IMPORT, { b: deep }, { argument: 'bundle', limit: 'depth', max: MAX_JSON_DEPTH }, admin);
    // The same for a 1 MB title, which is not even read.
    const huge = await post({ query: 'mutation($input: CreateStatementInput!) { createStatement(input: $input) { errors { code } } }', variables: { input: { key: 'k', title: 't'.repeat(1_000_000), kind: 'OTHER', date: '2020' } } });
    expect(huge.status).toBe(401);
  });

  it('refuses a request body nested deeper than it may be before parsing it', async () => {
    const depth = MAX_BODY_NESTING + 1;
    const body = `{"query":"{ __typename }","variables":{"v":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const before = server.database.sql.total;
    const answer = await post(body);
    expect(server.database.sql.total).toBe(before);
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'depth', max: MAX_BODY_NESTING });
    // Brackets inside strings are text, not nesting.
    const text = await post({ query: 'query($s: String) { statements(filter: { search: $s }) { totalCount } }', variables: { s: '['.repeat(200) } });
    expect(text.status).toBe(200);
  });

  it('names the record and field of bad text in a bundle, and writes nothing', async () => {
    const bundle = {
      format: 'jointly-bundle/1',
      sources: [{ key: 'nul-source', kind: 'PRESS_RELEASE', title: 'Fine', body: `body${'\u0000'}` }],
      statements: [
        { key: 'nul-statement', kind: 'OTHER', title: `a${'\u0000'}b`, date: '2020' },
        { key: 'long-statement', kind: 'OTHER', title: 'x'.repeat(TEXT_LIMITS.title + 1), date: '2020' },
      ],
    };
    const answer = await post({ query: 'mutation($b: JSON!) { importBundle(bundle: $b) { summary { statements { created } } errors { code path message } } }', variables: { b: bundle } }, admin);
    const errors = answer.data.importBundle.errors as { path: string[]; message: string }[];
    expect(errors.map((e) => e.path.join('.'))).toEqual(expect.arrayContaining(['bundle.sources.0.body', 'bundle.statements.0.title', 'bundle.statements.1.title']));
    expect(errors.find((e) => e.path.join('.') === 'bundle.statements.0.title')!.message).toMatch(/NUL character/);
    expect(errors.find((e) => e.path.join('.') === 'bundle.statements.1.title')!.message).toBe(`is ${TEXT_LIMITS.title + 1} characters long; at most ${TEXT_LIMITS.title} are allowed`);
    expect(answer.data.importBundle.summary).toBeNull();
    const written = await server.database.dataSource.query(`SELECT key FROM statement WHERE key IN ('nul-statement', 'long-statement') UNION ALL SELECT key FROM source WHERE key = 'nul-source'`);
    expect(written).toEqual([]);
  });
});
