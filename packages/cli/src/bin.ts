import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import * as run from './commands';
import { importCommand } from './import-command';
import { tokenCreate, tokenList, tokenRevoke } from './token-command';
import { exportCommand, MAX_ALIGNMENT_KEYS, type ExportOptions } from './export-command';
import { extractCommand, type ExtractOptions } from './extract-command';

const program = new Command();
const print: run.Print = (line) => process.stdout.write(`${line}\n`);
const globals = (): run.GlobalOptions => program.opts<run.GlobalOptions>();

// Usage errors (unknown command or option, missing argument) exit 2, as scripts expect.
program.exitOverride((error) => {
  process.exit(error.exitCode === 0 ? 0 : 2);
});

const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

program
  .name('jointly')
  .version(`jointly ${version}`, '-V, --version', 'print the version and exit')
  .description('Run and manage a Jointly archive. Uses DATABASE_URL when set, else the embedded database in JOINTLY_DATA_DIR (.jointly/data).')
  .option('--database-url <url>', 'PostgreSQL URL (overrides DATABASE_URL)')
  .option('--data-dir <dir>', 'folder of the embedded database (overrides JOINTLY_DATA_DIR)')
  .option('--verbose', 'print stack traces of errors');

program
  .command('serve')
  .description('serve the GraphQL API (migrates, and loads the sample data into an empty archive)')
  .option('-p, --port <port>', 'port (overrides PORT, default 4000)')
  .option('--host <host>', 'interface to listen on (overrides HOST, default 127.0.0.1)')
  .option('--no-seed', 'do not load the sample data into an empty archive')
  .action((opts: { port?: string; host?: string; seed?: boolean }) => run.serve({ ...globals(), ...opts }, print));

const migrate = program.command('migrate').description('database migrations');
migrate.command('run').description('apply pending migrations').action(() => run.migrateRun(globals(), print));
migrate.command('revert').description('revert the most recent migration').action(() => run.migrateRevert(globals(), print));
migrate
  .command('show')
  .description('list migrations; exits 1 when some are pending')
  .option('--json', 'print a JSON array of { name, applied }')
  .action(async (opts: { json?: boolean }) => {
    if ((await run.migrateShow({ ...globals(), ...opts }, print)) > 0) process.exitCode = 1;
  });
migrate
  .command('generate <Name>')
  .description('write a migration for the difference between the entities and the migrations')
  .action((name: string) => run.migrateGenerate(name, globals(), print));
migrate
  .command('check')
  .description('fail when the entities differ from the migrations')
  .action(async () => {
    if (!(await run.migrateCheck(globals(), print))) process.exitCode = 1;
  });

program
  .command('import')
  .description('import bundle files (.json, .ndjson; - for standard input) in one transaction: all or nothing')
  .argument('<files...>', 'bundle files')
  .option('--dry-run', 'check everything and say what would change, then write nothing')
  .option('-q, --quiet', 'no progress and no per-file lines; only the summary')
  .option('--json', 'print the summary, or every problem, as one JSON object on standard output')
  .option('--migrate', 'apply pending migrations first (without it, pending migrations stop the import)')
  .addHelpText('after', '\nExit codes: 0 imported, 1 the data has problems (all listed; nothing written), 2 usage or migrations pending, 3 database unreachable.')
  .action(async (files: string[], opts: { dryRun?: boolean; quiet?: boolean; json?: boolean; migrate?: boolean }) => {
    process.exitCode = await importCommand(files, { ...globals(), ...opts });
  });

const token = program.command('token').description('write tokens (reads need none)');
token
  .command('create')
  .description('create a token and print it once')
  .requiredOption('--name <name>', 'who holds it; recorded as the author of every change made with it')
  .requiredOption('--role <role>', 'editor (create and change records, their signatures) or admin (also delete, restore, importBundle)')
  .action((opts: { name: string; role: string }) => tokenCreate({ ...globals(), ...opts }, print));
token
  .command('list')
  .description('list tokens (never the tokens themselves)')
  .option('--json', 'print a JSON array of { name, role, prefix, createdAt, lastUsedAt, revokedAt }')
  .action((opts: { json?: boolean }) => tokenList({ ...globals(), ...opts }, print));
