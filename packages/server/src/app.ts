import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { DataSource } from 'typeorm';
import type { Config } from './config/config';
import { createRequestContext, type RequestContext } from './common/context';
import { openDatabase, type Database } from './database/database';
import { runMigrations } from './database/migrator';
import { createFormatError } from './graphql/format-error';
import { createLimits } from './graphql/limits';
import { buildJointlySchema } from './graphql/schema';
import { startHttpServer } from './http/http-server';
import { syncBuiltInStates } from './modules/signatory/built-in-states';
import { seedIfEmpty } from './seed/sample-data';
import { setWriter } from './common/mutation';
import { observabilityPlugin } from './observability/graphql-plugin';
import { createLogger, type Logger } from './observability/logger';
import { Metrics } from './observability/metrics';
import { checkReadiness, poolStats } from './observability/readiness';

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
  url: string;
  port: number;
  database: Database;
  stop(): Promise<void>;
}

/** config → database → migrations → schema → Apollo → HTTP. */
export async function startServer(config: Config, log: Log = createLogger({ level: config.logLevel })): Promise<RunningServer> {
  const database = await openDatabase(config);
  try {
    const prepared = await prepareDatabase(database.dataSource, { seed: config.seedWhenEmpty });
    if (prepared.migrationsApplied.length) log.info(`applied migrations: ${prepared.migrationsApplied.join(', ')}`);
    if (prepared.seeded) log.info('loaded the sample data into the empty archive');
    const limits = createLimits(config.limits);
    const apollo = new ApolloServer<RequestContext>({
      schema: await buildJointlySchema(),
      formatError: createFormatError(log),
      includeStacktraceInErrorResponses: false,
      // The CLI owns SIGINT/SIGTERM: it closes HTTP, the pool and the embedded database, then exits.
      stopOnTerminationSignals: false,
      // Explicit, so that NODE_ENV=production does not silently turn it off.
      introspection: config.introspection,
      plugins: [ApolloServerPluginLandingPageDisabled(), observabilityPlugin(), ...limits.plugins],
      validationRules: limits.validationRules,
      allowBatchedHttpRequests: false,
      csrfPrevention: true,
    });
    await apollo.start();
    const http = await startHttpServer({
      apollo,
      host: config.host,
      port: config.port,
      playground: config.playground,
      maxBodyBytes: config.limits.maxBodyBytes,
      context: async (headers) => createRequestContext(database.dataSource, headers.get('authorization')),
      readiness: () => checkReadiness(database.dataSource),
      logger: log,
      sql: database.sql,
      metrics: config.metrics ? new Metrics({ pool: () => poolStats(database.dataSource), sqlStatements: () => database.sql.total }) : undefined,
    });
    log.info({ url: http.url, database: database.kind, location: database.location }, `Jointly is serving ${http.url} (${database.kind} database: ${database.location})`);
    let stopping: Promise<void> | undefined;
    return {
      url: http.url,
      port: http.port,
      database,
      stop: () =>
        (stopping ??= (async () => {
          await http.close();
          await apollo.stop();
          await database.close();
        })()),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
