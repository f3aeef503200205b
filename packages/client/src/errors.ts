/** The one error the client throws, its codes, and unwrap() for mutation payloads. */

/** The codes the server puts in a GraphQL error's `extensions.code`. */
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
  | 'TIMEOUT'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL_SERVER_ERROR';

/** The codes of a mutation payload's `errors` (see unwrap and MutationError). */
export type UserErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'INVALID_REFERENCE' | 'AMBIGUOUS_NAME';

/**
 * What went wrong, to branch on:
 * - a server code (`ServerErrorCode`), from the first GraphQL error;
 * - `GRAPHQL_ERROR`: a GraphQL error without one of those codes (e.g. the document does not validate);
 * - `NETWORK`: the server could not be reached; `TIMEOUT`: `timeoutMs` ran out; `ABORTED`: the signal aborted;
 * - `BAD_RESPONSE`: the answer was not a GraphQL response (see `status`);
 * - a `UserErrorCode`, on a MutationError from unwrap().
 */
export type JointlyErrorCode = ServerErrorCode | UserErrorCode | 'GRAPHQL_ERROR' | 'NETWORK' | 'TIMEOUT' | 'ABORTED' | 'BAD_RESPONSE';

/** A GraphQL error as the server sends it. */
export interface GraphQLErrorShape {
  message: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** An entry of a mutation payload's `errors`: why nothing was written, and where in the input. */
export interface UserError {
  /** BAD_USER_INPUT, NOT_FOUND, CONFLICT, INVALID_REFERENCE or AMBIGUOUS_NAME. */
  code: string;
  /** The input field at fault, e.g. ['input', 'signatures', '3', 'signatory']. */
  path: readonly string[];
  message: string;
}

export interface JointlyErrorDetails {
  /** The GraphQL errors of the response. */
  errors?: readonly GraphQLErrorShape[] | undefined;
  /** The HTTP status, when a response arrived. */
  status?: number | undefined;
  /** The partial data of a response that also had errors. */
  data?: unknown;
  /** How long the server asked to wait (`Retry-After`), in ms. */
  retryAfterMs?: number | undefined;
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

/** A request that failed: over the network, with an HTTP status, with GraphQL errors, or (MutationError) with payload errors. */
export class JointlyError extends Error {
  override readonly name: string = 'JointlyError';
  /** What went wrong; see JointlyErrorCode. */
  readonly code: JointlyErrorCode;
  /** What the server reported: its GraphQL errors (for a MutationError, the payload's errors). */
  readonly errors: readonly GraphQLErrorShape[];
  /** The HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** The partial data of a response that also had errors. */
  readonly data: unknown;
  /** How long the server asked to wait before retrying, in ms (`Retry-After`). */
  readonly retryAfterMs: number | undefined;

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
 * Whether a value is a JointlyError, also across copies of this package (its ESM and CommonJS
 * builds loaded side by side), where `instanceof` can fail.
 */
export function isJointlyError(value: unknown): value is JointlyError {
  return value instanceof JointlyError || (typeof value === 'object' && value !== null && BRAND in value);
}

/** A mutation's payload reported errors, so nothing was written. Thrown by unwrap(). */
export class MutationError extends JointlyError {
  override readonly name: string = 'MutationError';
  /** The first payload error's code. */
  declare readonly code: UserErrorCode;
  /** Every payload error: `{ code, path, message }`. */
  declare readonly errors: readonly UserError[];

  constructor(errors: readonly UserError[]) {
    const first = errors[0];
    const code = first && USER_CODES.has(first.code) ? (first.code as UserErrorCode) : 'BAD_USER_INPUT';
    const where = first && first.path.length > 0 ? ` (at ${first.path.join('.')})` : '';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    super(`${first?.message ?? 'the mutation failed'}${where}${more}`, code, { errors });
  }
}

/** A mutation payload: a record (or several fields) and `errors`. */
export interface PayloadLike {
  readonly errors: readonly UserError[];
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type IsUnion<T> = [T] extends [UnionToIntersection<T>] ? false : true;
type RecordKey<P> = Exclude<keyof P, 'errors' | '__typename'>;

/** What unwrap returns: the record of a one-record payload, else the payload without `errors`. */
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
 * The record a mutation wrote, or a MutationError with the payload's errors.
 *
 * ```ts
 * const statement = unwrap(await client.createStatement({ input }));        // the result
 * const source = unwrap((await client.updateSource({ input })).updateSource); // or its payload
 * ```
 * For a payload of several fields (importBundle: `dryRun`, `summary`), the payload without `errors`.
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
