/** A cached GraphQL response, stored with the data generation it was computed from. */
export interface CachedResponse {
  status: number;
  headers: [string, string][];
  /** The encoded body, written as is on a hit. */
  body: Buffer;
  operation: string;
  /**
   * Answered by a read replica: the WAL position it had replayed (a lower bound of what the answer
   * reflects). A read that must see a later write (its Jointly-WAL-Position is further) does not take it.
   */
  replayed?: bigint;
}

/**
 * Where whole responses are kept: in this process (ResponseCache, by the change feed's generation),
 * or shared by every instance (scale/redis-response-store: one generation in Redis).
 */
export interface ResponseStore {
  /** The generation answers are computed at now, and the response for key if it was computed at it. */
  lookup(key: string): Promise<{ generation: number; hit?: CachedResponse }>;
  /** Keeps a response computed at `generation`; ignored if the data moved on since. */
  keep(key: string, generation: number, response: CachedResponse): Promise<void>;
  /** Forgets every response (the change feed went deaf: none of them can be vouched for). */
  clear(): void;
  /** Figures for /metrics. */
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
  readonly sizeBytes: number;
}

/** The store of one process: a ResponseCache, at the change feed's generation. */
export function localResponseStore(cache: ResponseCache, generation: () => number): ResponseStore {
  return {
    lookup: async (key) => {
      const at = generation();
      return { generation: at, hit: cache.get(key, at) };
    },
    keep: async (key, at, response) => cache.set(key, at, response),
    clear: () => cache.clear(),
    get hits() {
      return cache.hits;
    },
    get misses() {
      return cache.misses;
    },
    get size() {
      return cache.size;
    },
    get sizeBytes() {
      return cache.sizeBytes;
    },
  };
}

interface Entry extends CachedResponse {
  bytes: number;
}

/**
 * Whole responses to public read queries, keyed by the request (method, query string or body, Accept),
 * bounded in bytes (least recently used go first) and dropped entirely whenever the data generation
 * moves (see database/change-feed). The archive is read-mostly: repeated questions cost no SQL.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private generation = -1;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  /** The response for key if it was computed at this generation. */
  get(key: string, generation: number): CachedResponse | undefined {
    this.sync(generation);
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return entry;
  }

  /** Keeps a response computed from the data at `generation`; ignored if the data moved on since. */
  set(key: string, generation: number, response: CachedResponse): void {
    this.sync(generation);
    if (generation !== this.generation) return;
    const bytes = 2 * key.length + response.body.length + 200;
    if (bytes > this.maxBytes / 10) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    }
    this.entries.set(key, { ...response, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  /** Forgets every response (the change feed went deaf: none of them can be vouched for). */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  private sync(generation: number): void {
    if (generation > this.generation) {
      this.entries.clear();
      this.bytes = 0;
      this.generation = generation;
    }
  }
}
