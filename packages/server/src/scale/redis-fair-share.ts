import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FairShareConfig } from '../config/config';
import { FairShare, FairShareRefusal } from '../http/fair-share';
import type { SharedRedis } from './redis';

/**
 * The per-address share of expensive operations (JOINTLY_EXPENSIVE_PER_ADDRESS) held across every
 * instance: before its turn on this instance (FairShare: the pool's share stays per instance), an
 * expensive operation takes one of its address's leases in Redis — a sorted set of lease ids scored
 * by when they lapse, so that the leases of an instance that died lapse too. An address with all its
 * leases running elsewhere waits (polling) up to JOINTLY_EXPENSIVE_QUEUE_MS, then is refused
 * RATE_LIMITED. While Redis does not answer, the share is this instance's alone.
 */

/** Drops lapsed leases, then takes one if fewer than ARGV[3] run. */
const TAKE = `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

const POLL_MS = 25;

export const leaseKey = (address: string) => `jointly:share:${address.slice(0, 64)}`;

export class RedisFairShare extends FairShare {
  /** Leases Redis did not take or give back (the local share decided). */
  fallbacks = 0;

  constructor(
    config: FairShareConfig,
    private readonly redis: SharedRedis,
    /** How long a lease holds at most: longer than any request may run (JOINTLY_REQUEST_TIMEOUT_MS). */
    private readonly leaseMs: number,
  ) {
    super(config);
  }

  override async admit(address: string): Promise<() => void> {
    const lease = await this.lease(address);
    try {
      const release = await super.admit(address);
      return () => {
        release();
        lease();
      };
    } catch (error) {
      lease();
      throw error;
    }
  }

  /** One of the address's leases, waited for up to queueMs; the function that gives it back. */
  private async lease(address: string): Promise<() => void> {
    if (!this.redis.ready()) {
      this.fallbacks++;
      return () => undefined;
    }
    const key = leaseKey(address);
    const id = randomUUID();
    const deadline = Date.now() + this.config.queueMs;
    for (;;) {
      const now = Date.now();
      let taken: boolean;
      try {
        taken = Number(await this.redis.client.eval(TAKE, 1, key, String(now), String(now + this.leaseMs), String(this.config.perAddress), id, String(this.leaseMs))) === 1;
      } catch {
        this.fallbacks++;
        return () => undefined;
      }
      if (taken) {
        let given = false;
        return () => {
          if (given) return;
          given = true;
          this.redis.client.zrem(key, id).catch(() => {
            this.fallbacks++;
          });
        };
      }
      if (Date.now() + POLL_MS > deadline) throw new FairShareRefusal('RATE_LIMITED', Math.max(1, Math.ceil(this.config.queueMs / 1000)));
      await sleep(POLL_MS);
    }
  }
}
