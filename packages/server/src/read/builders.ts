import type { NodeType } from '../common/global-id';
import { keysetSql, type PageRequest } from '../common/pagination';
import { cursorJson, globalIdJson, json, literal, objectJson, partialDateJson, timestampJson, UNANSWERED } from './json-sql';
import { NotPlanned, typenameJson, type FieldCall, type FieldRule, type Planner, type Row, type Scope } from './planner';

/**
 * The shapes of field the schema has, as rules: a column, an id, a partial date, a timestamp, a
 * relation to one record, a list, a connection. A type's rules are a table of these.
 */

const needRow = (row: Row | null, call: FieldCall): Row => {
  if (!row) throw new NotPlanned(`${call.name} needs a parent row`);
  return row;
};

/** A column as it is (text, numbers, booleans, arrays, enums stored under their GraphQL names). */
export const column =
  (property: string): FieldRule =>
  (p, call, row) => {
    const r = needRow(row, call);
    return json(p.column(r, property), r.table.column(property).nullable);
  };

/** The global id of the row. */
export const globalId =
  (type: NodeType): FieldRule =>
  (p, call, row) =>
    globalIdJson(type, p.column(needRow(row, call), 'id'));

/** A partial date from its date and precision columns. */
export const partialDate =
  (date: string, precision: string): FieldRule =>
  (p, call, row) => {
    const r = needRow(row, call);
    return partialDateJson(p.column(r, date), p.column(r, precision));
  };

export const timestamp =
  (property: string): FieldRule =>
  (p, call, row) =>
    timestampJson(p.column(needRow(row, call), property));

/** The fields every archive record has. */
export function recordRules(type: NodeType): Record<string, FieldRule> {
  return {
    id: globalId(type),
    createdAt: timestamp('createdAt'),
    updatedAt: timestamp('updatedAt'),
    version: column('version'),
    deletedAt: timestamp('deletedAt'),
  };
}

/** `<alias>.deleted_at IS NULL` when the table soft-deletes: what lists read. */
export function live(row: Row): string[] {
  return row.table.softDelete ? [`${row.alias}."${row.table.softDelete}" IS NULL`] : [];
}

/** What a lookup or a relation to one record reads: `live`, unless the operation sees deleted records. */
export function visible(p: Planner, row: Row): string[] {
  return p.seesDeleted ? [] : live(row);
}

/**
 * The record of `type` a column of the row refers to, deleted ones left out (the public archive):
 * null when there is none, as a nullable field; for a non-null field a missing record cannot be
 * answered from SQL (graphql-js reports it as an error), and the engine answers the other way.
 */
export const toOne =
  (type: string, property: string): FieldRule =>
  async (p, call, row) => {
    const parent = needRow(row, call);
    const target = p.rowOf(type);
    const on = [`${target.alias}.id = ${p.column(parent, property)}`, ...visible(p, target)];
    const missing = call.definition.type.toString().endsWith('!') ? UNANSWERED : `'null'`;
    if (parent.scope) {
      // Joined where the parent's rows are read: one join for the list, not a lookup per row.
      // Joined before the object's own relations, which join it in turn.
      target.scope = parent.scope;
      parent.scope.joins.push(`LEFT JOIN "${target.table.name}" ${target.alias} ON ${on.join(' AND ')}`);
      const object = await p.objectOf(call, target);
      return `CASE WHEN ${target.alias}.id IS NULL THEN ${missing} ELSE ${object} END`;
    }
    const object = await p.objectOf(call, target);
    return `coalesce((SELECT ${object} FROM "${target.table.name}" ${target.alias} WHERE ${on.join(' AND ')}), ${missing})`;
  };

/** A JSON array of the objects of rows `from … WHERE where`, in `orderBy` (expressions over `target`). */
export async function listOf(p: Planner, call: FieldCall, target: Row, from: string, where: string[], orderBy: string[]): Promise<string> {
  const scope: Scope = (target.scope = { joins: [] });
  const object = await p.objectOf(call, target);
  return `coalesce((SELECT '[' || string_agg(${object}, ',' ORDER BY ${orderBy.join(', ')}) || ']' FROM ${from} ${scope.joins.join(' ')} WHERE ${where.join(' AND ') || 'true'}), '[]')`;
}

/** The rows of `type` whose `property` (a column of theirs) holds the parent's id, in `orderBy` properties then id. */
export const children =
  (type: string, property: string, orderBy: string[], options: { withDeleted?: boolean } = {}): FieldRule =>
  (p, call, row) => {
    const parent = needRow(row, call);
    const target = p.rowOf(type);
    const where = [`${p.column(target, property)} = ${p.column(parent, 'id')}`, ...(options.withDeleted ? [] : live(target))];
    return listOf(p, call, target, `"${target.table.name}" ${target.alias}`, where, [...orderBy.map((o) => p.column(target, o)), `${target.alias}.id`]);
  };

/** One page of a list: what a connection field reads. */
export interface PageSpec {
  /** The rows' table under an alias (its `alias` is the one `from` gives it). */
  target: Row;
  /** The FROM clause: the target's table under its alias, and any table the keys or conditions join. */
  from: string;
  /** Conditions of the list (the keyset conditions are added here). */
  where: string[];
  /** The keyset: SQL expressions ending with the row's id, each ordered in `direction`. */
  keys: string[];
  direction: 'ASC' | 'DESC';
  /** How the cursor writes each key, `json` where none is given (a float as JavaScript writes it: floatJson). */
  keyJson?: readonly (((key: string) => string) | undefined)[];
  /**
   * The keyset's conditions and order, for keys that do not all run in `direction` (a search's:
   * rank descending, then type and id ascending); forward pages only.
   */
  page?: { where: string[]; orderBy: string };
  /** Conditions of the page only, not of the count: bounds implied by the cursors that let an index start at them. */
  bounds?: string[];
  request: PageRequest;
  /** The totalCount; by default the rows of `from … WHERE where`. */
  count?: string;
  /** The cursor's values, SQL over the page's rows (the target's alias), when they are not the keys' own (a number written as a string). */
  position?: string[];
}

