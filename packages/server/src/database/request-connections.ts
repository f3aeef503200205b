import type { DataSource } from 'typeorm';
import { currentRequest, type RequestScope } from '../observability/request-scope';

type Release = (error?: unknown) => void;

interface Turns {
  active: number;
  waiting: (() => void)[];
}

const turns = new WeakMap<RequestScope, Turns>();

/**
 * At most `max` pooled connections at once for one read query (an HTTP request's GraphQL query):
 * its further statements wait for one of its own connections rather than take the rest of the
 * pool, so that one request that fans out (many aliases, long reference lists) cannot leave the
 * others without connections. Writes are left alone: a transaction holds its connection while it
 * may need another, and waiting for itself would never end. 0 = no limit.
 */
export function limitConnectionsPerRequest(dataSource: DataSource, max: number): void {
  if (max <= 0) return;
  const driver = dataSource.driver as unknown as { obtainMasterConnection(): Promise<[unknown, Release]> };
  const obtain = driver.obtainMasterConnection.bind(driver);
  driver.obtainMasterConnection = async () => {
    const scope = currentRequest();
    if (scope?.operationType !== 'query') return obtain();
    let own = turns.get(scope);
    if (!own) turns.set(scope, (own = { active: 0, waiting: [] }));
    const mine = own;
    if (mine.active >= max) await new Promise<void>((resolve) => mine.waiting.push(resolve));
    else mine.active++;
    const done = () => {
      const next = mine.waiting.shift();
      if (next) next(); // the turn passes on: active stays the same
      else mine.active--;
    };
    try {
      const [connection, release] = await obtain();
      let released = false;
      return [
        connection,
        (error?: unknown) => {
          if (!released) {
            released = true;
            done();
          }
          release(error);
        },
      ];
    } catch (error) {
      done();
      throw error;
    }
  };
}
