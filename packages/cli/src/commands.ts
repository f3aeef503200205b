import fs from 'node:fs';
import path from 'node:path';
import {
  generateMigration,
  loadConfig,
  openDatabase,
  pendingSchemaChanges,
  prepareDatabase,
  printJointlySchema,
  revertLastMigration,
  runMigrations,
  seedIfEmpty,
  showMigrations,
  startServer,
  type Config,
  type Database,
} from '@jointly/server';

export interface GlobalOptions {
  databaseUrl?: string;
  dataDir?: string;
  verbose?: boolean;
}

export type Print = (line: string) => void;

/** The configuration from the environment, with command-line options winning. */
export function configFrom(options: GlobalOptions, overrides: Partial<Config> = {}): Config {
  const env = { ...process.env };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.dataDir) env.JOINTLY_DATA_DIR = options.dataDir;
  return loadConfig(env, overrides);
}

async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(config);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** A throwaway in-memory database holding exactly the migrations: for generate and check. */
function scratchConfig(options: GlobalOptions): Config {
  return options.databaseUrl ? configFrom(options) : loadConfig({ JOINTLY_DATA_DIR: 'memory://' }, { database: { kind: 'embedded', dataDir: 'memory://' } });
}

export async function migrateRun(options: GlobalOptions, print: Print): Promise<void> {
  await withDatabase(configFrom(options), async (db) => {
    const applied = await runMigrations(db.dataSource);
    await prepareDatabase(db.dataSource, { seed: false });
    print(applied.length ? `applied ${applied.length}: ${applied.join(', ')}` : 'no pending migrations');
  });
}

export async function migrateRevert(options: GlobalOptions, print: Print): Promise<void> {
  await withDatabase(configFrom(options), async (db) => {
    const reverted = await revertLastMigration(db.dataSource);
    print(reverted ? `reverted ${reverted}` : 'no migration is applied');
  });
}

export async function migrateShow(options: GlobalOptions, print: Print): Promise<number> {
  return withDatabase(configFrom(options), async (db) => {
    const list = await showMigrations(db.dataSource);
    for (const m of list) print(`${m.applied ? '[X]' : '[ ]'} ${m.name}`);
    return list.filter((m) => !m.applied).length;
  });
}

/** The folder of the server's migration sources, where `generate` writes. */
export function migrationsFolder(): string {
  const serverRoot = path.dirname(require.resolve('@jointly/server/package.json'));
  return path.join(serverRoot, 'src', 'database', 'migrations');
}

export async function migrateGenerate(name: string, options: GlobalOptions, print: Print): Promise<void> {
  await withDatabase(scratchConfig(options), async (db) => {
    await runMigrations(db.dataSource);
    const file = await generateMigration(db.dataSource, name, migrationsFolder());
    if (!file) print('the entities match the migrations: nothing to generate');
    else print(`wrote ${path.relative(process.cwd(), file)}: read it, then add its class to database/migrations/index.ts`);
  });
}

/** Fails (returns false) when the entities and the migrations disagree. */
export async function migrateCheck(options: GlobalOptions, print: Print): Promise<boolean> {
  return withDatabase(scratchConfig(options), async (db) => {
    await runMigrations(db.dataSource);
    const { up } = await pendingSchemaChanges(db.dataSource);
    if (up.length === 0) {
      print('ok: the migrations produce exactly the schema the entities describe');
      return true;
    }
    print(`the entities differ from the migrations; \`jointly migrate generate <Name>\` would write:`);
    for (const q of up) print(`  ${q}`);
    return false;
  });
}

export async function seed(options: GlobalOptions, print: Print): Promise<void> {
  await withDatabase(configFrom(options), async (db) => {
    await prepareDatabase(db.dataSource, { seed: false });
    print((await seedIfEmpty(db.dataSource)) ? 'loaded the sample data' : 'the archive already holds statements: nothing loaded');
  });
}

export async function schemaPrint(out: string | undefined, print: Print): Promise<void> {
  const sdl = await printJointlySchema();
  if (out) {
    fs.writeFileSync(out, sdl);
    print(`wrote ${out}`);
  } else process.stdout.write(sdl);
}

export async function serve(options: GlobalOptions & { port?: string; host?: string; seed?: boolean }, print: Print): Promise<void> {
  const env = { ...process.env };
  if (options.port !== undefined) env.PORT = options.port;
  if (options.host !== undefined) env.HOST = options.host;
  if (options.seed === false) env.JOINTLY_SEED = 'false';
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.dataDir) env.JOINTLY_DATA_DIR = options.dataDir;
  const config = loadConfig(env);
  // An unreachable PostgreSQL is retried (JOINTLY_DB_START_RETRIES), then a DatabaseUnavailableError: bin.ts prints it, exit 1.
  // The port is bound first: a taken one fails at once, before the database is opened.
  const server = await startServer(config);
  print(`Jointly is serving ${server.url}${server.playgroundUrl ? ` (playground: ${server.playgroundUrl})` : ''}`);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`jointly: ${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    const started = Date.now();
    print(`${signal}: stopping; requests in flight have ${config.shutdownTimeoutMs} ms to finish`);
    // The last resort, should closing the pool or the embedded database itself hang.
    setTimeout(() => {
      process.stderr.write('jointly: the shutdown did not finish; exiting\n');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5000).unref();
    server.stop().then(
      () => {
        print(`stopped in ${Date.now() - started} ms`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`jointly: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
