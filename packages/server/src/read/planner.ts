import {
  getNamedType,
  Kind,
  type DocumentNode,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';
import { getArgumentValues } from 'graphql/execution/values';
import type { RequestContext } from '../modules/kit/context';
import { SqlParams } from '../common/pagination';
import type { TableDescription, Tables } from '../data/tables';
import { literal, objectJson } from './json-sql';

/**
 * Thrown while planning when a field has no rule, or its arguments are refused: the operation is
 * then answered by graphql-js, which gives the same data or the error with its path.
 */
export class NotPlanned extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotPlanned';
  }
}

/** Errors of the planner's own code (a bug), never a field to answer the other way. */
export const isPlannerBug = (error: unknown): boolean => error instanceof TypeError || error instanceof ReferenceError || error instanceof SyntaxError;

/** An operation's fragments by name, as graphql-js's collectFields takes them. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

/** The JSON text of a `__typename`, as a SQL literal. */
export const typenameJson = (type: { name: string }): string => literal(JSON.stringify(type.name));

/** A row a field is read from: the SQL alias of its table in the statement being built. */
export interface Row {
  alias: string;
  table: TableDescription;
  /**
   * The FROM clause the row is read in, when relations to one record may join it there (a list's
   * rows): `toOne` adds a LEFT JOIN rather than a subquery per row.
   */
  scope?: Scope;
}

/** The joins a FROM clause gathers while its rows' fields are planned. */
export interface Scope {
  joins: string[];
}

/** One field of a selection, as graphql-js collects it (fragments, aliases and @include/@skip applied). */
export interface FieldCall {
  /** The response key (the alias, or the field's name). */
  key: string;
  name: string;
  nodes: readonly FieldNode[];
  definition: GraphQLField<unknown, unknown>;
  /** Argument values with the variables and defaults applied, as graphql-js passes them to a resolver. */
  args: Record<string, unknown>;
}

/** A field's SQL: the expression yielding its JSON text, read from the parent row. */
export type FieldRule = (planner: Planner, call: FieldCall, row: Row | null) => string | Promise<string>;

/** The rules of one GraphQL object type, and the table its objects are rows of (none for a wrapper such as a payload). */
export interface TypeRules {
  table?: string;
  fields: Record<string, FieldRule>;
}

/**
 * Builds the SQL of one operation: every field becomes an expression writing its JSON text, nested
 * fields as correlated subqueries of their parent row. Values go to `params`; aliases are unique.
 */
export class Planner {
  readonly params = new SqlParams();
  /**
   * Whether lookups and relations to one record read deleted records too (an editor's
   * `includeDeleted`, for the whole operation); lists, search and counts never do.
   */
  seesDeleted = false;
  private serial = 0;

  constructor(
    readonly schema: GraphQLSchema,
    readonly fragments: Record<string, FragmentDefinitionNode>,
    readonly variables: Record<string, unknown>,
    readonly ctx: RequestContext,
    readonly tables: Tables,
    private readonly rules: Readonly<Record<string, TypeRules>>,
  ) {}

  /** A fresh table alias. */
  alias(): string {
    return `r${++this.serial}`;
  }

  /** A placeholder for a value. */
  bind(value: unknown): string {
    return this.params.add(value);
  }

  table(name: string): TableDescription {
    return this.tables.of(name);
  }

  /** The columns read of each alias, so that a page's subquery carries only those. */
  private readonly used = new Map<string, Set<string>>();

  /** The column of a property of the row's table, qualified by its alias (and noted as read). */
  column(row: Row, property: string): string {
    const name = row.table.column(property).name;
    let columns = this.used.get(row.alias);
    if (!columns) this.used.set(row.alias, (columns = new Set()));
    columns.add(name);
    return `${row.alias}."${name}"`;
  }

  /** The columns read so far of an alias (its id always). */
  columnsOf(row: Row): string[] {
    return [...new Set(['id', ...(this.used.get(row.alias) ?? [])])];
  }

  /** A new row of the table of `type`, for a subquery reading objects of that type. */
  rowOf(type: string): Row {
    const table = this.rules[type]?.table;
    if (!table) throw new NotPlanned(`${type} has no table`);
    return { alias: this.alias(), table: this.table(table) };
  }

  /** The fields of `type` selected by the field nodes' selection sets, in response order. */
  fields(type: GraphQLObjectType, nodes: readonly FieldNode[]): FieldCall[] {
    const collected = collectSubfields(this.schema, this.fragments, this.variables, type, nodes);
    return [...collected].map(([key, fieldNodes]) => this.call(type, key, fieldNodes));
  }

  /** The root fields of an operation, for `type` (Query). */
  call(type: GraphQLObjectType, key: string, nodes: readonly FieldNode[]): FieldCall {
    const node = nodes[0]!;
    const name = node.name.value;
    const definition = name === '__typename' ? undefined : type.getFields()[name];
    if (name !== '__typename' && !definition) throw new NotPlanned(`${type.name}.${name} is not a field`);
    return {
      key,
      name,
      nodes,
      definition: definition!,
      args: definition ? getArgumentValues(definition, node, this.variables) : {},
    };
  }

  /** The object type a field returns (through lists and non-null). */
  objectType(call: FieldCall): GraphQLObjectType {
    const type = getNamedType(call.definition.type);
    if (!isObjectType(type)) throw new NotPlanned(`${call.name} returns an abstract type`);
    return type;
  }

  /**
   * The JSON object of `type` for a field's selection, read from `row`: each selected field by
   * its rule, `__typename` as a literal.
   */
  async object(type: GraphQLObjectType, nodes: readonly FieldNode[], row: Row | null): Promise<string> {
    const rules = this.rules[type.name];
    if (!rules) throw new NotPlanned(`no rules for ${type.name}`);
    const members: { key: string; value: string }[] = [];
    for (const call of this.fields(type, nodes)) {
      if (call.name === '__typename') {
        members.push({ key: call.key, value: typenameJson(type) });
        continue;
      }
      const rule = rules.fields[call.name];
      if (!rule) throw new NotPlanned(`${type.name}.${call.name} has no rule`);
      members.push({ key: call.key, value: await this.nested(rule, call, row) });
    }
    return objectJson(members);
  }

  /**
   * A nested field's rule. A refusal of its arguments becomes NotPlanned: graphql-js reports it at
   * each path the field has in the answer (per list item), which only it can give.
   */
  private async nested(rule: FieldRule, call: FieldCall, row: Row | null): Promise<string> {
    try {
      return await rule(this, call, row);
    } catch (error) {
      if (error instanceof NotPlanned || isPlannerBug(error)) throw error;
      throw new NotPlanned(`${call.name} refused`);
    }
  }

  /** The selection of a field returning objects (one, a list, a connection), built as `type` from `row`. */
  objectOf(call: FieldCall, row: Row | null, type: GraphQLObjectType = this.objectType(call)): Promise<string> {
    return this.object(type, call.nodes, row);
  }
}
