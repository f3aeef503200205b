/** The one error the client throws, its codes, and unwrap() for mutation payloads. */

/**
 * The codes the server puts in a GraphQL error's `extensions.code`:
 *
 * - `BAD_USER_INPUT`: an argument or variable is wrong (e.g. `first` over 100, a bad cursor);
 *   the message says which;
 * - `NOT_FOUND`: no record has that id or key;
 * - `AMBIGUOUS_REFERENCE`: a name matches several signatories; `extensions.candidates` lists them;
 * - `UNAUTHENTICATED`: a write without a valid token; `FORBIDDEN`: the token's role may not do this;
 * - `CONFLICT`: an update at a stale `expectedVersion` (optimistic locking);
 * - `PAYLOAD_TOO_LARGE`: the request body is over the server's limit;
 * - `RATE_LIMITED`: too many requests, or too many expensive ones from this address at once (HTTP
 *   429); see {@link JointlyError.retryAfterMs}; retried by default;
 * - `DATABASE_BUSY`: expensive requests already take the server's share of its database (HTTP 503,
 *   with `Retry-After`); retried by default;
 * - `DATABASE_UNAVAILABLE`: the server cannot reach its database (outage, restart); retried by default;
 * - `TIMEOUT`: a database statement ran past the server's statement timeout; nothing was written;
 * - `QUERY_TOO_COMPLEX`: the document is over a limit; `extensions.limit` is `depth`, `aliases`,
 *   `tokens`, `directives`, `cost` or `databaseTime` (a read query's database-time budget, spent
 *   while it ran: the data so far comes with it), with `max` and `measured`;
 * - `INTERNAL_SERVER_ERROR`: anything unexpected; `extensions.errorId` is also in the server's log.
 *
 * @category Errors
 */
export type ServerErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'AMBIGUOUS_REFERENCE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'DATABASE_UNAVAILABLE'
  | 'DATABASE_BUSY'
  | 'TIMEOUT'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL_SERVER_ERROR';

/**
 * The codes of a mutation payload's `errors` (see {@link unwrap} and {@link MutationError}):
 * `BAD_USER_INPUT`, `NOT_FOUND`, `CONFLICT` (a stale `expectedVersion`, or a key already taken),
 * `INVALID_REFERENCE` (no record has the key or name referred to) and `AMBIGUOUS_NAME` (a
 * signatory's name that matches several).
 *
 * @category Errors
 */
export type UserErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'INVALID_REFERENCE' | 'AMBIGUOUS_NAME';

/**
 * What went wrong, the {@link JointlyError.code} to branch on:
 *
 * - a {@link ServerErrorCode}, from the first GraphQL error's `extensions.code`;
 * - `GRAPHQL_ERROR`: a GraphQL error without one of those codes (e.g. the document does not
 *   parse or validate);
 * - `NETWORK`: the server could not be reached (no fetch, DNS, refused connection, reset);
 * - `TIMEOUT`: the call's `timeoutMs` ran out (retries and waits included), or the server's code;
 * - `ABORTED`: the call's `signal` aborted;
 * - `BAD_RESPONSE`: the answer was not a GraphQL response (see {@link JointlyError.status}), or it
 *   was one the client cannot use;
 * - a {@link UserErrorCode}, on a {@link MutationError} from {@link unwrap}.
 *
 * HTTP statuses without a GraphQL error map to codes too: 401 `UNAUTHENTICATED`, 403 `FORBIDDEN`,
 * 413 `PAYLOAD_TOO_LARGE`, 429 `RATE_LIMITED`, any other `BAD_RESPONSE`.
 *
 * @category Errors
 */
export type JointlyErrorCode = ServerErrorCode | UserErrorCode | 'GRAPHQL_ERROR' | 'NETWORK' | 'TIMEOUT' | 'ABORTED' | 'BAD_RESPONSE';

/**
 * A GraphQL error as the server sends it.
 *
 * @category Errors
 */
