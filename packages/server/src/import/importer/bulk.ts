import type { EntityManager } from 'typeorm';
import { groupBy } from '../../common/group-by';
import { describeTables, type ColumnDescription } from '../../data/tables';

/**
 * A row to write, by column name. The columns a bulk statement writes are those its rows name; their
 * types come from the table description (data/tables.ts), so no writer lists columns of its own.
 */
export type Row = Record<string, unknown>;

export interface UpsertResult {
  /** key → id for every row given, written or not. */
  ids: Map<string, string>;
  created: number;
  updated: number;
  unchanged: number;
}

const q = (name: string) => `"${name}"`;
const recordset = (columns: readonly ColumnDescription[]) => columns.map((c) => `${q(c.name)} ${c.recordType}`).join(', ');

/** The columns of `table` the rows name (every row's, in order of first appearance), except `except`. */
function columnsOf(em: EntityManager, table: string, rows: readonly Row[], except: readonly string[] = []): ColumnDescription[] {
  const names = new Set<string>();
  for (const row of rows) for (const name in row) names.add(name);
  for (const name of except) names.delete(name);
  const description = describeTables(em.connection).of(table);
  return [...names].map((name) => description.columnNamed(name));
}

/**
 * The most rows one bulk statement writes. Larger writes are split into chunks of this size, each
 * written with the same constant number of statements: one jsonb parameter must stay under
 * PostgreSQL's 256 MB jsonb limit (a million signatures is ~270 MB of JSON), and neither Node nor the
 * server should hold hundreds of megabytes for one statement.
 */
export const CHUNK_ROWS = 20_000;
/** …and the most characters of JSON one statement sends (rows with long texts, e.g. source bodies). */
export const CHUNK_CHARS = 32 * 1024 * 1024;

export interface Chunk<K> {
  /** The groups in this chunk (e.g. parent ids), in the order given. */
  keys: K[];
  rows: Row[];
  /** `rows` as one JSON array, for jsonb_to_recordset. */
  json: string;
}

/**
 * Packs groups of rows, each kept whole (e.g. one statement's signatures), into chunks of at most
 * CHUNK_ROWS rows (a group without rows counts as one) and CHUNK_CHARS characters of JSON. A group
 * larger than that is a chunk of its own. Rows are serialised once, here.
 */
export function chunkGroups<K>(groups: Iterable<[K, Row[]]>, limits = { rows: CHUNK_ROWS, chars: CHUNK_CHARS }): Chunk<K>[] {
  const chunks: Chunk<K>[] = [];
  let keys: K[] = [];
  let rows: Row[] = [];
  let parts: string[] = [];
  let weight = 0;
  let chars = 0;
  const flush = () => {
    if (keys.length) chunks.push({ keys, rows, json: `[${parts.join(',')}]` });
    keys = [];
    rows = [];
    parts = [];
    weight = 0;
    chars = 0;
  };
  for (const [key, list] of groups) {
    const json = list.map((row) => JSON.stringify(row));
    const groupChars = json.reduce((n, j) => n + j.length + 1, 0);
    const groupWeight = Math.max(1, list.length);
    if (keys.length && (weight + groupWeight > limits.rows || chars + groupChars > limits.chars)) flush();
    keys.push(key);
    for (const row of list) rows.push(row);
    for (const j of json) parts.push(j);
    weight += groupWeight;
    chars += groupChars;
  }
  flush();
  return chunks;
}

/** Rows grouped by a column, groups in the order of `order` first, then of first appearance. */
export function groupRows(rows: Row[], column: string, order: Iterable<string> = []): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const key of order) if (!groups.has(key)) groups.set(key, []);
  for (const row of rows) {
    const key = row[column] as string;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(row);
  }
  return groups;
}

/**
 * Inserts or updates rows by their unique `key` in one statement (per CHUNK_ROWS rows). A soft-deleted record that the
 * rows name is restored (its deleted_at cleared): importing a record means it is in the archive. (rows travel as one jsonb parameter,
 * so there is no bind-parameter limit). A row whose content is unchanged is not written at all;
 * an updated row gets its next version (by trigger). Then one more query maps every key to its id.
 */
