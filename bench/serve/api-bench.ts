/**
 * The API benchmark of one size: archive → fixtures → the three servers → equality checks → SQL per
 * request → load (warm-up, interleaved rounds, half-saturation rate) → results.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { machine, postgresSettings, withClient } from '../environment';
import { createPostGraphileHelpers, ensureArchive, OUT, type ArchiveInfo } from './archive';
import { Candidate, dialectOf, isJointly, type CandidateName, type Dialect } from './candidates';
import { fetchDeepCursors, readFixtures } from './fixtures';
import { percentile, runSequence, runStatic, runWriteMix, type LoadRun, type WriteMixState } from './load';
import { buildMixPool, MixSequence, type MixDescription, type MixPool } from './mix';
import { ResponseError, workloads, writeMixBody, writeMixResult, type Fixtures, type GraphQLBody, type Workload } from './queries';
import type { GenerateOptions } from '../import/generate';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

export interface ApiBenchOptions {
  label: string;
  generate: GenerateOptions;
  adminUrl: string;
  /** Workload ids or groups to run (Q1, Q2-deep…); all when empty. */
  only: string[];
  connections: number;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  halfSeconds: number;
  poolSize: number;
  rebuild: boolean;
}

export interface HalfRun {
  /** The rate asked of autocannon (overallRate): half the saturated req/s. */
  rate: number;
  rps: number;
  p50: number;
  p99: number;
  /** autocannon's p99, corrected for coordinated omission (whole ms). */
  p99Corrected: number;
  errors: number;
  non2xx: number;
  graphqlErrors: number;
}

export interface CandidateResult {
  rps: number;
  rpsRounds: number[];
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  graphqlErrors: number;
  /** Mean response size (headers and body), bytes. */
  bytesPerResponse: number;
  half?: HalfRun;
  /**
   * SQL statements per executed request (transaction control excluded), counted over sequential
   * requests. Jointly with its response cache: the figure of the same server with the cache off
   * (every request executed), so cache hits do not lower it; `sqlPerMiss` is its own figure.
   */
  sqlPerRequest?: number;
  /** Jointly with its response cache: SQL statements over the measured rounds ÷ cache misses in them. */
  sqlPerMiss?: number;
  /** Jointly with its response cache: memory held by cached responses after the rounds (jointly_response_cache_bytes), MB. */
  cacheMb?: number;
  /** MIX: requests drawn from the mix for this server by the end of the measured rounds (warm-up included), and the distinct ones among them. */
  sentRequests?: number;
  distinctRequests?: number;
  /** Write mix: SQL of a read and of a write alone. */
  sqlRead?: number;
  sqlWrite?: number;
  /** Peak RSS during this workload (VmHWM after a reset), MB. */
  peakRssMb: number;
  /** Jointly with its response cache: the share of its lookups in the measured rounds that hit (jointly_response_cache_lookups_total). */
  cacheHitRatio?: number;
  writes?: number;
  conflicts?: number;
}

export interface WorkloadResult {
  id: string;
  group: string;
  title: string;
  candidates: Partial<Record<CandidateName, CandidateResult>>;
}

export interface ApiBenchResult {
  label: string;
  at: string;
  seconds: number;
  loadAverage: { start: number; end: number };
  machine: { nproc: string; cpu: string; memoryGb: number; node: string; platform: string };
  postgres: Record<string, string>;
  versions: Record<string, string>;
  /** `order`: the servers measured, in the order of every round. */
  settings: { connections: number; rounds: number; seconds: number; warmupSeconds: number; halfSeconds: number; poolSize: number; order: CandidateName[] };
  archive: Omit<ArchiveInfo, 'url'>;
  fixtures: Fixtures;
  deepCursors: Record<Dialect, string>;
  sqlSource: Partial<Record<CandidateName, string>>;
  checks: { workload: string; label: string }[];
  workloads: WorkloadResult[];
  /** SQL statements of one request, per workload and server (Jointly's from a JOINTLY_LOG_SQL=true instance). */
  sqlTexts: Record<string, Partial<Record<CandidateName, string[]>>>;
  rss: Partial<Record<CandidateName, { startMb: number; peakMb: number }>>;
  /** After the read mix: each server's RSS (VmRSS), and Jointly's cached responses, MB. */
  rssAfterMix?: Partial<Record<CandidateName, { rssMb: number; cacheMb?: number }>>;
  /** The read mix's pool and how requests are drawn from it. */
  mix?: MixDescription;
  /** Servers that exited during the run (something else on the shared machine), and what was done. */
  incidents: string[];
}

