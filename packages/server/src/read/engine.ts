import {
  GraphQLError,
  isNonNullType,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { collectFields } from 'graphql/execution/collectFields';
import { createLoaders, type RequestContext } from '../common/context';
import { describeTables } from '../data/tables';
import { UNANSWERED_MARK } from './json-sql';
import { NotPlanned, Planner, type FieldRule, type TypeRules } from './planner';
import { READ_RULES } from './index';

/** One SQL statement answering every root field of a read operation, each as a JSON text column. */
export interface ReadPlan {
  sql: string;
  values: unknown[];
  roots: { key: string; nodes: readonly FieldNode[]; nonNull: boolean }[];
}

/** Errors of the planner's own code: a bug, not a field to answer the other way. */
const isBug = (error: unknown) => error instanceof TypeError || error instanceof ReferenceError || error instanceof SyntaxError;

/**
 * The read engine: a query operation whose every root field has a rule is answered by one SQL
 * statement (so in one snapshot) that builds the whole answer as JSON; any other operation, and any
 * operation whose arguments are refused, is left to graphql-js (`execute` returns null), which
 * answers it or reports the error with its path.
 */
export class ReadEngine {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rules: Readonly<Record<string, TypeRules>> = READ_RULES,
  ) {}

  async plan(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, ctx: RequestContext): Promise<ReadPlan | null> {
    const queryType = this.schema.getQueryType();
    if (operation.operation !== 'query' || !queryType) return null;
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    // Lookups while planning through loaders of their own (the public archive's): what they cache
    // never reaches graphql-js, which answers an operation left to it with the request's loaders
    // (those of an editor's includeDeleted, say).
    const planning: RequestContext = { ...ctx, loaders: createLoaders(ctx.em) };
    const planner = new Planner(this.schema, fragments, variables, planning, describeTables(ctx.em.connection), this.rules);
    try {
      const calls = [...collectFields(this.schema, fragments, variables, queryType, operation.selectionSet)].map(([key, nodes]) => planner.call(queryType, key, nodes));
      const rules: FieldRule[] = [];
      for (const call of calls) {
        const rule = call.name === '__typename' ? () => `'"Query"'` : this.rules.Query?.fields[call.name];
        if (!rule) return null;
        rules.push(rule);
      }
      // Every root field at once, as graphql-js resolves them: the lookups made while planning
      // (signatory references, statement keys) share the loaders' batches. Each settles (a rule
      // that throws at once too) before the operation is planned or left to graphql-js.
      const settled = await Promise.allSettled(calls.map(async (call, i) => rules[i]!(planner, call, null)));
      const refused = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      if (refused.length) throw refused.find(isBug) ?? refused[0];
      const columns = settled.map((result, i) => `${(result as PromiseFulfilledResult<string>).value} AS f${i}`);
      const roots = calls.map((call) => ({ key: call.key, nodes: call.nodes, nonNull: call.name !== '__typename' && isNonNullType(call.definition.type) }));
      return { sql: `SELECT ${columns.join(', ')}`, values: planner.params.values, roots };
    } catch (error) {
      if (error instanceof NotPlanned || !isBug(error)) return null;
      throw error;
    }
  }

  /**
   * The operation's result, its root fields' values given by `value` (the JSON text, or a
   * placeholder for it); null when graphql-js is to answer it.
   */
  async execute(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    ctx: RequestContext,
  ): Promise<ExecutionResult | null> {
    const plan = await this.plan(document, operation, variables, ctx);
    if (!plan) return null;
    let row: Record<string, string>;
    try {
      row = ((await ctx.em.query(plan.sql, plan.values)) as Record<string, string>[])[0]!;
    } catch (error) {
      // As graphql-js reports a failing resolver: an error per root field, null where it may be.
      const errors = plan.roots.map(({ key, nodes }) => new GraphQLError((error as Error).message, { nodes, path: [key], originalError: error as Error }));
      return { data: plan.roots.some((r) => r.nonNull) ? null : Object.fromEntries(plan.roots.map((r) => [r.key, null])), errors };
    }
    const texts = plan.roots.map((_, i) => row[`f${i}`]!);
    if (texts.some((text) => text.includes(UNANSWERED_MARK))) return null;
    const data: Record<string, unknown> = {};
    plan.roots.forEach(({ key }, i) => {
      data[key] = ctx.rawJson ? ctx.rawJson.hold(texts[i]!) : JSON.parse(texts[i]!);
    });
    return { data };
  }
}
