/**
 * Requests per client address per minute (JOINTLY_RATE_LIMIT_PER_MINUTE), in fixed one-minute
 * windows: counted in this process here; in Redis by scale/redis-rate-limit when JOINTLY_REDIS_URL
 * is set, so that the limit holds for all instances together (this count stands in while Redis
 * does not answer).
 */
export interface RateLimiter {
  /** Counts one request of `address`; how long to wait when it is over the limit. */
  take(address: string): Promise<RateDecision>;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export const RATE_WINDOW_MS = 60_000;

/** An address as a key: bounded (X-Forwarded-For is the client's to write). */
export const rateKeyOf = (address: string) => address.slice(0, 64);

/** Seconds to the end of the window `now` falls in (at least 1). */
export const secondsLeft = (window: number, now: number) => Math.max(1, Math.ceil(((window + 1) * RATE_WINDOW_MS - now) / 1000));

export class LocalRateLimiter implements RateLimiter {
  private window = -1;
  private readonly counts = new Map<string, number>();

  constructor(private readonly perMinute: number) {}

  async take(address: string): Promise<RateDecision> {
    return this.takeNow(address);
  }

  takeNow(address: string): RateDecision {
    const now = Date.now();
    const window = Math.floor(now / RATE_WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const key = rateKeyOf(address);
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count <= this.perMinute ? { allowed: true } : { allowed: false, retryAfterSeconds: secondsLeft(window, now) };
  }
}
