import { createHash } from 'node:crypto';
import type { CachedResponse, ResponseStore } from '../http/response-cache';
import type { SharedRedis } from './redis';

/**
 * The response cache every instance shares (JOINTLY_REDIS_URL): one generation number in Redis,
 * moved (INCR) on every change any instance hears or makes, and entries keyed by it, each with a
 * TTL (JOINTLY_RESPONSE_CACHE_TTL_S) so that old generations' entries expire on their own. An entry
 * is kept only if the generation is still the one its answer was computed at (one script: no race
 * with a change in between). While Redis does not answer, every lookup is a miss and nothing is kept.
 */

const GENERATION = 'jointly:cache:generation';
const ENTRY = 'jointly:cache:entry:';

/** [generation, entry or false] */
const LOOKUP = `local g = redis.call('GET', KEYS[1]) or '0'
return {g, redis.call('GET', ARGV[1] .. g .. ':' .. ARGV[2])}`;

/** Sets the entry only at the generation it was computed at. */
const KEEP = `if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', ARGV[2] .. ARGV[1] .. ':' .. ARGV[3], ARGV[4], 'PX', ARGV[5])
return 1`;

interface Stored {
  status: number;
  headers: [string, string][];
  body: string;
  operation: string;
  replayed?: string;
}

const digest = (key: string) => createHash('sha256').update(key).digest('base64url');

export class RedisResponseStore implements ResponseStore {
  hits = 0;
  misses = 0;
  /** Lookups and keeps that Redis did not answer (counted as misses). */
  failures = 0;
  /** Entries live in Redis: their count and bytes are Redis's (INFO), not this instance's. */
  readonly size = 0;
  readonly sizeBytes = 0;

  constructor(
    private readonly redis: SharedRedis,
    private readonly ttlMs: number,
  ) {}

  async lookup(key: string): Promise<{ generation: number; hit?: CachedResponse }> {
    if (!this.redis.ready()) return this.miss(-1);
    try {
      const [generation, value] = (await this.redis.client.eval(LOOKUP, 1, GENERATION, ENTRY, digest(key))) as [string, string | null];
      if (!value) return this.miss(Number(generation));
      const stored = JSON.parse(value) as Stored;
      this.hits++;
      return {
        generation: Number(generation),
        hit: {
          status: stored.status,
          headers: stored.headers,
          body: Buffer.from(stored.body),
          operation: stored.operation,
          ...(stored.replayed !== undefined && { replayed: BigInt(stored.replayed) }),
        },
      };
    } catch {
      this.failures++;
      return this.miss(-1);
    }
  }

  async keep(key: string, generation: number, response: CachedResponse): Promise<void> {
    if (generation < 0 || !this.redis.ready()) return;
    const stored: Stored = {
      status: response.status,
      headers: response.headers,
      body: response.body.toString('utf8'),
      operation: response.operation,
      ...(response.replayed !== undefined && { replayed: String(response.replayed) }),
    };
    try {
      await this.redis.client.eval(KEEP, 1, GENERATION, String(generation), ENTRY, digest(key), JSON.stringify(stored), String(this.ttlMs));
    } catch {
      this.failures++;
    }
  }

  /** The data changed: every instance's answers so far are dropped at once. */
  async changed(): Promise<void> {
    if (!this.redis.ready()) return;
    try {
      await this.redis.client.incr(GENERATION);
    } catch {
      this.failures++;
    }
  }

  /** Nothing to drop here: a deaf feed bypasses the cache, and the other instances' feeds still move the generation. */
  clear(): void {}

  private miss(generation: number): { generation: number } {
    this.misses++;
    return { generation };
  }
}
