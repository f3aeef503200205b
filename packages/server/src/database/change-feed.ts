import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../observability/logger';
import { TCP_KEEPALIVE_IDLE_MS } from './data-source';

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
  /** Calls listener whenever the feed stops being reliable (the cache empties itself there). */
  onLost(listener: () => void): void;
  /** Calls listener whenever the feed hears of a change it did not make itself (another connection's commit, or a gap in listening); not on bump. */
  onChange(listener: () => void): void;
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
  const changeListeners = new Set<() => void>();
  const unsubscribe = subscribe?.(() => {
    generation++;
    for (const listener of changeListeners) listener();
  });
  return {
    generation: () => generation,
    reliable: () => unsubscribe !== undefined,
    bump: () => void generation++,
    // In this process: it cannot go deaf.
    onLost: () => undefined,
    onChange: (listener) => void changeListeners.add(listener),
    close: async () => unsubscribe?.(),
  };
}

/**
 * Rejects when `answer` has not come `ms` after the call. Checked after the event loop's poll phase,
 * so that a process busy elsewhere (building its schema, a long request) does not take its own delay
 * for a silent network: an answer that arrived meanwhile is read first.
 */
function withinDeadline<T>(answer: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${ms} ms`))), ms);
    answer.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error as Error);
      },
    );
  });
}

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5000;

export interface ListenOptions {
  /** How long one attempt to connect may take. */
  connectTimeoutMs: number;
  /** How often the feed sends itself a heartbeat through its connection; 0 = never (trust TCP alone). */
  heartbeatMs: number;
  /** How soon a heartbeat (or any statement on that connection) must come back before the feed counts as deaf. */
  deadlineMs: number;
}

/**
 * LISTENs on `jointly_changes` (sent by the ChangeNotifications triggers on commit) over a connection
 * of its own, reconnecting with backoff. Any gap in listening counts as a change.
 *
 * A connection can die without a word (a NAT, firewall or load balancer that forgot the flow, a
 * failover): the socket stays open and simply hears nothing, and a cache trusting it would serve old
 * answers forever. So the feed NOTIFYs itself on a channel of its own every `heartbeatMs`; when that
 * does not come back within `deadlineMs` the feed is deaf: it drops the connection (unreliable, so the
 * cache is bypassed and emptied) and reconnects. TCP keep-alive with short timers backs it up.
 */
export async function listenForChanges(url: string, logger: Logger, options: ListenOptions): Promise<ChangeFeed> {
  const { connectTimeoutMs, heartbeatMs, deadlineMs } = options;
  // Only this feed hears its heartbeats: other servers' feeds listen on channels of their own.
  const heartbeatChannel = `jointly_heartbeat_${randomBytes(8).toString('hex')}`;
  let generation = 0;
  let listening = false;
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let nextBeat: NodeJS.Timeout | undefined;
  let beatDeadline: NodeJS.Timeout | undefined;
  let beat = 0;
  let beatHeard = false;
  let backoff = FIRST_BACKOFF_MS;
  const lostListeners = new Set<() => void>();
  const changeListeners = new Set<() => void>();
  /** A change heard (or possibly missed): the generation moves and the listeners are told. */
  const moved = () => {
    generation++;
    for (const listener of changeListeners) listener();
  };

  const clearTimers = () => {
    clearTimeout(nextBeat);
    clearTimeout(beatDeadline);
  };

  /** Lets a connection go without waiting for it: a deaf one would never answer a goodbye. */
  const drop = (gone: pg.Client) => {
    gone.removeAllListeners();
    gone.on('error', () => undefined);
    void gone.end().catch(() => undefined);
    (gone as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };

  const lost = (reason: string) => {
    if (client === undefined) return;
    const wasListening = listening;
    listening = false;
    moved();
    clearTimers();
    drop(client);
    client = undefined;
    if (closed) return;
    if (wasListening) {
      logger.warn({ reason }, `change feed lost its connection (${reason}); the response cache is off until it is back`);
      for (const listener of lostListeners) listener();
    } else {
      logger.debug({ reason, retryInMs: backoff }, 'change feed could not connect; retrying');
    }
    schedule();
  };

  const schedule = () => {
    retry = setTimeout(() => void connect(), backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  const sendHeartbeat = (current: pg.Client) => {
    const payload = String(++beat);
    beatHeard = false;
    beatDeadline = setTimeout(() => {
      // After the poll phase, which reads an answer that arrived while the process was busy elsewhere.
      setImmediate(() => {
        if (client === current && payload === String(beat) && !beatHeard) lost(`no heartbeat within ${deadlineMs} ms`);
      });
    }, deadlineMs);
    current.query(`NOTIFY ${heartbeatChannel}, '${payload}'`).catch((error: Error) => {
      if (client === current) lost(error.message);
    });
  };

  const heard = (current: pg.Client, payload: string | undefined) => {
    if (client !== current || payload !== String(beat)) return;
    beatHeard = true;
    clearTimeout(beatDeadline);
    nextBeat = setTimeout(() => sendHeartbeat(current), heartbeatMs);
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: connectTimeoutMs,
      application_name: 'jointly-changes',
      keepAlive: true,
      keepAliveInitialDelayMillis: TCP_KEEPALIVE_IDLE_MS,
    });
    next.on('error', (error) => lost(error.message));
    next.on('end', () => lost('connection ended'));
    next.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL) moved();
      else if (message.channel === heartbeatChannel) heard(next, message.payload);
    });
    try {
      client = next;
      await next.connect();
      await withinDeadline(next.query(`LISTEN ${CHANGE_CHANNEL}`), deadlineMs);
      if (heartbeatMs > 0) await withinDeadline(next.query(`LISTEN ${heartbeatChannel}`), deadlineMs);
      if (closed) {
        drop(next);
        return;
      }
      if (client !== next) return;
      moved(); // whatever happened while nobody listened
      const recovered = backoff > FIRST_BACKOFF_MS;
      listening = true;
      backoff = FIRST_BACKOFF_MS;
      if (heartbeatMs > 0) nextBeat = setTimeout(() => sendHeartbeat(next), heartbeatMs);
      if (recovered) logger.warn('change feed listening again; the response cache is back on');
      else logger.debug('change feed listening');
    } catch (error) {
      if (client === next) lost((error as Error).message);
    }
  };

  await connect();
  return {
    generation: () => generation,
    reliable: () => listening,
    bump: () => void generation++,
    onLost: (listener) => {
      lostListeners.add(listener);
    },
    onChange: (listener) => {
      changeListeners.add(listener);
    },
    close: async () => {
      closed = true;
      clearTimeout(retry);
      clearTimers();
      const current = client;
      client = undefined;
      listening = false;
      if (current) drop(current);
    },
  };
}
