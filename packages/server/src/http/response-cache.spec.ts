import { ResponseCache, type CachedResponse } from './response-cache';

const response = (body: string): CachedResponse => ({ status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body), operation: 'Q' });

describe('ResponseCache', () => {
  it('answers a key stored at the current generation, and nothing once the generation moves', () => {
    const cache = new ResponseCache(1_000_000);
    cache.set('a', 1, response('{"data":1}'));
    expect(cache.get('a', 1)?.body.toString()).toBe('{"data":1}');
    expect(cache.get('a', 2)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  it('refuses a response computed from an older generation than the one it has seen', () => {
    const cache = new ResponseCache(1_000_000);
    expect(cache.get('x', 5)).toBeUndefined();
    cache.set('a', 4, response('stale'));
    expect(cache.get('a', 5)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stays within its byte budget, dropping the least recently used first', () => {
    const body = 'x'.repeat(1000);
    const cache = new ResponseCache(15_000);
    for (let i = 0; i < 20; i++) {
      cache.set(`k${i}`, 0, response(body));
      if (i >= 1) cache.get('k0', 0); // keep k0 warm
    }
    expect(cache.sizeBytes).toBeLessThanOrEqual(15_000);
    expect(cache.get('k0', 0)).toBeDefined();
    expect(cache.get('k1', 0)).toBeUndefined();
    expect(cache.get('k19', 0)).toBeDefined();
  });

  it('does not keep a single response larger than a tenth of the budget', () => {
    const cache = new ResponseCache(10_000);
    cache.set('big', 0, response('y'.repeat(2000)));
    expect(cache.size).toBe(0);
  });
});
