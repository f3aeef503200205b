import path from 'node:path';

/** Where the archive's data lives: an external PostgreSQL, or the embedded PGlite folder. */
export type DatabaseConfig =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'embedded'; readonly dataDir: string };

export interface Config {
  readonly database: DatabaseConfig;
  readonly host: string;
  readonly port: number;
  /** Load the sample bundles when the archive is empty. */
  readonly seedWhenEmpty: boolean;
  readonly poolSize: number;
  readonly logSql: boolean;
  /** Schema introspection (on by default: the schema is public, and the playground and codegen need it). */
  readonly introspection: boolean;
  /** The GraphiQL playground on /playground and on GET /graphql from a browser (served offline, from node_modules). */
  readonly playground: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

/** Checks that a DATABASE_URL is a postgres:// URL, with a message that says what is wrong. */
export function parseDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`DATABASE_URL is not a URL: "${url}" (expected postgres://user@host:5432/database)`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// or postgresql://, got "${parsed.protocol}//" (expected postgres://user@host:5432/database)`,
    );
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    throw new ConfigError(`DATABASE_URL has no host: "${url}"`);
  }
  return url;
}

/** A folder, made absolute; `memory://` (nothing kept on disk) as it is. */
function embeddedDataDir(dir: string): string {
  return dir.startsWith('memory://') ? dir : path.resolve(dir);
}

/** Reads the environment once into a frozen, typed Config. Overrides win over the environment. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const url = env.DATABASE_URL;
  const database: DatabaseConfig =
    url !== undefined && url !== ''
      ? { kind: 'postgres', url: parseDatabaseUrl(url) }
      : { kind: 'embedded', dataDir: embeddedDataDir(env.JOINTLY_DATA_DIR || '.jointly/data') };
  return Object.freeze({
    database,
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 4000, 0, 65535),
    seedWhenEmpty: boolean(env, 'JOINTLY_SEED', true),
    poolSize: integer(env, 'JOINTLY_DB_POOL_SIZE', 10, 1, 100),
    logSql: boolean(env, 'JOINTLY_LOG_SQL', false),
    introspection: boolean(env, 'JOINTLY_INTROSPECTION', true),
    playground: boolean(env, 'JOINTLY_PLAYGROUND', true),
    ...overrides,
  });
}