export async function upsertByKey(em: EntityManager, table: string, rows: Row[]): Promise<UpsertResult> {
  if (rows.length === 0) return { ids: new Map(), created: 0, updated: 0, unchanged: 0 };
  const columns = [describeTables(em.connection).of(table).columnNamed('key'), ...columnsOf(em, table, rows, ['key'])];
  const names = columns.map((c) => q(c.name));
  const data = columns.filter((c) => c.name !== 'key').map((c) => q(c.name));
  const compared = [...data, '"deleted_at"'];
  let written = 0;
  let created = 0;
  for (const chunk of chunkGroups(rows.map((r, i) => [i, [r]]))) {
    const result: { inserted: boolean }[] = await em.query(
      `INSERT INTO ${q(table)} ("key", ${data.join(', ')}, "version")
       SELECT ${names.join(', ')}, 1 FROM jsonb_to_recordset($1::jsonb) AS r(${recordset(columns)})
       ON CONFLICT ("key") DO UPDATE SET ${data.map((c) => `${c} = excluded.${c}`).join(', ')}, "deleted_at" = NULL, "updated_at" = now()
       WHERE (${compared.map((c) => `${q(table)}.${c}`).join(', ')}) IS DISTINCT FROM (${compared.map((c) => `excluded.${c}`).join(', ')})
       RETURNING (xmax = 0) AS inserted`,
      [chunk.json],
    );
    written += result.length;
    created += result.filter((w) => w.inserted).length;
  }
  const keys = rows.map((r) => r.key as string);
  const found: { id: string; key: string }[] = await em.query(`SELECT id, key FROM ${q(table)} WHERE key = ANY($1)`, [keys]);
  const updated = written - created;
  return { ids: new Map(found.map((f) => [f.key, f.id])), created, updated, unchanged: new Set(keys).size - written };
}

export interface ChildrenSpec {
  table: string;
  /** The column that points at the parent, e.g. statement_id. */
  parent: string;
  /** An extra SQL condition limiting which existing children belong to this sync (e.g. an origin). */
  scope?: string;
}

/**
 * Makes each parent's children exactly `rows`: for every parent whose current children differ
 * (compared as sets of rows, column by column), deletes them and inserts the new ones, in two statements
 * (per chunk of CHUNK_ROWS rows, a parent's children always in one chunk).
 * Parents whose children are unchanged are not written. Returns how many parents changed.
 */
export async function syncChildren(em: EntityManager, spec: ChildrenSpec, parentIds: string[], rows: Row[]): Promise<number> {
  if (parentIds.length === 0) return 0;
  const table = describeTables(em.connection).of(spec.table);
  // The columns the rows name, compared and written; with no rows any child of a parent is a change.
  const columns = columnsOf(em, spec.table, rows, [spec.parent]);
  const scope = spec.scope ? ` AND ${spec.scope}` : '';
  const existing: Row[] = await em.query(
    `SELECT ${[spec.parent, ...columns.map((c) => c.name)].map(q).join(', ')} FROM ${q(spec.table)}
     WHERE ${q(spec.parent)} = ANY($1)${scope}`,
    [parentIds],
  );
  const fingerprint = (list: Row[]) => {
    const byParent = new Map<string, string[]>();
    for (const [parent, group] of groupBy(list, (row) => row[spec.parent] as string)) {
      byParent.set(parent, group.map((row) => JSON.stringify(columns.map((c) => row[c.name] ?? null))));
    }
    return byParent;
  };
  const before = fingerprint(existing);
  const after = fingerprint(rows);
  const same = (a: string[] = [], b: string[] = []) => a.length === b.length && JSON.stringify(a.sort()) === JSON.stringify(b.sort());
  const changed = [...new Set(parentIds)].filter((id) => !same(before.get(id), after.get(id)));
  if (changed.length === 0) return 0;
  const changedSet = new Set(changed);
  const inserted = groupRows(
    rows.filter((r) => changedSet.has(r[spec.parent] as string)),
    spec.parent,
    changed,
  );
  const all = [table.columnNamed(spec.parent), ...columns];
  for (const chunk of chunkGroups(inserted)) {
    await em.query(`DELETE FROM ${q(spec.table)} WHERE ${q(spec.parent)} = ANY($1)${scope}`, [chunk.keys]);
    if (chunk.rows.length) {
      await em.query(
        `INSERT INTO ${q(spec.table)} (${all.map((c) => q(c.name)).join(', ')})
         SELECT ${all.map((c) => q(c.name)).join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${recordset(all)})`,
        [chunk.json],
      );
    }
  }
  return changed.length;
}

