import type http from 'node:http';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { FairShareConfig } from '../config/config';


/** The requests one address may have waiting, per running slot: beyond, refused at once. */
const WAITING_PER_SLOT = 4;

/**
 * Refused because the client already has its share running (RATE_LIMITED, HTTP 429) or because
 * expensive requests already take the whole share of the pool (DATABASE_BUSY, HTTP 503); both with
 * `Retry-After` (seconds) and `extensions.retryAfterSeconds`, and nothing run.
 */
export class FairShareRefusal extends GraphQLError {
  constructor(
    readonly code: 'RATE_LIMITED' | 'DATABASE_BUSY',
    readonly retryAfterSeconds: number,
  ) {
    const message =
      code === 'RATE_LIMITED'
        ? `Too many expensive requests from your address at once; retry in ${retryAfterSeconds} s, or ask for smaller pages and fewer references.`
        : `The database is busy with other expensive requests; retry in ${retryAfterSeconds} s.`;
    super(message, {
      extensions: {
        code,
        retryAfterSeconds,
        http: { status: code === 'RATE_LIMITED' ? 429 : 503, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
      },
    });
    this.name = 'FairShareRefusal';
  }
}

/** The address a request comes from: the socket's peer, or (trustProxy) the last X-Forwarded-For entry. */
export function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const last = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

interface Waiter {
  address: string;
  admit: (release: () => void) => void;
  timer: NodeJS.Timeout;
}

/**
 * Admission of expensive requests: at most `perAddress` running per client address and `total` in
 * all; the others wait in arrival order, up to `queueMs`, then are refused (FairShareRefusal). A
 * client looping the most expensive query the limits allow thus holds at most its share of the
 * pool, and everyone else's requests still find connections.
 */
export class FairShare {
  private readonly running = new Map<string, number>();
  private readonly waiting: Waiter[] = [];
  private runningTotal = 0;

  constructor(readonly config: FairShareConfig) {}

  /** Whether a request of this estimated cost needs admission. */
  isExpensive(cost: number): boolean {
    return cost >= this.config.expensiveCost;
  }

  /** Waits for a slot; resolves with the function that gives it back (idempotent). */
  admit(address: string): Promise<() => void> {
    if (this.fits(address) && !this.waiting.some((w) => w.address === address)) return Promise.resolve(this.take(address));
    const retryAfter = Math.max(1, Math.ceil(this.config.queueMs / 1000));
    const queued = this.waiting.filter((w) => w.address === address).length;
    if (queued >= this.config.perAddress * WAITING_PER_SLOT) return Promise.reject(new FairShareRefusal('RATE_LIMITED', retryAfter));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        address,
        admit: resolve,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          const own = (this.running.get(address) ?? 0) >= this.config.perAddress;
          reject(new FairShareRefusal(own ? 'RATE_LIMITED' : 'DATABASE_BUSY', retryAfter));
        }, this.config.queueMs),
      };
      this.waiting.push(waiter);
    });
  }

  /** Expensive requests running now (for tests and metrics). */
  get active(): number {
    return this.runningTotal;
  }

  private fits(address: string): boolean {
    return this.runningTotal < this.config.total && (this.running.get(address) ?? 0) < this.config.perAddress;
  }

  private take(address: string): () => void {
    this.running.set(address, (this.running.get(address) ?? 0) + 1);
    this.runningTotal++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(address) ?? 1) - 1;
      if (left > 0) this.running.set(address, left);
      else this.running.delete(address);
      this.runningTotal--;
      this.next();
    };
  }

  /** Hands freed slots to the longest-waiting requests that fit. */
  private next(): void {
    for (let i = 0; i < this.waiting.length && this.runningTotal < this.config.total; ) {
      const waiter = this.waiting[i]!;
      if (!this.fits(waiter.address)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      clearTimeout(waiter.timer);
      waiter.admit(this.take(waiter.address));
    }
  }
}
