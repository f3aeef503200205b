import { PeekableLoader } from './peekable-loader';

describe('PeekableLoader', () => {
  const make = () => {
    const batches: string[][] = [];
    const loader = new PeekableLoader<string, string | null>(async (keys) => {
      batches.push([...keys]);
      return keys.map((k) => (k === 'missing' ? null : k === 'broken' ? new Error('broken') : k.toUpperCase()));
    });
    return { loader, batches };
  };

  it('answers synchronously only for keys already loaded, including a loaded null', async () => {
    const { loader, batches } = make();
    expect(loader.has('a')).toBe(false);
    expect(loader.peek('a')).toBeUndefined();
    const pending = loader.map('a', (v) => `<${v}>`);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe('<A>');
    expect(loader.map('a', (v) => `<${v}>`)).toBe('<A>');
    await loader.loadMany(['b', 'missing']);
    expect(loader.peek('b')).toBe('B');
    expect(loader.has('missing')).toBe(true);
    expect(loader.peek('missing')).toBeNull();
    expect(batches).toEqual([['a'], ['b', 'missing']]);
  });

  it('keeps errors out of the synchronous answers, and forgets what is cleared', async () => {
    const { loader, batches } = make();
    await expect(loader.load('broken')).rejects.toThrow('broken');
    expect(loader.has('broken')).toBe(false);
    await loader.load('c');
    loader.clear('c');
    expect(loader.has('c')).toBe(false);
    expect(await loader.load('c')).toBe('C');
    expect(batches).toEqual([['broken'], ['c'], ['c']]);
    loader.clearAll();
    expect(loader.has('c')).toBe(false);
  });

  it('ensures keys in one batch, loading only those not loaded, and leaves failures to load()', async () => {
    const { loader, batches } = make();
    await loader.load('a');
    await Promise.all([loader.ensure(['a', 'b', 'b', 'missing']), loader.ensure(['b', 'c'])]);
    expect(batches).toEqual([['a'], ['b', 'missing', 'c']]);
    expect([loader.peek('b'), loader.peek('c'), loader.peek('missing')]).toEqual(['B', 'C', null]);
    await expect(loader.ensure(['broken', 'd'])).resolves.toBeUndefined();
    expect(loader.peek('d')).toBe('D');
    await expect(loader.load('broken')).rejects.toThrow('broken');
    await loader.ensure(['a', 'b']);
    expect(batches).toHaveLength(3);
  });

  it('answers primed values synchronously', () => {
    const { loader, batches } = make();
    loader.prime('d', 'primed');
    expect(loader.map('d', (v) => v)).toBe('primed');
    loader.prime('e', new Error('no'));
    expect(loader.has('e')).toBe(false);
    expect(batches).toEqual([]);
  });
});
