/**
 * The scale-out topology the topology tests (packages/server/test/topology/*.topology-spec.ts) run
 * against, all on this machine and brought up by `.ci/services` (as root, from Debian packages):
 *
 * - the primary, PostgreSQL's `main` cluster on 127.0.0.1:5432;
 * - a hot standby streaming from it, the `replica` cluster on 127.0.0.1:5433 (read-only; a database
 *   created on the primary appears there by streaming, as does everything written in it);
 * - pgbouncer on 127.0.0.1:6432, transaction pooling in front of the primary;
 * - Redis on 127.0.0.1:6379.
 *
 * All trust authentication as `postgres`. A test creates its own database on the primary
 * (createTopologyDatabase) and reaches it through all three PostgreSQL URLs.
 */
import { waitFor } from './wait';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export const PRIMARY_PORT = 5432;
export const REPLICA_PORT = 5433;
export const PGBOUNCER_PORT = 6432;
export const REDIS_URL = 'redis://127.0.0.1:6379';

export interface Topology {
  /** The database the URLs name. */
  database: string;
  /** The primary: reads and writes. */
  primaryUrl: string;
  /** The streaming hot standby: reads only (a write fails with SQLSTATE 25006). */
  replicaUrl: string;
  /** pgbouncer in transaction mode, in front of the primary. */
  pgbouncerUrl: string;
  redisUrl: string;
}

/** The three PostgreSQL URLs and Redis's for `database` (no check that it exists). */
export function topologyFor(database = 'test'): Topology {
  const url = (port: number) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return { database, primaryUrl: url(PRIMARY_PORT), replicaUrl: url(REPLICA_PORT), pgbouncerUrl: url(PGBOUNCER_PORT), redisUrl: REDIS_URL };
}

/** The repository's root: this file is packages/server/test/support/topology.ts. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const SERVICES_SCRIPT = path.join(REPO_ROOT, '.ci', 'services');

/** Set by the topology tests' global setup once it has run `.ci/services` for the whole jest run. */
export const TOPOLOGY_READY_ENV = 'JOINTLY_TOPOLOGY_READY';

