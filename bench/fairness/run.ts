/**
 * The fairness benchmark (`npm run bench:fairness`): ordinary readers — varied README and playground
 * queries, each reader from its own address — measured alone, then while two attacking clients loop
 * the most expensive query the server accepts (found by asking it: the largest of each kind that is
 * not refused before it runs). The target: the readers' p95 while attacked within 2× of their p95
 * alone, and no reader request failed.
 *
 * Flags: --size XS|S|M|L (S), --seconds N per phase (10), --rounds N of alone-then-attacked (3), --readers N (4), --attack-concurrency N
 * requests in flight per attacker (4), --server PATH the CLI to serve with (this checkout's), --label
 * NAME for the results (after), --port N (4870), --report-only (rewrite the report from bench/results-fairness.json). The server runs with its response cache off (every
 * request reaches the database) and JOINTLY_TRUST_PROXY=true, so each client's X-Forwarded-For is its
 * address. BENCH_DATABASE_URL: an admin connection (default postgres://postgres@127.0.0.1:5432/postgres).
 * Adds the run to bench/results-fairness.json (a run replaces an earlier one of its label) and writes
 * bench/RESULTS-fairness.md from every run there and bench/fairness/reading.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureArchive } from '../serve/archive';
import { machine } from '../environment';
import { optionsFromFlags, parseFlags, positiveInt } from '../import/generate';
import { readerQuery, readFixtures, startJointly, type Body, type Fixtures } from '../readers';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** The runs so far (committed, like bench/results-<size>.json). */
const RUNS = path.join(ROOT, 'bench', 'results-fairness.json');
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Answer {
  ms: number;
  status: number;
  codes: string[];
  /** Whether the response had a `data` entry (it ran, at least in part). */
  ran: boolean;
}

async function post(url: string, body: Body, address: string): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true', 'x-forwarded-for': address },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    return { ms: performance.now() - started, status: response.status, codes: (json.errors ?? []).map((e) => e.extensions?.code ?? 'UNKNOWN'), ran: json.data !== undefined };
  } catch {
    return { ms: performance.now() - started, status: 0, codes: ['NETWORK'], ran: false };
  }
}

interface Attack {
  name: string;
  body: (n: number) => Body;
  /** Sizes tried, largest first. */
  sizes: number[];
}

const aliases = (n: number, field: (i: number) => string) => Array.from({ length: n }, (_, i) => `a${i}: ${field(i)}`).join(' ');

/** The expensive queries of the attack: each kind at the largest size the server accepts. */
function attacks(f: Fixtures): Attack[] {
  // As many references as a list takes (the argument limit: 100 items).
  const refs = f.names.slice(0, 100);
  const orSearch = (from: number) => {
    const parts: string[] = [];
    for (let k = from; parts.join(' or ').length < 480; k++) parts.push(f.words[k % f.words.length]!);
    return parts.join(' or ');
  };
  return [
    {
      name: 'signedBy.any: 100 references in each of n aliases',
      body: (n) => ({ query: `query ($refs: [String!]) { ${aliases(n, () => `statements(first: 10, filter: { signedBy: { any: $refs } }) { totalCount nodes { key } }`)} }`, variables: { refs } }),
      sizes: [30, 20, 10, 5, 2, 1],
    },
    {
      name: 'signedBy.all: n references',
      body: (n) => ({ query: `query ($refs: [String!]) { statements(first: 10, filter: { signedBy: { all: $refs } }) { totalCount nodes { key } } }`, variables: { refs: refs.slice(0, n) } }),
      sizes: [100, 50, 20, 10],
    },
    {
      name: 'a 480-character OR search in n aliases of statements(filter: {search})',
      body: (n) => ({ query: `query ($q: String) { ${aliases(n, () => `statements(first: 10, filter: { search: $q }, orderBy: RELEVANCE) { totalCount nodes { key } }`)} }`, variables: { q: orSearch(0) } }),
      sizes: [30, 20, 10, 5, 2, 1],
    },
    {
      name: 'an OR search of n words in search(query:)',
      body: (n) => ({ query: `query ($q: String!) { search(query: $q, first: 100) { totalCount nodes { rank snippet } } }`, variables: { q: f.words.slice(0, n).join(' or ') } }),
      sizes: [80, 60, 40, 25, 10, 5],
    },
  ];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface ReaderStats {
  requests: number;
  failed: number;
  failures: Record<string, number>;
  p50: number;
  p95: number;
  max: number;
}

function stats(answers: Answer[]): ReaderStats {
  const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
  const failures: Record<string, number> = {};
  let failed = 0;
  for (const a of answers) {
    if (a.status === 200 && a.codes.length === 0) continue;
    failed++;
    const key = `${a.status} ${a.codes.join(',')}`.trim();
    failures[key] = (failures[key] ?? 0) + 1;
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return { requests: answers.length, failed, failures, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted[sorted.length - 1] ?? NaN) };
}

async function loop(until: number, fn: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; performance.now() < until; i++) await fn(i);
}

