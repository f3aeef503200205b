import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import {
  getIntrospectionQuery,
  getOperationAST,
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { loadConfig } from '../../config/config';
import { DEFAULT_QUERY, EXAMPLE_TABS } from '../../playground/examples';
import { buildJointlySchema } from '../schema';
import { checkOperation, countTokens, createLimits, hideSuggestions, operationCost, QUERY_TOO_COMPLEX, QueryTooComplexError, REFERENCE_WEIGHT, SEARCH_TERM_WEIGHT, searchTerms, type LimitName } from './index';
import { CONDITION_WEIGHT } from './cost';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');
const OPERATIONS = path.join(ROOT, 'schema', 'operations');
const DEFAULTS = loadConfig({}).limits;

function graphqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? graphqlFiles(path.join(dir, entry.name)) : entry.name.endsWith('.graphql') ? [path.join(dir, entry.name)] : [],
  );
}

/** The SDK's shared fragments, by name. */
function sharedFragments(): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const file of graphqlFiles(path.join(OPERATIONS, 'fragments'))) {
    for (const definition of parse(readFileSync(file, 'utf8')).definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
  }
  return fragments;
}

/** An operation with the fragments it spreads (transitively), as the SDK sends it. */
function withFragments(source: string, fragments: Map<string, FragmentDefinitionNode>): string {
  const needed = new Map<string, FragmentDefinitionNode>();
  const collect = (node: DocumentNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (!fragment || needed.has(name)) return;
        needed.set(name, fragment);
        collect(fragment);
      },
    });
  const document = parse(source);
  collect(document);
  return [source, ...[...needed.values()].map((f) => print(f))].join('\n');
}

