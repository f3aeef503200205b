import type { DataSource } from 'typeorm';

const TABLES = ['source', 'person', 'person_role', 'signatory', 'signatory_alias', 'signatory_membership', 'statement', 'signature', 'count_claim', 'evidence'];

/** Row count and an md5 over every row of every table: equal snapshots mean no data changed. */
export async function snapshot(dataSource: DataSource): Promise<Record<string, { rows: number; md5: string }>> {
  const result: Record<string, { rows: number; md5: string }> = {};
  for (const table of TABLES) {
    const [row] = await dataSource.query(
      `SELECT count(*)::int AS rows, coalesce(md5(string_agg(t::text, '|' ORDER BY t.id::text)), '') AS md5
       FROM (SELECT * FROM "${table}") t`.replace('ORDER BY t.id::text', table === 'signatory_membership' ? 'ORDER BY t::text' : 'ORDER BY t.id::text'),
    );
    result[table] = row;
  }
  return result;
}
