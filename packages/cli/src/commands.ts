import path from 'node:path';
import { writeFileAtomically } from './atomic-file';
import {
  DataDirLockedError,
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

/** Runs fn on the database being opened, then closes it. */
async function withDatabase<T>(opening: Promise<Database>, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await opening;
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** `1 migration`, `2 migrations`. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Opens the archive for a command that can run next to `jointly serve` (tokens, import, export,
 * migrate show): when a running server holds the embedded database's folder, the command works
 * through that server's database, and says so on standard error.
 */
export async function openShared(options: GlobalOptions): Promise<Database> {
  const db = await openDatabase(configFrom(options), { share: true }).catch((error: unknown) => {
    // A holder that names no port: a server still starting, another command, or an older version.
    if (!(error instanceof DataDirLockedError)) throw error;
    throw new Error(
      `the data folder ${error.dataDir} is in use by process ${error.holder.pid}, which does not share it (yet): try again once the server says "Jointly is serving" or the other command has finished`,
    );
  });
  if (db.sharedWith !== undefined) process.stderr.write(`using the database of the running server (process ${db.sharedWith})\n`);
  return db;
}

export function withShared<T>(options: GlobalOptions, fn: (db: Database) => Promise<T>): Promise<T> {
  return withDatabase(openShared(options), fn);
}

/** How many migrations this version knows that the database lacks. */
export async function pendingMigrations(db: Database): Promise<number> {
  return (await showMigrations(db.dataSource)).filter((m) => !m.applied).length;
}

/** Fails, saying what to do, when the database lacks migrations that this version knows. */
export async function requireMigrations(db: Database): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending === 0) return;
  const lacks = `the database at ${db.location} lacks ${plural(pending, 'migration')}`;
  throw new Error(
    db.sharedWith === undefined
      ? `${lacks}: run \`jointly migrate run\` first`
      : `${lacks}: stop the server (process ${db.sharedWith}) and start it again; it applies them when it starts`,
  );
}

/**
 * Readies the archive for a command as a server's start does (migrations, built-in states) — unless a
 * running server holds it: that server did so when it started, and two processes migrating at once
 * would collide, so then every migration must already be applied.
 */
export async function prepareArchive(db: Database): Promise<void> {
  if (db.sharedWith === undefined) await prepareDatabase(db.dataSource, { seed: false });
  else await requireMigrations(db);
}

/**
 * For the commands that change the schema or load the sample data (migrate run, migrate revert, seed):
 * they do not run next to a server using the embedded database, and say so in one line.
 */
function withExclusiveDatabase<T>(options: GlobalOptions, command: string, fn: (db: Database) => Promise<T>, instead = ''): Promise<T> {
  const opening = openDatabase(configFrom(options)).catch((error: unknown) => {
    if (!(error instanceof DataDirLockedError)) throw error;
    throw new Error(`the server (process ${error.holder.pid}) is using ${error.dataDir}: stop it first, then run \`jointly ${command}\`${instead}`);
  });
  return withDatabase(opening, fn);
}

/** A throwaway in-memory database holding exactly the migrations: for generate and check. */
function scratchConfig(options: GlobalOptions): Config {
  return options.databaseUrl ? configFrom(options) : loadConfig({ JOINTLY_DATA_DIR: 'memory://' }, { database: { kind: 'embedded', dataDir: 'memory://' } });
}

export async function migrateRun(options: GlobalOptions, print: Print): Promise<void> {
  await withExclusiveDatabase(
    options,
    'migrate run',
    async (db) => {
      const applied = await runMigrations(db.dataSource);
      await prepareDatabase(db.dataSource, { seed: false });
      print(applied.length ? `applied ${applied.length}: ${applied.join(', ')}` : 'no pending migrations');
    },
    ' (or just start it again: it applies pending migrations when it starts)',
  );
}

export async function migrateRevert(options: GlobalOptions, print: Print): Promise<void> {
  await withExclusiveDatabase(options, 'migrate revert', async (db) => {
    const reverted = await revertLastMigration(db.dataSource);
    print(reverted ? `reverted ${reverted}` : 'no migration is applied');
  });
}

/** Prints the migrations (`[X]` applied, `[ ]` pending; with json, an array of { name, applied }); returns how many are pending. */
export async function migrateShow(options: GlobalOptions & { json?: boolean }, print: Print): Promise<number> {
  return withShared(options, async (db) => {
    const list = await showMigrations(db.dataSource);
    if (options.json) print(JSON.stringify(list.map(({ name, applied }) => ({ name, applied })), null, 2));
    else for (const m of list) print(`${m.applied ? '[X]' : '[ ]'} ${m.name}`);
    return list.filter((m) => !m.applied).length;
  });
}

/** The folder of the server's migration sources, where `generate` writes. */
export function migrationsFolder(): string {
  const serverRoot = path.dirname(require.resolve('@jointly/server/package.json'));
  return path.join(serverRoot, 'src', 'database', 'migrations');
}

export async function migrateGenerate(name: string, options: GlobalOptions, print: Print): Promise<void> {
  await withDatabase(openDatabase(scratchConfig(options)), async (db) => {
    await runMigrations(db.dataSource);
    const file = await generateMigration(db.dataSource, name, migrationsFolder());
    if (!file) print('the entities match the migrations: nothing to generate');
    else print(`wrote ${path.relative(process.cwd(), file)}: read it, then add its class to database/migrations/index.ts`);
  });
}

/** Fails (returns false) when the entities and the migrations disagree. */
export async function migrateCheck(options: GlobalOptions, print: Print): Promise<boolean> {
  return withDatabase(openDatabase(scratchConfig(options)), async (db) => {
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
  await withExclusiveDatabase(
    options,
    'seed',
    async (db) => {
      await prepareDatabase(db.dataSource, { seed: false });
      print((await seedIfEmpty(db.dataSource)) ? 'loaded the sample data' : 'the archive already holds statements: nothing loaded');
    },
    ' (a server starting on an empty archive loads the sample data itself)',
  );
}

export async function schemaPrint(out: string | undefined, print: Print): Promise<void> {
  const sdl = await printJointlySchema();
  if (out) {
    writeFileAtomically(out, sdl);
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
