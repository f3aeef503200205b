import type { EntityManager } from 'typeorm';

/** A column written by the bulk helpers: its name and the SQL type jsonb_to_recordset reads it as. */
export interface ColumnSpec {
  name: string;
  type: string;
}

export type Row = Record<string, unknown>;

export interface UpsertResult {
  /** key → id for every row given, written or not. */
  ids: Map<string, string>;
  created: number;
  updated: number;
  unchanged: number;
}

const q = (name: string) => `"${name}"`;
const recordset = (columns: ColumnSpec[]) => columns.map((c) => `${q(c.name)} ${c.type}`).join(', ');

/**
 * Inserts or updates rows by their unique `key` in one statement. A soft-deleted record that the
 * rows name is restored (its deleted_at cleared): importing a record means it is in the archive. (rows travel as one jsonb parameter,
 * so there is no bind-parameter limit). A row whose content is unchanged is not written at all;
 * an updated row gets `version + 1`. Then one more query maps every key to its id.
 */
export async function upsertByKey(em: EntityManager, table: string, columns: ColumnSpec[], rows: Row[]): Promise<UpsertResult> {
  if (rows.length === 0) return { ids: new Map(), created: 0, updated: 0, unchanged: 0 };
  const names = columns.map((c) => q(c.name));
  const data = columns.filter((c) => c.name !== 'key').map((c) => q(c.name));
  const compared = [...data, '"deleted_at"'];
  const written: { inserted: boolean }[] = await em.query(
    `INSERT INTO ${q(table)} ("key", ${data.join(', ')}, "version")
     SELECT ${names.join(', ')}, 1 FROM jsonb_to_recordset($1::jsonb) AS r(${recordset(columns)})
     ON CONFLICT ("key") DO UPDATE SET ${data.map((c) => `${c} = excluded.${c}`).join(', ')}, "deleted_at" = NULL,
       "version" = ${q(table)}."version" + 1, "updated_at" = now()
     WHERE (${compared.map((c) => `${q(table)}.${c}`).join(', ')}) IS DISTINCT FROM (${compared.map((c) => `excluded.${c}`).join(', ')})
     RETURNING (xmax = 0) AS inserted`,
    [JSON.stringify(rows)],
  );
  const keys = rows.map((r) => r.key as string);
  const found: { id: string; key: string }[] = await em.query(`SELECT id, key FROM ${q(table)} WHERE key = ANY($1)`, [keys]);
  const created = written.filter((w) => w.inserted).length;
  const updated = written.length - created;
  return { ids: new Map(found.map((f) => [f.key, f.id])), created, updated, unchanged: new Set(keys).size - written.length };
}

/** The written columns of signatory_alias, shared by the built-in states and bundle aliases. */
export const ALIAS_COLUMNS: ColumnSpec[] = [
  { name: 'name', type: 'text' },
  { name: 'normalized', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'origin', type: 'text' },
];

export interface ChildrenSpec {
  table: string;
  /** The column that points at the parent, e.g. statement_id. */
  parent: string;
  /** The columns written, besides the parent; their values are compared to decide what changed. */
  columns: ColumnSpec[];
  /** An extra SQL condition limiting which existing children belong to this sync (e.g. an origin). */
  scope?: string;
}

/**
 * Makes each parent's children exactly `rows`: for every parent whose current children differ
 * (compared as sets of rows, column by column), deletes them and inserts the new ones, in two statements.
 * Parents whose children are unchanged are not written. Returns how many parents changed.
 */
export async function syncChildren(em: EntityManager, spec: ChildrenSpec, parentIds: string[], rows: Row[]): Promise<number> {
  if (parentIds.length === 0) return 0;
  const cols = spec.columns.map((c) => q(c.name));
  const scope = spec.scope ? ` AND ${spec.scope}` : '';
  const existing: Row[] = await em.query(
    `SELECT ${q(spec.parent)}, ${cols.join(', ')} FROM ${q(spec.table)}
     WHERE ${q(spec.parent)} = ANY($1)${scope}`,
    [parentIds],
  );
  const fingerprint = (list: Row[]) => {
    const byParent = new Map<string, string[]>();
    for (const row of list) {
      const parent = row[spec.parent] as string;
      const values = JSON.stringify(spec.columns.map((c) => row[c.name] ?? null));
      byParent.set(parent, [...(byParent.get(parent) ?? []), values]);
    }
    return byParent;
  };
  const before = fingerprint(existing);
  const after = fingerprint(rows);
  const same = (a: string[] = [], b: string[] = []) => a.length === b.length && JSON.stringify(a.sort()) === JSON.stringify(b.sort());
  const changed = [...new Set(parentIds)].filter((id) => !same(before.get(id), after.get(id)));
  if (changed.length === 0) return 0;
  const changedSet = new Set(changed);
  await em.query(`DELETE FROM ${q(spec.table)} WHERE ${q(spec.parent)} = ANY($1)${scope}`, [changed]);
  const inserted = rows.filter((r) => changedSet.has(r[spec.parent] as string));
  if (inserted.length) {
    const all = [{ name: spec.parent, type: 'uuid' }, ...spec.columns];
    await em.query(
      `INSERT INTO ${q(spec.table)} (${all.map((c) => q(c.name)).join(', ')})
       SELECT ${all.map((c) => q(c.name)).join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${recordset(all)})`,
      [JSON.stringify(inserted)],
    );
  }
  return changed.length;
}
