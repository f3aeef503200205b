import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isInputObjectType,
  isIntrospectionType,
  isListType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination';
import { MAX_ALIGNED_STATEMENTS } from '../../modules/statement/comparison.service';
import { MAX_FACET_VALUES } from '../../modules/statement/statement-facets.service';

/**
 * How many items a list without a page-size argument is assumed to hold: a fixed bound, or what an
 * argument says (a list argument: its length; a number: that many), at most `max`, and `max` when absent.
 */
export type ListSize = number | { readonly argument: string; readonly max: number };

export interface CostOptions {
  /** Items of a connection when neither `first` nor `last` is given (the server's default page). */
  readonly defaultPageSize: number;
  /** Items of a list that has no page-size argument and no entry in `listSizes`. */
  readonly defaultListSize: number;
  /** Per field (`Type.field`): a fixed bound, or "as many items as the list argument holds". */
  readonly listSizes: Readonly<Record<string, ListSize>>;
  /**
   * What the database does for an argument, added to its field's cost (and multiplied with it by
   * the lists around it). Keyed `Type.field(argument)` for a field's argument and `Input.field` for
   * a field of an input object (walked wherever the argument's value holds it).
   */
  readonly argumentWeights: Readonly<Record<string, ArgumentWeight>>;
}

/**
 * A fixed weight when the argument is given, or a weight per item of a list (`per: 'item'`), or per
 * term of a full-text search (`per: 'term'`: each word, and each `or`, of web-search syntax).
 */
export type ArgumentWeight = number | { readonly per: 'item' | 'term'; readonly weight: number };

/**
 * A signatory reference resolved and matched against the signatures (signedBy, leadSignatory,
 * memberOf, respondsTo, signatory(ref)): an index probe and a semi-join over the signatures.
 */
export const REFERENCE_WEIGHT = 1000;
/** A term of a full-text search: a GIN lookup, and every matching row ranked. */
export const SEARCH_TERM_WEIGHT = 1000;
/** search(query:) ranks over four tables (statements, sources, people, signatories). */
const SEARCH_TABLES = 4;
/** A plain indexed condition (a date range, a kind, a topic, a forum, a session). */
export const CONDITION_WEIGHT = 10;

/** Every state, roughly: the most signatories a statement, a comparison or a group can list. */
const SIGNATORY_LIST_SIZE = 200;

/**
 * The multipliers of this schema. Connections take their page size (`first`/`last`); the plain
 * lists take what the server bounds them by (node(ids:) ≤ 100, signatoryAlignment ≤ 50
 * statements, a facet list its `first`, ≤ 100), lists of signatories about every state, a signature's evidence 5, and anything else (a statement's evidence,
 * replies, count claims, a person's roles…) the default page size.
 */
