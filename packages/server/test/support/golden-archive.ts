import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { importFiles, openDatabase, prepareDatabase, runMigrations } from '../../src/index';
import { generateBundle, SIZES } from '../../../../bench/import/generate';
import { TEST_CONNECT_TIMEOUT_MS, testDatabaseUrl } from './test-database';

/**
 * The archives the golden answers are recorded over, built in an empty test database:
 * - `sample`: what every test server seeds (prepareDatabase with the sample data);
 * - `S`: the benchmark's archive of size S (bench/import/generate.ts, seed 1), imported with
 *   importFiles as `jointly import` and the benchmark do, over the built-in states alone.
 *
 * Ids are made deterministic first: every uuid column's default (gen_random_uuid()) becomes a
 * counter's md5, so that a run of the same writes gives every record the same id. The answers
 * never show an id as it is (the normaliser replaces ids by the records' keys), but lists ordered
 * by a value that ties (statements of one date, search hits of one rank) break the tie by id, and
 * with random ids the order of those rows would change from one run to the next.
 */
export type GoldenArchive = 'sample' | 'S';

export const GOLDEN_ARCHIVES: readonly GoldenArchive[] = ['sample', 'S'];

async function deterministicIds(dataSource: DataSource): Promise<void> {
  await dataSource.query(`CREATE SEQUENCE golden_id_seq`);
  await dataSource.query(`CREATE FUNCTION golden_id() RETURNS uuid LANGUAGE sql VOLATILE AS $$ SELECT md5('golden:' || nextval('golden_id_seq'))::uuid $$`);
  const columns = (await dataSource.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_default = 'gen_random_uuid()' ORDER BY table_name, column_name`,
  )) as { table_name: string; column_name: string }[];
  if (columns.length < 8) throw new Error(`expected the archive's uuid columns, found ${columns.length}`);
  for (const c of columns) await dataSource.query(`ALTER TABLE "${c.table_name}" ALTER COLUMN "${c.column_name}" SET DEFAULT golden_id()`);
}

/** A database holding `archive`, with deterministic ids; returns its URL. */
export async function buildGoldenArchive(archive: GoldenArchive): Promise<string> {
  const url = await testDatabaseUrl({ empty: true });
  const db = await openDatabase({
    database: { kind: 'postgres', url },
    poolSize: 1,
    logSql: false,
    db: { connectTimeoutMs: Number(TEST_CONNECT_TIMEOUT_MS), statementTimeoutMs: 0, startRetries: 0, startBackoffMs: 100 },
  });
  try {
    await runMigrations(db.dataSource);
    await deterministicIds(db.dataSource);
    await prepareDatabase(db.dataSource, { seed: archive === 'sample' });
    if (archive === 'S') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointly-golden-'));
      try {
        const file = path.join(dir, 'bench-S.ndjson');
        generateBundle({ ...SIZES.S!, seed: 1 }, file);
        await importFiles(db.dataSource, [file], { actor: 'bench' });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    await db.dataSource.query('ANALYZE');
  } finally {
    await db.close();
  }
  return url;
}
