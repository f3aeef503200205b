/**
 * The import benchmark: `npm run bench:import [-- --size S | --statements N --signatures M]`.
 *
 * 1. Recreates the scratch database jointly_bench_import (admin URL: BENCH_DATABASE_URL, default
 *    postgres://postgres@127.0.0.1:5432/postgres), runs the migrations and syncs the built-in states.
 * 2. Generates a deterministic synthetic bundle into bench/out/ (generate.ts).
 * 3. Times the product's import path (importBundles, as `jointly import` runs it) in a child
 *    process: rows/s, peak RSS, SQL statements issued, and where the time goes.
 * 4. Times a second import of the same bundle (nothing changes: the idempotent path).
 * 5. Optionally (--audit-off-import) the same import with the audit triggers disabled, to show their cost.
 * 6. The ceiling: the very rows the import wrote, exported to CSV, loaded back into the same empty
 *    tables with COPY … FROM STDIN (psql \copy), triggers active; then with the audit triggers
 *    disabled, and with every trigger (and foreign-key check) off (session_replication_role = replica).
 * 7. Writes bench/out/import-results.json (and -<size>.json) and bench/RESULTS-import.md.
 *
 * Flags: --size XS|S|M|L (default L: 20k statements, 1M signatures), --statements, --signatures,
 * --sources, --people, --seed, --no-reimport, --audit-off-import, --no-ceiling, --no-profile.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, runMigrations, syncBuiltInStates } from '@jointly/server';
import { optionsFromFlags, parseFlags, type GenerateStats } from './generate';
import type { ImportRun } from './import-child';
import { appendHistory, writeReport, type BenchResult, type CopyRun } from './report';
import { machine, postgresSettings, withClient } from '../environment';

const BENCH_DB = 'jointly_bench_import';
const OUT = path.resolve(__dirname, '..', '..', 'out');
const HERE = __dirname;

/** The tables an import writes, in an order that satisfies the foreign keys. */
const TABLES = ['source', 'person', 'person_role', 'statement', 'signature', 'evidence', 'count_claim'] as const;
/** Maintained by triggers, so neither exported nor loaded. */
const DERIVED = new Set(['search_vector', 'signature_count']);

const log = (line: string) => process.stderr.write(`${line}\n`);

function node(script: string, args: string[]): string {
  // Node's default heap limit, as `jointly import` would run with.
  const run = spawnSync(process.execPath, [path.join(HERE, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`${script} failed (exit ${run.status ?? run.signal})`);
  const lines = run.stdout.trim().split('\n');
  return lines[lines.length - 1]!;
}

function psql(url: string, script: string): string {
  return execFileSync('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

async function recreateDatabase(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${BENCH_DB}`);
  });
}

async function rowCounts(url: string): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const counts: Record<string, number> = {};
    for (const table of [...TABLES, 'revision']) {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${table}"`);
      counts[table] = rows[0].n as number;
    }
    return counts;
  });
}

/** Writes dirty buffers out, so that one phase does not pay for the previous one's writes. */
async function checkpoint(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('CHECKPOINT').catch(() => undefined);
  });
}

async function truncateArchive(url: string): Promise<void> {
  await withClient(url, (client) => client.query(`TRUNCATE ${[...TABLES, 'revision'].map((t) => `"${t}"`).join(', ')} RESTART IDENTITY`));
  await withClient(url, (client) => client.query(`VACUUM ANALYZE`));
}

async function auditTriggers(url: string, enable: boolean): Promise<void> {
  await withClient(url, async (client) => {
    for (const table of TABLES) {
      for (const event of ['insert', 'update', 'delete']) {
        await client.query(`ALTER TABLE "${table}" ${enable ? 'ENABLE' : 'DISABLE'} TRIGGER "trg_${table}_audit_${event}"`);
      }
    }
  });
}

async function columnsOf(url: string): Promise<Record<string, string[]>> {
  return withClient(url, async (client) => {
    const result: Record<string, string[]> = {};
    for (const table of TABLES) {
      const { rows } = await client.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      result[table] = rows.map((r: { column_name: string }) => r.column_name).filter((c) => !DERIVED.has(c));
    }
    return result;
  });
}

