import DataLoader from 'dataloader';

/**
 * A DataLoader that also answers synchronously for the keys it has already loaded.
 *
 * A field resolver under a long list (`Signature.signatory` under a thousand signatures) that awaits
 * `load()` costs a promise, a microtask and graphql-js's promise bookkeeping for every row. When the
 * list's own resolver has loaded the related records first (`loadMany`, one batch for every page
 * resolved at once), the field resolvers read them with `peek()` and return plain values.
 */
export class PeekableLoader<K, V> extends DataLoader<K, V> {
  private readonly loaded: Map<K, V>;

  constructor(batch: DataLoader.BatchLoadFn<K, V>, options?: DataLoader.Options<K, V>) {
    const loaded = new Map<K, V>();
    super(async (keys) => {
      const values = await batch(keys);
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!;
        if (!(value instanceof Error)) loaded.set(keys[i]!, value);
      }
      return values;
    }, options);
    this.loaded = loaded;
  }

  /** Whether `key` has been loaded (its value may be null). */
  has(key: K): boolean {
    return this.loaded.has(key);
  }

  /** The loaded value of `key`; undefined when it has not been loaded. */
  peek(key: K): V | undefined {
    return this.loaded.get(key);
  }

  /**
   * Loads the keys not loaded yet (with the batch of whatever else is being loaded) and resolves
   * when they are; failures are left for load() to report to whoever reads those keys. Cheaper
   * than loadMany for keys that repeat across parents: nothing is made for a key already loaded.
   */
  async ensure(keys: Iterable<K>): Promise<void> {
    const pending: Promise<V>[] = [];
    for (const key of keys) if (!this.loaded.has(key)) pending.push(this.load(key));
    if (pending.length) await Promise.all(pending).catch(() => undefined);
  }

  /** `convert` of the value, synchronously when it is loaded already, else once it is. */
  map<T>(key: K, convert: (value: V) => T): T | Promise<T> {
    return this.loaded.has(key) ? convert(this.loaded.get(key)!) : this.load(key).then(convert);
  }

  override clear(key: K): this {
    this.loaded.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.loaded.clear();
    return super.clearAll();
  }

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    const primed = super.prime(key, value);
    if (!this.loaded.has(key) && !(value instanceof Error) && !isPromiseLike(value)) this.loaded.set(key, value);
    return primed;
  }
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
