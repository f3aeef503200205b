/**
 * Loaded with `node --require` into the PostGraphile child only. Every PostGraphile 5.x release
 * declares Node >= 22 and uses Promise.withResolvers (Node 22+); on Node 20 its queries fail
 * without it. This is the whole polyfill.
 */
const P = Promise as unknown as { withResolvers?: <T>() => { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = <T>() => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
