import { ConfigError, loadConfig } from './config';

describe('the database guard rails in the configuration', () => {
  it('puts the client-side query timeout just above the statement timeout by default, and none without one', () => {
    expect(loadConfig({}).db).toMatchObject({ statementTimeoutMs: 5000, queryTimeoutMs: 6000, readyTimeoutMs: 1500, changeFeedHeartbeatMs: 3000, changeFeedDeadlineMs: 2000 });
    expect(loadConfig({ JOINTLY_STATEMENT_TIMEOUT_MS: '800' }).db.queryTimeoutMs).toBe(1800);
    expect(loadConfig({ JOINTLY_STATEMENT_TIMEOUT_MS: '0' }).db.queryTimeoutMs).toBe(0);
    expect(loadConfig({ JOINTLY_STATEMENT_TIMEOUT_MS: '0', JOINTLY_DB_QUERY_TIMEOUT_MS: '3000' }).db.queryTimeoutMs).toBe(3000);
  });

  it('refuses a query timeout at or below the statement timeout: a slow query would be reported as an outage', () => {
    const load = () => loadConfig({ JOINTLY_STATEMENT_TIMEOUT_MS: '5000', JOINTLY_DB_QUERY_TIMEOUT_MS: '5000' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('JOINTLY_DB_QUERY_TIMEOUT_MS must be above JOINTLY_STATEMENT_TIMEOUT_MS (5000), got "5000"');
    expect(() => loadConfig({ JOINTLY_CHANGE_FEED_DEADLINE_MS: '10' })).toThrow('JOINTLY_CHANGE_FEED_DEADLINE_MS must be a whole number from 50 to 600000, got "10"');
  });
});

describe('more than one instance in the configuration', () => {
  const pg = { DATABASE_URL: 'postgres://jointly@db:5432/jointly' };

  it('is off by default: no Redis, no replicas, no rate limit; the feed on DATABASE_URL', () => {
    expect(loadConfig(pg).scaleOut).toEqual({ rateLimitPerMinute: 0, responseCacheTtlS: 300, replicaUrls: [], replicaMaxLagMs: 5000, replicaWaitMs: 250 });
  });

  it('reads Redis, the replicas, the limits and the change feed URL', () => {
    const scaleOut = loadConfig({
      ...pg,
      JOINTLY_REDIS_URL: 'redis://cache:6379/2',
      JOINTLY_READ_REPLICA_URLS: ' postgres://r1:5432/jointly , postgres://r2:5432/jointly ',
      JOINTLY_RATE_LIMIT_PER_MINUTE: '600',
      JOINTLY_CHANGE_FEED_URL: 'postgres://primary:5432/jointly',
    }).scaleOut;
    expect(scaleOut).toMatchObject({
      redisUrl: 'redis://cache:6379/2',
      replicaUrls: ['postgres://r1:5432/jointly', 'postgres://r2:5432/jointly'],
      rateLimitPerMinute: 600,
      changeFeedUrl: 'postgres://primary:5432/jointly',
    });
  });

  it('refuses what cannot work, naming the variable', () => {
    expect(() => loadConfig({ ...pg, JOINTLY_REDIS_URL: 'http://cache:6379' })).toThrow('JOINTLY_REDIS_URL must start with redis:// or rediss://, got "http://"');
    expect(() => loadConfig({ ...pg, JOINTLY_READ_REPLICA_URLS: 'postgres://r1/jointly,mysql://r2/x' })).toThrow(/JOINTLY_READ_REPLICA_URLS entry 2/);
    expect(() => loadConfig({ JOINTLY_READ_REPLICA_URLS: 'postgres://r1/jointly' })).toThrow('JOINTLY_READ_REPLICA_URLS and JOINTLY_CHANGE_FEED_URL need DATABASE_URL (the embedded database has no replicas)');
    expect(() => loadConfig({ ...pg, JOINTLY_RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(ConfigError);
  });
});
