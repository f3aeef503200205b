import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  lexicographicSortSchema,
  print,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { operations as sdkDocuments } from '../../../client/src/generated/operations';
import { DEFAULT_QUERY, EXAMPLE_TABS } from '../../src/playground/examples';
import { graphql } from './test-database';

/**
 * Read operations for the tests that send many of them: valid documents built from the schema with
 * a seeded Random (the fuzz test, the golden answers), the SDK's operations, the README's examples
 * and the playground's tabs. Arguments name real records of the archive (see loadPools).
 */

/** One request body (a type, not an interface: it is sent as a plain JSON record). */
export type Operation = {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
};

/**
 * A small seeded PRNG (mulberry32). Each document is built from one seed, so a run is reproducible
 * from it, and building costs next to nothing.
 */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
}

export const NODE_TYPES = ['Statement', 'Signature', 'Signatory', 'Source', 'Person'] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

/** What the generator draws arguments from: records of the archive it runs against. */
export interface Pools {
  /** Global ids, by node type. */
  ids: Record<NodeTypeName, string[]>;
  statementKeys: string[];
  sourceKeys: string[];
  personKeys: string[];
  /** Ways to name a signatory: keys, ISO codes, names, aliases; the frequent signers first. */
  signatoryRefs: string[];
  /** The signatories that sign most (keys), for signedBy. */
  signers: string[];
  /** Groups and organisations (keys), for memberOf. */
  groups: string[];
  leadSignatories: string[];
  /** Keys of statements that others respond to. */
  respondedTo: string[];
  topics: string[];
  forums: string[];
  sessions: string[];
  publishers: string[];
  /** Partial dates (years, months, days) statements and sources have. */
  dates: string[];
  /** Words that occur in titles (for searches). */
  words: string[];
  /** Parts of people's names. */
  personWords: string[];
  /** Parts of signatories' names. */
  signatoryWords: string[];
  /** Cursors the archive returned, by list: `Type.field`, and for Query.statements `Query.statements:ORDER`. */
  cursors: Record<string, string[]>;
}

/** A few global ids and keys of every kind (the fuzz profile's plain choices). */
function allIds(pools: Pools): string[] {
  return NODE_TYPES.flatMap((type) => pools.ids[type].slice(0, 3));
}
function allKeys(pools: Pools): string[] {
  return [...pools.statementKeys.slice(0, 4), ...pools.sourceKeys.slice(0, 3), ...pools.personKeys.slice(0, 3), ...pools.signatoryRefs.slice(0, 3)];
}

const WORDS = ['Xinjiang', 'Hong Kong', 'Türkiye', 'DPRK', 'France', 'access', 'human rights', 'Bachelet', 'CHN', 'FRA', 'hrc41', 'unga75', '😀', 'ß', ''];
const REFS = ['FRA', 'CHN', 'Türkiye', 'the Sudan', 'DPRK', 'GB', 'Swaziland', 'nowhere'];
const PARTIAL_DATES = ['2019', '2019-07', '2020-06-15', '2021-01-01'];
/** Revision.table/before/after must keep their names: the leak check knows the history API by them. */
const NEVER_ALIASED = new Set(['Revision.table', 'Revision.before', 'Revision.after']);

/**
 * `fuzz`: any argument a client could send (unknown keys, empty strings, wrong cursors, both page
 * directions at once now and then); `golden`: arguments naming real records and real cursors, one
 * page direction, small pages, so that answers are rich and mostly without errors.
 */
export type Profile = 'fuzz' | 'golden';

/** Root fields a golden operation asks for, with weights (mutations are never drawn). */
const GOLDEN_ROOTS: Record<string, number> = {
  statements: 6,
  statement: 3,
  node: 4,
  nodes: 2,
  search: 3,
  signatory: 3,
  signatories: 2,
  sources: 2,
  source: 2,
  people: 1,
  person: 1,
  compareStatements: 2,
  signatoryAlignment: 2,
  statementFacets: 1,
};

const sorted = new WeakMap<GraphQLSchema, GraphQLSchema>();

/** The schema in name order: what a seed generates does not depend on the order modules load in. */
function inNameOrder(schema: GraphQLSchema): GraphQLSchema {
  let inOrder = sorted.get(schema);
  if (!inOrder) sorted.set(schema, (inOrder = lexicographicSortSchema(schema)));
  return inOrder;
}

