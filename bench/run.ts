/**
 * The benchmark suite: `npm run bench [-- --size XS|S|M|L] [--only Q1,Q3,import]`.
 *
 * 1. The import benchmark at the chosen size (bench/import/run.ts: `importBundles` next to COPY).
 * 2. The API benchmark (bench/serve/api-bench.ts): the archive of that size in a database of its own
 *    (jointly_bench_<size>, reused while it matches), Jointly, PostGraphile 5 and the hand-written
 *    limit server started on it, the same data checked on all three, then measured with autocannon.
 * 3. bench/results-<size>.json and bench/RESULTS.md (every size whose results are in bench/).
 *
 * Flags: --size (default S), --seed (1), --only (workloads MIX Q0 Q1 Q1-10 Q1-100 Q2 Q2-page1 Q2-deep Q3 Q3-rare
 * Q3-common Q4 Q5, and `import`; comma-separated; a partial run writes bench/out/ only),
 * --no-import, --connections (10), --rounds, --duration, --warmup, --half-duration (seconds; by size),
 * --pool (10), --rebuild (rebuild the archive even if it matches).
 * BENCH_DATABASE_URL: an admin connection (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { optionsFromFlags, parseFlags, positiveInt } from './import/generate';
import type { BenchResult as ImportResult } from './import/report';
import { MismatchError, runApiBench } from './serve/api-bench';
import { OUT } from './serve/archive';
import { writeResultsReport, type SuiteResult } from './serve/report';

const BENCH = path.resolve(__dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Load durations by size (seconds): rounds × duration per server, warm-up, half-saturation run. */
const DURATIONS: Record<string, { rounds: number; seconds: number; warmup: number; half: number }> = {
  XS: { rounds: 2, seconds: 1, warmup: 1, half: 1 },
  S: { rounds: 3, seconds: 3, warmup: 1, half: 3 },
  M: { rounds: 3, seconds: 5, warmup: 2, half: 5 },
  L: { rounds: 3, seconds: 5, warmup: 2, half: 5 },
};

function runImportBench(args: string[]): void {
  log(`\n== import benchmark: node bench/dist/import/run.js ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [path.join(__dirname, 'import', 'run.js'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`the import benchmark failed (exit ${run.status ?? run.signal})`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flags = parseFlags(argv);
  if (!flags.has('size')) flags.set('size', 'S');
  const generate = optionsFromFlags(flags);
  const label = generate.label;
  const only = (flags.get('only') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.toLowerCase() === 'import' ? 'import' : s.toUpperCase().replace('PAGE1', 'page1').replace('DEEP', 'deep').replace('RARE', 'rare').replace('COMMON', 'common')));
  const partial = only.length > 0;
  const withImport = !flags.has('no-import') && (!partial || only.includes('import'));
  const apiOnly = only.filter((s) => s !== 'import');
  const withApi = !partial || apiOnly.length > 0;
  const d = DURATIONS[label] ?? DURATIONS.M!;
  const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const { label: _label, ...options } = generate;

  if (withImport) {
    const args = ['--size', flags.get('size')!];
    for (const name of ['statements', 'signatures', 'sources', 'people', 'seed']) if (flags.has(name)) args.push(`--${name}`, flags.get(name)!);
    runImportBench(args);
  }
  const importFile = path.join(OUT, `import-results-${label}.json`);
  const importResult = fs.existsSync(importFile) ? (JSON.parse(fs.readFileSync(importFile, 'utf8')) as ImportResult) : undefined;

  let suite: SuiteResult = { label, import: importResult };
  if (withApi) {
    log(`\n== API benchmark, size ${label}: ${options.statements} statements, ${options.signatures} signatures`);
    const api = await runApiBench({
      label,
      generate: options,
      adminUrl,
      only: apiOnly,
      connections: positiveInt(flags, 'connections') ?? 10,
      rounds: positiveInt(flags, 'rounds') ?? d.rounds,
      seconds: positiveInt(flags, 'duration') ?? d.seconds,
      warmupSeconds: positiveInt(flags, 'warmup') ?? d.warmup,
      halfSeconds: positiveInt(flags, 'half-duration') ?? d.half,
      poolSize: positiveInt(flags, 'pool') ?? 10,
      rebuild: flags.has('rebuild'),
    });
    suite = { ...suite, api };
  }

  fs.mkdirSync(OUT, { recursive: true });
  if (partial) {
    // A partial run does not replace the size's full results: it goes to bench/out/ with its own report.
    const name = `results-${label}-only-${only.join('-')}`;
    fs.writeFileSync(path.join(OUT, `${name}.json`), `${JSON.stringify(suite, null, 2)}\n`);
    const dir = path.join(OUT, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `results-${label}.json`), `${JSON.stringify(suite, null, 2)}\n`);
    const report = writeResultsReport(dir, path.join(OUT, `${name}.md`));
    log(`\nwrote ${path.relative(process.cwd(), report)} (a partial run: bench/RESULTS.md is unchanged)`);
    process.stdout.write(fs.readFileSync(report, 'utf8'));
    return;
  }
  if (!suite.api) {
    const existing = path.join(BENCH, `results-${label}.json`);
    if (fs.existsSync(existing)) suite = { ...(JSON.parse(fs.readFileSync(existing, 'utf8')) as SuiteResult), import: importResult };
  }
  fs.writeFileSync(path.join(BENCH, `results-${label}.json`), `${JSON.stringify(suite, null, 2)}\n`);
  const report = writeResultsReport(BENCH, path.join(BENCH, 'RESULTS.md'));
  log(`\nwrote bench/results-${label}.json and ${path.relative(process.cwd(), report)}`);
  process.stdout.write(fs.readFileSync(report, 'utf8'));
}

main().catch((error: unknown) => {
  if (error instanceof MismatchError) {
    process.stderr.write(`\nMISMATCH: the servers do not return the same data; nothing was measured.\n${error.message}\n`);
  } else {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