/** Every README example, one operation each (a block may hold several, each starting at column 0). */
function readmeExamples(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!
      .split(/\n(?=\{|query\b|mutation\b)/)
      .map((part) => part.replace(/^#.*$/gm, '').trim())
      .filter((part) => /^(\{|query\b|mutation\b)/.test(part)),
  );
}

/**
 * Variables at their largest: every variable given as a page size (`first`/`last`) is 100, every
 * list variable holds 100 items.
 */
function largestVariables(source: string): Record<string, unknown> {
  const document = parse(source);
  const variables: Record<string, unknown> = {};
  const operation = getOperationAST(document);
  for (const definition of operation?.variableDefinitions ?? []) {
    const type = definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type;
    if (type.kind === Kind.LIST_TYPE) variables[definition.variable.name.value] = Array.from({ length: 100 }, (_, i) => `id-${i}`);
  }
  visit(document, {
    Argument(argument) {
      if ((argument.name.value === 'first' || argument.name.value === 'last') && argument.value.kind === Kind.VARIABLE) {
        variables[argument.value.name.value] = 100;
      }
    },
  });
  return variables;
}

function refusalOf(errors: readonly Error[]): QueryTooComplexError | undefined {
  for (const error of errors) {
    if (error instanceof QueryTooComplexError) return error;
    const cause = (error as { originalError?: unknown }).originalError;
    if (cause instanceof QueryTooComplexError) return cause;
  }
  return undefined;
}

/** A selection nested `levels` fields deep under statements.nodes (respondsTo is a Statement). */
function nested(levels: number): string {
  return `${'respondsTo { '.repeat(levels)}id${' }'.repeat(levels)}`;
}

describe('the operation limits', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildJointlySchema();
  });

  describe("the product's own operations pass the default limits (page sizes at 100)", () => {
    const fragments = sharedFragments();
    const sdk = graphqlFiles(OPERATIONS)
      .filter((file) => !file.includes(`${path.sep}fragments${path.sep}`))
      .map((file) => [`schema/operations/${path.relative(OPERATIONS, file)}`, withFragments(readFileSync(file, 'utf8'), fragments)] as const);
    const playground = [...EXAMPLE_TABS.map((tab, i) => [`playground tab ${i}`, tab.query] as const), ['playground new tab', DEFAULT_QUERY] as const];
    const readme = readmeExamples().map((query, i) => [`README example ${i}`, query] as const);

    it('finds them all', () => {
      expect(sdk.length).toBeGreaterThanOrEqual(38);
      expect(playground.length).toBe(EXAMPLE_TABS.length + 1);
      expect(readme.length).toBeGreaterThanOrEqual(8);
    });

    it.each([...sdk, ...playground, ...readme])('%s', (_name, source) => {
      const { measured, errors } = checkOperation(schema, source, DEFAULTS, { variables: largestVariables(source) });
      expect(errors.map((e) => e.message)).toEqual([]);
      expect(measured.tokens).toBeGreaterThan(0);
      expect(measured.tokens).toBeLessThanOrEqual(DEFAULTS.maxTokens);
      expect(measured.depth).toBeGreaterThan(0);
      expect(measured.depth).toBeLessThanOrEqual(DEFAULTS.maxDepth);
      expect(measured.aliases).toBeLessThanOrEqual(DEFAULTS.maxAliases);
      expect(measured.directives).toBeLessThanOrEqual(DEFAULTS.maxDirectives);
      expect(measured.cost).toBeGreaterThan(0);
      expect(measured.cost).toBeLessThanOrEqual(DEFAULTS.maxCost);
    });
  });

  describe('the cost: each field 1, each list times its page size', () => {
    const cost = (source: string, variables?: Record<string, unknown>) => {
      const document = parse(source);
      return operationCost(schema, document, getOperationAST(document)!, variables);
    };

    it('multiplies the lists of a connection by first, or last, and by 20 when neither is given', () => {
      // statements + totalCount + nodes + 10 × (id + title)
      expect(cost('{ statements(first: 10) { totalCount nodes { id title } } }')).toBe(1 + 1 + 1 + 10 * 2);
      expect(cost('{ statements(last: 5) { nodes { id } } }')).toBe(1 + 1 + 5);
      expect(cost('{ statements { nodes { id } } }')).toBe(1 + 1 + 20);
      expect(cost('{ statements(first: null, last: 3) { nodes { id } } }')).toBe(1 + 1 + 3);
      expect(cost('{ statements(first: 0) { nodes { id } } }')).toBe(1 + 1);
    });

    it('multiplies edges (not pageInfo or totalCount) by the page size', () => {
      // statements + [edges + 10 × (cursor + node + id + title)] + [pageInfo + hasNextPage] + totalCount
      expect(cost('{ statements(first: 10) { edges { cursor node { id title } } pageInfo { hasNextPage } totalCount } }')).toBe(1 + (1 + 10 * 4) + 2 + 1);
    });

    it('multiplies nested connections', () => {
      // statements + nodes + 10 × (signatures + nodes + 5 × id)
      expect(cost('{ statements(first: 10) { nodes { signatures(first: 5) { nodes { id } } } } }')).toBe(1 + 1 + 10 * (1 + 1 + 5));
      const three = '{ statements(first: 100) { nodes { signatures(first: 100) { nodes { signatory { signatures(first: 100) { nodes { id } } } } } } } }';
      expect(cost(three)).toBe(1 + 1 + 100 * (1 + 1 + 100 * (1 + 1 + 1 + 100)));
      expect(cost(three)).toBeGreaterThan(DEFAULTS.maxCost);
    });

    it('reads page sizes from variables, their defaults, and falls back to 20', () => {
      const query = 'query ($n: Int) { statements(first: $n) { nodes { id } } }';
      expect(cost(query, { n: 50 })).toBe(1 + 1 + 50);
      expect(cost(query, {})).toBe(1 + 1 + 20);
      expect(cost(query, { n: null })).toBe(1 + 1 + 20);
      expect(cost('query ($n: Int = 7) { statements(first: $n) { nodes { id } } }', {})).toBe(1 + 1 + 7);
      expect(cost('query ($n: Int = 7) { statements(first: $n) { nodes { id } } }', { n: 3 })).toBe(1 + 1 + 3);
    });

    it('expands fragments and inline fragments where they are spread, with the page size of their connection', () => {
      const spread = `
        query { statements(first: 10) { ...Page } }
        fragment Page on StatementConnection { nodes { ...Fields } }
        fragment Fields on Statement { id title }`;
      expect(cost(spread)).toBe(cost('{ statements(first: 10) { nodes { id title } } }'));
      expect(cost('{ statements(first: 10) { ... on StatementConnection { nodes { ... on Statement { id } } } } }')).toBe(1 + 1 + 10);
      const twice = `
        query { a: statements(first: 2) { ...Page } b: statements(first: 30) { ...Page } }
        fragment Page on StatementConnection { nodes { id } }`;
      expect(cost(twice)).toBe(1 + 1 + 2 + (1 + 1 + 30));
    });

    it('sums the branches of an abstract type (an upper bound)', () => {
      expect(cost('{ node(id: "x") { id ... on Statement { title key } ... on Source { title } } }')).toBe(1 + 1 + 2 + 1);
    });

    it('takes plain lists at their bound: nodes(ids:) by its ids, lists of signatories at 200, others at 20', () => {
      expect(cost('{ nodes(ids: ["a", "b", "c"]) { id } }')).toBe(1 + 3);
      expect(cost('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 100 }, String) })).toBe(1 + 100);
      expect(cost('{ statement(key: "k") { evidence { quote } } }')).toBe(1 + 1 + 20);
      expect(cost('{ compareStatements(a: "a", b: "b") { both { name } } }')).toBe(1 + 1 + 200);
      expect(cost('{ signatoryAlignment(statements: ["a"]) { rows { signatures { status } } } }')).toBe(1 + 1 + 200 * (1 + 50));
      // a list of scalars has no subtree to multiply
      expect(cost('{ statement(key: "k") { topics } }')).toBe(2);
    });

    it('takes a facet list at its first, from a literal or a variable, and at 100 (its default and maximum) without one', () => {
      // statementFacets + topics + n × (value + count)
      expect(cost('{ statementFacets { topics { value count } } }')).toBe(1 + 1 + 100 * 2);
      expect(cost('{ statementFacets { topics(first: 5) { value count } forums(first: 1) { value } } }')).toBe(1 + (1 + 5 * 2) + (1 + 1));
      expect(cost('query ($n: Int) { statementFacets { sessions(first: $n) { forum session count } } }', { n: 10 })).toBe(1 + 1 + 10 * 3);
      expect(cost('query ($n: Int = 3) { statementFacets { sessions(first: $n) { session } } }')).toBe(1 + 1 + 3);
      expect(cost('{ statementFacets { topics(first: 0) { value } } }')).toBe(1 + 1);
      // Over the maximum is refused when it runs; the estimate stays at the maximum.
      expect(cost('{ statementFacets { topics(first: 5000) { value } } }')).toBe(1 + 1 + 100);
    });

    it('does not multiply introspection, recognised by the field and never by a name the client chose', () => {
      expect(cost('{ __schema { types { name fields { name } } } }')).toBe(5);
      expect(cost('{ __type(name: "Statement") { fields { name } } }')).toBe(3);
      const hidden = '{ __schema: statements(first: 100) { nodes { signatures(first: 100) { nodes { id } } } } }';
      expect(cost(hidden)).toBe(1 + 1 + 100 * (1 + 1 + 100));
      const fragment = `
        query { ...__schema }
        fragment __schema on Query { statements(first: 100) { nodes { signatures(first: 100) { nodes { id } } } } }`;
      expect(cost(fragment)).toBe(cost(hidden));
    });

    it('is cycle-safe: a fragment cycle (refused by validation anyway) ends', () => {
      const cycle = `
        query { statement(key: "k") { ...A } }
        fragment A on Statement { respondsTo { ...B } }
        fragment B on Statement { respondsTo { ...A } }`;
      expect(cost(cycle)).toBe(3);
    });

    it('costs each fragment once: 40 fragments that each spread the previous twice take no time', () => {
      const fragments = [
        'fragment F0 on Statement { id }',
        ...Array.from({ length: 40 }, (_, k) => `fragment F${k + 1} on Statement { a: respondsTo { ...F${k} } b: respondsTo { ...F${k} } }`),
      ];
      // cost(F0) = 1, cost(Fk) = 2 × (1 + cost(Fk-1)) = 3 × 2^k − 2
      expect(cost(`query { statement(key: "k") { ...F40 } } ${fragments.join('\n')}`)).toBe(1 + 3 * 2 ** 40 - 2);
    });
  });

  describe('the cost of what the database does: references, search terms, conditions', () => {
    const cost = (source: string, variables?: Record<string, unknown>) => {
      const document = parse(source);
      return operationCost(schema, document, getOperationAST(document)!, variables);
    };
    const refs = (n: number) => Array.from({ length: n }, (_, i) => `state-${i}`);
    const orSearch = Array.from({ length: 80 }, (_, i) => `w${i}`).join(' or ');

    it('weighs each signedBy reference, from a literal or a variable, wherever the filter is', () => {
      const plain = cost('{ statements(first: 1) { nodes { id } } }');
      expect(cost('{ statements(first: 1, filter: { signedBy: { all: ["fr", "de"], none: ["us"] } }) { nodes { id } } }')).toBe(plain + 3 * REFERENCE_WEIGHT);
      const query = 'query ($f: StatementFilter) { statements(first: 1, filter: $f) { nodes { id } } }';
      expect(cost(query, { f: { signedBy: { any: refs(190) } } })).toBe(plain + 190 * REFERENCE_WEIGHT);
      expect(cost('query ($any: [String!]) { statements(first: 1, filter: { signedBy: { any: $any } }) { nodes { id } } }', { any: refs(5) })).toBe(
        plain + 5 * REFERENCE_WEIGHT,
      );
      // Nested under a list, the filter runs once per item.
      expect(cost('{ signatories(first: 10) { nodes { signatures(first: 1, filter: { forum: "HRC", topic: "x" }) { totalCount } } } }')).toBe(
        1 + 1 + 10 * (1 + 2 * CONDITION_WEIGHT + 1),
      );
    });

    it('weighs a search by its terms: words, quoted words, excluded words and each "or"', () => {
      expect(searchTerms('access to information')).toBe(3);
      expect(searchTerms('"human rights" -China or Xinjiang')).toBe(5);
      expect(searchTerms('  ')).toBe(0);
      const plain = cost('{ statements(first: 1) { nodes { id } } }');
      expect(cost('{ statements(first: 1, filter: { search: "Xinjiang detention" }) { nodes { id } } }')).toBe(plain + 2 * SEARCH_TERM_WEIGHT);
      // search(query:) ranks over four tables.
      expect(cost('{ search(query: "Xinjiang", first: 1) { nodes { __typename } } }')).toBe(1 + 4 * SEARCH_TERM_WEIGHT + 1 + 1);
    });

    it('refuses 30 aliases of signedBy with 190 references, and of a long OR search', () => {
      const signedBy = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: statements(first: 1, filter: { signedBy: { any: $refs } }) { totalCount }`).join(' ')} }`;
      const check = checkOperation(schema, `query ($refs: [String!]) ${signedBy}`, DEFAULTS, { variables: { refs: refs(190) } });
      expect(refusalOf(check.errors)).toMatchObject({ limit: 'cost', max: DEFAULTS.maxCost, measured: 30 * (2 + 190 * REFERENCE_WEIGHT) });
      expect(orSearch.length).toBeGreaterThan(480);
      const search = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: statements(first: 1, filter: { search: $q }) { totalCount }`).join(' ')} }`;
      expect(refusalOf(checkOperation(schema, `query ($q: String) ${search}`, DEFAULTS, { variables: { q: orSearch } }).errors)?.limit).toBe('cost');
    });
  });

  describe('refusals', () => {
    const refused = (source: string, variables?: Record<string, unknown>): { limit: LimitName; max: number; measured?: number } | undefined => {
      const refusal = refusalOf(checkOperation(schema, source, DEFAULTS, { variables }).errors);
      return refusal && { limit: refusal.limit, max: refusal.max, ...(refusal.measured === undefined ? {} : { measured: refusal.measured }) };
    };

    it('depth: fields nested deeper than maxDepth, also through fragments', () => {
      // statements > nodes > 8 × respondsTo > id = 11
      expect(refused(`{ statements { nodes { ${nested(8)} } } }`)).toEqual({ limit: 'depth', max: 10, measured: 11 });
      expect(refused(`{ statements { nodes { ${nested(7)} } } }`)).toBeUndefined();
      const viaFragments = `
        query { statements { nodes { ...A } } }
        fragment A on Statement { respondsTo { respondsTo { ...B } } }
        fragment B on Statement { respondsTo { respondsTo { respondsTo { respondsTo { respondsTo { respondsTo { id } } } } } } }`;
      expect(refused(viaFragments)).toMatchObject({ limit: 'depth', measured: 11 });
    });

    it('depth: a fragment or an alias named __schema or __type hides nothing', () => {
      const fragment = (name: string) => `
        query { ...${name} }
        fragment ${name} on Query { statements { nodes { ${nested(9)} } } }`;
      expect(refused(fragment('__schema'))).toMatchObject({ limit: 'depth', measured: 12 });
      expect(refused(fragment('__type'))).toMatchObject({ limit: 'depth', measured: 12 });
      expect(refused(`{ __schema: statements { nodes { ${nested(9)} } } }`)).toMatchObject({ limit: 'depth', measured: 12 });
      expect(refused(`{ __type: statements { nodes { ${nested(9)} } } }`)).toMatchObject({ limit: 'depth', measured: 12 });
      expect(refused(`query __schema { statements { nodes { ${nested(9)} } } }`)).toMatchObject({ limit: 'depth', measured: 12 });
    });

    it('cost: nested pages of 100, also from variables and behind a fragment named __schema', () => {
      const three = '{ statements(first: 100) { nodes { signatures(first: 100) { nodes { signatory { signatures(first: 100) { nodes { id } } } } } } } }';
      expect(refused(three)).toEqual({ limit: 'cost', max: DEFAULTS.maxCost, measured: 1 + 1 + 100 * (1 + 1 + 100 * (1 + 1 + 1 + 100)) });
      const variables = 'query ($n: Int) { statements(first: $n) { nodes { signatures(first: $n) { nodes { signatory { signatures(first: $n) { nodes { id } } } } } } } }';
      expect(refused(variables, { n: 100 })).toMatchObject({ limit: 'cost' });
      expect(refused(variables, { n: 10 })).toBeUndefined();
      const hidden = `query { ...__schema } fragment __schema on Query ${three}`;
      expect(refused(hidden)).toMatchObject({ limit: 'cost' });
    });

    it('aliases: more than maxAliases, __typename included, counted in fragments at every spread', () => {
      const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
      expect(refused(aliases(31))).toEqual({ limit: 'aliases', max: 30, measured: 31 });
      expect(refused(aliases(30))).toBeUndefined();
      const spread = `query { statement(key: "k") { ...F ...F ... on Statement { ...F } } } fragment F on Statement { ${Array.from({ length: 11 }, (_, i) => `t${i}: title`).join(' ')} }`;
      expect(refused(spread)).toMatchObject({ limit: 'aliases', measured: 33 });
    });

    it('directives: more than maxDirectives', () => {
      const directives = (n: number) => `{ ${'__typename @include(if: true) '.repeat(n)}}`;
      expect(refused(directives(21))).toEqual({ limit: 'directives', max: 20, measured: 21 });
      expect(refused(directives(20))).toBeUndefined();
    });

    it('tokens: more than maxTokens, counted without comments, and the count stops at the limit', () => {
      const flood = `{ ${'__typename '.repeat(DEFAULTS.maxTokens)}}`;
      expect(refused(flood)).toEqual({ limit: 'tokens', max: DEFAULTS.maxTokens, measured: DEFAULTS.maxTokens + 2 });
      expect(countTokens(flood, DEFAULTS.maxTokens)).toBe(DEFAULTS.maxTokens + 1);
      expect(countTokens(`# ${'a comment '.repeat(1000)}\n{ __typename }`)).toBe(3);
      expect(countTokens('{ unclosed')).toBeNull();
    });

    it('a refusal is a GraphQL error with its code, the limit, the maximum, what was measured and HTTP 400', () => {
      const error = new QueryTooComplexError('cost', 1000, 1234);
      expect(error.extensions).toEqual({ code: QUERY_TOO_COMPLEX, limit: 'cost', max: 1000, measured: 1234, http: { status: 400 } });
      expect(error.message).toMatch(/estimated cost of 1234.*at most 1000/);
      expect(new QueryTooComplexError('tokens', 2000).extensions).toEqual({ code: QUERY_TOO_COMPLEX, limit: 'tokens', max: 2000, http: { status: 400 } });
      expect(new QueryTooComplexError('cost', 10, Infinity).extensions.measured).toBe(Number.MAX_SAFE_INTEGER);
    });
  });

  describe('introspection', () => {
    it.each([
      ['the default introspection query', getIntrospectionQuery()],
      [
        'with every option (codegen, GraphiQL)',
        getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }),
      ],
    ])('%s passes every limit', (_name, query) => {
      const { errors, measured } = checkOperation(schema, query, DEFAULTS);
      expect(errors).toEqual([]);
      expect(measured.tokens).toBeLessThanOrEqual(DEFAULTS.maxTokens);
    });

    it("its cycles are refused by graphql-js's MaxIntrospectionDepthRule", () => {
      const cyclic = '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }';
      expect(checkOperation(schema, cyclic, DEFAULTS).errors.map((e) => e.message)).toEqual([expect.stringMatching(/Maximum introspection depth exceeded/)]);
    });
  });

  describe('field suggestions', () => {
    it.each([
      ['Cannot query field "titel" on type "Statement". Did you mean "title"?', 'Cannot query field "titel" on type "Statement".'],
      ['Unknown argument "frist" on field "Query.statements". Did you mean "first" or "last"?', 'Unknown argument "frist" on field "Query.statements".'],
      ['Unknown type "Statment". Did you mean "Statement", "StatementEdge", or "StatementKind"?', 'Unknown type "Statment".'],
      [
        'Variable "$o" got invalid value "DATE_DES"; Value "DATE_DES" does not exist in "StatementOrderBy" enum. Did you mean the enum value "DATE_DESC"?',
        'Variable "$o" got invalid value "DATE_DES"; Value "DATE_DES" does not exist in "StatementOrderBy" enum.',
      ],
      ['Cannot query field "title" on type "Node". Did you mean to use an inline fragment on "Statement" or "Source"?', 'Cannot query field "title" on type "Node".'],
    ])('are cut from %j', (message, expected) => {
      expect(hideSuggestions(message)).toBe(expected);
    });

    it("leave the archive's own name hints alone", () => {
      const hint = 'filter.signedBy.all[0]: "Liebia" matches no signatory; did you mean Libya, Liberia?';
      expect(hideSuggestions(hint)).toBe(hint);
    });
  });

  describe('in Apollo (no HTTP, no database)', () => {
    async function run(query: string, fieldSuggestions: boolean) {
      const limits = createLimits({ ...DEFAULTS, fieldSuggestions });
      const apollo = new ApolloServer({ schema, plugins: limits.plugins, validationRules: limits.validationRules });
      try {
        const response = await apollo.executeOperation({ query });
        if (response.body.kind !== 'single') throw new Error('expected a single result');
        return { status: response.http.status, errors: response.body.singleResult.errors ?? [] };
      } finally {
        await apollo.stop();
      }
    }

    it('answers a validation-time refusal with QUERY_TOO_COMPLEX and 400, not GRAPHQL_VALIDATION_FAILED', async () => {
      const { status, errors } = await run(`{ statements { nodes { ${nested(9)} } } }`, true);
      expect(status).toBe(400);
      expect(errors).toEqual([expect.objectContaining({ extensions: { code: QUERY_TOO_COMPLEX, limit: 'depth', max: 10, measured: 12 } })]);
    });

    it('answers a cost refusal from didResolveOperation with QUERY_TOO_COMPLEX and 400', async () => {
      const { status, errors } = await run('{ statements(first: 100) { nodes { signatures(first: 100) { nodes { signatory { signatures(first: 100) { nodes { id } } } } } } } }', true);
      expect(status).toBe(400);
      expect(errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: QUERY_TOO_COMPLEX, limit: 'cost' }) })]);
    });

    it('keeps or cuts "Did you mean" as configured', async () => {
      expect((await run('{ statements { nodes { titel } } }', true)).errors[0]?.message).toMatch(/Did you mean "title"/);
      const hidden = await run('{ statements { nodes { titel } } }', false);
      expect(hidden.errors[0]?.message).toBe('Cannot query field "titel" on type "Statement".');
      expect(hidden.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });
});
