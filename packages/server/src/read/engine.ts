import { createHash } from 'node:crypto';
import {
  GraphQLError,
  isNonNullType,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { collectFields } from 'graphql/execution/collectFields';
import { withPublicLoaders, type RequestContext } from '../modules/kit/context';
import { includingDeleted } from '../modules/kit/include-deleted';
import { describeTables } from '../data/tables';
import { UNANSWERED_MARK } from './json-sql';
import { mutateWithPlannedPayload } from './payloads';
import { fragmentsOf, isPlannerBug, NotPlanned, Planner, type TypeRules } from './planner';
import { READ_RULES } from './index';

/** One SQL statement answering every root field of a read operation, each as a JSON text column. */
export interface ReadPlan {
  sql: string;
  values: unknown[];
  roots: { key: string; nodes: readonly FieldNode[]; nonNull: boolean }[];
}

/**
 * Plans whose best shape depends on how common a search term is are planned for each request: a
 * prepared statement's generic plan, made without the term, reads every match of a common word and
 * sorts them (363 ms for "statement" at size M, against 0.4 ms walking the date index).
 */
const SEARCHES = /websearch_to_tsquery|\bsimilarity\(| % /;

/** PostgreSQL's duplicate_prepared_statement. */
const DUPLICATE_PREPARED_STATEMENT = '42P05';

/** Prepared statements at most (each connection holds a plan of each). */
const MAX_PREPARED = 200;

/** A root field's arguments refused: the error graphql-js would report, at the field's path. */
interface Refusal {
  refused: GraphQLError;
  key: string;
  nonNull: boolean;
}


/**
 * The read engine: a query operation whose every root field has a rule is answered by one SQL
 * statement (so in one snapshot) that builds the whole answer as JSON; any other operation, and any
 * operation whose arguments are refused, is left to graphql-js (`execute` returns null), which
 * answers it or reports the error with its path.
 */
export class ReadEngine {
  /**
   * Read operations answered by the planner (with data, or refused), mutations whose payload it
   * read, and read operations answered by the resolvers with the reason (a schema field, `refused` for a refusal among several root fields, `unanswered`).
   */
  readonly answered = { planned: 0, refused: 0, payloads: 0, resolvers: new Map<string, number>() };

  /** Names of the prepared statements, by SQL text; at most MAX_PREPARED, so their memory is bounded. */
  private readonly prepared = new Map<string, string>();
  /**
   * Set when the server turned out to give its connections one session (the embedded database behind
   * a URL): a name another connection prepared exists already there, so nothing is prepared again.
   */
  private sharedSession = false;
  /** SQL texts seen once: a text is prepared the second time it runs, so that one-off shapes are not. */
  private readonly seen = new Set<string>();

  /**
   * `options.prepare`: run plans as named prepared statements (PostgreSQL plans a shape once per
   * connection). Not on the embedded database, whose connections share one session (a name would be
   * prepared twice), nor behind a pooler in transaction mode.
   */
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: { prepare?: boolean } = {},
    private readonly rules: Readonly<Record<string, TypeRules>> = READ_RULES,
  ) {}

  /**
   * A mutation whose payload's records are read through the planner (read/payloads.ts); null when
   * the operation is left to graphql-js whole. `run` executes the (cut) document.
   */
  mutate(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    ctx: RequestContext,
    run: (document: DocumentNode) => Promise<ExecutionResult>,
  ): Promise<ExecutionResult | null> {
    return mutateWithPlannedPayload(this.schema, this.rules, document, operation, variables, ctx, run).then((result) => {
      if (result) this.answered.payloads++;
      return result;
    });
  }

  /** The plan's one row; a statement name the session already holds (42P05) is sent again as text. */
  private async run(ctx: RequestContext, plan: ReadPlan): Promise<Record<string, string>> {
    try {
      return ((await ctx.em.query(this.statement(plan.sql), plan.values)) as Record<string, string>[])[0]!;
    } catch (error) {
      const code = (error as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code;
      if (code !== DUPLICATE_PREPARED_STATEMENT) throw error;
      this.sharedSession = true;
      return ((await ctx.em.query(plan.sql, plan.values)) as Record<string, string>[])[0]!;
    }
  }

  /** The statement to send: the text, or a named statement once the text has been seen before. */
  private statement(sql: string): string {
    if (!this.options.prepare || this.sharedSession || SEARCHES.test(sql)) return sql;
    let name = this.prepared.get(sql);
    if (!name) {
      if (!this.seen.has(sql)) {
        if (this.seen.size >= MAX_PREPARED * 10) this.seen.clear();
        this.seen.add(sql);
        return sql;
      }
      if (this.prepared.size >= MAX_PREPARED) return sql;
      name = `jointly_read_${createHash('sha256').update(sql).digest('hex').slice(0, 20)}`;
      this.prepared.set(sql, name);
    }
    // node-postgres takes a query config where TypeORM passes the text; TypeORM logs it as text.
    return { name, text: sql, toString: () => sql } as unknown as string;
  }

  /**
   * The plan of a query operation; a refusal when the one root field's own arguments are refused
   * (reported here as graphql-js would, without running it again); null when graphql-js is to answer.
   */
  async plan(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, ctx: RequestContext): Promise<ReadPlan | Refusal | null> {
    const queryType = this.schema.getQueryType();
    if (operation.operation !== 'query' || !queryType) return null;
    const fragments = fragmentsOf(document);
    // Lookups while planning through loaders of their own (the public archive's): what they cache
    // never reaches graphql-js, which answers an operation left to it with the request's loaders
    // (those of an editor's includeDeleted, say).
    const planning = withPublicLoaders(ctx);
    const planner = new Planner(this.schema, fragments, variables, planning, describeTables(ctx.em.connection), this.rules);
    const collected = [...collectFields(this.schema, fragments, variables, queryType, operation.selectionSet)];
    for (const [, nodes] of collected) {
      const name = nodes[0]!.name.value;
      if (name !== '__typename' && !this.rules.Query?.fields[name]) return this.unplanned(`Query.${name}`);
    }
    const calls = collected.map(([key, nodes]) => planner.call(queryType, key, nodes));
    try {
      // An editor's includeDeleted holds for the whole operation.
      if (calls.some((call) => call.args.includeDeleted === true)) {
        await includingDeleted(ctx, true);
        planner.seesDeleted = true;
      }
      const rules = calls.map((call) => (call.name === '__typename' ? () => `'"Query"'` : this.rules.Query!.fields[call.name]!));
      // Every root field at once, as graphql-js resolves them: the lookups made while planning (a
      // filter's signatory references, the alignment's statements) share the loaders' batches. Each
      // settles (a rule that throws at once too) before the operation is planned or left to graphql-js.
      const settled = await Promise.allSettled(calls.map(async (call, i) => rules[i]!(planner, call, null)));
      const refused = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      if (refused.length) throw refused.find(isPlannerBug) ?? refused[0];
      const columns = settled.map((result, i) => `${(result as PromiseFulfilledResult<string>).value} AS f${i}`);
      const roots = calls.map((call) => ({ key: call.key, nodes: call.nodes, nonNull: call.name !== '__typename' && isNonNullType(call.definition.type) }));
      return { sql: `SELECT ${columns.join(', ')}`, values: planner.params.values, roots };
    } catch (error) {
      if (isPlannerBug(error)) throw error;
      if (error instanceof NotPlanned) return this.unplanned(error.message);
      // A refusal of a root field's own arguments (nested fields' refusals are NotPlanned): with one
      // root field, graphql-js's answer is this error at its path. With several, the order of the
      // errors is graphql-js's to give.
      const call = calls[0]!;
      if (calls.length > 1) return this.unplanned('refused');
      return { refused: new GraphQLError((error as Error).message, { nodes: call.nodes, path: [call.key], originalError: error as Error }), key: call.key, nonNull: isNonNullType(call.definition.type) };
    }
  }

  private unplanned(reason: string): null {
    this.answered.resolvers.set(reason, (this.answered.resolvers.get(reason) ?? 0) + 1);
    return null;
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
    if ('refused' in plan) {
      this.answered.refused++;
      return { data: plan.nonNull ? null : { [plan.key]: null }, errors: [plan.refused] };
    }
    let row: Record<string, string>;
    try {
      row = await this.run(ctx, plan);
    } catch (error) {
      // As graphql-js reports a failing resolver: an error per root field, null where it may be.
      const errors = plan.roots.map(({ key, nodes }) => new GraphQLError((error as Error).message, { nodes, path: [key], originalError: error as Error }));
      return { data: plan.roots.some((r) => r.nonNull) ? null : Object.fromEntries(plan.roots.map((r) => [r.key, null])), errors };
    }
    const texts = plan.roots.map((_, i) => row[`f${i}`]!);
    if (texts.some((text) => text.includes(UNANSWERED_MARK))) return this.unplanned('unanswered');
    this.answered.planned++;
    const data: Record<string, unknown> = {};
    plan.roots.forEach(({ key }, i) => {
      data[key] = ctx.rawJson ? ctx.rawJson.hold(texts[i]!) : JSON.parse(texts[i]!);
    });
    return { data };
  }
}