/** Builds one operation from the schema, every choice drawn from a seeded Random. */
export class DocumentBuilder {
  private readonly schema: GraphQLSchema;
  private readonly variableDefinitions: string[] = [];
  readonly variables: Record<string, unknown> = {};
  private readonly fragments: string[] = [];
  private aliasCount = 0;
  /** The type of the record a `node(id:)` of a golden operation asks for, for its inline fragments. */
  private nodeType: string | undefined;
  /** What this operation exercises (`filter:StatementFilter.topic`, `page:before`, `node:Person`, `fragment`…). */
  readonly features = new Set<string>();

  constructor(
    schema: GraphQLSchema,
    private readonly random: Random,
    private readonly pools: Pools,
    private readonly maxDepth: number,
    private readonly profile: Profile = 'fuzz',
  ) {
    this.schema = inNameOrder(schema);
  }

  private int(min: number, max: number): number {
    return this.random.int(min, max);
  }
  private chance(percent: number): boolean {
    return this.int(0, 99) < percent;
  }
  private pick<T>(items: readonly T[]): T {
    return this.random.pick(items);
  }
  /** From a list of choices, preferring its first ones (the most frequent values). */
  private pickFront<T>(items: readonly T[]): T {
    return items[Math.floor(items.length * this.random.next() * this.random.next())]!;
  }
  private subset<T>(items: readonly T[], min: number, max: number): T[] {
    const pool = [...items];
    const count = Math.min(pool.length, this.int(min, max));
    const chosen: T[] = [];
    for (let i = 0; i < count; i++) chosen.push(pool.splice(this.int(0, pool.length - 1), 1)[0]!);
    return chosen;
  }

