import path from 'node:path';

/** Where the archive's data lives: an external PostgreSQL, or the embedded PGlite folder. */
export type DatabaseConfig =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'embedded'; readonly dataDir: string };

/** How the database pool is shared between clients (JOINTLY_EXPENSIVE_*, JOINTLY_TRUST_PROXY). */
export interface FairShareConfig {
  /** Estimated cost (graphql/limits/cost) from which a request counts as expensive; 0 = every request. */
  readonly expensiveCost: number;
  /** Expensive requests one client address may have running at once. */
  readonly perAddress: number;
  /** Expensive requests running at once over all addresses: the share of the pool they may take. */
  readonly total: number;
  /** Milliseconds an expensive request waits for its turn before it is refused. */
  readonly queueMs: number;
  /** The client address is X-Forwarded-For's last entry (the one a trusted reverse proxy appended). */
  readonly trustProxy: boolean;
}

/** More than one instance (see docs/production/scale-out.md). */
export interface ScaleOutConfig {
  /** JOINTLY_REDIS_URL: shared rate limits, shared expensive-request shares and the shared response cache. */
  readonly redisUrl?: string;
  /** JOINTLY_RATE_LIMIT_PER_MINUTE: requests one client address may make per minute (all instances together with Redis); 0 = no limit. */
  readonly rateLimitPerMinute: number;
  /** JOINTLY_RESPONSE_CACHE_TTL_S: how long a response stays in the shared (Redis) cache at most. */
  readonly responseCacheTtlS: number;
  /** JOINTLY_READ_REPLICA_URLS: streaming replicas that answer read queries. */
  readonly replicaUrls: readonly string[];
  /** JOINTLY_REPLICA_MAX_LAG_MS: a replica further behind than this is skipped. */
  readonly replicaMaxLagMs: number;
  /** JOINTLY_REPLICA_WAIT_MS: how long a read carrying a WAL position waits for a replica to replay that far before the primary answers it. */
  readonly replicaWaitMs: number;
  /** JOINTLY_CHANGE_FEED_URL: the change feed's own connection (LISTEN needs a session: the primary itself, not a transaction pooler); DATABASE_URL by default. */
  readonly changeFeedUrl?: string;
}

export interface Config {
  readonly database: DatabaseConfig;
  /** More than one instance: Redis, read replicas, a pooler in front of the primary. */
  readonly scaleOut: ScaleOutConfig;
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
  /** Refusals before execution: see graphql/limits. */
  readonly limits: LimitsConfig;
  /** Database guard rails. */
  readonly db: DatabaseGuardConfig;
  /** Milliseconds SIGTERM/SIGINT waits for in-flight requests before closing anyway. */
  readonly shutdownTimeoutMs: number;
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  readonly logLevel: LogLevel;
  /** `json` lines, `pretty` lines for a terminal, or `auto` (pretty when stdout is a TTY). */
  readonly logFormat: 'json' | 'pretty' | 'auto';
  /** Prometheus metrics on GET /metrics. */
  readonly metrics: boolean;
  /** Bytes of whole read-query responses kept in memory, dropped on any write; 0 turns the cache off. */
  readonly responseCacheBytes: number;
  /** Which other origins' pages may call /graphql from a browser (see http/cors). */
  readonly cors: CorsConfig;
  /** Request timeouts and open-connection caps (see http/connection-limits). */
  readonly connections: ConnectionsConfig;
  /** When set, GET /metrics answers only with `Authorization: Bearer <it>`. */
  readonly metricsToken?: string;
  /** How expensive operations share the database between client addresses (see http/fair-share). */
  readonly fairShare: FairShareConfig;
}

export interface ConnectionsConfig {
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
}