const quoteList = (columns: string[]) => columns.map((c) => `"${c}"`).join(', ');

/** Exports exactly the rows the import wrote, one CSV per table. */
function exportRows(url: string, dir: string, columns: Record<string, string[]>): Record<string, number> {
  fs.mkdirSync(dir, { recursive: true });
  const script = path.join(dir, 'export.sql');
  fs.writeFileSync(
    script,
    TABLES.map((t) => `\\copy (SELECT ${quoteList(columns[t]!)} FROM "${t}") TO '${path.join(dir, `${t}.csv`)}' WITH (FORMAT csv)`).join('\n') + '\n',
  );
  psql(url, script);
  return Object.fromEntries(TABLES.map((t) => [t, fs.statSync(path.join(dir, `${t}.csv`)).size]));
}

/** Loads the CSVs back with COPY FROM STDIN in one transaction; returns total and per-table seconds. */
function copyLoad(url: string, dir: string, columns: Record<string, string[]>, mode: CopyRun['mode']): { seconds: number; tables: Record<string, number> } {
  const lines: string[] = [];
  if (mode === 'no-triggers') lines.push('SET session_replication_role = replica;');
  lines.push('\\timing on', 'BEGIN;');
  if (mode === 'no-audit') {
    for (const t of TABLES) lines.push(`ALTER TABLE "${t}" DISABLE TRIGGER "trg_${t}_audit_insert";`);
  }
  for (const t of TABLES) lines.push(`\\copy "${t}" (${quoteList(columns[t]!)}) FROM '${path.join(dir, `${t}.csv`)}' WITH (FORMAT csv)`);
  if (mode === 'no-audit') {
    for (const t of TABLES) lines.push(`ALTER TABLE "${t}" ENABLE TRIGGER "trg_${t}_audit_insert";`);
  }
  lines.push('COMMIT;');
  const script = path.join(dir, `load-${mode}.sql`);
  fs.writeFileSync(script, lines.join('\n') + '\n');
  const started = performance.now();
  const output = psql(url, script);
  const seconds = (performance.now() - started) / 1000;
  const times = [...output.matchAll(/Time: ([\d.,]+) ms/g)].map((m) => Number(m[1]!.replace(/,/g, '')) / 1000);
  const first = mode === 'no-audit' ? 1 + TABLES.length : 1; // after BEGIN (and the ALTERs)
  const tables = Object.fromEntries(TABLES.map((t, i) => [t, times[first + i] ?? NaN]));
  return { seconds, tables };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const options = optionsFromFlags(flags);
  const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const benchUrl = (() => {
    const u = new URL(adminUrl);
    u.pathname = `/${BENCH_DB}`;
    return u.toString();
  })();
  fs.mkdirSync(OUT, { recursive: true });
  const loadAtStart = os.loadavg()[0]!;

  log(`bench:import ${options.label}: ${options.statements} statements, ${options.signatures} signatures`);
  log(`scratch database ${BENCH_DB}: recreating, migrating, syncing the built-in states`);
  await recreateDatabase(adminUrl);
  const db = await openDatabase({ database: { kind: 'postgres', url: benchUrl }, poolSize: 2, logSql: false });
  try {
    await runMigrations(db.dataSource);
    await db.dataSource.transaction((em) => syncBuiltInStates(em));
  } finally {
    await db.close();
  }

  const file = path.join(OUT, `bench-${options.label}.ndjson`);
  log(`generating ${path.relative(process.cwd(), file)}`);
  const genArgs = ['--statements', String(options.statements), '--signatures', String(options.signatures), '--seed', String(options.seed), '--out', file];
  if (options.sources !== undefined) genArgs.push('--sources', String(options.sources));
  if (options.people !== undefined) genArgs.push('--people', String(options.people));
  const generated = JSON.parse(node('generate.js', genArgs)) as GenerateStats & { seconds: number };
  log(`  ${(generated.bytes / 1e6).toFixed(1)} MB in ${generated.seconds.toFixed(1)} s`);

  const profile = !flags.has('no-profile');
  const importArgs = ['--url', benchUrl, '--file', file, ...(profile ? ['--profile'] : [])];
  const baseline = await rowCounts(benchUrl); // the built-in states' revisions are not the import's
  await checkpoint(benchUrl);
  log('importing (importBundles, as `jointly import`)');
  const first = JSON.parse(node('import-child.js', importArgs)) as ImportRun;
  const rows = await rowCounts(benchUrl);
  rows.revision = rows.revision! - baseline.revision!;
  const archiveRows = TABLES.reduce((n, t) => n + rows[t]!, 0);
  log(`  ${first.seconds.toFixed(1)} s, ${Math.round(archiveRows / first.seconds)} rows/s, ${first.sqlStatements} SQL statements, peak RSS ${first.peakRssMb} MB`);

  let reimport: ImportRun | undefined;
  if (!flags.has('no-reimport')) {
    await checkpoint(benchUrl);
    log('importing the same bundle again (nothing changes)');
    reimport = JSON.parse(node('import-child.js', importArgs)) as ImportRun;
    log(`  ${reimport.seconds.toFixed(1)} s, ${reimport.sqlStatements} SQL statements`);
  }

  const columns = await columnsOf(benchUrl);
  const dir = path.join(OUT, `copy-${options.label}`);
  const copies: CopyRun[] = [];
  let csvBytes: number | undefined;
  if (!flags.has('no-ceiling')) {
    log('exporting the imported rows to CSV');
    csvBytes = Object.values(exportRows(benchUrl, dir, columns)).reduce((a, b) => a + b, 0);
    for (const mode of ['triggers', 'no-audit', 'no-triggers'] as const) {
      await truncateArchive(benchUrl);
      await checkpoint(benchUrl);
      log(`COPY FROM STDIN (${mode})`);
      const loaded = copyLoad(benchUrl, dir, columns, mode);
      const after = await rowCounts(benchUrl);
      const loadedRows = TABLES.reduce((n, t) => n + after[t]!, 0);
      if (loadedRows !== archiveRows) throw new Error(`COPY loaded ${loadedRows} rows, the import wrote ${archiveRows}`);
      copies.push({ mode, seconds: loaded.seconds, tables: loaded.tables, rows: loadedRows, revisionRows: after.revision! });
      log(`  ${loaded.seconds.toFixed(1)} s, ${Math.round(loadedRows / loaded.seconds)} rows/s`);
    }
  }

  let auditOff: ImportRun | undefined;
  if (flags.has('audit-off-import')) {
    await truncateArchive(benchUrl);
    await auditTriggers(benchUrl, false);
    await checkpoint(benchUrl);
    log('importing with the audit triggers disabled (benchmark only)');
    try {
      auditOff = JSON.parse(node('import-child.js', ['--url', benchUrl, '--file', file])) as ImportRun;
    } finally {
      await auditTriggers(benchUrl, true);
    }
    log(`  ${auditOff.seconds.toFixed(1)} s`);
  }

  const result: BenchResult = {
    label: options.label,
    at: new Date().toISOString(),
    loadAverage: { start: loadAtStart, end: os.loadavg()[0]! },
    machine: machine(),
    postgres: await postgresSettings(benchUrl, ['shared_buffers', 'work_mem', 'maintenance_work_mem', 'synchronous_commit', 'fsync', 'wal_level', 'max_wal_size']),
    generated,
    rows,
    archiveRows,
    import: first,
    reimport,
    auditOffImport: auditOff,
    copies,
    csvBytes,
  };
  fs.writeFileSync(path.join(OUT, 'import-results.json'), `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(path.join(OUT, `import-results-${options.label}.json`), `${JSON.stringify(result, null, 2)}\n`);
  appendHistory(path.join(OUT, 'import-history.json'), result);
  const report = writeReport(OUT, path.resolve(OUT, '..', 'RESULTS-import.md'));
  log(`wrote ${path.relative(process.cwd(), path.join(OUT, 'import-results.json'))} and ${path.relative(process.cwd(), report)}`);
  process.stdout.write(`${fs.readFileSync(report, 'utf8')}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