export interface KeyedChildrenSpec {
  table: string;
  /** The column that points at the parent, e.g. statement_id. */
  parent: string;
  /** The other columns of the children's unique key, with the parent's (e.g. signatory_id). */
  key: readonly string[];
}

/**
 * Makes each parent's children exactly `rows`, matched by their unique key (a signature by its
 * statement and signatory): children no longer listed are deleted, new ones inserted, changed ones
 * updated in place (their ids, and what refers to them, stay) with their next version (by trigger),
 * unchanged ones not written. Two statements per chunk, a parent's children always in one chunk.
 */
export async function syncChildrenByKey(
  em: EntityManager,
  spec: KeyedChildrenSpec,
  parentIds: string[],
  rows: Row[],
): Promise<{ created: number; updated: number; removed: number; unchanged: number }> {
  const table = describeTables(em.connection).of(spec.table);
  const keyColumns = [spec.parent, ...spec.key].map((name) => table.columnNamed(name));
  const data = columnsOf(em, spec.table, rows, [spec.parent, ...spec.key]);
  const all = [...keyColumns, ...data];
  const names = (columns: readonly ColumnDescription[]) => columns.map((c) => q(c.name)).join(', ');
  const matches = keyColumns.map((c) => `r.${q(c.name)} = t.${q(c.name)}`).join(' AND ');
  let removed = 0;
  let written = 0;
  let created = 0;
  for (const chunk of chunkGroups(groupRows(rows, spec.parent, parentIds))) {
    // The children that stay, by their key only (the delete need not parse the rows' other columns).
    const kept = JSON.stringify(chunk.rows.map((row) => Object.fromEntries(keyColumns.map((c) => [c.name, row[c.name]]))));
    // A CTE, so that the deleted rows are counted by a plain SELECT.
    const gone: { removed: number }[] = await em.query(
      `WITH gone AS (
         DELETE FROM ${q(spec.table)} t WHERE t.${q(spec.parent)} = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS r(${recordset(keyColumns)}) WHERE ${matches})
         RETURNING 1)
       SELECT count(*)::int AS removed FROM gone`,
      [chunk.keys, kept],
    );
    removed += gone[0]?.removed ?? 0;
    if (chunk.rows.length === 0) continue;
    const set = data.map((c) => `${q(c.name)} = excluded.${q(c.name)}`);
    const result: { inserted: boolean }[] = await em.query(
      `INSERT INTO ${q(spec.table)} (${names(all)}, "version")
       SELECT ${names(all)}, 1 FROM jsonb_to_recordset($1::jsonb) AS r(${recordset(all)})
       ON CONFLICT (${names(keyColumns)}) DO UPDATE SET ${[...set, '"updated_at" = now()'].join(', ')}
       WHERE (${data.map((c) => `${q(spec.table)}.${q(c.name)}`).join(', ')}) IS DISTINCT FROM (${data.map((c) => `excluded.${q(c.name)}`).join(', ')})
       RETURNING (xmax = 0) AS inserted`,
      [chunk.json],
    );
    written += result.length;
    created += result.filter((w) => w.inserted).length;
  }
  return { created, updated: written - created, removed, unchanged: rows.length - written };
}