async function readers(url: string, f: Fixtures, count: number, seconds: number): Promise<Answer[]> {
  const until = performance.now() + seconds * 1000;
  const answers: Answer[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, r) =>
      loop(until, async (i) => {
        answers.push(await post(url, readerQuery(f, r * 1000 + i), `10.0.1.${r + 1}`));
      }),
    ),
  );
  return answers;
}

interface AttackStats {
  requests: number;
  byOutcome: Record<string, number>;
}


interface FairnessResult {
  label: string;
  server: string;
  at: string;
  machine: ReturnType<typeof machine>;
  loadAverage: number[];
  archive: Record<string, number>;
  seconds: number;
  rounds?: number;
  readers: number;
  attackConcurrency: number;
  accepted: { name: string; size: number; singleMs: number; codes: string[] }[];
  worst: string;
  alone: ReaderStats;
  attacked: ReaderStats;
  attack: AttackStats;
  ratioP95: number;
  pass: boolean;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.has('report-only')) return writeReport();
  if (!flags.has('size')) flags.set('size', 'S');
  const { label: size, ...options } = optionsFromFlags(flags);
  const seconds = positiveInt(flags, 'seconds') ?? 10;
  const rounds = positiveInt(flags, 'rounds') ?? 3;
  const readerCount = positiveInt(flags, 'readers') ?? 4;
  const concurrency = positiveInt(flags, 'attack-concurrency') ?? 4;
  const port = positiveInt(flags, 'port') ?? 4870;
  const label = flags.get('label') ?? 'after';
  const cli = path.resolve(flags.get('server') ?? path.join(ROOT, 'packages', 'cli', 'dist', 'bin.js'));
  const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

  const archive = await ensureArchive(adminUrl, size, options);
  const fixtures = await readFixtures(archive.url);
  log(`archive ${archive.database}: ${JSON.stringify(archive.rows)}`);
  const server = await startJointly(cli, { DATABASE_URL: archive.url }, port);
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    // The worst accepted query: of each kind the largest size not refused before it runs, timed alone.
    const accepted: FairnessResult['accepted'] = [];
    for (const attack of attacks(fixtures)) {
      for (const size of attack.sizes) {
        const answer = await post(url, attack.body(size), '10.0.9.1');
        // Refused before it ran (400), or bad input: too large. A query stopped by its database-time budget (200) is accepted.
        if (!answer.ran || answer.codes.includes('BAD_USER_INPUT')) continue;
        const timed = await post(url, attack.body(size), '10.0.9.1');
        accepted.push({ name: attack.name.replace(/\bn\b/, String(size)), size, singleMs: Math.round(timed.ms), codes: timed.codes });
        log(`  accepted: ${attack.name} (n = ${size}): ${Math.round(timed.ms)} ms ${timed.codes.join(',')}`);
        break;
      }
    }
    const worstIndex = accepted.reduce((best, a, i) => (a.singleMs > accepted[best]!.singleMs ? i : best), 0);
    const worst = accepted[worstIndex]!;
    const worstBody = attacks(fixtures).find((a) => a.name.replace(/\bn\b/, String(worst.size)) === worst.name)!.body(worst.size);
    log(`worst accepted: ${worst.name}, ${worst.singleMs} ms alone`);

    await readers(url, fixtures, readerCount, 3); // warm-up
    // Alone and attacked alternate, `rounds` times each, so that a change in the machine's other load
    // during the run weighs on both sides alike.
    const aloneAnswers: Answer[] = [];
    const attackedAnswers: Answer[] = [];
    const attackAnswers: Answer[] = [];
    for (let round = 1; round <= rounds; round++) {
      log(`round ${round}/${rounds}: readers alone, ${seconds} s`);
      aloneAnswers.push(...(await readers(url, fixtures, readerCount, seconds)));
      log(`round ${round}/${rounds}: readers while two clients loop the worst accepted query (${concurrency} in flight each), ${seconds} s`);
      const until = performance.now() + seconds * 1000;
      const attackers = [1, 2].flatMap((client) =>
        Array.from({ length: concurrency }, () =>
          loop(until, async () => {
            const answer = await post(url, worstBody, `10.0.9.${client}`);
            attackAnswers.push(answer);
            // A refused attacker pauses briefly (not as long as Retry-After asks) and goes on attacking.
            if (answer.status === 429 || answer.status === 503) await new Promise((r) => setTimeout(r, 50));
          }),
        ),
      );
      const [answers] = await Promise.all([readers(url, fixtures, readerCount, seconds), ...attackers]);
      attackedAnswers.push(...answers);
    }
    const alone = stats(aloneAnswers);
    const attacked = stats(attackedAnswers);
    const byOutcome: Record<string, number> = {};
    for (const a of attackAnswers) {
      const key = `${a.status}${a.codes.length ? ' ' + [...new Set(a.codes)].join(',') : ''}`;
      byOutcome[key] = (byOutcome[key] ?? 0) + 1;
    }
    log(`  alone ${JSON.stringify(alone)}; attacked ${JSON.stringify(attacked)}; attack: ${JSON.stringify(byOutcome)}`);

    const ratioP95 = Math.round((attacked.p95 / alone.p95) * 100) / 100;
    const result: FairnessResult = {
      label,
      server: path.relative(ROOT, cli) || cli,
      at: new Date().toISOString(),
      machine: machine(),
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
      archive: archive.rows,
      seconds,
      rounds,
      readers: readerCount,
      attackConcurrency: concurrency,
      accepted,
      worst: worst.name,
      alone,
      attacked,
      attack: { requests: attackAnswers.length, byOutcome },
      ratioP95,
      pass: ratioP95 <= 2 && attacked.failed === 0,
    };
    // Every run is kept (bench/results-fairness.json, committed): a run replaces only an earlier one of its label.
    const runs = readRuns().filter((r) => r.label !== label);
    fs.writeFileSync(RUNS, `${JSON.stringify([...runs, result], null, 2)}\n`);
    writeReport();
    log(`p95 ${alone.p95} ms alone, ${attacked.p95} ms attacked (${ratioP95}×), ${attacked.failed} failed: ${result.pass ? 'PASS' : 'FAIL'}`);
  } finally {
    server.kill('SIGTERM');
  }
}

