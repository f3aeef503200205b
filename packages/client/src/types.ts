/** Options and helper types shared by the client and its generated method table. */

/** How failed requests are retried. */
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
}

/** Options of one call: they override the client's. */
export interface RequestOptions {
  /** Aborts the call (it fails with `ABORTED`). */
  signal?: AbortSignal | undefined;
  /** The most this call may take in ms, retries included (fails with `TIMEOUT`). */
  timeoutMs?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
  /** Retries for this call. */
  retry?: boolean | RetryOptions | undefined;
}

/** A Relay connection as far as pagination needs it. */
export interface ConnectionLike<TNode> {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: readonly TNode[];
}

/** The variables of a paginated operation: all but `after`, which the iterator sets. */
export type PageVariables<TVariables> = Omit<TVariables, 'after'>;

/** T[K] for each member of the union T that has K (others are dropped). */
type Field<T, K extends string> = T extends { readonly [P in K]: infer V } ? V : never;

/** The connection at `Path` in a result (through nullable objects and union members). */
export type ConnectionAt<T, Path extends readonly string[]> = Path extends readonly [
  infer Head extends string,
  ...infer Rest extends string[],
]
  ? ConnectionAt<Field<NonNullable<T>, Head>, Rest>
  : NonNullable<T>;

/** The type of the nodes of the connection at `Path` in a result. */
export type ConnectionNode<T, Path extends readonly string[]> =
  ConnectionAt<T, Path> extends { readonly nodes: ReadonlyArray<infer N> } ? N : never;
