/**
 * One GraphQL call over HTTP: headers, deadline and abort, retries with backoff, and every
 * failure turned into a JointlyError.
 */
import { errorCodeOf, JointlyError, type GraphQLErrorShape, type JointlyErrorCode } from './errors';
import type { ClientOptions, RequestOptions, RetryOptions } from './types';

export interface GraphQLRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  isMutation: boolean;
}

const DEFAULT_RETRY: Required<Omit<RetryOptions, 'mutations'>> = { retries: 2, baseDelayMs: 300, maxDelayMs: 10_000 };

function retryPolicy(client: ClientOptions['retry'], call: RequestOptions['retry']): Required<RetryOptions> | null {
  if ((call ?? client ?? true) === false) return null;
  const given = (options: boolean | RetryOptions | undefined): RetryOptions =>
    typeof options === 'object' ? Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) : {};
  return { ...DEFAULT_RETRY, mutations: false, ...given(client), ...given(call) };
}

/** Milliseconds from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Full jitter: a random wait between 0 and base * 2^attempt (at most maxDelayMs). */
function backoff(attempt: number, policy: Required<RetryOptions>): number {
  return Math.round(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** Whether another attempt may help: the server was unreachable, busy, or its database was. */
function isTransient(error: JointlyError): boolean {
  return error.code === 'NETWORK' || error.status === 429 || error.status === 503 || error.code === 'DATABASE_UNAVAILABLE';
}

/** The user's signal and the timeout, as one signal for fetch and the waits. */
class Deadline {
  readonly controller = new AbortController();
  reason: 'TIMEOUT' | 'ABORTED' | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort = () => this.abort('ABORTED');

  constructor(
    private readonly outer: AbortSignal | undefined,
    readonly timeoutMs: number | undefined,
  ) {
    if (outer?.aborted) this.abort('ABORTED');
    else outer?.addEventListener('abort', this.onAbort, { once: true });
    if (timeoutMs !== undefined && !this.reason) this.timer = setTimeout(() => this.abort('TIMEOUT'), timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private abort(reason: 'TIMEOUT' | 'ABORTED'): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(this.error());
  }

  /** The error for an aborted call. */
  error(cause?: unknown): JointlyError {
    return this.reason === 'TIMEOUT'
      ? new JointlyError(`the request took longer than ${this.timeoutMs} ms`, 'TIMEOUT', { cause })
      : new JointlyError('the request was aborted', 'ABORTED', { cause: cause ?? this.outer?.reason });
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onAbort);
  }
}

function sleep(ms: number, deadline: Deadline): Promise<void> {
  return new Promise((resolve, reject) => {
    if (deadline.reason) return reject(deadline.error());
    const done = () => {
      deadline.signal.removeEventListener('abort', stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(deadline.error());
    };
    deadline.signal.addEventListener('abort', stop, { once: true });
  });
}

const lowerKeys = (headers: Record<string, string> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));

function causeMessage(error: unknown): string {
  const e = error as { message?: unknown; cause?: { message?: unknown; code?: unknown } };
  const cause = e.cause?.message ?? e.cause?.code;
  return `${String(e.message ?? error)}${cause ? ` (${String(cause)})` : ''}`;
}

const STATUS_CODES: Record<number, JointlyErrorCode> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};

/** A response as a result, or the JointlyError it amounts to. */
async function readResponse(response: Response): Promise<unknown> {
  const status = response.status;
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
  const text = await response.text();
  let body: { data?: unknown; errors?: GraphQLErrorShape[] } | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && ('data' in parsed || 'errors' in parsed)) body = parsed as typeof body;
  } catch {
    // not JSON: handled below
  }
  if (body?.errors && Array.isArray(body.errors) && body.errors.length > 0) {
    const first = body.errors[0]!;
    const code = status === 429 && !first.extensions?.code ? 'RATE_LIMITED' : errorCodeOf(first.extensions?.code);
    throw new JointlyError(first.message, code, { errors: body.errors, status, data: body.data ?? undefined, retryAfterMs });
  }
  if (!body || !response.ok || body.data === null || typeof body.data !== 'object') {
    const code = STATUS_CODES[status] ?? 'BAD_RESPONSE';
    throw new JointlyError(`HTTP ${status}: ${body ? 'a GraphQL response without data' : 'not a GraphQL response'}`, code, {
      status,
      retryAfterMs,
    });
  }
  return body.data;
}

/** The header a write's answer carries (the server's WAL position after its commit), sent back on later calls. */
export const WAL_POSITION_HEADER = 'jointly-wal-position';

const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;
const lsnValue = (text: string) => {
  const match = LSN.exec(text);
  return match ? (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`) : undefined;
};

/**
 * Read-your-writes: the furthest WAL position this client's writes have reached. Sent with every
 * request, so that a server reading from replicas answers from one that has replayed this client's
 * writes (or from the primary).
 */
export class WalPosition {
  private position: string | undefined;
  private value = -1n;

  get current(): string | undefined {
    return this.position;
  }

  keep(header: string | null): void {
    const value = header ? lsnValue(header.trim()) : undefined;
    if (value !== undefined && value > this.value) {
      this.value = value;
      this.position = header!.trim();
    }
  }
}

/** Sends one GraphQL request, retrying transient failures as the options allow. */
export async function send(client: ClientOptions, request: GraphQLRequest, options: RequestOptions = {}, wal?: WalPosition): Promise<unknown> {
  const doFetch = client.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') throw new JointlyError('no fetch: pass createClient({ fetch })', 'NETWORK');
  const policy = retryPolicy(client.retry, options.retry);
  const attempts = policy && (!request.isMutation || policy.mutations) ? policy.retries + 1 : 1;
  const deadline = new Deadline(options.signal, options.timeoutMs ?? client.timeoutMs);
  const body = JSON.stringify({ query: request.query, operationName: request.operationName, variables: request.variables });
  try {
    for (let attempt = 0; ; attempt++) {
      if (deadline.reason) throw deadline.error();
      const token = typeof client.token === 'function' ? await client.token() : client.token;
      try {
        const headers: Record<string, string> = {
          accept: 'application/graphql-response+json, application/json',
          ...lowerKeys(client.headers),
          ...lowerKeys(options.headers),
          'content-type': 'application/json',
          // Apollo Server's CSRF prevention lets requests with this header through.
          'apollo-require-preflight': 'true',
        };
        if (token) headers.authorization = `Bearer ${token}`;
        if (wal?.current) headers[WAL_POSITION_HEADER] = wal.current;
        let response: Response;
        try {
          response = await doFetch(client.url, { method: 'POST', headers, body, signal: deadline.signal });
        } catch (error) {
          if (deadline.reason) throw deadline.error(error);
          throw new JointlyError(`network error: ${causeMessage(error)}`, 'NETWORK', { cause: error });
        }
        wal?.keep(response.headers.get(WAL_POSITION_HEADER));
        try {
          return await readResponse(response);
        } catch (error) {
          if (deadline.reason && !(error instanceof JointlyError)) throw deadline.error(error);
          throw error;
        }
      } catch (error) {
        const failure = error instanceof JointlyError ? error : new JointlyError(String(error), 'NETWORK', { cause: error });
        if (!policy || attempt + 1 >= attempts || deadline.reason || !isTransient(failure)) throw failure;
        if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxDelayMs) throw failure;
        await sleep(failure.retryAfterMs ?? backoff(attempt, policy), deadline);
      }
    }
  } finally {
    deadline.dispose();
  }
}
