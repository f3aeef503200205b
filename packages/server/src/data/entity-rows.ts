import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { groupsFor } from '../common/group-by';
import { keysetSql, type PageRequest } from '../common/pagination';
import { describeTables, type TableDescription } from './tables';

const selectLists = new WeakMap<object, Map<string, string>>();

/**
 * A select list that reads an entity's selectable columns under their property names, qualified by
 * `alias`: `s."official_name" AS "officialName", …`. Rows read with it are shaped like the entity
 * (plain objects, PostgreSQL's own parsing: timestamps as Date, dates as 'YYYY-MM-DD' strings,
 * arrays as arrays — what TypeORM hands back for these column types) without TypeORM building and
 * hydrating a query per call, which is most of the cost of the per-request loaders.
 */
export function entityColumns<E extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<E>, alias: string, except: readonly (keyof E & string)[] = []): string {
  const table = tableOf(em, entity);
  let lists = selectLists.get(table);
  if (!lists) selectLists.set(table, (lists = new Map()));
  const key = `${alias}\u0000${except.join(',')}`;
  let list = lists.get(key);
  if (list === undefined) {
    list = table.columns
      .filter((column) => column.selected && !except.includes(column.property as keyof E & string))
      .map((column) => `${alias}."${column.name}" AS "${column.property}"`)
      .join(', ');
    lists.set(key, list);
  }
  return list;
}

const tableOf = (em: EntityManager, entity: EntityTarget<ObjectLiteral>): TableDescription => describeTables(em.connection).of(entity);

/** `AND t.deleted_at IS NULL` for a table that soft-deletes, unless deleted rows are wanted. */
function liveOnly(table: TableDescription, withDeleted: boolean): string {
  return table.softDelete && !withDeleted ? ` AND t."${table.softDelete}" IS NULL` : '';
}

/**
 * Rows of `entity` by id, in one statement, shaped as entityColumns says; null for an unknown id and,
 * unless `withDeleted`, for a deleted record: the one rule that keeps deleted records out of every
 * lookup and relation read through the loaders.
 */
export async function entitiesById<E extends ObjectLiteral & { id: string }>(
  em: EntityManager,
  entity: EntityTarget<E>,
  ids: readonly string[],
  except: readonly (keyof E & string)[] = [],
  withDeleted = false,
): Promise<(E | null)[]> {
  const table = tableOf(em, entity);
  const rows: E[] = await em.query(
    `SELECT ${entityColumns(em, entity, 't', except)} FROM "${table.name}" t WHERE t."id" = ANY($1::uuid[])${liveOnly(table, withDeleted)}`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

/**
 * Rows of `entity` whose `column` (a uuid column's property) is one of `values`, grouped per value in
 * the order of `values` (a DataLoader batch), each group ordered by `orderBy` then id; deleted rows
 * are left out (a list never shows them).
 */
export async function entitiesByColumn<E extends ObjectLiteral & { id: string }, C extends keyof E & string>(
  em: EntityManager,
  entity: EntityTarget<E>,
  column: C,
  values: readonly string[],
  orderBy: keyof E & string,
): Promise<E[][]> {
  const table = tableOf(em, entity);
  const name = (property: string) => table.column(property).name;
  const rows: E[] = await em.query(
    `SELECT ${entityColumns(em, entity, 't')} FROM "${table.name}" t WHERE t."${name(column)}" = ANY($1::uuid[])${liveOnly(table, false)} ORDER BY t."${name(orderBy)}", t."id"`,
    [values],
  );
  return groupsFor(rows, (row) => row[column] as string | null, values);
}

/**
 * The rows of `entity` whose unique `column` (such as `key`) has each of `values`, in their order
 * (a DataLoader batch), deleted ones left out unless `withDeleted`; null for a value no row has.
 */
export async function entitiesByUnique<E extends ObjectLiteral & { id: string }, C extends keyof E & string>(
  em: EntityManager,
  entity: EntityTarget<E>,
  column: C,
  values: readonly E[C][],
  except: readonly (keyof E & string)[] = [],
  withDeleted = false,
): Promise<(E | null)[]> {
  const table = tableOf(em, entity);
  const name = table.column(column).name;
  const rows: E[] = await em.query(
    `SELECT ${entityColumns(em, entity, 't', except)} FROM "${table.name}" t WHERE t."${name}" = ANY($1)${liveOnly(table, withDeleted)}`,
    [values],
  );
  const byValue = new Map(rows.map((row) => [row[column], row]));
  return values.map((value) => byValue.get(value) ?? null);
}

/** The row of `entity` whose unique `column` equals `value`, not deleted unless `withDeleted`; null when none. */
export async function entityBy<E extends ObjectLiteral & { id: string }, C extends keyof E & string>(
  em: EntityManager,
  entity: EntityTarget<E>,
  column: C,
  value: E[C],
  except: readonly (keyof E & string)[] = [],
  withDeleted = false,
): Promise<E | null> {
  return (await entitiesByUnique(em, entity, column, [value], except, withDeleted))[0]!;
}

/** A list in plain SQL: the rows of `from` that meet every `where` condition, whose placeholders are $1… of `values`. */
export interface ListSql {
  from: string;
  where: string[];
  values: unknown[];
}

/**
 * A keyset page of `list` (keysetSql over `keys`, ending with the unique id): `select` of its rows in
 * reading order, at most `request.limit + 1` of them, for toPage to cut.
 */
export function keysetRows<R>(em: EntityManager, list: ListSql, select: string, keys: string[], direction: 'ASC' | 'DESC', request: PageRequest): Promise<R[]> {
  const values = [...list.values];
  const page = keysetSql(keys, direction, request, { add: (value) => `$${values.push(value)}` });
  return em.query(
    `SELECT ${select} FROM ${list.from} WHERE ${[...list.where, ...page.where].join(' AND ')} ORDER BY ${page.orderBy} LIMIT ${page.limit}`,
    values,
  );
}

/** How many rows `list` holds. */
export async function countRows(em: EntityManager, list: ListSql): Promise<number> {
  const rows: { n: number }[] = await em.query(`SELECT count(*)::int AS n FROM ${list.from} WHERE ${list.where.join(' AND ')}`, list.values);
  return rows[0]!.n;
}