export const DEFAULT_COST_OPTIONS: CostOptions = Object.freeze({
  defaultPageSize: DEFAULT_PAGE_SIZE,
  defaultListSize: DEFAULT_PAGE_SIZE,
  listSizes: Object.freeze({
    'Query.nodes': { argument: 'ids', max: 100 },
    'SignatoryAlignment.statements': MAX_ALIGNED_STATEMENTS,
    'SignatoryAlignmentRow.signatures': MAX_ALIGNED_STATEMENTS,
    'SignatoryAlignment.rows': SIGNATORY_LIST_SIZE,
    'StatementComparison.both': SIGNATORY_LIST_SIZE,
    'StatementComparison.onlyA': SIGNATORY_LIST_SIZE,
    'StatementComparison.onlyB': SIGNATORY_LIST_SIZE,
    'Signatory.members': SIGNATORY_LIST_SIZE,
    // The sources behind one signature: one or two in practice (a list, a press release).
    'Signature.evidence': 5,
    'StatementFacets.topics': { argument: 'first', max: MAX_FACET_VALUES },
    'StatementFacets.forums': { argument: 'first', max: MAX_FACET_VALUES },
    'StatementFacets.sessions': { argument: 'first', max: MAX_FACET_VALUES },
  }),
  argumentWeights: Object.freeze<Record<string, ArgumentWeight>>({
    'Query.search(query)': { per: 'term', weight: SEARCH_TERM_WEIGHT * SEARCH_TABLES },
    'Query.signatory(ref)': REFERENCE_WEIGHT,
    'SignedByFilter.all': { per: 'item', weight: REFERENCE_WEIGHT },
    'SignedByFilter.any': { per: 'item', weight: REFERENCE_WEIGHT },
    'SignedByFilter.none': { per: 'item', weight: REFERENCE_WEIGHT },
    'StatementFilter.leadSignatory': REFERENCE_WEIGHT,
    'StatementFilter.respondsTo': REFERENCE_WEIGHT,
    'StatementFilter.search': { per: 'term', weight: SEARCH_TERM_WEIGHT },
    'StatementFilter.dateFrom': CONDITION_WEIGHT,
    'StatementFilter.dateTo': CONDITION_WEIGHT,
    'StatementFilter.forum': CONDITION_WEIGHT,
    'StatementFilter.kind': CONDITION_WEIGHT,
    'StatementFilter.session': CONDITION_WEIGHT,
    'StatementFilter.topic': CONDITION_WEIGHT,
    'SignatoryFilter.memberOf': REFERENCE_WEIGHT,
    'SignatoryFilter.search': { per: 'term', weight: SEARCH_TERM_WEIGHT },
    'SignatoryFilter.kind': CONDITION_WEIGHT,
    'PersonFilter.search': { per: 'term', weight: SEARCH_TERM_WEIGHT },
    'SourceFilter.search': { per: 'term', weight: SEARCH_TERM_WEIGHT },
    'SourceFilter.kind': CONDITION_WEIGHT,
    'SourceFilter.publisher': CONDITION_WEIGHT,
    'SourceFilter.publishedFrom': CONDITION_WEIGHT,
    'SourceFilter.publishedTo': CONDITION_WEIGHT,
    'SignatureHistoryFilter.dateFrom': CONDITION_WEIGHT,
    'SignatureHistoryFilter.dateTo': CONDITION_WEIGHT,
    'SignatureHistoryFilter.forum': CONDITION_WEIGHT,
    'SignatureHistoryFilter.topic': CONDITION_WEIGHT,
  }),
});

/**
 * The terms of a web-search query as the database sees them: every word (quoted phrases word by
 * word, `-excluded` words included) and every `or`, each one more index lookup and branch to rank.
 */
