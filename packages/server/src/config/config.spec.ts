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
