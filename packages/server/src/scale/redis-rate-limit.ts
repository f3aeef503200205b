import { LocalRateLimiter, RATE_WINDOW_MS, rateKeyOf, secondsLeft, type RateDecision, type RateLimiter } from '../http/rate-limit';
import type { SharedRedis } from './redis';

/** One INCR, the expiry set with the first: the window's count. */
const TAKE = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** The rate limit counted in Redis: one count per address and minute for all instances together. */
export class RedisRateLimiter implements RateLimiter {
  private readonly local: LocalRateLimiter;
  /** Requests Redis did not count (the local count decided). */
  fallbacks = 0;

  constructor(
    private readonly redis: SharedRedis,
    private readonly perMinute: number,
  ) {
    this.local = new LocalRateLimiter(perMinute);
  }

  async take(address: string): Promise<RateDecision> {
    if (!this.redis.ready()) {
      this.fallbacks++;
      return this.local.takeNow(address);
    }
    const now = Date.now();
    const window = Math.floor(now / RATE_WINDOW_MS);
    try {
      const count = Number(await this.redis.client.eval(TAKE, 1, `jointly:rate:${window}:${rateKeyOf(address)}`, String(RATE_WINDOW_MS + 1000)));
      return count <= this.perMinute ? { allowed: true } : { allowed: false, retryAfterSeconds: secondsLeft(window, now) };
    } catch {
      this.fallbacks++;
      return this.local.takeNow(address);
    }
  }
}
