import type { DataSource } from 'typeorm';
import type { Readiness } from '../http/http-server';
import type { PoolStats } from './metrics';

/** Ready when the database answers and every migration this build knows is applied. One SQL statement. */
export async function checkReadiness(dataSource: DataSource): Promise<Readiness> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  let applied: Set<string>;
  try {
    const rows: { name: string }[] = await dataSource.query(`SELECT "name" FROM "${table}"`);
    applied = new Set(rows.map((row) => row.name));
  } catch {
    return { ready: false, checks: { database: 'unreachable' } };
  }
  const pending = dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
  return pending.length === 0
    ? { ready: true, checks: { database: 'ok', migrations: 'ok' } }
    : { ready: false, checks: { database: 'ok', migrations: `pending: ${pending.join(', ')}` } };
}

interface PgPoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/** The pg pool's figures behind a TypeORM postgres DataSource. */
export function poolStats(dataSource: DataSource): PoolStats | undefined {
  if (!dataSource.isInitialized) return undefined;
  const pool = (dataSource.driver as unknown as { master?: PgPoolLike }).master;
  if (!pool) return undefined;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options?.max ?? 0 };
}
