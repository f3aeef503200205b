#!/usr/bin/env node
import { Command } from 'commander';
import * as run from './commands';

const program = new Command();
const print: run.Print = (line) => process.stdout.write(`${line}\n`);
const globals = (): run.GlobalOptions => program.opts<run.GlobalOptions>();

program
  .name('jointly')
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
  .action(async () => {
    if ((await run.migrateShow(globals(), print)) > 0) process.exitCode = 1;
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

program.command('seed').description('load the sample data into an empty archive').action(() => run.seed(globals(), print));

program
  .command('schema')
  .description('the GraphQL schema')
  .command('print')
  .description('print the schema (SDL, sorted) from the code; no database needed')
  .option('-o, --out <file>', 'write to a file instead of standard output')
  .action((opts: { out?: string }) => run.schemaPrint(opts.out, print));

program.parseAsync().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`jointly: ${message}\n`);
  if (globals().verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
