import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { createDataSource, type DataSourceOptions } from './data-source';
import type { SqlCounter } from './sql-counter';

/**
 * Read replicas (JOINTLY_READ_REPLICA_URLS): read queries go to a healthy streaming replica, writes
 * and the reads of a mutation's payload to the primary.
 *
 * Every `intervalMs` the router samples the primary's WAL position and each replica's replayed
 * position. A replica's lag is the age of the oldest primary sample it has not replayed yet (0 when
 * it has replayed the newest): how old its data may be. Over `maxLagMs`, unreachable, or not in
 * recovery, it is skipped; with none healthy, the primary answers every read.
 *
 * Read-your-writes: a write's answer carries the primary's WAL position after its commit
 * (`Jointly-WAL-Position`); a read that sends it back is answered by a replica that has replayed
 * that far — known from the samples, or polled for up to `waitMs` — else by the primary.
 */

/** A WAL position as PostgreSQL writes it (`16/B374D848`): two hexadecimal halves of a 64-bit offset. */
const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** A WAL position as a number; undefined for anything else (a header is the client's, and may be anything). */
export function parseLsn(text: string | undefined | null): bigint | undefined {
  const match = LSN.exec(text?.trim() ?? '');
  return match ? (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`) : undefined;
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** The response header a write's answer carries, and the request header a later read sends it back in. */
export const WAL_POSITION_HEADER = 'jointly-wal-position';

export interface ReplicaStatus {
  /** The replica's URL without credentials. */
  location: string;
  state: 'ok' | 'lagging' | 'down';
  /** How old its data may be, in milliseconds (when it answered). */
  lagMs?: number;
  /** The WAL position it has replayed (when it answered). */
  replayed?: string;
  /** Reads it has answered since start. */
  reads: number;
}

interface Replica {
  location: string;
  options: DataSourceOptions;
  dataSource?: DataSource;
  sql?: SqlCounter;
  opening?: Promise<void>;
  replayed?: bigint;
  lagMs?: number;
  up: boolean;
  reads: number;
}

/** Where a read runs: the DataSource, and the replica's index when it is one. */
export interface ReadTarget {
  dataSource: DataSource;
  replica?: number;
  /** The replica's replayed position when it was chosen (a lower bound of what the answer reflects). */
  replayed?: bigint;
}

export interface ReadRouterOptions {
  maxLagMs: number;
  waitMs: number;
  /** How often positions are sampled. */
  intervalMs?: number;
  log: { warn(details: Record<string, unknown>, message: string): void; info(details: Record<string, unknown>, message: string): void };
  /** Called with each replica's DataSource once it is open (the per-request connection limits). */
  onOpen?: (dataSource: DataSource) => void;
}

const POLL_MS = 10;

export class ReadRouter {
  private readonly replicas: Replica[];
  /** The primary's WAL positions, oldest first, with when they were read. */
  private readonly samples: { at: number; lsn: bigint }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;
  private next = 0;
  private closed = false;
  primaryReads = 0;

  constructor(
    private readonly primary: DataSource,
    replicas: { location: string; options: DataSourceOptions }[],
    private readonly options: ReadRouterOptions,
  ) {
    this.replicas = replicas.map((r) => ({ ...r, up: false, reads: 0 }));
  }

  /** Samples once (so that the first reads already know the replicas), then every intervalMs. */
  async start(): Promise<void> {
    await this.sample();
    const tick = () => {
      if (this.closed) return;
      this.sampling = this.sample().finally(() => {
        this.timer = setTimeout(tick, this.options.intervalMs ?? 500);
        this.timer.unref();
      });
    };
    this.timer = setTimeout(tick, this.options.intervalMs ?? 500);
    this.timer.unref();
  }

  get size(): number {
    return this.replicas.length;
  }

  /** The DataSource a read runs on, given the WAL position the client last wrote at (if any). */
  async readTarget(position?: bigint): Promise<ReadTarget> {
    const healthy = this.healthy();
    if (healthy.length === 0) return this.onPrimary();
    if (position === undefined) return this.pick(healthy);
    const caughtUp = healthy.filter((i) => (this.replicas[i]!.replayed ?? 0n) >= position);
    if (caughtUp.length) return this.pick(caughtUp);
    // The one furthest ahead is polled until it has replayed that far, for at most waitMs.
    const best = healthy.reduce((a, b) => ((this.replicas[b]!.replayed ?? 0n) > (this.replicas[a]!.replayed ?? 0n) ? b : a));
    const deadline = Date.now() + this.options.waitMs;
    while (Date.now() < deadline) {
      const replayed = await this.replayedBy(this.replicas[best]!).catch(() => undefined);
      if (replayed === undefined) break;
      if (replayed >= position) return this.pick([best]);
      await sleep(POLL_MS);
    }
    return this.onPrimary();
  }

  private floor: { generation: number; lsn?: bigint } = { generation: -1 };

  /**
   * The data changed (the response cache's generation is now `generation`): a replica's answer may
   * be cached again only once it has replayed the primary's position after that change. `lsn` when
   * known (this process's own commit), else read from the primary.
   */
  changed(generation: number, lsn?: string): void {
    this.floor = { generation, ...(lsn !== undefined && { lsn: parseLsn(lsn) }) };
    if (lsn !== undefined) return;
    this.walPosition().then(
      (position) => {
        if (this.floor.generation === generation) this.floor = { generation, lsn: parseLsn(position) };
      },
      () => undefined,
    );
  }

  /** Whether an answer read at `target`, at cache generation `generation`, reflects every change up to that generation. */
  cacheable(target: ReadTarget, generation: number): boolean {
    if (target.replica === undefined) return true;
    return this.floor.generation === generation && this.floor.lsn !== undefined && target.replayed !== undefined && target.replayed >= this.floor.lsn;
  }

  /** The primary's WAL position now: what a write's answer carries after its commit. */
  async walPosition(): Promise<string> {
    const rows: { lsn: string }[] = await this.primary.query(`SELECT pg_current_wal_lsn()::text AS lsn`);
    return rows[0]!.lsn;
  }

  status(): ReplicaStatus[] {
    const healthy = new Set(this.healthy());
    return this.replicas.map((r, i) => ({
      location: r.location,
      state: !r.up ? 'down' : healthy.has(i) ? 'ok' : 'lagging',
      ...(r.up && r.lagMs !== undefined && { lagMs: r.lagMs }),
      ...(r.up && r.replayed !== undefined && { replayed: formatLsn(r.replayed) }),
      reads: r.reads,
    }));
  }

  /** The replicas' DataSources that are open (for the per-request connection limits and metrics). */
  dataSources(): DataSource[] {
    return this.replicas.flatMap((r) => (r.dataSource?.isInitialized ? [r.dataSource] : []));
  }

  /** SQL statements the replicas ran. */
  statements(): number {
    return this.replicas.reduce((n, r) => n + (r.sql?.total ?? 0), 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.sampling?.catch(() => undefined);
    await Promise.all(this.replicas.map((r) => (r.dataSource?.isInitialized ? r.dataSource.destroy() : undefined)));
  }

  private onPrimary(): ReadTarget {
    this.primaryReads++;
    return { dataSource: this.primary };
  }

  private pick(candidates: number[]): ReadTarget {
    const index = candidates[this.next++ % candidates.length]!;
    const replica = this.replicas[index]!;
    replica.reads++;
    return { dataSource: replica.dataSource!, replica: index, ...(replica.replayed !== undefined && { replayed: replica.replayed }) };
  }

  private healthy(): number[] {
    return this.replicas.flatMap((r, i) => (r.up && r.dataSource?.isInitialized && (r.lagMs ?? Infinity) <= this.options.maxLagMs ? [i] : []));
  }

  private async replayedBy(replica: Replica): Promise<bigint | undefined> {
    const rows: { standby: boolean; replayed: string | null }[] = await replica.dataSource!.query(
      `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed`,
    );
    const row = rows[0]!;
    if (!row.standby) throw new Error('not a standby (pg_is_in_recovery() is false)');
    const replayed = parseLsn(row.replayed);
    if (replayed !== undefined && (replica.replayed === undefined || replayed > replica.replayed)) replica.replayed = replayed;
    return replayed;
  }

  private async open(replica: Replica): Promise<void> {
    const { dataSource, sql } = createDataSource(replica.options);
    await dataSource.initialize();
    this.options.onOpen?.(dataSource);
    replica.dataSource = dataSource;
    replica.sql = sql;
  }

  private async sample(): Promise<void> {
    const at = Date.now();
    try {
      const rows: { lsn: string }[] = await this.primary.query(`SELECT pg_current_wal_lsn()::text AS lsn`);
      this.samples.push({ at, lsn: parseLsn(rows[0]!.lsn)! });
    } catch {
      // The primary is the readiness check's business; the replicas' lags are measured against the last samples.
    }
    // Enough samples to tell a lag of maxLagMs, and a few more.
    while (this.samples.length > 2 && at - this.samples[1]!.at > this.options.maxLagMs + 5 * (this.options.intervalMs ?? 500)) this.samples.shift();
    await Promise.all(this.replicas.map((replica) => this.check(replica, at)));
  }

  private async check(replica: Replica, at: number): Promise<void> {
    const wasUp = replica.up;
    try {
      if (!replica.dataSource) await (replica.opening ??= this.open(replica).finally(() => (replica.opening = undefined)));
      const replayed = await this.replayedBy(replica);
      if (replayed === undefined) throw new Error('no WAL replayed yet');
      // The oldest primary position it has not replayed: its data is at least that old.
      const behind = this.samples.find((s) => s.lsn > replayed);
      replica.lagMs = behind ? Math.max(0, at - behind.at) : 0;
      replica.up = true;
      if (!wasUp) this.options.log.info({ replica: replica.location, lagMs: replica.lagMs }, `read replica ${replica.location} answers; reads go to it again`);
    } catch (error) {
      replica.up = false;
      if (wasUp) this.options.log.warn({ replica: replica.location, reason: (error as Error).message }, `read replica ${replica.location} does not answer; reads go elsewhere`);
    }
  }
}