function run(file: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${[file, ...args].join(' ')} failed (${error.code ?? error.signal ?? error.message}):\n${stderr || stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

let servicesRun: Promise<void> | undefined;

/**
 * Brings the topology up with `.ci/services` (idempotent: a fraction of a second when it is up),
 * once per process, and gives the URLs for `database`. Under jest the topology config's global setup
 * has already run it for every test file (each file has its own module registry, so this module's
 * memory alone would run it once per file).
 */
export async function ensureTopology(database = 'test'): Promise<Topology> {
  if (process.env[TOPOLOGY_READY_ENV] !== '1') {
    servicesRun ??= run('bash', [SERVICES_SCRIPT], 10 * 60_000).then(
      () => undefined,
      (error: unknown) => {
        servicesRun = undefined;
        throw error;
      },
    );
    await servicesRun;
  }
  return topologyFor(database);
}

// ---------------------------------------------------------------------------------------------
// Small tools

export { sleep } from './wait';

/** waitFor, polling every 10 ms by default (replication is quick to watch). */
export const eventually = <T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 10): Promise<T> =>
  waitFor(what, check, timeoutMs, everyMs);

/** Runs fn on a fresh connection to `url`, then closes it. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'jointly-topology-test' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The error connecting to `url` gives, or undefined when the connection succeeds (and is closed again). */
export async function connectError(url: string): Promise<(Error & { code?: string }) | undefined> {
  try {
    await withClient(url, async () => undefined);
    return undefined;
  } catch (error) {
    return error as Error & { code?: string };
  }
}

/** An LSN (`16/B374D848`) as a number, for comparing. */
export function lsnValue(lsn: string): bigint {
  const match = /^([0-9A-F]+)\/([0-9A-F]+)$/i.exec(lsn);
  if (!match) throw new Error(`not an LSN: ${lsn}`);
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

// ---------------------------------------------------------------------------------------------
// Databases

export interface TopologyDatabase extends Topology {
  /** Drops it on the primary (the replica follows), disconnecting whoever is still connected. */
  drop(): Promise<void>;
}

/**
 * A new, empty database `name` on the primary (dropped first if it exists), returned once the
 * replica has it too and accepts connections to it.
 */
export async function createTopologyDatabase(name: string): Promise<TopologyDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = await ensureTopology('postgres');
  await withClient(admin.primaryUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const topology = topologyFor(name);
  await eventually(`database ${name} on the replica`, async () => (await connectError(topology.replicaUrl)) === undefined, 30_000, 20);
  return {
    ...topology,
    drop: () => withClient(admin.primaryUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

// ---------------------------------------------------------------------------------------------
// The replica

/** The PostgreSQL version whose `replica` cluster .ci/services made (/etc/postgresql/<version>/replica). */
export function replicaVersion(): string {
  const version = readdirSync('/etc/postgresql').find((v) => existsSync(`/etc/postgresql/${v}/replica`));
  if (!version) throw new Error('there is no replica cluster in /etc/postgresql: run .ci/services (ensureTopology) first');
  return version;
}

const pgCtlCluster = (action: string, ...args: string[]) =>
  run('pg_ctlcluster', ['--skip-systemctl-redirect', replicaVersion(), 'replica', action, ...args], 120_000);

const replicaAdminUrl = () => topologyFor('postgres').replicaUrl;
const primaryAdminUrl = () => topologyFor('postgres').primaryUrl;

/** Stops the replica (fast shutdown) and waits until its port refuses connections. */
export async function stopReplica(timeoutMs = 30_000): Promise<void> {
  await pgCtlCluster('stop', '-m', 'fast');
  await eventually('the replica to refuse connections', async () => (await connectError(replicaAdminUrl()))?.code === 'ECONNREFUSED', timeoutMs, 20);
}

/** Starts the replica (when it is not running) and waits until it accepts connections, in recovery. */
export async function startReplica(timeoutMs = 60_000): Promise<void> {
  if ((await connectError(replicaAdminUrl()))?.code === 'ECONNREFUSED') await pgCtlCluster('start');
  await eventually(
    'the replica to accept connections as a standby',
    async () => {
      try {
        return await withClient(replicaAdminUrl(), async (c) => (await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]!.r);
      } catch {
        return false;
      }
    },
    timeoutMs,
    20,
  );
}

/** The primary's current WAL write position (pg_current_wal_lsn()). */
export function primaryLsn(): Promise<string> {
  return withClient(primaryAdminUrl(), async (c) => (await c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn);
}

/** How far the replica has replayed the primary's WAL (pg_last_wal_replay_lsn()). */
export function replicaReplayLsn(): Promise<string> {
  return withClient(replicaAdminUrl(), async (c) => {
    const lsn = (await c.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')).rows[0]!.lsn;
    if (lsn === null) throw new Error('the replica has replayed nothing: is it a standby?');
    return lsn;
  });
}

/** Waits until the replica has replayed the primary's WAL up to `lsn` (e.g. primaryLsn() after a write); its replay position. */
export async function waitForReplay(lsn: string, timeoutMs = 10_000): Promise<string> {
  const target = lsnValue(lsn);
  return eventually(
    `the replica to replay up to ${lsn}`,
    async () => {
      try {
        const replayed = await replicaReplayLsn();
        return lsnValue(replayed) >= target && replayed;
      } catch {
        return false;
      }
    },
    timeoutMs,
    10,
  );
}

/**
 * How many statements the replica has run in `database` since it was created: the sum of
 * pg_stat_statements' `calls` for that database's entries, read on the replica (whose
 * shared_preload_libraries loads pg_stat_statements; .ci/services creates the view in the primary's
 * `postgres` database, from where it streams). Every statement counts, BEGIN and COMMIT included; the
 * count is exact and immediate (no statistics flush interval), and this reading itself is not
 * counted (it runs in `postgres`). Used to prove that reads land on the replica: take it before and
 * after. pg_stat_database's xact_commit was not used: a standby's backend flushes it only once its
 * session touched a table or ended.
 */
export function replicaStatementCount(database: string): Promise<number> {
  return withClient(replicaAdminUrl(), async (c) => {
    const result = await c.query<{ n: number }>(
      `SELECT coalesce(sum(s.calls), 0)::int AS n FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1`,
      [database],
    );
    return result.rows[0]!.n;
  });
}
