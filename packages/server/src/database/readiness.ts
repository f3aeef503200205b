import type { DataSource } from 'typeorm';
import type { ChangeFeed } from './change-feed';
import type { PoolStats } from '../observability/metrics';
import type { ReplicaStatus } from './replicas';

/** What GET /readyz reports: ready to serve, or why not. */
export interface Readiness {
  ready: boolean;
  /** Ready, but short of something (the change feed is down: the response cache is off). */
  degraded?: boolean;
  checks: Record<string, 'ok' | string>;
}

export interface ReadinessOptions {
  /** The answer's own deadline: a database that does not answer by then is reported, not waited for. */
  timeoutMs: number;
  /** The response cache's change feed, when there is a cache. */
  changeFeed?: Pick<ChangeFeed, 'reliable'> | undefined;
  /** The read replicas, when there are any: one lagging or down degrades, never unreadies (the primary answers reads then). */
  replicas?: () => ReplicaStatus[];
  /** Whether the shared Redis answers, when there is one: down degrades (limits count per instance, the shared cache is skipped). */
  redis?: () => boolean;
}

/** The checks of what helps but is not needed to answer: the change feed, the replicas, Redis. */
function helpers(options: ReadinessOptions): Record<string, string> {
  const checks: Record<string, string> = {};
  if (options.changeFeed) checks.changeFeed = options.changeFeed.reliable() ? 'ok' : 'down';
  if (options.redis) checks.redis = options.redis() ? 'ok' : 'down';
  for (const [i, replica] of (options.replicas?.() ?? []).entries()) {
    checks[`replica${i + 1}`] =
      replica.state === 'ok' ? 'ok' : replica.state === 'lagging' ? `lagging ${replica.lagMs ?? '?'} ms behind (${replica.location}); reads go elsewhere` : `down (${replica.location}); reads go elsewhere`;
  }
  return checks;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Ready when the database answers within the deadline and every migration this build knows is
 * applied (one SQL statement). A change feed that is down does not make the server unready — every
 * answer then comes from the database, so none is stale — but it is reported as `degraded`; so is a
 * read replica lagging or down (the others or the primary answer its reads) and a Redis that does
 * not answer.
 */
export async function checkReadiness(dataSource: DataSource, options: ReadinessOptions): Promise<Readiness> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const feed = helpers(options);
  let applied: Set<string>;
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), options.timeoutMs)));
    // A check left behind by the deadline ends with the pool's own timeouts; its answer is ignored.
    const query = dataSource.query(`SELECT "name" FROM "${table}"`) as Promise<{ name: string }[]>;
    query.catch(() => undefined);
    const rows = await Promise.race([query, deadline]);
    if (rows === TIMED_OUT) return { ready: false, checks: { database: `no answer within ${options.timeoutMs} ms`, ...feed } };
    applied = new Set(rows.map((row) => row.name));
  } catch {
    return { ready: false, checks: { database: 'unreachable', ...feed } };
  } finally {
    clearTimeout(timer);
  }
  const pending = dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
  if (pending.length > 0) return { ready: false, checks: { database: 'ok', migrations: `pending: ${pending.join(', ')}`, ...feed } };
  const degraded = Object.values(feed).some((state) => state !== 'ok');
  return { ready: true, ...(degraded && { degraded: true }), checks: { database: 'ok', migrations: 'ok', ...feed } };
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