/** JOINTLY_REQUEST_TIMEOUT_MS and JOINTLY_HEADERS_TIMEOUT_MS (the headers cannot take longer than the whole request), and the caps. */
function connections(env: Env): ConnectionsConfig {
  const requestTimeoutMs = integer(env, 'JOINTLY_REQUEST_TIMEOUT_MS', 30_000, 1000, 3_600_000);
  const headersTimeoutMs = integer(env, 'JOINTLY_HEADERS_TIMEOUT_MS', Math.min(10_000, requestTimeoutMs), 1000, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(`JOINTLY_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed JOINTLY_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  const maxConnections = integer(env, 'JOINTLY_MAX_CONNECTIONS', 1000, 1, 1_000_000);
  const maxConnectionsPerAddress = integer(env, 'JOINTLY_MAX_CONNECTIONS_PER_ADDRESS', Math.min(100, maxConnections), 1, 1_000_000);
  return Object.freeze({ requestTimeoutMs, headersTimeoutMs, maxConnections, maxConnectionsPerAddress });
}

/** JOINTLY_METRICS_TOKEN: unset or empty means /metrics is open (as on a private network); else at least 16 characters. */
function metricsToken(env: Env): string | undefined {
  const raw = env.JOINTLY_METRICS_TOKEN;
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 16 || /\s/.test(raw)) throw new ConfigError('JOINTLY_METRICS_TOKEN must be at least 16 characters without spaces');
  return raw;
}

/** JOINTLY_CORS_ORIGINS: nothing (same origin only), `*` (any origin may read), and/or exact origins (may also write). */
export interface CorsConfig {
  /** `*` was given: any origin may make requests without credentials or an Authorization header. */
  readonly anyOrigin: boolean;
  /** Exact origins (`https://curate.example.org`), lower case: echoed, with credentials and Authorization allowed. */
  readonly origins: readonly string[];
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Every limit an operation must pass before it executes (and before any SQL runs). */
export interface LimitsConfig {
  /** Deepest selection-set nesting (fragments expanded). */
  readonly maxDepth: number;
  /** Aliases per operation. */
  readonly maxAliases: number;
  /** Lexical tokens per document. */
  readonly maxTokens: number;
  /** Directives per operation. */
  readonly maxDirectives: number;
  /** Estimated cost: fields, signatory references, search terms and conditions, each list multiplied by its page size (graphql/limits/cost). */
  readonly maxCost: number;
  /** Request body bytes (GraphQL document plus variables); 413 above. */
  readonly maxBodyBytes: number;
  /** "Did you mean …?" in validation errors; off in production (NODE_ENV=production) unless set. */
  readonly fieldSuggestions: boolean;
}

export interface DatabaseGuardConfig {
  /** Postgres statement_timeout for every statement a request runs; 0 = none. */
  readonly statementTimeoutMs: number;
  /** How long a request waits for a pooled connection (or to connect) before DATABASE_UNAVAILABLE. */
  readonly connectTimeoutMs: number;
  /** At start: how many more times to try an unreachable database before exiting non-zero. */
  readonly startRetries: number;
  /** At start: the first wait between attempts; doubled each time (capped at 10 s). */
  readonly startBackoffMs: number;
  /**
   * Client-side limit on one statement's round trip for requests (pg's query_timeout), above the
   * statement timeout: past it the server could not answer (a partition), so the connection is
   * destroyed and the request gets DATABASE_UNAVAILABLE. 0 = none.
   */
  readonly queryTimeoutMs: number;
  /** How long GET /readyz waits for its database check before answering 503 (`timeout`). */
  readonly readyTimeoutMs: number;
  /** How often the change feed sends itself a heartbeat through its LISTEN connection; 0 = never. */
  readonly changeFeedHeartbeatMs: number;
  /** How soon that heartbeat must come back; later, the feed counts as deaf and reconnects. */
  readonly changeFeedDeadlineMs: number;
  /** Database time (its statements summed) one read query may use; then QUERY_TOO_COMPLEX (limit databaseTime). 0 = none. */
  readonly requestBudgetMs: number;
  /** Pooled connections one read query may hold at once (database/request-connections); 0 = no limit. */
  readonly requestConnections: number;
  /**
   * Whether the read engine runs its plans as named prepared statements (PostgreSQL plans each shape
   * once per connection). Off behind a pooler in transaction mode that does not track them.
   */
  readonly preparedStatements: boolean;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function databaseGuards(env: Env): DatabaseGuardConfig {
  const statementTimeoutMs = integer(env, 'JOINTLY_STATEMENT_TIMEOUT_MS', 5000, 0, 3_600_000);
  const queryTimeoutMs = integer(env, 'JOINTLY_DB_QUERY_TIMEOUT_MS', statementTimeoutMs > 0 ? statementTimeoutMs + 1000 : 0, 0, 3_600_000);
  // Below the statement timeout, a slow query would be reported as an outage instead of TIMEOUT.
  if (queryTimeoutMs > 0 && statementTimeoutMs > 0 && queryTimeoutMs <= statementTimeoutMs) {
    throw new ConfigError(`JOINTLY_DB_QUERY_TIMEOUT_MS must be above JOINTLY_STATEMENT_TIMEOUT_MS (${statementTimeoutMs}), got "${queryTimeoutMs}"`);
  }
  return Object.freeze({
    statementTimeoutMs,
    connectTimeoutMs: integer(env, 'JOINTLY_DB_CONNECT_TIMEOUT_MS', 2000, 100, 60_000),
    startRetries: integer(env, 'JOINTLY_DB_START_RETRIES', 5, 0, 100),
    startBackoffMs: integer(env, 'JOINTLY_DB_START_BACKOFF_MS', 500, 10, 60_000),
    queryTimeoutMs,
    readyTimeoutMs: integer(env, 'JOINTLY_READY_TIMEOUT_MS', 1500, 100, 60_000),
    changeFeedHeartbeatMs: integer(env, 'JOINTLY_CHANGE_FEED_HEARTBEAT_MS', 3000, 0, 600_000),
    changeFeedDeadlineMs: integer(env, 'JOINTLY_CHANGE_FEED_DEADLINE_MS', 2000, 50, 600_000),
    requestBudgetMs: integer(env, 'JOINTLY_REQUEST_DB_BUDGET_MS', 3000, 0, 3_600_000),
    requestConnections: integer(env, 'JOINTLY_REQUEST_DB_CONNECTIONS', 2, 0, 100),
    preparedStatements: boolean(env, 'JOINTLY_PREPARED_STATEMENTS', true),
  });
}

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

function oneOf<T extends string>(env: Env, name: string, values: readonly T[]): T {
  const raw = (env[name] || values[0]!).toLowerCase();
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${env[name]}"`);
  return raw as T;
}

function logLevel(env: Env): LogLevel {
  const raw = (env.JOINTLY_LOG_LEVEL || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError(`JOINTLY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.JOINTLY_LOG_LEVEL}"`);
  }
  return raw as LogLevel;
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

/**
 * JOINTLY_CORS_ORIGINS: a comma-separated list of `*` and exact origins (scheme, host, and a port
 * only when it is not the scheme's default: what a browser sends in its Origin header).
 */
function corsOrigins(env: Env): CorsConfig {
  const raw = env.JOINTLY_CORS_ORIGINS;
  if (raw === undefined || raw.trim() === '') return Object.freeze({ anyOrigin: false, origins: Object.freeze([]) });
  let anyOrigin = false;
  const origins = new Set<string>();
  for (const entry of raw.split(',').map((part) => part.trim())) {
    if (entry === '*') {
      anyOrigin = true;
      continue;
    }
    if (entry === '') throw new ConfigError(`JOINTLY_CORS_ORIGINS has an empty entry: "${raw}" (expected a comma-separated list such as https://a.org,https://b.org, or *)`);
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ConfigError(`JOINTLY_CORS_ORIGINS: "${entry}" is not an http:// or https:// origin (expected e.g. https://curate.example.org, or *)`);
    }
    if (entry.toLowerCase() !== url.origin) {
      throw new ConfigError(`JOINTLY_CORS_ORIGINS: "${entry}" is not an origin; write it as ${url.origin} (scheme, host and port only: no path, not even "/")`);
    }
    origins.add(url.origin);
  }
  return Object.freeze({ anyOrigin, origins: Object.freeze([...origins]) });
}

/** A folder, made absolute; `memory://` (nothing kept on disk) as it is. */
function embeddedDataDir(dir: string): string {
  return dir.startsWith('memory://') ? dir : path.resolve(dir);
}

/** A redis:// or rediss:// URL. */
function redisUrl(env: Env): string | undefined {
  const raw = env.JOINTLY_REDIS_URL;
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`JOINTLY_REDIS_URL is not a URL (expected redis://host:6379 or rediss://host:6380)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new ConfigError(`JOINTLY_REDIS_URL must start with redis:// or rediss://, got "${parsed.protocol}//"`);
  return raw;
}

function scaleOut(env: Env, database: DatabaseConfig): ScaleOutConfig {
  const replicaUrls = (env.JOINTLY_READ_REPLICA_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean)
    .map((u, i) => {
      try {
        return parseDatabaseUrl(u);
      } catch (error) {
        throw new ConfigError(`JOINTLY_READ_REPLICA_URLS entry ${i + 1}: ${(error as Error).message.replace(/^DATABASE_URL/, 'the URL')}`);
      }
    });
  if (replicaUrls.length > 8) throw new ConfigError(`JOINTLY_READ_REPLICA_URLS lists ${replicaUrls.length} replicas; at most 8`);
  const changeFeedUrl = env.JOINTLY_CHANGE_FEED_URL ? parseDatabaseUrl(env.JOINTLY_CHANGE_FEED_URL) : undefined;
  if (database.kind === 'embedded' && (replicaUrls.length || changeFeedUrl)) {
    throw new ConfigError('JOINTLY_READ_REPLICA_URLS and JOINTLY_CHANGE_FEED_URL need DATABASE_URL (the embedded database has no replicas)');
  }
  return Object.freeze({
    redisUrl: redisUrl(env),
    rateLimitPerMinute: integer(env, 'JOINTLY_RATE_LIMIT_PER_MINUTE', 0, 0, 1_000_000),
    responseCacheTtlS: integer(env, 'JOINTLY_RESPONSE_CACHE_TTL_S', 300, 1, 86_400),
    replicaUrls: Object.freeze(replicaUrls),
    replicaMaxLagMs: integer(env, 'JOINTLY_REPLICA_MAX_LAG_MS', 5000, 0, 3_600_000),
    replicaWaitMs: integer(env, 'JOINTLY_REPLICA_WAIT_MS', 250, 0, 60_000),
    ...(changeFeedUrl && { changeFeedUrl }),
  });
}

/** Reads the environment once into a frozen, typed Config. Overrides win over the environment. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const url = env.DATABASE_URL;
  const database: DatabaseConfig =
    url !== undefined && url !== ''
      ? { kind: 'postgres', url: parseDatabaseUrl(url) }
      : { kind: 'embedded', dataDir: embeddedDataDir(env.JOINTLY_DATA_DIR || '.jointly/data') };
  const poolSize = integer(env, 'JOINTLY_DB_POOL_SIZE', 10, 1, 100);
  return Object.freeze({
    database,
    scaleOut: scaleOut(env, database),
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 4000, 0, 65535),
    seedWhenEmpty: boolean(env, 'JOINTLY_SEED', true),
    poolSize,
    logSql: boolean(env, 'JOINTLY_LOG_SQL', false),
    introspection: boolean(env, 'JOINTLY_INTROSPECTION', true),
    playground: boolean(env, 'JOINTLY_PLAYGROUND', true),
    limits: Object.freeze({
      maxDepth: integer(env, 'JOINTLY_MAX_DEPTH', 10, 2, 100),
      maxAliases: integer(env, 'JOINTLY_MAX_ALIASES', 30, 0, 1000),
      maxTokens: integer(env, 'JOINTLY_MAX_TOKENS', 2000, 100, 100_000),
      maxDirectives: integer(env, 'JOINTLY_MAX_DIRECTIVES', 20, 0, 1000),
      maxCost: integer(env, 'JOINTLY_MAX_COST', 200_000, 10, 10_000_000),
      maxBodyBytes: integer(env, 'JOINTLY_MAX_BODY_BYTES', 6_000_000, 1024, 100_000_000),
      fieldSuggestions: boolean(env, 'JOINTLY_FIELD_SUGGESTIONS', env.NODE_ENV !== 'production'),
    }),
    db: databaseGuards(env),
    shutdownTimeoutMs: integer(env, 'JOINTLY_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    logLevel: logLevel(env),
    logFormat: oneOf(env, 'JOINTLY_LOG_FORMAT', ['auto', 'json', 'pretty'] as const),
    metrics: boolean(env, 'JOINTLY_METRICS', true),
    responseCacheBytes: integer(env, 'JOINTLY_RESPONSE_CACHE_MB', 64, 0, 100_000) * 1024 * 1024,
    cors: corsOrigins(env),
    connections: connections(env),
    metricsToken: metricsToken(env),
    fairShare: Object.freeze({
      expensiveCost: integer(env, 'JOINTLY_EXPENSIVE_COST', 20_000, 0, 100_000_000),
      perAddress: integer(env, 'JOINTLY_EXPENSIVE_PER_ADDRESS', 1, 1, 1000),
      total: integer(env, 'JOINTLY_EXPENSIVE_TOTAL', Math.max(1, Math.floor(poolSize / 8)), 1, 1000),
      queueMs: integer(env, 'JOINTLY_EXPENSIVE_QUEUE_MS', 2000, 0, 600_000),
      trustProxy: boolean(env, 'JOINTLY_TRUST_PROXY', false),
    }),
    ...overrides,
  });
}
