import {
  DatabaseUnavailableError,
  describeProblem,
  IMPORT_STEPS,
  ImportFailed,
  importFiles,
  type FileSummary,
  type ImportProblem,
  type ImportSummary,
  runMigrations,
} from '@jointly/server';
import { openShared, pendingMigrations, plural, type GlobalOptions } from './commands';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, database: 3 } as const;

const STEPS = ['parsing', ...IMPORT_STEPS, 'committing'];

/** A bar on a terminal, plain lines otherwise; always on standard error. */
function progress(stream: NodeJS.WriteStream) {
  const tty = stream.isTTY === true;
  let last = '';
  return {
    update(event: { file: string; index: number; total: number; step: string }) {
      const done = event.index * STEPS.length + STEPS.indexOf(event.step) + 1;
      const all = event.total * STEPS.length;
      const line = `import: ${event.file} (${event.index + 1}/${event.total}): ${event.step}`;
      if (tty) {
        const width = 24;
        const filled = Math.round((done / all) * width);
        stream.write(`\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${line}`.padEnd(100).slice(0, Math.max(stream.columns ?? 100, 40) - 1));
      } else if (line !== last) stream.write(`${line}\n`);
      last = line;
    },
    end() {
      if (tty) stream.write('\r'.padEnd(100) + '\r');
    },
  };
}

/** `seed.json: 13 created, 0 updated, 0 unchanged (1 source, 3 people, 1 signatory, 4 statements, 4 signatures)` */
export function describeSummary({ file, summary }: FileSummary): string {
  const sum = (k: 'created' | 'updated' | 'unchanged') => Object.values(summary).reduce((n, c) => n + c[k], 0);
  const size = (c: { created: number; updated: number; unchanged: number }) => c.created + c.updated + c.unchanged;
  const records = [
    plural(size(summary.sources), 'source'),
    plural(size(summary.people), 'person', 'people'),
    plural(size(summary.signatories), 'signatory', 'signatories'),
    plural(size(summary.statements), 'statement'),
    plural(size(summary.signatures), 'signature'),
  ];
  return `${file}: ${sum('created')} created, ${sum('updated')} updated, ${sum('unchanged')} unchanged (${records.join(', ')})`;
}

/** What `jointly import --json` prints: one object, on success and on problems alike. */
export interface ImportReport {
  dryRun: boolean;
  /** True when the import committed. */
  written: boolean;
  /** Per file, in the order given: what it created, updated and left unchanged per kind of record (null when nothing was written), and its problems. */
  files: { file: string; counts: ImportSummary | null; problems: number }[];
  /** The counts of every file added up per kind of record; null when there were problems. */
  total: ImportSummary | null;
  problems: ImportProblem[];
}

function addUp(summaries: readonly ImportSummary[]): ImportSummary {
  const zero = () => ({ created: 0, updated: 0, unchanged: 0 });
  const total: ImportSummary = { sources: zero(), people: zero(), signatories: zero(), statements: zero(), signatures: zero() };
  for (const summary of summaries) {
    for (const kind of Object.keys(total) as (keyof ImportSummary)[]) {
      total[kind].created += summary[kind].created;
      total[kind].updated += summary[kind].updated;
      total[kind].unchanged += summary[kind].unchanged;
    }
  }
  return total;
}

/**
 * `jointly import FILE… [--dry-run] [--migrate] [-q] [--json]`. Returns the exit code. It never
 * changes the schema unasked: pending migrations stop it (exit 2) unless `--migrate` applies them
 * (not next to a running server, which applies them itself when it starts). The built-in states
 * are synced in the import's own transaction, so a dry run writes nothing at all.
 */
export async function importCommand(files: string[], options: GlobalOptions & { dryRun?: boolean; quiet?: boolean; json?: boolean; migrate?: boolean }): Promise<number> {
  if (files.length === 0) {
    process.stderr.write('jointly: import needs at least one file (.json or .ndjson; - for standard input)\n');
    return EXIT.usage;
  }
  if (files.filter((f) => f === '-').length > 1) {
    process.stderr.write('jointly: standard input (-) can be read once\n');
    return EXIT.usage;
  }
  let db;
  try {
    db = await openShared(options);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) {
      process.stderr.write(`jointly: ${error.message}\n`);
      return EXIT.database;
    }
    throw error;
  }
  const dryRun = options.dryRun === true;
  const report = (r: ImportReport) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  const bar = progress(process.stderr);
  try {
    const pending = await pendingMigrations(db);
    if (pending > 0) {
      const lacks = `${plural(pending, 'migration')} pending on the database at ${db.location}`;
      if (db.sharedWith !== undefined) {
        process.stderr.write(`jointly: ${lacks}: stop the server (process ${db.sharedWith}) and start it again; it applies them when it starts\n`);
        return EXIT.usage;
      }
      if (!options.migrate) {
        process.stderr.write(`jointly: ${lacks}: run \`jointly migrate run\` first, or import with --migrate\n`);
        return EXIT.usage;
      }
      const applied = await runMigrations(db.dataSource);
      process.stderr.write(`applied ${plural(applied.length, 'migration')}: ${applied.join(', ')}\n`);
    }
    const started = Date.now();
    const summaries = await importFiles(db.dataSource, files, {
      dryRun,
      // The names resolve against the built-in states as a server's start syncs them: in the
      // import's transaction, so that a dry run (or a refused import) leaves them as they were.
      syncBuiltInStates: true,
      actor: process.env.USER ? `cli:${process.env.USER}` : 'cli',
      onProgress: options.quiet ? undefined : (event) => bar.update(event),
    });
    bar.end();
    const total = addUp(summaries.map((s) => s.summary));
    if (options.json) {
      report({
        dryRun,
        written: !dryRun,
        files: summaries.map(({ file, summary }) => ({ file, counts: summary, problems: 0 })),
        total,
        problems: [],
      });
      return EXIT.ok;
    }
    const sum = (k: 'created' | 'updated' | 'unchanged') => Object.values(total).reduce((n, c) => n + c[k], 0);
    if (!options.quiet) for (const s of summaries) process.stdout.write(`${describeSummary(s)}\n`);
    const verb = dryRun ? 'would write' : 'wrote';
    process.stdout.write(
      `${dryRun ? 'dry run, nothing written: ' : ''}${sum('created')} created, ${sum('updated')} updated, ${sum('unchanged')} unchanged ` +
        `(${verb} ${plural(files.length, 'file')} in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    return EXIT.ok;
  } catch (error) {
    bar.end();
    if (error instanceof ImportFailed) {
      const problems = error.files.flatMap((f) => f.problems);
      if (options.json) {
        report({
          dryRun,
          written: false,
          files: files.map((file) => ({ file, counts: null, problems: problems.filter((p) => p.file === file).length })),
          total: null,
          problems,
        });
      } else {
        for (const p of problems) process.stderr.write(`${describeProblem(p)}\n`);
        process.stderr.write(`jointly: ${error.message}\n`);
      }
      return EXIT.invalid;
    }
    throw error;
  } finally {
    await db.close();
  }
}