export interface GraphQLErrorShape {
  message: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  /** `code` is a {@link ServerErrorCode}; some errors carry more, e.g. `errorId`, `candidates` or `limit`. */
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * An entry of a mutation payload's `errors`: why nothing was written, and where in the input.
 *
 * @category Errors
 */
export interface UserError {
  /** BAD_USER_INPUT, NOT_FOUND, CONFLICT, INVALID_REFERENCE or AMBIGUOUS_NAME. */
  code: string;
  /** The input field at fault, e.g. ['input', 'signatures', '3', 'signatory']. */
  path: readonly string[];
  message: string;
}

/**
 * What a {@link JointlyError} carries besides its message and code (its constructor's third argument).
 *
 * @category Errors
 */
export interface JointlyErrorDetails {
  /** The GraphQL errors of the response. */
  errors?: readonly GraphQLErrorShape[] | undefined;
  /** The HTTP status, when a response arrived. */
  status?: number | undefined;
  /** The partial data of a response that also had errors. */
  data?: unknown;
  /** How long the server asked to wait (`Retry-After`), in ms. */
  retryAfterMs?: number | undefined;
  /** The error this one wraps, e.g. fetch's TypeError for `NETWORK`. */
  cause?: unknown;
}

const SERVER_CODES: ReadonlySet<string> = new Set<ServerErrorCode>([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'AMBIGUOUS_REFERENCE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'DATABASE_UNAVAILABLE',
  'DATABASE_BUSY',
  'TIMEOUT',
  'QUERY_TOO_COMPLEX',
  'INTERNAL_SERVER_ERROR',
]);
const USER_CODES: ReadonlySet<string> = new Set<UserErrorCode>(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'INVALID_REFERENCE', 'AMBIGUOUS_NAME']);

/** A server's `extensions.code` as a JointlyErrorCode (`GRAPHQL_ERROR` for codes outside the union). */
export function errorCodeOf(serverCode: unknown): JointlyErrorCode {
  return typeof serverCode === 'string' && SERVER_CODES.has(serverCode) ? (serverCode as ServerErrorCode) : 'GRAPHQL_ERROR';
}

const BRAND = Symbol.for('@jointly/client.JointlyError');

/**
 * A call that failed: over the network, with an HTTP status, with GraphQL errors, or (as a
 * {@link MutationError}) with a mutation payload's errors. Every method of the client rejects with
 * one, and nothing else; branch on its {@link JointlyError.code | code}:
 *
 * ```ts
 * try {
 *   await client.statements({ first: 500 });
 * } catch (error) {
 *   if (error instanceof JointlyError && error.code === 'BAD_USER_INPUT') console.log(error.message);
 *   else throw error;
 * }
 * ```
 *
 * When the ESM and the CommonJS build of the package may both be loaded, use
 * {@link isJointlyError} instead of `instanceof`.
 *
 * @category Errors
 */
export class JointlyError extends Error {
  override readonly name: string = 'JointlyError';
  /** What went wrong; see {@link JointlyErrorCode}. */
  readonly code: JointlyErrorCode;
  /** What the server reported: its GraphQL errors (for a MutationError, the payload's errors). */
  readonly errors: readonly GraphQLErrorShape[];
  /** The HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** The partial data of a response that also had errors. */
  readonly data: unknown;
  /**
   * How long the server asked to wait before retrying, in ms (`Retry-After` on a 429 or 503). The
   * client waits that long before its next attempt; when it is longer than the retry policy's
   * `maxDelayMs`, the error is thrown at once.
   */
  readonly retryAfterMs: number | undefined;

