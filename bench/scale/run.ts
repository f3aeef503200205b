/**
 * The scale-out benchmark (`npm run bench:scale`): the fairness benchmark's ordinary readers (varied
 * README and playground queries, each client from its own address) against
 *
 *   1. one instance on the primary,
 *   2. two instances on the primary (the clients alternate between them),
 *   3. two instances with the streaming replica for reads (JOINTLY_READ_REPLICA_URLS),
 *
 * each a closed loop of `--clients` requests in flight for `--seconds`, with the response cache off
 * (every request reaches a database). It reports requests per second, p50/p95, and the CPU time the
 * primary's and the replica's PostgreSQL processes spent per request (from /proc), hence the share of
 * the primary's work the replica takes over. Needs the topology of `.ci/services` (run first, as
 * root): the replica streams the primary's databases, so the archive built on the primary is on it.
 *
 * Flags: --size XS|S|M|L (S), --seconds N per phase (10), --clients N (8), --label NAME (after).
 * Writes bench/results-scale.json (a run replaces an earlier one of its label) and bench/RESULTS-scale.md.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machine } from '../environment';
import { optionsFromFlags, parseFlags, positiveInt } from '../import/generate';
import { readerQuery, readFixtures, startJointly, type Body } from '../readers';
import { ensureArchive } from '../serve/archive';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const RUNS = path.join(ROOT, 'bench', 'results-scale.json');
const log = (line: string) => process.stderr.write(`${line}\n`);

/** CPU seconds (user + system) of a PostgreSQL cluster's postmaster and all its children, from /proc. */
function clusterCpuSeconds(dataDir: string): number {
  const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // After the command's closing parenthesis: state ppid … utime (14th field) stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    if (Number(entry) === pid || ppid === pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / tick;
}


async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface Phase {
  name: string;
  instances: number;
  replica: boolean;
  requests: number;
  failed: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  primaryCpuMsPerRequest: number;
  replicaCpuMsPerRequest: number;
}