function versions(): Record<string, string> {
  const version = (pkg: string) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'packages'], { encoding: 'utf8' }).trim();
    if (dirty) commit += ' + uncommitted changes in packages/';
  } catch {
    // not a git checkout
  }
  return {
    jointly: `${version('@jointly/server')} (${commit})`,
    '@apollo/server': version('@apollo/server'),
    'type-graphql': version('type-graphql'),
    typeorm: version('typeorm'),
    postgraphile: version('postgraphile'),
    grafast: version('grafast'),
    pg: version('pg'),
    graphql: version('graphql'),
    autocannon: version('autocannon'),
  };
}

async function post(c: Candidate, body: GraphQLBody, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(c.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new ResponseError(`${c.name}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as unknown;
}

/** The first place where two canonical answers differ, as a path and both values. */
function firstDifference(a: unknown, b: unknown, at = '$'): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${at}[${i}]`);
      if (d) return d;
    }
    return `${at}: lengths ${a.length} and ${b.length}`;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
      if (d) return d;
    }
  }
  return `${at}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
}

export class MismatchError extends Error {}

async function checkEquality(
  list: Workload[],
  active: CandidateName[],
  servers: Partial<Record<CandidateName, Candidate>>,
  f: Fixtures,
  token: string,
): Promise<{ workload: string; label: string }[]> {
  const done: { workload: string; label: string }[] = [];
  for (const w of list) {
    for (const check of w.checks) {
      const answers = {} as Record<CandidateName, unknown>;
      for (const c of active) answers[c] = check.canonical(c, await post(servers[c]!, check.bodies[dialectOf(c)]));
      for (const c of active) {
        if (c === 'jointly') continue;
        const d = firstDifference(answers.jointly, answers[c]);
        if (d) throw new MismatchError(`${w.id} (${check.label}): ${c} differs from Jointly at ${d}`);
      }
      const size = JSON.stringify(answers.jointly).length;
      if (size < 20 && !check.expectEmpty) log(`  warning: ${w.id} (${check.label}) answers are nearly empty: ${JSON.stringify(answers.jointly)}`);
      done.push({ workload: w.id, label: check.label });
    }
    if (w.writeMix) {
      // Read, update at the version read, read again: the same observable outcome on every server.
      const key = f.writeTargets[0]!;
      const outcome = {} as Record<CandidateName, unknown>;
      for (const c of active) {
        const server = servers[c]!;
        const before = writeMixResult(c, 'read', await post(server, writeMixBody(c, 'read', key, 0, '')));
        if (before.error || before.version === undefined) throw new MismatchError(`Q5: ${c} could not read ${key}: ${before.error}`);
        const item = `equality check ${c}`;
        const headers: Record<string, string> = isJointly(c) ? { authorization: `Bearer ${token}` } : {};
        const written = writeMixResult(c, 'write', await post(server, writeMixBody(c, 'write', key, before.version, item), headers));
        const after = writeMixResult(c, 'read', await post(server, writeMixBody(c, 'read', key, 0, '')));
        const stale = writeMixResult(c, 'write', await post(server, writeMixBody(c, 'write', key, before.version, 'stale'), headers));
        outcome[c] = {
          written: { key: written.key, versionStep: (written.version ?? NaN) - before.version, agendaItemSet: written.agendaItem === item, error: written.error },
          readBack: { versionStep: (after.version ?? NaN) - before.version, agendaItemSet: after.agendaItem === item },
          staleWrite: c === 'postgraphile' ? 'not checked (no optimistic locking)' : stale.error ?? 'accepted',
        };
      }
      const strip = (o: unknown) => ({ ...(o as Record<string, unknown>), staleWrite: undefined });
      for (const c of active) {
        const d = firstDifference(strip(outcome.jointly), strip(outcome[c]));
        if (d) throw new MismatchError(`Q5 (read, update, read): ${c} differs from Jointly at ${d}`);
      }
      for (const c of active.filter((x) => x !== 'postgraphile')) {
        if ((outcome[c] as { staleWrite: string }).staleWrite !== 'CONFLICT') {
          throw new MismatchError(`Q5: ${c} accepted (or failed otherwise on) a write at a stale version: ${JSON.stringify(outcome[c])}`);
        }
      }
      done.push({ workload: w.id, label: 'read, update at the version read, read again; a stale update is a CONFLICT' });
    }
  }
  return done;
}

async function loadVersions(url: string, keys: string[]): Promise<Map<string, number>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query(`SELECT key, version FROM statement WHERE key = ANY($1)`, [keys]);
    return new Map(rows.map((r: { key: string; version: number }) => [r.key, r.version]));
  });
}

export async function runApiBench(o: ApiBenchOptions): Promise<ApiBenchResult> {
  const startedAt = performance.now();
  const loadStart = os.loadavg()[0]!;
  const archive = await ensureArchive(o.adminUrl, o.label, o.generate, o.rebuild);
  await createPostGraphileHelpers(archive.url);

  // Jointly's write token, created with the CLI before the server starts.
  await withClient(archive.url, (client) => client.query(`DELETE FROM api_token WHERE name = 'bench'`));
  const token = execFileSync(process.execPath, [path.join(ROOT, 'packages', 'cli', 'dist', 'bin.js'), 'token', 'create', '--name', 'bench', '--role', 'editor'], {
    env: { ...process.env, DATABASE_URL: archive.url },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();

  const fixtures = await readFixtures(archive.url, { q1First: 50, historyPage: 20, searchPage: 20 });
  const logDir = path.join(OUT, 'logs', o.label);
  const servers: Partial<Record<CandidateName, Candidate>> = {};
  const rss: ApiBenchResult['rss'] = {};
  const active: CandidateName[] = [];
  let logSqlJointly: Candidate | undefined;
  const start = async (c: CandidateName) => {
    log(`starting ${c}`);
    const server = await Candidate.start(c, { databaseUrl: archive.url, poolSize: o.poolSize, logDir });
    servers[c] = server;
    rss[c] = { startMb: server.rssMb(), peakMb: 0 };
    active.push(c);
    return server;
  };
  try {
    const jointly = await start('jointly');
    // A response cache answers repeated identical requests without running them: measure Jointly
    // with it (as configured) and without it (like the other two servers).
    const hasCache = (await jointly.metrics())?.cacheHits !== undefined;
    if (hasCache) await start('jointly-nocache');
    const postgraphile = await start('postgraphile');
    await start('limit');
    // Measured and listed with Jointly's cache-off instance first: its figures are the headline.
    const order: CandidateName[] = hasCache ? ['jointly-nocache', 'postgraphile', 'limit', 'jointly'] : ['jointly', 'postgraphile', 'limit'];
    active.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const paged = await fetchDeepCursors(fixtures, jointly, postgraphile);
    const all = workloads(fixtures);
    const selected = o.only.length ? all.filter((w) => o.only.includes(w.id) || o.only.includes(w.group)) : all;
    if (selected.length === 0) throw new Error(`--only ${o.only.join(',')} selects no workload (have ${all.map((w) => w.id).join(', ')})`);

    log(`checking that the servers (${active.join(', ')}) return the same data`);
    const checks = await checkEquality(selected, active, servers, fixtures, token);
    log(`  ${checks.length} checks passed`);

    // The read mix: its pool is checked on every server but Jointly with its cache, whose cache stays empty until measured.
    let mixPool: MixPool | undefined;
    let mixDescription: MixDescription | undefined;
    if (selected.some((w) => w.mix)) {
      const checkOn = active.filter((c) => !(c === 'jointly' && hasCache));
      log(`building the read mix, every request checked on ${checkOn.join(', ')}`);
      const built = await buildMixPool(fixtures, checkOn, dialectOf, (c, b) => post(servers[c]!, b), (label, answers) => {
        for (const c of checkOn.slice(1)) {
          const d = firstDifference(answers[checkOn[0]!], answers[c]);
          if (d) throw new MismatchError(`${label}: ${c} differs from ${checkOn[0]} at ${d}`);
        }
      });
      mixPool = built.pool;
      mixDescription = built.description;
      const n = built.description.distinct;
      log(`  ${built.description.checked} requests checked: Q0 ${n.Q0}, Q1 pages ${n.Q1}, Q2 pages ${n.Q2}, Q3 ${n.Q3}`);
      checks.push({ workload: 'MIX', label: `${built.description.checked} distinct requests (Q0 ${n.Q0}, Q1 pages ${n.Q1}, Q2 pages ${n.Q2}, Q3 ${n.Q3})` });
    }
    let rssAfterMix: ApiBenchResult['rssAfterMix'];

    // SQL statements per request: sequential requests, counter read before and after.
    const jointlyMetric = (await jointly.sqlTotal()) !== undefined;
    const sqlSource: ApiBenchResult['sqlSource'] = {};
    for (const c of active) {
      sqlSource[c] = isJointly(c) ? (jointlyMetric ? 'jointly_sql_statements_total (GET /metrics)' : 'JOINTLY_LOG_SQL=true instance (stderr `sql:` lines)') : 'its pg client, wrapped';
    }
    logSqlJointly = await Candidate.start('jointly', { databaseUrl: archive.url, poolSize: 2, logDir, logSql: true, tag: 'log-sql' });
    const logSql = logSqlJointly;
    const sqlTexts: ApiBenchResult['sqlTexts'] = {};
    const results: WorkloadResult[] = [];
    const writeHeaders = { authorization: `Bearer ${token}` };
    const sqlOf = async (c: CandidateName, requests: { body: GraphQLBody; headers?: Record<string, string> }[]): Promise<number> => {
      const server = isJointly(c) && !jointlyMetric ? logSql : servers[c]!;
      if (server === logSql) {
        await sleep(50);
        server.takePrinted();
        for (const r of requests) await post(server, r.body, r.headers);
        await sleep(100);
        return server.takePrinted().length / requests.length;
      }
      const before = (await server.sqlTotal())!;
      for (const r of requests) await post(server, r.body, r.headers);
      return ((await server.sqlTotal())! - before) / requests.length;
    };
    const textsOf = async (c: CandidateName, body: GraphQLBody, headers?: Record<string, string>): Promise<string[]> => {
      if (isJointly(c)) {
        await sleep(50);
        logSql.takePrinted();
        await post(logSql, body, headers);
        await sleep(100);
        return logSql.takePrinted();
      }
      await servers[c]!.capturedSql();
      await post(servers[c]!, body, headers);
      return servers[c]!.capturedSql();
    };

    const incidents: string[] = [];
    for (const w of selected) {
      log(`\n${w.id}: ${w.title}`);
      for (const c of active) {
        if (servers[c]!.alive) continue;
        const note = `before ${w.id}: ${c} had exited (${servers[c]!.exitStatus}); restarted`;
        log(`  ${note}`);
        incidents.push(note);
        servers[c] = await Candidate.start(c, { databaseUrl: archive.url, poolSize: o.poolSize, logDir, tag: `restart-${incidents.length}` });
      }
      const result: WorkloadResult = { id: w.id, group: w.group, title: w.title, candidates: {} };
      const state: Partial<Record<CandidateName, WriteMixState>> = {};
      const fresh = async (c: CandidateName): Promise<WriteMixState> => ({
        targets: fixtures.writeTargets,
        versions: await loadVersions(archive.url, fixtures.writeTargets),
        writeHeaders: isJointly(c) ? writeHeaders : {},
        reads: 0,
        writes: 0,
      });
      const sequences: Partial<Record<CandidateName, MixSequence>> = {};
      const load = async (c: CandidateName, seconds: number, overallRate?: number): Promise<LoadRun> => {
        const options = { url: servers[c]!.url, connections: o.connections, seconds, overallRate };
        if (w.mix) {
          // One sequence per server, continued from warm-up to rounds to the half-saturation run.
          const sequence = (sequences[c] ??= new MixSequence(mixPool!));
          const d = dialectOf(c);
          return runSequence(options, () => sequence.next().json[d]);
        }
        if (w.writeMix) {
          state[c] ??= await fresh(c);
          // Versions may have moved under another server's writes: read them again.
          state[c]!.versions = await loadVersions(archive.url, fixtures.writeTargets);
          return runWriteMix(c, options, state[c]!);
        }
        return runStatic(options, w.bodies![dialectOf(c)]);
      };

      // SQL per executed request, and the statements of one request. With a response cache, Jointly's are
      // counted on its cache-off instance (the same server, every request executed), not diluted by cache hits.
      const sql: Partial<Record<CandidateName, Pick<CandidateResult, 'sqlPerRequest' | 'sqlRead' | 'sqlWrite'>>> = {};
      if (!w.mix) sqlTexts[w.id] = {};
      const textKey = (c: CandidateName): CandidateName => (isJointly(c) ? 'jointly' : c);
      for (const c of active) {
        if (c === 'jointly' && servers['jointly-nocache']) continue;
        if (w.writeMix) {
          const key = fixtures.writeTargets[1]!;
          const version = (await loadVersions(archive.url, [key])).get(key)!;
          const read = { body: writeMixBody(c, 'read', key, 0, '') };
          const sqlRead = await sqlOf(c, [read, read, read]);
          const write = { body: writeMixBody(c, 'write', key, version, `sql count ${c}`), headers: isJointly(c) ? writeHeaders : {} };
          const sqlWrite = await sqlOf(c, [write]);
          sql[c] = { sqlRead, sqlWrite, sqlPerRequest: (19 * sqlRead + sqlWrite) / 20 };
          const again = (await loadVersions(archive.url, [key])).get(key)!;
          sqlTexts[w.id]![textKey(c)] = await textsOf(c, writeMixBody(c, 'write', key, again, `sql text ${c}`), isJointly(c) ? writeHeaders : {});
        } else if (w.mix) {
          // The first 40 requests of the mix's sequence.
          const sequence = new MixSequence(mixPool!);
          sql[c] = { sqlPerRequest: await sqlOf(c, Array.from({ length: 40 }, () => ({ body: sequence.next().bodies[dialectOf(c)] }))) };
        } else {
          const body = w.bodies![dialectOf(c)];
          sql[c] = { sqlPerRequest: await sqlOf(c, [{ body }, { body }, { body }]) };
          sqlTexts[w.id]![textKey(c)] = await textsOf(c, body);
        }
      }
      if (servers['jointly-nocache']) sql.jointly = { ...sql['jointly-nocache'] };
      log(`  SQL/request: ${active.map((c) => `${c} ${sql[c]!.sqlPerRequest}`).join(', ')}`);

      // The load phase; run again (once) if a server died meanwhile — the machine is shared.
      const measure = async (): Promise<void> => {
        for (const c of active) servers[c]!.resetPeakRss();
        for (const c of active) await load(c, o.warmupSeconds);
        const rounds = Object.fromEntries(active.map((c) => [c, [] as LoadRun[]])) as Record<CandidateName, LoadRun[]>;
        const cacheBefore = servers.jointly ? await servers.jointly.metrics() : undefined;
        for (let r = 0; r < o.rounds; r++) {
          for (const c of active) {
            const run = await load(c, o.seconds);
            rounds[c].push(run);
            log(`  round ${r + 1} ${c.padEnd(16)} ${run.rps.toFixed(0).padStart(6)} req/s  p50 ${run.p50.toFixed(1)} ms  p99 ${run.p99.toFixed(1)} ms${run.non2xx + run.errors + run.graphqlErrors ? `  errors ${run.errors}/${run.non2xx}/${run.graphqlErrors}` : ''}`);
          }
        }
        const cacheAfter = servers.jointly ? await servers.jointly.metrics() : undefined;
        for (const c of active) {
          const runs = rounds[c];
          const requests = runs.reduce((n, r) => n + r.requests, 0);
          const seconds = runs.reduce((n, r) => n + r.seconds, 0);
          const latencies = runs.flatMap((r) => r.latencies);
          const sum = (k: 'errors' | 'timeouts' | 'non2xx' | 'graphqlErrors' | 'writes' | 'conflicts') => runs.reduce((n, r) => n + (r[k] ?? 0), 0);
          result.candidates[c] = {
            rps: requests / seconds,
            rpsRounds: runs.map((r) => Math.round(r.rps * 10) / 10),
            requests,
            p50: percentile(latencies, 50),
            p90: percentile(latencies, 90),
            p99: percentile(latencies, 99),
            errors: sum('errors'),
            timeouts: sum('timeouts'),
            non2xx: sum('non2xx'),
            graphqlErrors: sum('graphqlErrors'),
            bytesPerResponse: requests ? Math.round(runs.reduce((n, r) => n + r.bytes, 0) / requests) : 0,
            ...sql[c],
            peakRssMb: 0,
            ...(w.writeMix ? { writes: sum('writes'), conflicts: sum('conflicts') } : {}),
          };
        }
        if (hasCache && cacheBefore?.cacheHits !== undefined && cacheAfter?.cacheHits !== undefined) {
          const hits = cacheAfter.cacheHits - cacheBefore.cacheHits;
          const misses = (cacheAfter.cacheMisses ?? 0) - (cacheBefore.cacheMisses ?? 0);
          const j = result.candidates.jointly!;
          if (hits + misses > 0) j.cacheHitRatio = hits / (hits + misses);
          if (misses > 0 && cacheBefore.sql !== undefined && cacheAfter.sql !== undefined) j.sqlPerMiss = (cacheAfter.sql - cacheBefore.sql) / misses;
          if (cacheAfter.cacheBytes !== undefined) j.cacheMb = cacheAfter.cacheBytes / (1024 * 1024);
        }
        if (w.mix) {
          for (const c of active) {
            result.candidates[c]!.sentRequests = sequences[c]?.sent;
            result.candidates[c]!.distinctRequests = sequences[c]?.distinct;
          }
        }
        if (o.halfSeconds > 0) {
          for (const c of active) {
            const rate = Math.floor(result.candidates[c]!.rps / 2);
            if (rate < 1) {
              log(`  half   ${c.padEnd(16)} skipped: under 2 req/s saturated`);
              continue;
            }
            // Long enough for some 30 responses at a low rate (at most 15 s).
            const run = await load(c, Math.min(15, Math.max(o.halfSeconds, Math.ceil(30 / rate))), rate);
            result.candidates[c]!.half = {
              rate,
              rps: run.rps,
              p50: run.p50,
              p99: run.p99,
              p99Corrected: run.p99Corrected,
              errors: run.errors + run.timeouts,
              non2xx: run.non2xx,
              graphqlErrors: run.graphqlErrors,
            };
            log(`  half   ${c.padEnd(16)} ${rate} req/s asked, ${run.rps.toFixed(0)} done  p50 ${run.p50.toFixed(1)} ms  p99 ${run.p99.toFixed(1)} ms`);
          }
        }
        for (const c of active) {
          result.candidates[c]!.peakRssMb = servers[c]!.peakRssMb();
          if (!Number.isNaN(result.candidates[c]!.peakRssMb)) rss[c]!.peakMb = Math.max(rss[c]!.peakMb, result.candidates[c]!.peakRssMb);
        }
      };
      await measure();
      for (const c of active) {
        const x = result.candidates[c]!;
        const failed = x.errors + x.timeouts + x.non2xx + (w.writeMix ? 0 : x.graphqlErrors);
        if (failed) log(`  warning: ${c} answered ${failed} of ${x.requests} requests of ${w.id} with an error (connection / non-2xx / GraphQL: ${x.errors + x.timeouts} / ${x.non2xx} / ${x.graphqlErrors}); they count in its req/s`);
      }
      if (w.mix) {
        rssAfterMix = {};
        const cache = servers.jointly && hasCache ? await servers.jointly.metrics() : undefined;
        for (const c of active) {
          rssAfterMix[c] = { rssMb: servers[c]!.rssMb(), ...(c === 'jointly' && cache?.cacheBytes !== undefined ? { cacheMb: cache.cacheBytes / (1024 * 1024) } : {}) };
        }
      }
      const dead = active.filter((c) => !servers[c]!.alive);
      if (dead.length) {
        for (const c of dead) {
          const note = `${w.id}: ${c} exited during the measurement (${servers[c]!.exitStatus}); restarted, and ${w.id} measured again`;
          log(`  ${note}`);
          incidents.push(note);
          servers[c] = await Candidate.start(c, { databaseUrl: archive.url, poolSize: o.poolSize, logDir, tag: `restart-${incidents.length}` });
        }
        result.candidates = {};
        await measure();
        for (const c of active) if (!servers[c]!.alive) throw new Error(`${c} exited again during ${w.id} (${servers[c]!.exitStatus}); see bench/out/logs/${o.label}/`);
      }
      results.push(result);
    }
    for (const c of active) {
      const peak = servers[c]!.peakRssMb();
      if (!Number.isNaN(peak)) rss[c]!.peakMb = Math.max(rss[c]!.peakMb, peak);
    }

    const { url: _url, ...archiveInfo } = archive;
    return {
      label: o.label,
      at: new Date().toISOString(),
      seconds: (performance.now() - startedAt) / 1000,
      loadAverage: { start: loadStart, end: os.loadavg()[0]! },
      machine: machine(),
      postgres: await postgresSettings(archive.url, ['shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', 'synchronous_commit', 'jit']),
      versions: versions(),
      settings: {
        connections: o.connections,
        rounds: o.rounds,
        seconds: o.seconds,
        warmupSeconds: o.warmupSeconds,
        halfSeconds: o.halfSeconds,
        poolSize: o.poolSize,
        order: [...active],
      },
      archive: archiveInfo,
      fixtures,
      deepCursors: {
        jointly: `paged to it like a client (first: 100, ${paged.jointlyPages} requests in all), equal to the cursor constructed from the row's keyset position`,
        postgraphile: 'the endCursor of one request for the first N rows (it has no page-size limit); its cursors are keyset positions too',
        limit: "constructed from the row's keyset position (date|id)",
      },
      sqlSource,
      checks,
      workloads: results,
      sqlTexts,
      rss,
      rssAfterMix,
      mix: mixDescription,
      incidents,
    };
  } finally {
    await logSqlJointly?.stop();
    for (const c of active) await servers[c]?.stop();
  }
}
