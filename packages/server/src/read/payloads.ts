import {
  getNamedType,
  isObjectType,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';
import type { RequestContext } from '../modules/kit/context';
import { fromGlobalId } from '../common/global-id';
import { describeTables } from '../data/tables';
import { fragmentsOf, isPlannerBug, Planner, type TypeRules } from './planner';

/** The record types a payload may hold; each is read back by its id. */
const RECORDS = new Set(['Statement', 'Signature', 'Signatory', 'Source', 'Person']);

/**
 * Mutations whose payload's record is not read back: `removeSignature` answers the signature as it
 * was, which is no longer in the database.
 */
const AS_IT_WAS = new Set(['removeSignature']);

const field = (alias: string, name: string, selections?: readonly SelectionNode[]): FieldNode => ({
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: alias },
  name: { kind: Kind.NAME, value: name },
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});

/** One record of a payload: where it goes in the answer, and the SQL that reads it once its id is known. */
interface PayloadRecord {
  key: string;
  sql: string;
  /** The index of the id's value among the statement's values. */
  slot: number;
}

/**
 * A mutation's payload records read through the read engine: the mutation runs with each record
 * field of its payload cut down to `{ id }`, then every record is read by that id in one SQL
 * statement built from the field's whole selection, as a read would be (deleted records shown: a
 * payload is its writer's). Planned before the mutation runs, so that a selection the planner
 * cannot answer leaves the operation to graphql-js whole. One mutation field per operation (with
 * several, each payload is read between the writes, as graphql-js runs them).
 */
export async function mutateWithPlannedPayload(
  schema: GraphQLSchema,
  rules: Readonly<Record<string, TypeRules>>,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  ctx: RequestContext,
  run: (document: DocumentNode) => Promise<ExecutionResult>,
): Promise<ExecutionResult | null> {
  const mutationType = schema.getMutationType();
  if (operation.operation !== 'mutation' || !mutationType) return null;
  const fragments = fragmentsOf(document);
  const roots = [...collectFields(schema, fragments, variables, mutationType, operation.selectionSet)];
  if (roots.length !== 1) return null;
  const [rootKey, rootNodes] = roots[0]!;
  const root = rootNodes[0]!;
  const definition = mutationType.getFields()[root.name.value];
  const payloadType = definition && getNamedType(definition.type);
  if (!definition || AS_IT_WAS.has(root.name.value) || !payloadType || !isObjectType(payloadType)) return null;

  const planner = new Planner(schema, fragments, variables, ctx, describeTables(ctx.em.connection), rules);
  planner.seesDeleted = true;
  const records: PayloadRecord[] = [];
  const selections: FieldNode[] = [];
  try {
    for (const [key, nodes] of collectSubfields(schema, fragments, variables, payloadType, rootNodes)) {
      const name = nodes[0]!.name.value;
      const type = name === '__typename' ? undefined : getNamedType(payloadType.getFields()[name]!.type);
      if (type && isObjectType(type) && RECORDS.has(type.name)) {
        records.push(await recordRead(planner, payloadType, type, key, nodes));
        selections.push(field(key, name, [field('id', 'id')]));
      } else {
        // The other fields as asked (directives applied by collectSubfields, merged selections).
        const merged = nodes.flatMap((n) => n.selectionSet?.selections ?? []);
        selections.push({ ...field(key, name, merged.length ? merged : undefined), arguments: nodes[0]!.arguments ?? [] });
      }
    }
  } catch (error) {
    if (isPlannerBug(error)) throw error;
    return null;
  }
  if (records.length === 0) return null;

  const cut: OperationDefinitionNode = {
    ...operation,
    selectionSet: { kind: Kind.SELECTION_SET, selections: [{ ...root, alias: { kind: Kind.NAME, value: rootKey }, directives: [], selectionSet: { kind: Kind.SELECTION_SET, selections } }] },
  };
  const result = await run({ ...document, definitions: document.definitions.map((d) => (d === operation ? cut : d)) });
  const payload = (result.data?.[rootKey] ?? null) as Record<string, { id?: string } | null> | null;
  const read = records.filter((r) => typeof payload?.[r.key]?.id === 'string');
  if (!payload || read.length === 0) return result;
  for (const r of read) planner.params.values[r.slot] = fromGlobalId(payload[r.key]!.id!).id;
  const row = ((await ctx.em.query(`SELECT ${read.map((r, i) => `${r.sql} AS f${i}`).join(', ')}`, planner.params.values)) as Record<string, string>[])[0]!;
  read.forEach((r, i) => {
    const text = row[`f${i}`]!;
    payload[r.key] = (ctx.rawJson ? ctx.rawJson.hold(text) : JSON.parse(text)) as { id?: string } | null;
  });
  return result;
}

async function recordRead(planner: Planner, payloadType: GraphQLObjectType, type: GraphQLObjectType, key: string, nodes: readonly FieldNode[]): Promise<PayloadRecord> {
  const call = planner.call(payloadType, key, nodes);
  const target = planner.rowOf(type.name);
  const placeholder = planner.bind(null);
  const object = await planner.objectOf(call, target, type);
  return {
    key,
    sql: `coalesce((SELECT ${object} FROM "${target.table.name}" ${target.alias} WHERE ${target.alias}.id = ${placeholder}::uuid), 'null')`,
    slot: Number(placeholder.slice(1)) - 1,
  };
}
