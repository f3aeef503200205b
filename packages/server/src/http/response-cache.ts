/** A cached GraphQL response, stored with the data generation it was computed from. */
export interface CachedResponse {
  status: number;
  headers: [string, string][];
  /** The encoded body, written as is on a hit. */
  body: Buffer;
  operation: string;
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