export function searchTerms(query: string): number {
  return query.split(/[\s"()]+/).filter((word) => word.replace(/^-+/, '') !== '').length;
}

function weightOf(weight: ArgumentWeight, value: unknown): number {
  if (typeof weight === 'number') return weight;
  if (weight.per === 'item') return weight.weight * (Array.isArray(value) ? value.length : 1);
  const queries = Array.isArray(value) ? value : [value];
  return weight.weight * queries.reduce<number>((sum, q) => sum + (typeof q === 'string' ? searchTerms(q) : 0), 0);
}

/** The weight of an argument's value: its own entry, else the entries of the input fields it holds. */
function valueWeight(type: GraphQLInputType, value: unknown, weights: CostOptions['argumentWeights'], key: string | undefined): number {
  if (value === undefined || value === null) return 0;
  const own = key === undefined ? undefined : weights[key];
  if (own !== undefined) return weightOf(own, value);
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    return Array.isArray(value) ? value.reduce<number>((sum, item) => sum + valueWeight(nullable.ofType as GraphQLInputType, item, weights, undefined), 0) : 0;
  }
  if (!isInputObjectType(nullable) || typeof value !== 'object') return 0;
  let total = 0;
  for (const [name, field] of Object.entries(nullable.getFields())) {
    total += valueWeight(field.type, (value as Record<string, unknown>)[name], weights, `${nullable.name}.${name}`);
  }
  return total;
}

type Variables = Readonly<Record<string, unknown>>;

/**
 * The estimated cost of one operation, before it runs: every field costs 1 plus the weight of its
 * arguments (what the database does to evaluate them: see `argumentWeights`), and the subtree of a
 * list is multiplied by the number of items it can return — for a connection (a field with
 * `first`/`last`), its page size applied to the connection's lists (`edges`, `nodes`), from a
 * literal, a variable or the variable's default, and `defaultPageSize` when absent; for a plain
 * list, its entry in `listSizes` or `defaultListSize`.
 *
 * Fragments and inline fragments are expanded where they are spread (each fragment is costed once
 * per page size and memoised, so a fragment spread many times costs no extra work, and a fragment
 * cycle counts as 0: validation refuses cycles anyway). Type-conditioned branches are summed, an
 * upper bound (an object matches one). `@skip`/`@include` are ignored (counted as included), also
 * an upper bound. Introspection lists are not multiplied: they are answered from the in-memory
 * schema, bounded by its size, and graphql-js's MaxIntrospectionDepthRule refuses the cyclic ones.
 * A fragment or an alias *named* `__schema` is costed like any other selection: introspection is
 * recognised by the field's definition, never by a name the client chose.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables = {},
  options: CostOptions = DEFAULT_COST_OPTIONS,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, valueFromASTUntyped(definition.defaultValue));
  }
  const fragmentCosts = new Map<string, number>();
  const inProgress = new Set<string>();

  const valueOf = (node: ValueNode): unknown => {
    if (node.kind !== Kind.VARIABLE) return valueFromASTUntyped(node, variables);
    const name = node.name.value;
    return variables[name] !== undefined ? variables[name] : defaults.get(name);
  };

  const argument = (field: FieldNode, name: string): ValueNode | undefined => field.arguments?.find((a) => a.name.value === name)?.value;

  /** `first`, else `last`, else the default, for a field that takes them; undefined otherwise. */
  const pageSize = (field: FieldNode, definition: GraphQLField<unknown, unknown>): number | undefined => {
    if (!definition.args.some((a) => a.name === 'first' || a.name === 'last')) return undefined;
    for (const name of ['first', 'last']) {
      const node = argument(field, name);
      const value = node && valueOf(node);
      if (typeof value === 'number' && !Number.isNaN(value)) return Math.max(0, Math.ceil(value));
    }
    return options.defaultPageSize;
  };

  const listSize = (parent: GraphQLNamedType, definition: GraphQLField<unknown, unknown>, field: FieldNode, connectionPage: number | undefined): number => {
    if (isIntrospectionType(getNamedType(definition.type))) return 1;
    if (connectionPage !== undefined) return connectionPage;
    const size = options.listSizes[`${parent.name}.${definition.name}`] ?? options.defaultListSize;
    if (typeof size === 'number') return size;
    const node = argument(field, size.argument);
    const value = node && valueOf(node);
    if (Array.isArray(value)) return value.length;
    if (typeof value === 'number' && !Number.isNaN(value)) return Math.min(size.max, Math.max(0, Math.ceil(value)));
    return value === undefined || value === null ? size.max : 1;
  };

  const argumentsWeight = (parent: GraphQLNamedType, definition: GraphQLField<unknown, unknown>, field: FieldNode): number => {
    let total = 0;
    for (const arg of definition.args) {
      const node = argument(field, arg.name);
      if (node) total += valueWeight(arg.type, valueOf(node), options.argumentWeights, `${parent.name}.${definition.name}(${arg.name})`);
    }
    return total;
  };

  const fieldDefinition = (parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    if (!parent) return undefined;
    if (parent === schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  };

  const fieldCost = (parent: GraphQLNamedType | undefined, field: FieldNode, connectionPage: number | undefined): number => {
    const definition = fieldDefinition(parent, field.name.value);
    // Unknown to the schema (validation refuses it): count what is written, unmultiplied.
    if (!parent || !definition) return 1 + selectionSetCost(undefined, field.selectionSet, undefined);
    const own = 1 + argumentsWeight(parent, definition, field);
    const items = isListType(getNullableType(definition.type)) ? listSize(parent, definition, field, connectionPage) : 1;
    if (!field.selectionSet || items === 0) return own;
    return own + items * selectionSetCost(getNamedType(definition.type), field.selectionSet, pageSize(field, definition));
  };

  const fragmentCost = (name: string, connectionPage: number | undefined): number => {
    const key = `${name}\u0000${connectionPage ?? ''}`;
    const known = fragmentCosts.get(key);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || inProgress.has(key)) return 0;
    inProgress.add(key);
    const cost = selectionSetCost(schema.getType(fragment.typeCondition.name.value), fragment.selectionSet, connectionPage);
    inProgress.delete(key);
    fragmentCosts.set(key, cost);
    return cost;
  };

  /** `connectionPage`: the page size of the connection this selection set is on, if it is one. */
  function selectionSetCost(parent: GraphQLNamedType | undefined, selectionSet: SelectionSetNode | undefined, connectionPage: number | undefined): number {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) total += fieldCost(parent, selection, connectionPage);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) total += fragmentCost(selection.name.value, connectionPage);
      else {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total += selectionSetCost(type ?? undefined, selection.selectionSet, connectionPage);
      }
    }
    return total;
  }

  const root = schema.getRootType(operation.operation);
  return selectionSetCost(root ?? undefined, operation.selectionSet, undefined);
}