/**
 * A connection (edges, nodes, pageInfo, totalCount) as one subquery: the page read with
 * `LIMIT first + 1` in reading order, numbered, and aggregated into JSON; the extra row only says
 * that another page follows (its node is never built). totalCount is counted only when selected.
 */
export async function connectionOf(p: Planner, call: FieldCall, spec: PageSpec): Promise<string> {
  const connectionType = p.objectType(call);
  const { target, request } = spec;
  const page = spec.page ? { ...spec.page, limit: request.limit + 1 } : keysetSql(spec.keys, spec.direction, request, p.params);
  const x = target.alias;
  const n = request.limit;
  const scope: Scope = (target.scope = { joins: [] });
  // Rows are numbered in reading order; the page shows them in list order.
  const shown = request.backward ? `${x}._o DESC` : `${x}._o`;
  const onPage = `${x}._o <= ${n}`;
  const cursor = cursorJson((spec.position ?? spec.keys.map((_, i) => `${x}._k${i}`)).map((value, i) => (spec.keyJson?.[i] ?? json)(value)));
  const members: { key: string; value: string }[] = [];
  for (const field of p.fields(connectionType, call.nodes)) {
    switch (field.name) {
      case '__typename':
        members.push({ key: field.key, value: typenameJson(connectionType) });
        break;
      case 'nodes': {
        const object = await p.objectOf(field, target);
        members.push({ key: field.key, value: `coalesce('[' || string_agg(${object}, ',' ORDER BY ${shown}) FILTER (WHERE ${onPage}) || ']', '[]')` });
        break;
      }
      case 'edges': {
        const edgeType = p.objectType(field);
        const edge: { key: string; value: string }[] = [];
        for (const inner of p.fields(edgeType, field.nodes)) {
          if (inner.name === '__typename') edge.push({ key: inner.key, value: typenameJson(edgeType) });
          else if (inner.name === 'cursor') edge.push({ key: inner.key, value: cursor });
          else if (inner.name === 'node') edge.push({ key: inner.key, value: await p.objectOf(inner, target) });
          else throw new NotPlanned(`${edgeType.name}.${inner.name}`);
        }
        members.push({ key: field.key, value: `coalesce('[' || string_agg(${objectJson(edge)}, ',' ORDER BY ${shown}) FILTER (WHERE ${onPage}) || ']', '[]')` });
        break;
      }
      case 'pageInfo': {
        const infoType = p.objectType(field);
        const more = `(count(*) > ${n})`;
        const first = `(array_agg(${cursor} ORDER BY ${shown}) FILTER (WHERE ${onPage}))[1]`;
        const last = `(array_agg(${cursor} ORDER BY ${request.backward ? `${x}._o` : `${x}._o DESC`}) FILTER (WHERE ${onPage}))[1]`;
        const info: { key: string; value: string }[] = [];
        for (const inner of p.fields(infoType, field.nodes)) {
          switch (inner.name) {
            case '__typename':
              info.push({ key: inner.key, value: typenameJson(infoType) });
              break;
            case 'hasNextPage':
              info.push({ key: inner.key, value: request.backward ? literal(String(request.before !== null)) : json(more, false) });
              break;
            case 'hasPreviousPage':
              info.push({ key: inner.key, value: request.backward ? json(more, false) : literal(String(request.after !== null)) });
              break;
            case 'startCursor':
              info.push({ key: inner.key, value: `coalesce(${first}, 'null')` });
              break;
            case 'endCursor':
              info.push({ key: inner.key, value: `coalesce(${last}, 'null')` });
              break;
            default:
              throw new NotPlanned(`PageInfo.${inner.name}`);
          }
        }
        members.push({ key: field.key, value: objectJson(info) });
        break;
      }
      case 'totalCount':
        members.push({ key: field.key, value: `(${spec.count ?? `SELECT count(*)::int FROM ${spec.from} WHERE ${spec.where.join(' AND ') || 'true'}`})::text` });
        break;
      default:
        throw new NotPlanned(`${connectionType.name}.${field.name}`);
    }
  }
  // The page's rows carry only the columns the selection reads (not a statement's text and search vector).
  const columns = `${p.columnsOf(target).map((c) => `${x}."${c}"`).join(', ')}, ${spec.keys.map((key, i) => `${key} AS _k${i}`).join(', ')}`;
  const rows = `FROM ${spec.from} WHERE ${[...spec.where, ...(spec.bounds ?? []), ...page.where].join(' AND ') || 'true'} ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
  // Numbered after the LIMIT, so that the LIMIT sits on the scan or sort (an index walk that stops,
  // or a top-N sort) rather than on a window over every matching row; the numbering sorts at most
  // first + 1 rows. A custom keyset (mixed directions) is numbered as it is read.
  const inner =
    'readDirection' in page
      ? `SELECT ${x}.*, row_number() OVER (ORDER BY ${spec.keys.map((_, i) => `${x}._k${i} ${page.readDirection}`).join(', ')}) AS _o FROM (SELECT ${columns} ${rows}) ${x}`
      : `SELECT ${columns}, row_number() OVER (ORDER BY ${page.orderBy}) AS _o ${rows}`;
  // One row even when no member aggregates (totalCount alone): a grouped query has one group.
  return `(SELECT ${objectJson(members)} FROM (${inner}) ${x} ${scope.joins.join(' ')} HAVING true)`;
}
