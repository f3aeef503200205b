import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger';

/**
 * The Redis connection instances share (JOINTLY_REDIS_URL): rate limits and the response cache.
 * Redis is a help, never a dependency of an answer: commands fail fast (no offline queue, a short
 * timeout) and every caller falls back — limits to this instance's own counts, the cache to a miss
 * — while it is unreachable.
 */
export interface SharedRedis {
  readonly client: Redis;
  /** Whether the connection is up now. */
  ready(): boolean;
  /** Calls listener each time the connection is (re)established. */
  onReady(listener: () => void): void;
  close(): Promise<void>;
}

/** How long one command may take before the caller falls back. */
const COMMAND_TIMEOUT_MS = 250;

export async function connectRedis(url: string, log: Logger): Promise<SharedRedis> {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    // Reconnect for ever, backing off to 5 s.
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5000),
  });
  const location = describe(url);
  let wasReady = false;
  const listeners = new Set<() => void>();
  client.on('ready', () => {
    log.info({ redis: location }, `connected to Redis at ${location}`);
    wasReady = true;
    for (const listener of listeners) listener();
  });
  client.on('error', (error: Error & { code?: string }) => {
    if (wasReady) log.warn({ redis: location, code: error.code }, `Redis at ${location} fails (${error.code ?? error.name}); limits count per instance and the shared cache is skipped until it is back`);
    wasReady = false;
  });
  try {
    await client.connect();
  } catch (error) {
    // Not fatal: the instance serves without it and the client keeps reconnecting.
    log.warn({ redis: location, code: (error as { code?: string }).code }, `cannot reach Redis at ${location}; serving without it until it answers`);
  }
  return {
    client,
    ready: () => client.status === 'ready',
    onReady: (listener) => void listeners.add(listener),
    close: async () => {
      listeners.clear();
      client.disconnect();
    },
  };
}

function describe(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.username = '';
    return u.host;
  } catch {
    return '(invalid URL)';
  }
}