token
  .command('revoke <name>')
  .description('revoke a token')
  .action((name: string) => tokenRevoke(name, globals(), print));

program.command('seed').description('load the sample data into an empty archive').action(() => run.seed(globals(), print));

program
  .command('schema')
  .description('the GraphQL schema')
  .command('print')
  .description('print the schema (SDL, sorted) from the code; no database needed')
  .option('-o, --out <file>', 'write to a file instead of standard output')
  .action((opts: { out?: string }) => run.schemaPrint(opts.out, print));

program
  .command('export')
  .description(
    'write the archive as a bundle (json, ndjson), as a spreadsheet (csv: one row per signature; xlsx: statements and signatures sheets), ' +
      'or the alignment table of some statements; to standard output unless --out',
  )
  .option('--format <format>', 'json, ndjson, csv or xlsx (default: from the --out extension, else json; csv for --alignment)')
  .option('-o, --out <file>', 'write to a file (and a one-line summary to standard error); - for standard output')
  .option('--alignment <keys>', `comma-separated statement keys (at most ${MAX_ALIGNMENT_KEYS}): one row per signatory, one column per statement (csv or xlsx)`)
  .option('--topic <topic>', 'only statements with this topic, e.g. Tibet (case and accents ignored)')
  .option('--forum <forum>', 'only statements at this forum, e.g. "UN Human Rights Council" (case and accents ignored)')
  .option('--from <date>', 'only statements from the start of this YYYY, YYYY-MM or YYYY-MM-DD')
  .option('--to <date>', 'only statements up to the end of this YYYY, YYYY-MM or YYYY-MM-DD')
  .addHelpText('after', '\nExit codes: 0 written, 1 failure (e.g. database unreachable), 2 usage (including an unknown --alignment key).')
  // Commander's own usage errors (a missing value, an unknown option) in the same one-line form; they exit 2 (program.exitOverride).
  .configureOutput({ outputError: (message, write) => write(`jointly: ${message.replace(/^error: /, '')}`) })
  .action(async (opts: ExportOptions) => {
    const status = await exportCommand({ ...globals(), ...opts });
    if (status !== 0) process.exitCode = status;
  });

program
  .command('extract')
  .description(
    'draft a bundle from the text of a source (plain text or HTML; - for standard input): the cleaned source, one statement per ' +
      'statement it reports, every value quoted from it; what cannot be told for sure (unknown names, a day without its year, ' +
      'an unclear side) goes to the review report, not into the draft. Needs no database; `jointly import` takes the draft as it is',
  )
  .argument('<FILE...>', 'source texts (.txt, .html), or - for standard input')
  .option('--url <url>', 'the address of the source')
  .option('--published <date>', 'its publication date, YYYY, YYYY-MM or YYYY-MM-DD (default: a date line in the text); days such as "on Thursday" are resolved against it')
  .option('--title <title>', 'its title (default: the first line, or the HTML heading)')
  .option('--kind <kind>', 'NEWS_ARTICLE, PRESS_RELEASE, GOVERNMENT_PAGE, UN_DOCUMENT, NGO_PAGE, TRANSCRIPT or OTHER (default: from its words, else NEWS_ARTICLE)')
  .option('-o, --out <file>', 'write the draft bundle to a file instead of standard output')
  .option('--report <file>', 'write the review report as JSON: per file, the facts (value, rule, quote, offsets) and the items to review (kind, text as written, offsets, candidates)')
  .addHelpText(
    'after',
    '\nThe review report is printed readably on standard error. Offsets are into the draft source\'s body.\n' +
      'Example: jointly extract article.txt --published 2021-10-22 --out draft.json --report review.json && jointly import draft.json\n' +
      'Exit codes: 0 drafted (items to review included), 1 a file cannot be read or drafted, 2 usage.',
  )
  .configureOutput({ outputError: (message, write) => write(`jointly: ${message.replace(/^error: /, '')}`) })
  .action((files: string[], opts: ExtractOptions) => {
    const status = extractCommand(files, opts);
    if (status !== 0) process.exitCode = status;
  });

program.parseAsync().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`jointly: ${message}\n`);
  if (globals().verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
