import pg from 'pg';
import type { Logger } from '../observability/logger';

/**
 * Tells this process when the archive's data changed, so caches can be dropped.
 * `generation` grows on every change; while the feed cannot vouch for the data (the listening
 * connection is down) `reliable` is false and nothing may be cached.
 */
export interface ChangeFeed {
  generation(): number;
  reliable(): boolean;
  /** A change made by this process (called after its transaction committed). */
  bump(): void;
  close(): Promise<void>;
}

/** The channel the ChangeNotifications triggers NOTIFY on when a transaction wrote to the archive. */
export const CHANGE_CHANNEL = 'jointly_changes';

/**
 * For the embedded database served by this process: its socket server sees the commit notifications
 * of every connection (this process's own, and those of `jointly import`, `token create`… working
 * through it). `subscribe` is EmbeddedPostgres.onChange; without one nothing can vouch for the data,
 * and nothing is cached.
 */
export function embeddedChangeFeed(subscribe: ((listener: () => void) => () => void) | undefined): ChangeFeed {
  let generation = 0;
  const unsubscribe = subscribe?.(() => void generation++);
  return {
    generation: () => generation,
    reliable: () => unsubscribe !== undefined,
    bump: () => void generation++,
    close: async () => unsubscribe?.(),
  };
}

const MAX_BACKOFF_MS = 5000;

/**
 * LISTENs on `jointly_changes` (sent by the ChangeNotifications triggers on commit) over a connection
 * of its own, reconnecting with backoff. Any gap in listening counts as a change.
 */
export async function listenForChanges(url: string, logger: Logger, connectTimeoutMs: number): Promise<ChangeFeed> {
  let generation = 0;
  let listening = false;
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let backoff = 250;

  const lost = (reason: string) => {
    if (!listening && client === undefined) return;
    listening = false;
    generation++;
    client?.removeAllListeners();
    client?.on('error', () => undefined);
    void client?.end().catch(() => undefined);
    client = undefined;
    if (closed) return;
    logger.warn({ reason }, 'change feed lost its connection; caching is off until it is back');
    schedule();
  };

  const schedule = () => {
    retry = setTimeout(() => void connect(), backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, application_name: 'jointly-changes' });
    next.on('error', (error) => lost(error.message));
    next.on('end', () => lost('connection ended'));
    next.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL) generation++;
    });
    try {
      client = next;
      await next.connect();
      await next.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (closed) {
        await next.end();
        return;
      }
      generation++; // whatever happened while nobody listened
      listening = true;
      backoff = 250;
      logger.debug('change feed listening');
    } catch (error) {
      if (client === next) lost((error as Error).message);
    }
  };

  await connect();
  return {
    generation: () => generation,
    reliable: () => listening,
    bump: () => void generation++,
    close: async () => {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      listening = false;
      current?.removeAllListeners();
      current?.on('error', () => undefined);
      await current?.end().catch(() => undefined);
    },
  };
}
