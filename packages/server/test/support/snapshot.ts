import type { DataSource } from 'typeorm';
import { describeTables } from '../../src/data/tables';

/**
 * Row count and an md5 over every row of every archive table but the history (the table
 * description says which): equal snapshots mean no data changed.
 */
export async function snapshot(dataSource: DataSource): Promise<Record<string, { rows: number; md5: string }>> {
  const result: Record<string, { rows: number; md5: string }> = {};
  for (const table of describeTables(dataSource).all.filter((t) => t.archive && t.name !== 'revision')) {
    const order = table.primaryKey.map((column) => `t."${column}"::text`).join(', ');
    const [row] = await dataSource.query(
      `SELECT count(*)::int AS rows, coalesce(md5(string_agg(t::text, '|' ORDER BY ${order})), '') AS md5 FROM "${table.name}" t`,
    );
    result[table.name] = row;
  }
  return result;
}