  /**
   * Constructed by the client. To test code that handles these, give the client a `fetch` (see
   * {@link ClientOptions}) that answers with the error, rather than constructing one.
   */
  constructor(message: string, code: JointlyErrorCode, details: JointlyErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.errors = details.errors ?? [];
    this.status = details.status;
    this.data = details.data;
    this.retryAfterMs = details.retryAfterMs;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Whether a value is a {@link JointlyError}, also across copies of this package (its ESM and
 * CommonJS builds loaded side by side), where `instanceof` can fail.
 *
 * @category Errors
 */
export function isJointlyError(value: unknown): value is JointlyError {
  return value instanceof JointlyError || (typeof value === 'object' && value !== null && BRAND in value);
}

/**
 * A mutation's payload reported errors, so nothing was written. Thrown by {@link unwrap}; its
 * `code` is the first error's, its `errors` are all of them, each with the input `path` at fault:
 *
 * ```ts
 * try {
 *   unwrap(await client.updateSource({ input: { id: 'my-source', expectedVersion: 1, publisher: 'X' } }));
 * } catch (error) {
 *   if (error instanceof MutationError) {
 *     for (const e of error.errors) console.log(e.code, e.path.join('.'), e.message); // CONFLICT input.expectedVersion …
 *   } else throw error;
 * }
 * ```
 *
 * @category Errors
 */
export class MutationError extends JointlyError {
  override readonly name: string = 'MutationError';
  /** The first payload error's code. */
  declare readonly code: UserErrorCode;
  /** Every payload error: `{ code, path, message }`. */
  declare readonly errors: readonly UserError[];

  /** Thrown by {@link unwrap}, with the payload's errors. */
  constructor(errors: readonly UserError[]) {
    const first = errors[0];
    const code = first && USER_CODES.has(first.code) ? (first.code as UserErrorCode) : 'BAD_USER_INPUT';
    const where = first && first.path.length > 0 ? ` (at ${first.path.join('.')})` : '';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    super(`${first?.message ?? 'the mutation failed'}${where}${more}`, code, { errors });
  }
}

/**
 * A mutation payload: a record (or several fields) and `errors`.
 *
 * @category Errors
 */
export interface PayloadLike {
  readonly errors: readonly UserError[];
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type IsUnion<T> = [T] extends [UnionToIntersection<T>] ? false : true;
type RecordKey<P> = Exclude<keyof P, 'errors' | '__typename'>;

/**
 * What {@link unwrap} returns: the record of a one-record payload, else the payload without `errors`.
 *
 * @category Errors
 */
export type Unwrapped<P> = [RecordKey<P>] extends [never]
  ? Omit<P, 'errors'>
  : IsUnion<RecordKey<P>> extends true
    ? Omit<P, 'errors'>
    : NonNullable<P[RecordKey<P>]>;

/** A mutation's result (one field, its payload) or the payload itself. */
type PayloadOf<R> = R extends PayloadLike ? R : R[keyof R];

function isPayload(value: unknown): value is PayloadLike {
  return typeof value === 'object' && value !== null && Array.isArray((value as { errors?: unknown }).errors);
}

/**
 * The record a mutation wrote, or a {@link MutationError} with the payload's errors. Mutations
 * report expected failures (invalid input, a stale `expectedVersion`, an unknown reference) in
 * their payload, not as thrown errors; `unwrap` turns them into one.
 *
 * ```ts
 * const statement = unwrap(await client.createStatement({ input }));        // the result
 * const source = unwrap((await client.updateSource({ input })).updateSource); // or its payload
 * ```
 *
 * @param result A mutation's result (an object of one field, its payload) or the payload itself.
 * @returns The payload's one record; for a payload of several fields (importBundle: `dryRun`,
 * `summary`), the payload without `errors`.
 * @throws {@link MutationError} when the payload has errors; {@link JointlyError} `BAD_RESPONSE`
 * when `result` is not a payload, or has neither its record nor errors.
 * @category Errors
 */
export function unwrap<R extends PayloadLike | { readonly [field: string]: PayloadLike }>(result: R): Unwrapped<PayloadOf<R>> {
  let payload: unknown = result;
  if (!isPayload(payload)) {
    const fields = Object.values(result as Record<string, unknown>);
    if (fields.length !== 1 || !isPayload(fields[0])) {
      throw new JointlyError('unwrap() takes a mutation payload ({ …, errors }) or a result of one mutation', 'BAD_RESPONSE');
    }
    payload = fields[0];
  }
  const { errors, ...rest } = payload as PayloadLike & Record<string, unknown>;
  if (errors.length > 0) throw new MutationError(errors);
  const keys = Object.keys(rest).filter((key) => key !== '__typename');
  if (keys.length !== 1) return rest as Unwrapped<PayloadOf<R>>;
  const record = rest[keys[0]!];
  if (record === null || record === undefined) {
    throw new JointlyError(`the payload has neither ${keys[0]} nor errors`, 'BAD_RESPONSE');
  }
  return record as Unwrapped<PayloadOf<R>>;
}