  /** A value of an input type, as JSON (for variables); `argName` steers it towards useful values. */
  value(type: GraphQLInputType, argName: string, nonNull = false): unknown {
    if (isNonNullType(type)) return this.value(type.ofType, argName, true);
    if (isListType(type)) {
      const length = this.int(0, 3);
      return Array.from({ length }, () => this.value(type.ofType as GraphQLInputType, argName));
    }
    if (isEnumType(type)) return this.pick(type.getValues()).name;
    if (isInputObjectType(type)) {
      if (this.profile === 'golden') return this.goldenInput(type);
      const out: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        const required = isNonNullType(field.type) && field.defaultValue === undefined;
        if (required || this.chance(30)) out[field.name] = this.value(field.type, field.name);
      }
      return out;
    }
    switch (isScalarType(type) ? type.name : '') {
      case 'Int':
        return /^(first|last)$/.test(argName) ? this.int(0, 4) : this.int(-2, 60);
      case 'Float':
        return this.pick([0, 0.5, 1, -1.25, 3.14]);
      case 'Boolean':
        return this.chance(50);
      case 'ID':
        return this.pick([...allIds(this.pools), ...allKeys(this.pools), 'garbage', '']);
      case 'PartialDate':
        return this.pick(PARTIAL_DATES);
      case 'DateTime':
        return this.pick(['2020-01-01T00:00:00Z', '2024-06-30T12:34:56.789Z']);
      case 'JSON':
        return this.pick([{ a: 1 }, [1, 'two'], 'text', 3, ...(nonNull ? [] : [null])]);
      case 'JSONObject':
        return this.pick([{}, { note: 'x', n: 2 }]);
      default:
        if (/^(ref|signatory|leadSignatory|members?)$/i.test(argName)) return this.pick(REFS);
        if (/key|source|statement|respondsTo|deliveredBy|person/i.test(argName)) return this.pick([...allKeys(this.pools), 'unknown-key']);
        if (/^(after|before)$/.test(argName)) return this.pick(['', 'YXJyYXljb25uZWN0aW9uOjA=', 'not a cursor']);
        if (/date|from|to|On$/i.test(argName)) return this.pick(PARTIAL_DATES);
        return this.pick(WORDS);
    }
  }

  /** A filter of real values: one to three of its fields, each drawn from the archive. */
  private goldenInput(type: GraphQLInputObjectType): Record<string, unknown> {
    const fields = Object.values(type.getFields());
    const out: Record<string, unknown> = {};
    if (type.name === 'SignedByFilter') {
      for (const name of this.subset(['all', 'any', 'none'], 1, 2)) {
        out[name] = Array.from({ length: this.int(1, name === 'all' ? 2 : 3) }, () => this.pickFront(this.pools.signers));
        this.features.add(`filter:SignedByFilter.${name}`);
      }
      return out;
    }
    for (const field of this.subset(fields, 1, 2)) {
      const value = this.goldenScalar(`${type.name}.${field.name}`, field.name, field.type);
      if (value === undefined) continue;
      out[field.name] = value;
      this.features.add(`filter:${type.name}.${field.name}`);
    }
    return out;
  }

  /** A real value for an argument or filter field, or undefined when the archive has none. */
  private goldenScalar(coordinate: string, name: string, type: GraphQLInputType): unknown {
    const named = getNamedType(type);
    if (isInputObjectType(named)) return this.goldenInput(named);
    if (isEnumType(named)) {
      const value = this.pick(named.getValues()).name;
      return isListType(isNonNullType(type) ? type.ofType : type) ? [value] : value;
    }
    const from = (items: readonly string[]) => (items.length ? this.pickFront(items) : undefined);
    switch (name) {
      case 'dateFrom':
      case 'dateTo':
      case 'publishedFrom':
      case 'publishedTo':
        return from(this.pools.dates);
      case 'forum':
        return from(this.pools.forums);
      case 'session':
        return from(this.pools.sessions);
      case 'topic':
        return from(this.pools.topics);
      case 'leadSignatory':
        return from(this.pools.leadSignatories);
      case 'respondsTo':
        return from(this.pools.respondedTo);
      case 'publisher':
        return from(this.pools.publishers);
      case 'memberOf':
        // An archive without groups (the benchmark's): a state, which has no members.
        return from(this.pools.groups.length ? this.pools.groups : this.pools.signers);
      case 'search':
        return coordinate.startsWith('PersonFilter') ? from(this.pools.personWords) : coordinate.startsWith('SignatoryFilter') ? from(this.pools.signatoryWords) : from(this.pools.words);
      default:
        return this.value(type, name);
    }
  }

  /** The same value as a GraphQL literal. */
  literal(type: GraphQLInputType, value: unknown): string {
    if (value === null) return 'null';
    if (isNonNullType(type)) return this.literal(type.ofType, value);
    if (isListType(type)) return `[${(value as unknown[]).map((item) => this.literal(type.ofType as GraphQLInputType, item)).join(', ')}]`;
    if (isEnumType(type)) return String(value);
    if (isInputObjectType(type)) {
      const fields = type.getFields();
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([name, inner]) => `${name}: ${this.literal(fields[name]!.type, inner)}`)
        .join(', ')}}`;
    }
    if (typeof value === 'object') {
      // JSON scalars: an object or list literal.
      if (Array.isArray(value)) return `[${value.map((item) => this.literal(type, item)).join(', ')}]`;
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([name, inner]) => `${name}: ${this.literal(type, inner)}`)
        .join(', ')}}`;
    }
    return JSON.stringify(value);
  }

  /** An argument, as a literal or (40 %) a variable. */
  private argumentText(arg: GraphQLArgument, value: unknown): string {
    if (this.chance(40)) {
      const name = `v${this.variableDefinitions.length}`;
      this.variableDefinitions.push(`$${name}: ${String(arg.type)}`);
      this.variables[name] = value;
      this.features.add('variable');
      return `${arg.name}: $${name}`;
    }
    return `${arg.name}: ${this.literal(arg.type, value)}`;
  }

  private fuzzArguments(field: GraphQLField<unknown, unknown>): string[] {
    let args = field.args.filter((arg) => (isNonNullType(arg.type) && arg.defaultValue === undefined) || this.chance(40));
    // Mostly one direction of paging (both is a BAD_USER_INPUT, worth trying now and then, not half the time).
    if (args.some((arg) => arg.name === 'first') && this.chance(85)) args = args.filter((arg) => arg.name !== 'last' && arg.name !== 'before');
    return args.map((arg) => this.argumentText(arg, this.value(arg.type, arg.name)));
  }

  /** Arguments naming real records: a page in one direction (a real cursor half the time), real filters and ids. */
  private goldenArguments(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, depth: number): string[] {
    const coordinate = `${parent.name}.${field.name}`;
    const args = new Map(field.args.map((arg) => [arg.name, arg]));
    const chosen: [GraphQLArgument, unknown][] = [];
    const give = (name: string, value: unknown) => {
      if (value !== undefined) chosen.push([args.get(name)!, value]);
    };
    const ids = (type: NodeTypeName) => this.pools.ids[type];
    let nodeType: NodeTypeName | undefined;
    const anyNode = (): string => {
      const type = this.pick(NODE_TYPES);
      nodeType = type;
      this.features.add(`node:${type}`);
      return this.pick(ids(type));
    };
    const statementRef = () => (this.chance(70) ? this.pick(this.pools.statementKeys) : this.pick(ids('Statement')));

    let orderBy: string | undefined;
    if (args.has('orderBy') && this.chance(75)) {
      orderBy = this.pick(getEnumValues(args.get('orderBy')!.type));
      this.features.add(`orderBy:${orderBy}`);
      give('orderBy', orderBy);
    }
    if (args.has('filter') && (this.chance(50) || orderBy === 'RELEVANCE')) {
      const filter = this.goldenInput(getNamedType(args.get('filter')!.type) as GraphQLInputObjectType);
      if (orderBy === 'RELEVANCE' && !('search' in filter)) filter.search = this.pickFront(this.pools.words);
      give('filter', filter);
    }
    if (args.has('first') || args.has('last')) {
      const list = coordinate === 'Query.statements' ? `${coordinate}:${orderBy ?? 'DATE_DESC'}` : coordinate;
      const cursors = this.pools.cursors[list] ?? [];
      const size = depth <= 1 ? this.int(1, 8) : this.chance(5) ? 0 : this.int(1, 4);
      if (args.has('last') && this.chance(30)) {
        give('last', size);
        this.features.add('page:last');
        if (cursors.length && this.chance(55)) {
          give('before', this.pick(cursors));
          this.features.add('page:before');
        }
      } else if (depth > 1 || this.chance(92)) {
        give('first', size);
        this.features.add('page:first');
        if (cursors.length && this.chance(50)) {
          give('after', this.pick(cursors));
          this.features.add('page:after');
        }
      } else this.features.add('page:default');
    }
    switch (coordinate) {
      case 'Query.node':
        give('id', anyNode());
        this.nodeType = nodeType;
        break;
      case 'Query.nodes':
        give('ids', Array.from({ length: this.int(1, 5) }, anyNode));
        break;
      case 'Query.statement':
      case 'Query.source':
      case 'Query.person': {
        const type = field.name === 'statement' ? 'Statement' : field.name === 'source' ? 'Source' : 'Person';
        const keys = type === 'Statement' ? this.pools.statementKeys : type === 'Source' ? this.pools.sourceKeys : this.pools.personKeys;
        if (this.chance(60)) give('key', this.pick(keys));
        else give('id', this.pick(ids(type)));
        break;
      }
      case 'Query.signatory':
        give('ref', this.pickFront(this.pools.signatoryRefs));
        break;
      case 'Query.search':
        give('query', this.pickFront(this.pools.words));
        if (this.chance(30)) give('types', this.subset(getEnumValues(args.get('types')!.type), 1, 3));
        break;
      case 'Query.compareStatements':
        give('a', statementRef());
        give('b', statementRef());
        break;
      case 'Query.signatoryAlignment':
        give('statements', Array.from({ length: this.int(2, 4) }, statementRef));
        break;
    }
    // An editor's option without a token: an UNAUTHENTICATED error, now and then.
    if (args.has('includeDeleted') && this.chance(4)) {
      give('includeDeleted', true);
      this.features.add('includeDeleted');
    }
    return chosen.map(([arg, value]) => this.argumentText(arg, value));
  }

  /** `@include`/`@skip` on a field now and then (golden), with a literal or a variable. */
  private directive(): string {
    if (this.profile !== 'golden' || !this.chance(8)) return '';
    const name = this.chance(50) ? 'include' : 'skip';
    const value = this.chance(50);
    this.features.add(`@${name}`);
    if (this.chance(50)) {
      const variable = `d${this.variableDefinitions.length}`;
      this.variableDefinitions.push(`$${variable}: Boolean!`);
      this.variables[variable] = value;
      return ` @${name}(if: $${variable})`;
    }
    return ` @${name}(if: ${value})`;
  }

  private field(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, depth: number, mustAlias: boolean): string {
    const args = this.profile === 'golden' ? this.goldenArguments(parent, field, depth) : this.fuzzArguments(field);
    const argText = args.length ? `(${args.join(', ')})` : '';
    this.features.add(`field:${parent.name}.${field.name}`);
    const aliasable = !NEVER_ALIASED.has(`${parent.name}.${field.name}`);
    const alias = aliasable && (mustAlias || this.chance(15)) ? `a${this.aliasCount++}: ` : '';
    if (alias) this.features.add('alias');
    const directive = depth > 1 ? this.directive() : '';
    const named = getNamedType(field.type);
    if (isLeafType(named)) return `${alias}${field.name}${argText}${directive}`;
    return `${alias}${field.name}${argText}${directive} ${this.selection(named as GraphQLCompositeType, depth + 1)}`;
  }

  /** A selection set on a composite type; fragments' direct fields get unique aliases so they never conflict. */
  selection(type: GraphQLCompositeType, depth: number, insideFragment = false): string {
    const parts: string[] = [];
    const golden = this.profile === 'golden';
    // Fields inside fragments are aliased; an operation may have 30 aliases: golden ones stop adding fragments well before.
    const fragmentsAllowed = !golden || this.aliasCount < 12;
    if (isAbstractType(type)) {
      parts.push('__typename');
      if (golden && type.name === 'Node') parts.push(insideFragment ? `a${this.aliasCount++}: id` : 'id');
      let possibleTypes = this.subset(this.schema.getPossibleTypes(type), golden ? 1 : 0, golden ? (fragmentsAllowed ? 2 : 1) : 2);
      const hinted = golden && this.nodeType ? this.schema.getPossibleTypes(type).find((t) => t.name === this.nodeType) : undefined;
      this.nodeType = undefined;
      if (hinted && !possibleTypes.includes(hinted)) possibleTypes = [hinted, ...possibleTypes.slice(0, fragmentsAllowed ? 1 : 0)];
      for (const possible of possibleTypes) {
        parts.push(`... on ${possible.name} ${this.selection(possible, depth, true)}`);
        this.features.add('inline fragment');
      }
      return `{ ${parts.join(' ')} }`;
    }
    const fields = Object.values(type.getFields());
    const atLimit = depth >= this.maxDepth;
    const candidates = atLimit ? fields.filter((f) => isLeafType(getNamedType(f.type))) : fields;
    const chosen = this.subset(candidates, golden ? 2 : 1, golden ? 5 : 4);
    // Golden answers are worth more with a list or a record below: most selections get one.
    const composite = candidates.filter((f) => !isLeafType(getNamedType(f.type)) && !chosen.includes(f));
    if (golden && composite.length && chosen.every((f) => isLeafType(getNamedType(f.type))) && (depth <= 2 || this.chance(80))) chosen.push(this.pick(composite));
    for (const field of chosen) parts.push(this.field(type, field, depth, insideFragment));
    if (this.chance(15)) parts.push('__typename');
    if (!atLimit && fragmentsAllowed && type.name !== 'Revision' && this.chance(10)) {
      const name = `f${this.fragments.length}`;
      this.fragments.push(name); // reserve the name before the body (nested fragments)
      const body = this.selection(type, depth, true);
      this.fragments[this.fragments.indexOf(name)] = `fragment ${name} on ${type.name} ${body}`;
      parts.push(`...${name}`);
      this.features.add('named fragment');
    }
    if (golden && !atLimit && fragmentsAllowed && type.name !== 'Revision' && this.chance(6)) {
      parts.push(`... on ${type.name} ${this.selection(type, depth, true)}`);
      this.features.add('inline fragment');
    }
    if (!parts.length) parts.push('__typename');
    return `{ ${parts.join(' ')} }`;
  }

  operation(kind: 'query' | 'mutation', operationName?: string): Operation & { operationName: string } {
    const root = kind === 'query' ? this.schema.getQueryType()! : this.schema.getMutationType()!;
    let fields = this.subset(Object.values(root.getFields()), 1, kind === 'query' ? 3 : 1);
    if (this.profile === 'golden') {
      const weighted = Object.entries(GOLDEN_ROOTS).flatMap(([field, weight]) => Array<string>(weight).fill(field));
      const names = new Set(Array.from({ length: this.int(1, 2) }, () => this.pick(weighted)));
      fields = [...names].map((n) => root.getFields()[n]!);
    }
    for (const field of fields) this.features.add(`root:${field.name}`);
    const selections = fields.map((field) => this.field(root, field, 1, false));
    const name = operationName ?? `Fuzz${this.int(0, 999)}`;
    const defs = this.variableDefinitions.length ? `(${this.variableDefinitions.join(', ')})` : '';
    const query = `${kind} ${name}${defs} { ${selections.join(' ')} }${this.fragments.map((f) => `\n${f}`).join('')}`;
    return { query, variables: this.variables, operationName: name };
  }
}