/** Every run so far, oldest first. */
function readRuns(): FairnessResult[] {
  if (!fs.existsSync(RUNS)) return [];
  return (JSON.parse(fs.readFileSync(RUNS, 'utf8')) as FairnessResult[]).sort((a, b) => a.at.localeCompare(b.at));
}

/** bench/RESULTS-fairness.md from every run in bench/results-fairness.json, then the notes on reading them (bench/fairness/reading.md). */
function writeReport(): void {
  const results = readRuns();
  const lines = [
    '# Fairness under attack',
    '',
    'Written by `npm run bench:fairness` (bench/fairness/run.ts). Readers loop varied README and',
    'playground queries, each from its own address; then two clients loop the most expensive query the',
    'server accepts (the largest of each kind not refused before it runs, the slowest of them alone)',
    'while the readers go on. Response cache off; PostgreSQL. Target: readers\' p95 attacked ≤ 2× alone, 0 failed.',
    '',
    '| run | archive | phases | readers alone p50 / p95 (ms) | attacked p50 / p95 (ms) | p95 ratio | readers failed | worst accepted query (alone) | attack outcomes | load avg |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.label} (${r.at.slice(0, 16)}Z, ${r.server}) | ${r.archive.statement} statements, ${r.archive.signature} signatures | ${r.rounds ?? 1} × (${r.seconds} s alone, ${r.seconds} s attacked) | ${r.alone.p50} / ${r.alone.p95} (${r.alone.requests} req) | ${r.attacked.p50} / ${r.attacked.p95} (${r.attacked.requests} req) | ${r.ratioP95}× | ${r.attacked.failed}${r.attacked.failed ? ' ' + JSON.stringify(r.attacked.failures) : ''} | ${r.worst} (${r.accepted.find((a) => a.name === r.worst)?.singleMs} ms) | ${Object.entries(r.attack.byOutcome).map(([k, v]) => `${k}: ${v}`).join('; ')} | ${r.loadAverage[0]} |`,
    ),
    '',
    'Accepted attack queries per run (each alone, ms):',
    '',
    ...results.flatMap((r) => [`- ${r.label}: ${r.accepted.map((a) => `${a.name}: ${a.singleMs} ms${a.codes.length ? ` (${[...new Set(a.codes)].join(',')})` : ''}`).join('; ')}`]),
    '',
    fs.readFileSync(path.join(__dirname, '..', '..', 'fairness', 'reading.md'), 'utf8').trimEnd(),
    '',
  ];
  fs.writeFileSync(path.join(ROOT, 'bench', 'RESULTS-fairness.md'), lines.join('\n'));
}

main().catch((error: unknown) => {
  log(String(error instanceof Error ? (error.stack ?? error.message) : error));
  process.exit(1);
});
