import type { NodeType } from '../../common/global-id';
import type { Tables } from '../../data/tables';

/**
 * What a revision row says of a change, in SQL over the revision row `r`: one definition for the
 * read engine's rule and the resolver.
 */

/** The record each audited table's rows belong to (evidence: its statement's, else its signature's). */
const RECORD_OF_TABLE: Readonly<Record<string, NodeType>> = {
  statement: 'Statement',
  signature: 'Statement',
  count_claim: 'Statement',
  evidence: 'Statement',
  source: 'Source',
  person: 'Person',
  person_role: 'Person',
  signatory: 'Signatory',
  signatory_alias: 'Signatory',
  signatory_membership: 'Signatory',
};

/** The record tables (keyed, soft-deleting) by type; a signature stands while its statement does. */
const RECORD_TABLES: Readonly<Partial<Record<NodeType, string>>> = { Statement: 'statement', Source: 'source', Person: 'person', Signatory: 'signatory' };

/** Columns that change with every write and say nothing of it. */
const UNTOLD = ['updated_at', 'version'];

/** The transactions all ended: the oldest one still running, as a bigint (pg_current_xact_id's numbering). */
export const ENDED_BEFORE = `(pg_snapshot_xmin(pg_current_snapshot()))::text::bigint`;

/** The change feed's keyset: commit-order safe (see migration ChangeFeed). */
export const changeKeys = (r: string) => [`${r}.txid`, `${r}.id`];

/** A cursor position of the change feed: [transaction, revision], both strings of digits a bigint holds. */
export const isChangePosition = (p: unknown[]) =>
  p.length === 2 && p.every((v) => typeof v === 'string' && /^\d{1,19}$/.test(v) && BigInt(v) <= 9_223_372_036_854_775_807n);

/** The record's type, as text. */
export function recordTypeSql(r: string): string {
  const cases = Object.entries(RECORD_OF_TABLE)
    .map(([table, type]) => `WHEN '${table}' THEN '${type}'`)
    .join(' ');
  return `CASE WHEN ${r}.table_name = 'evidence' AND coalesce(${r}.after, ${r}.before)->>'statement_id' IS NULL THEN 'Signature' ELSE CASE ${r}.table_name ${cases} END END`;
}

/** Whether the record stands now (not deleted, not removed): a public reader sees its key. */
export function recordStandsSql(r: string): string {
  const type = recordTypeSql(r);
  const cases = Object.entries(RECORD_TABLES)
    .map(([name, table]) => `WHEN '${name}' THEN EXISTS (SELECT 1 FROM ${table} x WHERE x.id = ${r}.record_id AND x.deleted_at IS NULL)`)
    .join(' ');
  const signature = `EXISTS (SELECT 1 FROM signature g JOIN statement s ON s.id = g.statement_id AND s.deleted_at IS NULL WHERE g.id = ${r}.record_id)`;
  return `(CASE ${type} ${cases} WHEN 'Signature' THEN ${signature} ELSE false END)`;
}

/** The record's key, while it stands (signatures have none). */
export function recordKeySql(r: string): string {
  const type = recordTypeSql(r);
  const cases = Object.entries(RECORD_TABLES)
    .map(([name, table]) => `WHEN '${name}' THEN (SELECT x.key FROM ${table} x WHERE x.id = ${r}.record_id AND x.deleted_at IS NULL)`)
    .join(' ');
  return `(CASE ${type} ${cases} END)`;
}

/**
 * The API names of the columns an UPDATE changed (sorted), as a text[]; none for an INSERT or a
 * DELETE. Column names become the properties the table description gives them.
 */
export function changedFieldsSql(r: string, tables: Tables): string {
  const properties = new Map<string, string>();
  for (const table of tables.all) for (const column of table.columns) properties.set(column.name, column.property);
  const names = [...properties]
    .filter(([name]) => !UNTOLD.includes(name))
    .map(([name, property]) => `WHEN '${name}' THEN '${property}'`)
    .join(' ');
  return (
    `(CASE WHEN ${r}.action = 'UPDATE' THEN ARRAY(SELECT p FROM (SELECT CASE k ${names} END AS p FROM jsonb_object_keys(${r}.after) AS k ` +
    `WHERE ${r}.after -> k IS DISTINCT FROM ${r}.before -> k) f WHERE p IS NOT NULL ORDER BY p) ELSE ARRAY[]::text[] END)`
  );
}
