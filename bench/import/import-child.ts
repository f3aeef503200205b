/**
 * One timed import, in its own process so that its peak RSS is the import's alone:
 *
 *   node bench/dist/import/import-child.js --url postgres://… --file bundle.ndjson [--profile]
 *
 * Runs the product's import path exactly as `jointly import` does — importBundles (readBundleFile
 * + importBundle in one transaction) over a DataSource from openDatabase — and prints one JSON
 * line: seconds, SQL statements issued (the DataSource's SqlCounter), peak RSS, the import summary,
 * and with --profile the time spent waiting on each kind of SQL statement.
 */
import { importBundles, openDatabase, readBundleFile } from '@jointly/server';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { parseFlags } from './generate';

export interface QueryProfile {
  sql: string;
  calls: number;
  seconds: number;
  /** Characters of string parameters sent (e.g. the jsonb of rows). */
  paramChars: number;
}

export interface ImportRun {
  seconds: number;
  sqlStatements: number;
  peakRssMb: number;
  summary: unknown;
  /** readBundleFile alone (read, JSON parse, schema validation), timed after the import. */
  parseSeconds: number;
  /** Wall time spent waiting for SQL statements (when profiled). */
  sqlSeconds?: number;
  profile?: QueryProfile[];
}

/** Wraps the query runner to time every statement by its first words (benchmark only). */
function profileQueries(): Map<string, QueryProfile> {
  const profile = new Map<string, QueryProfile>();
  const proto = PostgresQueryRunner.prototype as unknown as { query: (q: string, p?: unknown[], s?: boolean) => Promise<unknown> };
  const original = proto.query;
  proto.query = async function (this: unknown, query: string, parameters?: unknown[], structured?: boolean) {
    const key = query.replace(/\s+/g, ' ').trim().slice(0, 90);
    const started = performance.now();
    try {
      return await original.call(this, query, parameters, structured);
    } finally {
      const entry = profile.get(key) ?? { sql: key, calls: 0, seconds: 0, paramChars: 0 };
      entry.calls++;
      entry.seconds += (performance.now() - started) / 1000;
      for (const p of parameters ?? []) if (typeof p === 'string') entry.paramChars += p.length;
      profile.set(key, entry);
    }
  };
  return profile;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const url = flags.get('url');
  const file = flags.get('file');
  if (!url || !file) throw new Error('usage: import-child --url URL --file BUNDLE [--profile]');
  const profile = flags.has('profile') ? profileQueries() : undefined;
  const db = await openDatabase({ database: { kind: 'postgres', url }, poolSize: 2, logSql: false });
  try {
    const started = performance.now();
    const { result, statements } = await db.sql.measure(() => importBundles(db.dataSource, [file]));
    const seconds = (performance.now() - started) / 1000;
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const parseStarted = performance.now();
    readBundleFile(file);
    const parseSeconds = (performance.now() - parseStarted) / 1000;
    const list = profile ? [...profile.values()].sort((a, b) => b.seconds - a.seconds) : undefined;
    const run: ImportRun = {
      seconds,
      sqlStatements: statements,
      peakRssMb,
      summary: result,
      parseSeconds,
      ...(list ? { sqlSeconds: list.reduce((n, p) => n + p.seconds, 0), profile: list } : {}),
    };
    process.stdout.write(`${JSON.stringify(run)}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
