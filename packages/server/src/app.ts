import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { DataSource } from 'typeorm';
import type { Config } from './config/config';
import { createRequestContext, type RequestContext } from './modules/kit/context';
import { EMBEDDED_MIN_CONNECT_TIMEOUT_MS, openDatabase, type Database } from './database/database';
import { runMigrations } from './database/migrator';
import { createFormatError } from './graphql/format-error';
import { KnownOperationTypesRule } from './graphql/known-operation-types';
import { createLimits } from './graphql/limits';
import { requireWriter } from './modules/kit/mutation';
import { QueryTooComplexError } from './graphql/limits/refusal';
import { setWriter } from './data/writer';
import { FairShare } from './http/fair-share';
import { limitConnectionsPerRequest } from './database/request-connections';
import { executionGateway } from './graphql/execution';
import { ReadEngine } from './read/engine';
import { RawJson } from './read/raw-json';
import { buildJointlySchema } from './graphql/schema';
import { listenHttp } from './http/http-server';
import { syncBuiltInStates } from './import/built-in-states';
import { seedIfEmpty } from './seed/sample-data';
import { embeddedChangeFeed, listenForChanges, type ChangeFeed } from './database/change-feed';
import { localResponseStore, ResponseCache, type ResponseStore } from './http/response-cache';
import { LocalRateLimiter, type RateLimiter } from './http/rate-limit';
import { parseLsn, ReadRouter, WAL_POSITION_HEADER, type ReadTarget } from './database/replicas';
import { connectRedis, type SharedRedis } from './scale/redis';
import { RedisRateLimiter } from './scale/redis-rate-limit';
import { RedisFairShare } from './scale/redis-fair-share';
import { RedisResponseStore } from './scale/redis-response-store';
import { ChangeStream } from './modules/history/change-stream';
import { observabilityPlugin } from './observability/graphql-plugin';
import { createLogger, type Logger } from './observability/logger';
import { Metrics } from './observability/metrics';
import { checkReadiness, poolStats } from './database/readiness';

/** The server's log: pino (see observability/logger). */
export type Log = Logger;

export interface Preparation {
  migrationsApplied: string[];
  seeded: boolean;
}

/** Everything start-up does to a database: migrations, built-in states, and the sample data when empty. */
export async function prepareDatabase(dataSource: DataSource, options: { seed: boolean }): Promise<Preparation> {
  const migrationsApplied = await runMigrations(dataSource);
  await dataSource.transaction(async (em) => {
    await setWriter(em, 'system', 'built-in states');
    await syncBuiltInStates(em);
  });
  const seeded = options.seed ? await seedIfEmpty(dataSource) : false;
  return { migrationsApplied, seeded };
}

export interface RunningServer {
  /** The GraphQL endpoint, `http://<host>:<port>/graphql`. */
  url: string;
  /** The playground's page, when it is on (JOINTLY_PLAYGROUND). */
  playgroundUrl?: string;
  port: number;
  database: Database;
  /** Graceful: see HttpServer.close; rejects (after closing everything) when requests outlived config.shutdownTimeoutMs. */
  stop(): Promise<void>;
}

/**
 * What tells the response cache that data changed: for PostgreSQL, LISTEN on the change
 * notifications (writes from anywhere); for the embedded database, the commits its socket server
 * sees (this process's, and those of the `jointly` commands working through it).
 */
function changeFeed(config: Config, database: Database, log: Log): Promise<ChangeFeed> {
  if (config.database.kind !== 'postgres') return Promise.resolve(embeddedChangeFeed(database.onChange));
  const { connectTimeoutMs, changeFeedHeartbeatMs: heartbeatMs, changeFeedDeadlineMs: deadlineMs } = config.db;
  // Its own session (LISTEN): the primary itself when DATABASE_URL is a transaction pooler.
  return listenForChanges(config.scaleOut.changeFeedUrl ?? config.database.url, log, { connectTimeoutMs, heartbeatMs, deadlineMs });
}

/** Read replicas (JOINTLY_READ_REPLICA_URLS): their pools, opened and watched by the router. */
async function readRouter(config: Config, database: Database, log: Log): Promise<ReadRouter | undefined> {
  const { replicaUrls, replicaMaxLagMs, replicaWaitMs } = config.scaleOut;
  if (replicaUrls.length === 0) return undefined;
  const router = new ReadRouter(
    database.dataSource,
    replicaUrls.map((url) => ({
      location: describeLocation(url),
      options: {
        url,
        poolSize: config.poolSize,
        logSql: config.logSql,
        connectTimeoutMs: config.db.connectTimeoutMs,
        statementTimeoutMs: config.db.statementTimeoutMs,
        queryTimeoutMs: config.db.queryTimeoutMs,
        applicationName: 'jointly-reads',
        onPoolError: (error) => log.warn({ code: (error as { code?: string }).code }, 'a pooled read replica connection failed; it is dropped'),
      },
    })),
    { maxLagMs: replicaMaxLagMs, waitMs: replicaWaitMs, log, onOpen: (dataSource) => limitConnectionsPerRequest(dataSource, config.db.requestConnections) },
  );
  await router.start();
  return router;
}

