import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What one HTTP request gathers on its way through: its id, and what the GraphQL layer learns. */
export interface RequestScope {
  readonly id: string;
  /** The GraphQL operation's name ('anonymous' when unnamed); unset until the document is resolved. */
  operation?: string;
  operationType?: 'query' | 'mutation' | 'subscription';
  /** Whether the response came from the response cache (`hit`) or was computed and stored (`miss`). */
  cache?: 'hit' | 'miss';
  /** SQL statements issued while handling it (counted by database/sql-counter). */
  sql: number;
  /** Milliseconds its SQL statements took, summed (database/sql-counter; bounded by JOINTLY_REQUEST_DB_BUDGET_MS). */
  dbMs?: number;
  /** Where the request comes from (http/fair-share's clientAddress), for the per-address share of the database. */
  clientAddress?: string;
  /** `extensions.code` of every error in the response, in order. */
  readonly errorCodes: string[];
}

const storage = new AsyncLocalStorage<RequestScope>();

/** The scope of the request being handled, if any (logs and metrics read it). */
export function currentRequest(): RequestScope | undefined {
  return storage.getStore();
}

export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A caller's `x-request-id` when it is a plain token of at most 64 characters, else a fresh uuid. */
export function requestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}