/** `clients` loops, each sending the next reader query to the next URL, for `seconds`. */
async function load(urls: string[], bodies: (i: number) => Body, clients: number, seconds: number): Promise<{ ms: number[]; failed: number; elapsed: number }> {
  const ms: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < end) {
        const i = next++;
        const t = performance.now();
        try {
          const response = await fetch(urls[i % urls.length]!, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true', 'x-forwarded-for': `10.9.0.${client + 1}` },
            body: JSON.stringify(bodies(i)),
          });
          const json = (await response.json()) as { errors?: unknown[] };
          if (!response.ok || json.errors) failed++;
        } catch {
          failed++;
        }
        ms.push(performance.now() - t);
      }
    }),
  );
  return { ms, failed, elapsed: (performance.now() - started) / 1000 };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const options = optionsFromFlags(flags.has('size') ? flags : new Map([...flags, ['size', 'S']]));
  const seconds = positiveInt(flags, 'seconds') ?? 10;
  const clients = positiveInt(flags, 'clients') ?? 8;
  const label = flags.get('label') ?? 'after';
  const cli = path.join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
  execFileSync('bash', [path.join(ROOT, '.ci', 'services')], { stdio: 'inherit' });
  const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const archive = await ensureArchive(adminUrl, options.label, options);
  const replicaUrl = archive.url.replace(':5432/', ':5433/');
  const fixtures = await readFixtures(archive.url);
  const version = fs.readdirSync('/etc/postgresql')[0]!;
  const primaryDir = `/var/lib/postgresql/${version}/main`;
  const replicaDir = `/var/lib/postgresql/${version}/replica`;
  log(`archive ${archive.database}: ${JSON.stringify(archive.rows)}; ${clients} clients, ${seconds} s per phase`);

  const phases: Phase[] = [];
  for (const { name, instances, replica } of [
    { name: 'one instance', instances: 1, replica: false },
    { name: 'two instances', instances: 2, replica: false },
    { name: 'two instances, reads on the replica', instances: 2, replica: true },
  ]) {
    const env: Record<string, string> = { DATABASE_URL: archive.url, ...(replica && { JOINTLY_READ_REPLICA_URLS: replicaUrl }) };
    const servers = await Promise.all(Array.from({ length: instances }, (_, i) => startJointly(cli, env, 4880 + i)));
    const urls = servers.map((_, i) => `http://127.0.0.1:${4880 + i}/graphql`);
    try {
      await load(urls, (i) => readerQuery(fixtures, i), clients, 2); // warm-up
      const cpu = { primary: clusterCpuSeconds(primaryDir), replica: clusterCpuSeconds(replicaDir) };
      const run = await load(urls, (i) => readerQuery(fixtures, i), clients, seconds);
      const used = { primary: clusterCpuSeconds(primaryDir) - cpu.primary, replica: clusterCpuSeconds(replicaDir) - cpu.replica };
      const sorted = [...run.ms].sort((x, y) => x - y);
      const phase: Phase = {
        name,
        instances,
        replica,
        requests: run.ms.length,
        failed: run.failed,
        rps: Math.round((run.ms.length / run.elapsed) * 10) / 10,
        p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
        p95Ms: Math.round(percentile(sorted, 95) * 10) / 10,
        primaryCpuMsPerRequest: Math.round(((used.primary * 1000) / run.ms.length) * 100) / 100,
        replicaCpuMsPerRequest: Math.round(((used.replica * 1000) / run.ms.length) * 100) / 100,
      };
      log(JSON.stringify(phase));
      phases.push(phase);
    } finally {
      await Promise.all(servers.map(stopServer));
    }
  }
  const withoutReplica = phases[1]!;
  const withReplica = phases[2]!;
  const replicaShare = withoutReplica.primaryCpuMsPerRequest > 0 ? Math.round((1 - withReplica.primaryCpuMsPerRequest / withoutReplica.primaryCpuMsPerRequest) * 1000) / 10 : 0;
  const result = { label, at: new Date().toISOString(), machine: machine(), loadAverage: os.loadavg(), archive: archive.rows, seconds, clients, phases, replicaSharePercent: replicaShare };
  const runs = (fs.existsSync(RUNS) ? (JSON.parse(fs.readFileSync(RUNS, 'utf8')) as (typeof result)[]) : []).filter((r) => r.label !== label);
  runs.push(result);
  fs.writeFileSync(RUNS, `${JSON.stringify(runs, null, 2)}\n`);
  fs.writeFileSync(path.join(ROOT, 'bench', 'RESULTS-scale.md'), report(runs));
  log(`the replica took over ${replicaShare} % of the primary's CPU per request; bench/RESULTS-scale.md`);
}

function report(runs: { label: string; at: string; machine: ReturnType<typeof machine>; archive: Record<string, number>; seconds: number; clients: number; phases: Phase[]; replicaSharePercent: number }[]): string {
  const lines = [
    '# Scale-out benchmark',
    '',
    'Written by `npm run bench:scale` (bench/scale/run.ts): the fairness benchmark\'s ordinary readers, response cache off, against one instance, two instances, and two instances reading from the streaming replica of `.ci/services`. CPU per request is the PostgreSQL cluster\'s (postmaster and children, from /proc). On one machine the instances, both clusters and the load generator share the same cores: the figures say what the topology costs and moves, not what separate machines would gain.',
    '',
  ];
  for (const run of runs) {
    lines.push(`## ${run.label} (${run.at.slice(0, 16)}; ${run.machine.nproc} CPUs, ${run.machine.node}; archive ${JSON.stringify(run.archive)}; ${run.clients} clients, ${run.seconds} s per phase)`, '');
    lines.push('| phase | requests/s | p50 ms | p95 ms | failed | primary CPU ms/request | replica CPU ms/request |', '|---|---|---|---|---|---|---|');
    for (const p of run.phases) lines.push(`| ${p.name} | ${p.rps} | ${p.p50Ms} | ${p.p95Ms} | ${p.failed} | ${p.primaryCpuMsPerRequest} | ${p.replicaCpuMsPerRequest} |`);
    lines.push('', `Share of the primary's CPU per request the replica takes over: **${run.replicaSharePercent} %**.`, '');
  }
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