function describeLocation(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return `${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * config → HTTP listening (a taken port fails here, before the database is touched; requests get 503
 * until the end) → database → migrations → schema → Apollo → HTTP serving.
 */
export async function startServer(config: Config, log: Log = createLogger({ level: config.logLevel, format: config.logFormat })): Promise<RunningServer> {
  const http = await listenHttp({ host: config.host, port: config.port, logger: log, connections: config.connections });
  let database: Database;
  try {
    database = await openDatabase(config, { log, retry: true, statementTimeout: true });
  } catch (error) {
    await http.close(config.shutdownTimeoutMs).catch(() => undefined);
    throw error;
  }
  try {
    const prepared = await database.maintenance((dataSource) => prepareDatabase(dataSource, { seed: config.seedWhenEmpty }));
    if (prepared.migrationsApplied.length) log.info(`applied migrations: ${prepared.migrationsApplied.join(', ')}`);
    if (prepared.seeded) log.info('loaded the sample data into the empty archive');
    const redis: SharedRedis | undefined = config.scaleOut.redisUrl ? await connectRedis(config.scaleOut.redisUrl, log) : undefined;
    // Expensive operations take turns per client address (across instances with Redis); every read query has a database-time budget.
    const fairShare = redis ? new RedisFairShare(config.fairShare, redis, config.connections.requestTimeoutMs + 5000) : new FairShare(config.fairShare);
    // Not on the embedded database: it answers one statement at a time, so a statement's time there
    // is mostly its wait behind the others', and the budget would stop queries for the load of others.
    database.sql.requestBudgetMs = database.kind === 'embedded' ? 0 : config.db.requestBudgetMs;
    database.sql.budgetSpent = (budgetMs, spentMs) => new QueryTooComplexError('databaseTime', budgetMs, spentMs);
    limitConnectionsPerRequest(database.dataSource, config.db.requestConnections);
    // A mutation needs a valid token before its input is looked at.
    const limits = createLimits(config.limits, fairShare, (context, operation) => requireWriter(context as RequestContext, operation));
    const router = await readRouter(config, database, log);
    let shared: RedisResponseStore | undefined;
    let cache: { store: ResponseStore; feed: ChangeFeed } | undefined;
    // What this process hears of commits: the cache's invalidation, and the subscriptions' news.
    const feed = await changeFeed(config, database, log);
    const changes = new ChangeStream(database.dataSource, log);
    feed.onChange(() => changes.notify());
    if (config.responseCacheBytes > 0) {
      // With Redis, one cache for every instance: each one's feed moves the shared generation on what it hears.
      shared = redis && new RedisResponseStore(redis, config.scaleOut.responseCacheTtlS * 1000);
      const store = shared ?? localResponseStore(new ResponseCache(config.responseCacheBytes), () => feed.generation());
      cache = { store, feed };
      // While the feed is deaf or down the cache is bypassed; what it holds is dropped at once.
      feed.onLost(() => store.clear());
      feed.onChange(() => {
        void shared?.changed();
        router?.changed(feed.generation());
      });
      // What a reconnected Redis holds may predate changes made while it was away.
      redis?.onReady(() => void shared?.changed());
      router?.changed(feed.generation());
    }
    const rateLimit: RateLimiter | undefined =
      config.scaleOut.rateLimitPerMinute > 0
        ? redis
          ? new RedisRateLimiter(redis, config.scaleOut.rateLimitPerMinute)
          : new LocalRateLimiter(config.scaleOut.rateLimitPerMinute)
        : undefined;
    /** This process's own commit: the cached answers go at once (everywhere, with Redis); with replicas, the WAL position the answer carries. */
    const committed = async (): Promise<string | undefined> => {
      feed.bump();
      changes.notify();
      await shared?.changed();
      if (!router) return undefined;
      const position = await router.walPosition().catch(() => undefined);
      if (cache) router.changed(cache.feed.generation(), position);
      return position;
    };
    /** Where each request's reads ran, and the cache generation then (for what its answer may be cached as). */
    const readsOf = new WeakMap<RequestContext, { target: ReadTarget; generation: number }>();
    // The embedded database answers one statement at a time: waiting behind a long one is load, not an outage.
    const readyTimeoutMs = database.kind === 'embedded' ? Math.max(config.db.readyTimeoutMs, EMBEDDED_MIN_CONNECT_TIMEOUT_MS) : config.db.readyTimeoutMs;
    const schema = await buildJointlySchema();
    const engine = new ReadEngine(schema, { prepare: database.kind !== 'embedded' && config.db.preparedStatements });
    const apollo = new ApolloServer<RequestContext>({
      gateway: executionGateway(schema, engine),
      formatError: createFormatError(log, { statementTimeoutMs: config.db.statementTimeoutMs }),
      // Apollo's own warnings go through the same bounded, allow-listed log.
      logger: log,
      includeStacktraceInErrorResponses: false,
      // The CLI owns SIGINT/SIGTERM: it closes HTTP, the pool and the embedded database, then exits.
      stopOnTerminationSignals: false,
      // Explicit, so that NODE_ENV=production does not silently turn it off.
      introspection: config.introspection,
      // No cache-control or inline-trace plugins: they wrap every field's resolver (willResolveField).
      plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(), observabilityPlugin(), ...limits.plugins],
      validationRules: [KnownOperationTypesRule, ...limits.validationRules],
      // The SDK sends whole documents; automatic persisted queries would only let anyone fill memory.
      persistedQueries: false,
      allowBatchedHttpRequests: false,
      csrfPrevention: true,
    });
    await apollo.start();
    http.serve({
      apollo,
      playground: config.playground,
      cors: config.cors,
      fairShare,
      maxBodyBytes: config.limits.maxBodyBytes,
      maxTokens: config.limits.maxTokens,
      // This process's own commits drop the cached answers at once; other processes' arrive through the feed.
      context: async (headers) => {
        const target = router && (await router.readTarget(parseLsn(headers.get(WAL_POSITION_HEADER))));
        const context = createRequestContext(database.dataSource, headers.get('authorization'), new RawJson(), committed, target?.dataSource);
        if (target) readsOf.set(context, { target, generation: cache?.feed.generation() ?? 0 });
        return context;
      },
      readOf: (context) => {
        const read = readsOf.get(context);
        if (!read || !router) return { cacheable: true };
        return { cacheable: router.cacheable(read.target, read.generation), ...(read.target.replayed !== undefined && { replayed: read.target.replayed }) };
      },
      responseHeaders: (context) => (context.writes.walPosition ? [[WAL_POSITION_HEADER, context.writes.walPosition]] : []),
      rateLimit,
      subscriptions: {
        schema,
        validationRules: limits.validationRules,
        context: () => ({ changes }),
        maxTokens: config.limits.maxTokens,
        ...(rateLimit && { rateLimit }),
        trustProxy: config.fairShare.trustProxy,
        log,
      },
      settle: (context) => context.writes.end(true),
      finishBody: (context, body) => context.rawJson?.splice(body) ?? body,
      readiness: () =>
        checkReadiness(database.dataSource, {
          timeoutMs: readyTimeoutMs,
          changeFeed: cache?.feed,
          ...(router && { replicas: () => router.status() }),
          ...(redis && { redis: () => redis.ready() }),
        }),
      cache,
      metricsToken: config.metricsToken,
      metrics: config.metrics
        ? new Metrics({
            pool: () => poolStats(database.dataSource),
            sqlStatements: () => database.sql.total,
            httpInFlight: () => http.inFlight,
            responseCache: cache && (() => cache.store),
            changeFeedUp: cache && (() => cache.feed.reliable()),
            readOperations: () => engine.answered,
            subscriptions: () => ({ active: changes.size, sockets: http.sockets }),
            ...(router && { replicaReads: () => [...router.status().map((r, i) => ({ replica: String(i + 1), reads: r.reads })), { replica: 'primary', reads: router.primaryReads }] }),
          })
        : undefined,
    });
    // Ready: `jointly` commands run from now on work through this process's embedded database.
    database.advertise?.();
    const playgroundUrl = config.playground ? new URL('/playground', http.url).href : undefined;
    log.info(
      { url: http.url, ...(playgroundUrl && { playground: playgroundUrl }), database: database.kind, location: database.location },
      `serving (${database.kind} database: ${database.location})`,
    );
    let stopping: Promise<void> | undefined;
    return {
      url: http.url,
      ...(playgroundUrl && { playgroundUrl }),
      port: http.port,
      database,
      stop: () =>
        (stopping ??= (async () => {
          try {
            await http.close(config.shutdownTimeoutMs);
          } finally {
            changes.close();
            await feed.close();
            await apollo.stop();
            await router?.close();
            await redis?.close();
            await database.close();
          }
        })()),
    };
  } catch (error) {
    await http.close(config.shutdownTimeoutMs).catch(() => undefined);
    await database.close();
    throw error;
  }
}
