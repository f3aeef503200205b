/**
 * The benchmark archive of one size: a database of its own (jointly_bench_<size>), filled through
 * the product's import path from the deterministic bundle, and reused while its fingerprint — the
 * bundle's SHA-256, the generator options and the migrations applied — still matches.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, prepareDatabase, showMigrations } from '@jointly/server';
import { generateBundle, type GenerateOptions, type GenerateStats } from '../import/generate';
import type { ImportRun } from '../import/import-child';
import { withClient } from '../environment';

export const OUT = path.resolve(__dirname, '..', '..', 'out');
const IMPORT_CHILD = path.resolve(__dirname, '..', 'import', 'import-child.js');

export interface ArchiveInfo {
  database: string;
  url: string;
  reused: boolean;
  fingerprint: Fingerprint;
  /** Set when the archive was (re)built by this run. */
  built?: { generateSeconds: number; importSeconds: number; analyzeSeconds: number; totalSeconds: number; import: ImportRun; generated: GenerateStats };
  rows: Record<string, number>;
}

export interface Fingerprint {
  format: 1;
  label: string;
  options: GenerateOptions;
  bundleSha256: string;
  migrations: string[];
}

const log = (line: string) => process.stderr.write(`${line}\n`);

export function databaseUrl(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

function sha256(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

async function migrationNames(url: string): Promise<{ known: string[]; pending: string[] }> {
  const db = await openDatabase({ database: { kind: 'postgres', url }, poolSize: 1, logSql: false });
  try {
    const status = await showMigrations(db.dataSource);
    return { known: status.map((m) => m.name), pending: status.filter((m) => !m.applied).map((m) => m.name) };
  } finally {
    await db.close();
  }
}

const TABLES = ['source', 'person', 'person_role', 'statement', 'signature', 'evidence', 'count_claim', 'signatory', 'revision'];

async function rowCounts(url: string): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${table}"`);
      counts[table] = rows[0].n as number;
    }
    return counts;
  });
}

/** The archive for `options`: reused when its fingerprint matches, else dropped and rebuilt. */
export async function ensureArchive(adminUrl: string, label: string, options: GenerateOptions, force = false): Promise<ArchiveInfo> {
  const database = `jointly_bench_${label.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  const url = databaseUrl(adminUrl, database);
  const file = path.join(OUT, `bench-${label}.ndjson`);

  const started = performance.now();
  log(`archive ${database}: generating the bundle ${path.relative(process.cwd(), file)}`);
  const generated = generateBundle(options, file);
  const generateSeconds = (performance.now() - started) / 1000;
  const bundleSha256 = sha256(file);

  const existing = await withClient(adminUrl, async (client) => {
    const { rows } = await client.query(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [database],
    );
    return rows[0] as { comment: string | null } | undefined;
  });

  if (existing && !force) {
    let stored: Fingerprint | undefined;
    try {
      stored = existing.comment?.startsWith('jointly-bench ') ? (JSON.parse(existing.comment.slice('jointly-bench '.length)) as Fingerprint) : undefined;
    } catch {
      stored = undefined;
    }
    const migrations = stored ? await migrationNames(url) : undefined;
    const same =
      stored &&
      migrations &&
      migrations.pending.length === 0 &&
      stored.bundleSha256 === bundleSha256 &&
      JSON.stringify(stored.options) === JSON.stringify(options) &&
      JSON.stringify(stored.migrations) === JSON.stringify(migrations.known);
    if (same) {
      log(`archive ${database}: reused (same bundle and migrations)`);
      return { database, url, reused: true, fingerprint: stored!, rows: await rowCounts(url) };
    }
    log(`archive ${database}: content differs from seed/size/migrations; recreating`);
  }

  const buildStarted = performance.now();
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  });
  const db = await openDatabase({ database: { kind: 'postgres', url }, poolSize: 2, logSql: false });
  try {
    await prepareDatabase(db.dataSource, { seed: false });
  } finally {
    await db.close();
  }
  log(`archive ${database}: importing ${generated.statements} statements, ${generated.signatures} signatures, ${generated.sources} sources (importBundles, as \`jointly import\`)`);
  const run = spawnSync(process.execPath, [IMPORT_CHILD, '--url', url, '--file', file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`import-child failed (exit ${run.status ?? run.signal})`);
  const imported = JSON.parse(run.stdout.trim().split('\n').pop()!) as ImportRun;
  log(`  imported in ${imported.seconds.toFixed(1)} s (peak RSS ${imported.peakRssMb} MB)`);
  const analyzeStarted = performance.now();
  await withClient(url, (client) => client.query('VACUUM ANALYZE'));
  const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
  const fingerprint: Fingerprint = { format: 1, label, options, bundleSha256, migrations: (await migrationNames(url)).known };
  await withClient(adminUrl, (client) =>
    client.query(`COMMENT ON DATABASE ${database} IS ${client.escapeLiteral(`jointly-bench ${JSON.stringify(fingerprint)}`)}`),
  );
  const totalSeconds = generateSeconds + (performance.now() - buildStarted) / 1000;
  log(`archive ${database}: built in ${totalSeconds.toFixed(1)} s`);
  return {
    database,
    url,
    reused: false,
    fingerprint,
    built: { generateSeconds, importSeconds: imported.seconds, analyzeSeconds, totalSeconds, import: imported, generated },
    rows: await rowCounts(url),
  };
}

/**
 * What PostGraphile needs that its generated schema lacks (created on every run, idempotent; Jointly
 * does not use it): full-text search over statements — it has no FTS of its own — newest first like
 * Jointly's `statements(filter: {search})` (PostGraphile 5 gives a setof function no orderBy argument,
 * so the order is the function's own). A plain SQL function that PostgreSQL inlines into PostGraphile's
 * query. (Ordering a history by statement date is a plugin in serve/postgraphile-server.ts.)
 */
export async function createPostGraphileHelpers(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query(`
      CREATE OR REPLACE FUNCTION search_statements(query text) RETURNS SETOF statement
      LANGUAGE sql STABLE AS $$
        SELECT s.* FROM statement s
        WHERE s.deleted_at IS NULL AND s.search_vector @@ websearch_to_tsquery('jointly', query)
        ORDER BY s.date DESC, s.id DESC
      $$`);
    await client.query(`COMMENT ON FUNCTION search_statements(text) IS 'Full-text search over statements, newest first (benchmark helper).'`);
    // Archives built by earlier versions of the harness hold this function, no longer used: drop it so that it adds nothing to PostGraphile's schema.
    await client.query(`DROP FUNCTION IF EXISTS signature_statement_date(signature)`);
  });
}