function getEnumValues(type: GraphQLInputType): string[] {
  const named = getNamedType(type);
  if (!isEnumType(named)) throw new Error(`${String(type)} is not an enum`);
  return named.getValues().map((v) => v.name);
}

/** `count` golden operations from one seed: valid read operations over the pools' records. */
export function generatedOperations(schema: GraphQLSchema, pools: Pools, seed: number, count: number): { name: string; operation: Operation; features: Set<string> }[] {
  const random = new Random(seed);
  return Array.from({ length: count }, (_, i) => {
    const builder = new DocumentBuilder(schema, new Random(random.int(0, 2 ** 31)), pools, random.int(0, 9) < 2 ? 5 : random.int(3, 4), 'golden');
    const name = `Generated${String(i).padStart(4, '0')}`;
    return { name, operation: builder.operation('query', name), features: builder.features };
  });
}

/** Every GraphQL example of the README, one operation each (a block may hold several, each starting at column 0). */
export function readmeExamples(): string[] {
  const readme = readFileSync(resolve(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((block) =>
    block
      .split(/\n(?=\{)/)
      .map((part) => part.replace(/^#.*$/gm, '').trim())
      .filter((part) => part.startsWith('{')),
  );
}

/** The playground's tabs and its default query. */
export function playgroundExamples(): string[] {
  return [...EXAMPLE_TABS.map((tab) => tab.query), DEFAULT_QUERY];
}

/** The SDK's read operations (schema/operations/queries), by client method, with variables naming real records. */
export function sdkOperations(pools: Pools): { name: string; operation: Operation }[] {
  const [a, b, c] = pools.statementKeys;
  const statementsOf = pools.signers[0]!;
  const variables: Record<string, Record<string, unknown>[]> = {
    // None: the feed's cursors hold transaction ids, which differ from database to database (changes.e2e-spec covers it).
    changes: [],
    compareStatements: [{ a, b }, { a: pools.ids.Statement[1], b: c }],
    node: NODE_TYPES.map((type) => ({ id: pools.ids[type][0] })),
    nodes: [{ ids: NODE_TYPES.map((type) => pools.ids[type][1] ?? pools.ids[type][0]) }],
    people: [{ first: 3 }, { first: 2, after: pools.cursors['Query.people']?.[0] }, { filter: { search: pools.personWords[0] } }],
    person: [{ key: pools.personKeys[0] }, { id: pools.ids.Person[1] }],
    personStatements: [{ key: pools.personKeys[0], first: 3 }],
    revisions: NODE_TYPES.map((type) => ({ id: pools.ids[type][0], first: 3 })),
    search: [{ query: pools.words[0], first: 5 }, { query: pools.words[1], types: ['STATEMENT', 'SOURCE'], first: 3, after: pools.cursors['Query.search']?.[0] }],
    signatories: [{ first: 5 }, { first: 3, filter: { kind: 'GROUP' } }, { first: 5, filter: { search: pools.signatoryWords[0] } }],
    signatory: [{ ref: statementsOf }, { ref: pools.signatoryRefs[3] }],
    signatoryAlignment: [{ statements: [a, b, c] }],
    signatorySignatures: [{ ref: statementsOf, first: 5 }, { ref: statementsOf, first: 3, filter: { topic: pools.topics[0] } }],
    source: [{ key: pools.sourceKeys[0] }, { id: pools.ids.Source[1] }],
    sources: [{ first: 3 }, { first: 3, filter: { publisher: pools.publishers[0] } }],
    sourceStatements: [{ key: pools.sourceKeys[0], first: 3 }],
    statement: [{ key: a }, { key: b, signatures: 5 }, { id: pools.ids.Statement[2] }],
    statementFacets: [{}, { filter: { topic: pools.topics[0] }, first: 3 }],
    statementSignatures: [{ key: a, first: 5 }, { key: b, first: 2, after: pools.cursors['Statement.signatures']?.[0] }],
    statements: [
      { first: 5, signatures: 3 },
      { first: 3, orderBy: 'TITLE_ASC', filter: { topic: pools.topics[0] } },
      { first: 4, filter: { signedBy: { all: pools.signers.slice(0, 2) } }, orderBy: 'SIGNATURE_COUNT_DESC', signatures: 2 },
    ],
  };
  const out: { name: string; operation: Operation }[] = [];
  for (const [method, document] of Object.entries(sdkDocuments)) {
    const query = print(document);
    if (!query.trimStart().startsWith('query')) continue; // the golden answers are of reads
    const sets = variables[method];
    if (!sets) throw new Error(`no variables for the SDK operation ${method}: add them to sdkOperations`);
    sets.forEach((set, i) => out.push({ name: `sdk.${method}.${i}`, operation: { query, variables: JSON.parse(JSON.stringify(set)) as Record<string, unknown> } }));
  }
  return out;
}

interface Connection<N> {
  edges: { cursor: string }[];
  nodes: N[];
}

/** Counts of values, most frequent first. */
function byFrequency(values: (string | null | undefined)[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([v]) => v);
}

/** Reads the pools from the archive behind `url` (over HTTP, as a client would). */
export async function loadPools(url: string): Promise<Pools> {
  const ask = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const { data, errors } = await graphql<T>(url, query, variables);
    if (errors?.length || !data) throw new Error(`loading the pools: ${JSON.stringify(errors)}\n${query}`);
    return data;
  };
  type St = { id: string; key: string; title: string; date: string; forum: string | null; session: string | null; topics: string[]; leadSignatory: { key: string } | null; respondsTo: { key: string } | null; signatures: Connection<{ id: string; signatory: { key: string } }>; revisions: { edges: { cursor: string }[] } };
  const { statements } = await ask<{ statements: Connection<St> }>(
    `{ statements(first: 100) { edges { cursor } nodes { id key title date forum session topics leadSignatory { key } respondsTo { key }
        signatures(first: 30) { edges { cursor } nodes { id signatory { key } } } revisions(first: 5) { edges { cursor } } } } }`,
  );
  const cursors: Record<string, string[]> = {};
  const add = (list: string, edges: { cursor: string }[]) => (cursors[list] ??= []).push(...edges.map((e) => e.cursor));
  add('Query.statements:DATE_DESC', statements.edges);
  for (const s of statements.nodes) {
    add('Statement.signatures', s.signatures.edges.slice(0, 6));
    add('Statement.revisions', s.revisions.edges.slice(0, 2));
  }
  const titleWords = byFrequency(statements.nodes.flatMap((s) => s.title.split(/[^\p{L}]+/u).filter((w) => w.length >= 5)));
  const words = [...titleWords.slice(0, 25), 'access', 'Xinjiang', '"human rights"', 'rights -china'];
  for (const order of ['DATE_ASC', 'SIGNATURE_COUNT_ASC', 'SIGNATURE_COUNT_DESC', 'TITLE_ASC', 'TITLE_DESC']) {
    const page = await ask<{ statements: { edges: { cursor: string }[] } }>(`query($o: StatementOrderBy!) { statements(first: 40, orderBy: $o) { edges { cursor } } }`, { o: order });
    add(`Query.statements:${order}`, page.statements.edges);
  }
  for (const word of words.slice(0, 4)) {
    const page = await ask<{ statements: { edges: { cursor: string }[] }; search: { edges: { cursor: string }[] } }>(
      `query($w: String!) { statements(first: 20, orderBy: RELEVANCE, filter: { search: $w }) { edges { cursor } } search(query: $w, first: 20) { edges { cursor } } }`,
      { w: word },
    );
    add('Query.statements:RELEVANCE', page.statements.edges);
    add('Query.search', page.search.edges);
  }

  type Sy = { id: string; key: string; name: string; iso2: string | null; iso3: string | null; kind: string; aliases: { name: string }[]; signatures: Connection<never>; revisions: { edges: { cursor: string }[] } };
  const signers = byFrequency(statements.nodes.flatMap((s) => s.signatures.nodes.map((g) => g.signatory.key)));
  const { signatories } = await ask<{ signatories: Connection<Sy> }>(
    `{ signatories(first: 100) { edges { cursor } nodes { id key name iso2 iso3 kind aliases { name } signatures(first: 10) { edges { cursor } } revisions(first: 3) { edges { cursor } } } } }`,
  );
  add('Query.signatories', signatories.edges);
  for (const s of signatories.nodes) {
    add('Signatory.signatures', s.signatures.edges.slice(0, 4));
    add('Signatory.revisions', s.revisions.edges.slice(0, 2));
  }
  const groups = await ask<{ g: { nodes: { key: string }[] }; o: { nodes: { key: string }[] } }>(
    `{ g: signatories(first: 20, filter: { kind: GROUP }) { nodes { key } } o: signatories(first: 20, filter: { kind: ORGANIZATION }) { nodes { key } } }`,
  );
  const signerDetails = (
    await Promise.all(
      signers.slice(0, 12).map((key) => ask<{ signatory: { key: string; name: string; iso2: string | null; iso3: string | null; aliases: { name: string }[] } | null }>(`query($r: String!) { signatory(ref: $r) { key name iso2 iso3 aliases { name } } }`, { r: key })),
    )
  ).flatMap((r) => (r.signatory ? [r.signatory] : []));
  const refsOf = (s: { key: string; name: string; iso2: string | null; iso3: string | null; aliases: { name: string }[] }) => [s.key, s.iso3, s.name, s.iso2, s.aliases[0]?.name].filter((r): r is string => !!r);
  const signatoryRefs = [...new Set([...signerDetails.flatMap(refsOf), ...signatories.nodes.slice(0, 40).flatMap(refsOf)])];

  type So = { id: string; key: string; publisher: string | null; publishedOn: string | null; statements: Connection<never>; revisions: { edges: { cursor: string }[] } };
  const { sources } = await ask<{ sources: Connection<So> }>(
    `{ sources(first: 100) { edges { cursor } nodes { id key publisher publishedOn statements(first: 10) { edges { cursor } } revisions(first: 3) { edges { cursor } } } } }`,
  );
  add('Query.sources', sources.edges);
  for (const s of sources.nodes) {
    add('Source.statements', s.statements.edges.slice(0, 4));
    add('Source.revisions', s.revisions.edges.slice(0, 2));
  }
  type Pe = { id: string; key: string; name: string; statements: Connection<never>; revisions: { edges: { cursor: string }[] } };
  const { people } = await ask<{ people: Connection<Pe> }>(
    `{ people(first: 100) { edges { cursor } nodes { id key name statements(first: 10) { edges { cursor } } revisions(first: 3) { edges { cursor } } } } }`,
  );
  add('Query.people', people.edges);
  for (const p of people.nodes) {
    add('Person.statements', p.statements.edges.slice(0, 4));
    add('Person.revisions', p.revisions.edges.slice(0, 2));
  }
  const signatureIds = statements.nodes.flatMap((s) => s.signatures.nodes.map((g) => g.id));
  const { signatureRevisions } = await ask<{ signatureRevisions: ({ revisions?: { edges: { cursor: string }[] } } | null)[] }>(
    `query($ids: [ID!]!) { signatureRevisions: nodes(ids: $ids) { ... on Signature { revisions(first: 3) { edges { cursor } } } } }`,
    { ids: signatureIds.slice(0, 30) },
  );
  for (const r of signatureRevisions) add('Signature.revisions', r?.revisions?.edges ?? []);

  const facets = await ask<{ statementFacets: { topics: { value: string }[]; forums: { value: string }[]; sessions: { session: string }[] } }>(
    `{ statementFacets { topics(first: 30) { value } forums(first: 10) { value } sessions(first: 20) { session } } }`,
  );
  const spread = <T>(items: T[], n: number) => items.filter((_, i) => i % Math.max(1, Math.floor(items.length / n)) === 0).slice(0, n);
  const dates = [...new Set(statements.nodes.flatMap((s) => [s.date.slice(0, 4), s.date.slice(0, 7), s.date]))];
  const nameParts = (names: string[]) => [...new Set(names.flatMap((n) => n.split(/\s+/).filter((w) => w.length >= 4)).flatMap((w) => [w, w.slice(0, 4)]))];

  return {
    ids: {
      Statement: spread(statements.nodes, 30).map((s) => s.id),
      Signature: spread(signatureIds, 30),
      Signatory: [...spread(signatories.nodes, 20).map((s) => s.id)],
      Source: spread(sources.nodes, 20).map((s) => s.id),
      Person: spread(people.nodes, 20).map((p) => p.id),
    },
    statementKeys: spread(statements.nodes, 40).map((s) => s.key),
    sourceKeys: spread(sources.nodes, 20).map((s) => s.key),
    personKeys: spread(people.nodes, 20).map((p) => p.key),
    signatoryRefs,
    signers: signers.slice(0, 30),
    groups: [...groups.g.nodes, ...groups.o.nodes].map((g) => g.key),
    leadSignatories: byFrequency(statements.nodes.map((s) => s.leadSignatory?.key)),
    respondedTo: byFrequency(statements.nodes.map((s) => s.respondsTo?.key)),
    topics: facets.statementFacets.topics.map((t) => t.value),
    forums: facets.statementFacets.forums.map((f) => f.value),
    sessions: facets.statementFacets.sessions.map((s) => s.session),
    publishers: byFrequency(sources.nodes.map((s) => s.publisher)),
    dates: spread(dates.sort(), 40),
    words,
    personWords: nameParts(people.nodes.map((p) => p.name)).slice(0, 30),
    signatoryWords: nameParts(signatories.nodes.map((s) => s.name)).slice(0, 30),
    cursors,
  };
}
