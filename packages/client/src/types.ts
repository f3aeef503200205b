/** Options and helper types shared by the client and its generated method table. */

/**
 * How failed requests are retried: network errors, HTTP 429 and 503, and `DATABASE_UNAVAILABLE`,
 * after `baseDelayMs * 2^attempt` (at most `maxDelayMs`) with full jitter, or after the server's
 * `Retry-After`. Give it to {@link createClient} (`retry`) or to one call ({@link RequestOptions}):
 * the fields given override the client's, the others keep theirs.
 *
 * @category Client
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 2, so at most 3 attempts). */
  retries?: number | undefined;
  /** The first backoff delay in ms (default 300); it doubles with every retry, with full jitter. */
  baseDelayMs?: number | undefined;
  /**
   * The longest wait between two attempts in ms (default 10 000). A server's `Retry-After` is
   * honoured up to this; a longer one ends the retries and the error is thrown.
   */
  maxDelayMs?: number | undefined;
  /**
   * Retry mutations too (default false). A mutation whose request failed may still have been
   * written, so it is sent once unless you ask for this (the mutations of this API check
   * `expectedVersion`, which makes a repeated update fail with CONFLICT instead of applying twice).
   */
  mutations?: boolean | undefined;
}

/**
 * The options of {@link createClient}. Only `url` is required.
 *
 * ```ts
 * createClient({
 *   url: 'https://jointly.example.org/graphql',
 *   token: () => tokens.current(),
 *   timeoutMs: 30_000,
 *   retry: { retries: 4, maxDelayMs: 5_000 },
 * });
 * ```
 *
 * @category Client
 */
export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /**
   * An API token, sent as `Authorization: Bearer <token>`: a string, or a function asked before
   * every request (for tokens that rotate). Reading needs none; mutations need an editor's token.
   */
  token?: string | (() => string | null | undefined | Promise<string | null | undefined>) | undefined;
  /** The fetch to use (default: the global one, Node.js 18+ and browsers). */
  fetch?: typeof globalThis.fetch | undefined;
  /** Extra headers for every request. `content-type` and `apollo-require-preflight` are always sent. */
  headers?: Record<string, string> | undefined;
  /**
   * The most a call may take in ms, retries and waits included; after it the call fails with
   * `TIMEOUT`. No limit by default.
   */
  timeoutMs?: number | undefined;
  /**
   * Retries on network errors, HTTP 429 and 503 and `DATABASE_UNAVAILABLE`, with exponential
   * backoff and jitter, honouring `Retry-After`; never for mutations unless `{ mutations: true }`.
   * On by default (`{ retries: 2 }`); `false` turns it off.
   */
  retry?: boolean | RetryOptions | undefined;
  /**
   * The WebSocket class {@link JointlyClient.subscribe} uses: the global one by default (browsers,
   * Node.js 22+); on Node.js 20 pass the `ws` package's (`import WebSocket from 'ws'`).
   */
  webSocket?: unknown;
}

/**
 * The options of one call, the last argument of every method: they override the client's
 * ({@link ClientOptions}) for this call.
 *
 * ```ts
 * const controller = new AbortController();
 * await client.statements({ first: 10 }, { signal: controller.signal, timeoutMs: 5_000, retry: { retries: 5 } });
 * ```
 *
 * @category Client
 */
export interface RequestOptions {
  /** Aborts the call, also while it waits to retry (it fails with `ABORTED`). */
  signal?: AbortSignal | undefined;
  /** The most this call may take in ms, retries included (fails with `TIMEOUT`). */
  timeoutMs?: number | undefined;
  /** Extra headers for this call, added to (and overriding) the client's. */
  headers?: Record<string, string> | undefined;
  /** Retries for this call: `false` turns them off, an object overrides the client's fields. */
  retry?: boolean | RetryOptions | undefined;
}

/**
 * A Relay connection as far as pagination needs it: what the `select` of
 * {@link JointlyClient.paginateDocument} returns.
 *
 * @category Pagination
 */
export interface ConnectionLike<TNode> {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: readonly TNode[];
}

/**
 * The variables of a paginated operation: all but `after`, which the iterator sets.
 *
 * @category Pagination
 */
export type PageVariables<TVariables> = Omit<TVariables, 'after'>;

/** T[K] for each member of the union T that has K (others are dropped). */
type Field<T, K extends string> = T extends { readonly [P in K]: infer V } ? V : never;

/**
 * The connection at `Path` in a result (through nullable objects and union members).
 *
 * @category Pagination
 */
export type ConnectionAt<T, Path extends readonly string[]> = Path extends readonly [
  infer Head extends string,
  ...infer Rest extends string[],
]
  ? ConnectionAt<Field<NonNullable<T>, Head>, Rest>
  : NonNullable<T>;

/**
 * The type of the nodes of the connection at `Path` in a result: what a
 * {@link PaginateMethods} iterator yields, e.g. `ConnectionNode<StatementsQuery, ['statements']>`.
 *
 * @category Pagination
 */
export type ConnectionNode<T, Path extends readonly string[]> =
  ConnectionAt<T, Path> extends { readonly nodes: ReadonlyArray<infer N> } ? N : never;
