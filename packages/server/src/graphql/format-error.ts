import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError } from '../common/errors';
import { isConnectionError } from '../database/database';

/** Where masked errors are written (a pino logger fits). */
export interface ErrorLog {
  error(details: Record<string, unknown>, message: string): void;
}

/** A Postgres statement cancelled by statement_timeout (or by pg_cancel_backend). */
const QUERY_CANCELED = '57014';

function isQueryCanceled(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  return e?.code === QUERY_CANCELED || e?.driverError?.code === QUERY_CANCELED;
}

export interface FormatErrorOptions {
  /** The statement_timeout in force, for the TIMEOUT message. */
  statementTimeoutMs?: number;
}

/**
 * The one place errors become responses. AppErrors keep their code and message; validation and
 * parse errors from graphql-js pass through; a statement cancelled by statement_timeout is TIMEOUT;
 * a database that cannot be reached, or that dropped the connection, is DATABASE_UNAVAILABLE; anything
 * else is masked as INTERNAL_SERVER_ERROR with an error id that is also written to the log — never a
 * stack trace, SQL or a driver message.
 */
export function createFormatError(log: ErrorLog, options: FormatErrorOptions = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: original.code, ...original.details },
      };
    }
    if (original instanceof GraphQLError && !(original.originalError && !(original.originalError instanceof GraphQLError))) {
      const { stacktrace: _drop, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions };
    }
    if (isQueryCanceled(original)) {
      const limit = options.statementTimeoutMs ? ` than ${options.statementTimeoutMs} ms` : ' than the server allows';
      return {
        message: `The query took longer${limit} and was cancelled; narrow it (a smaller page, a filter) or try again later.`,
        path: formatted.path,
        extensions: { code: 'TIMEOUT' },
      };
    }
    if (isConnectionError(original)) {
      return {
        message: 'The database is unavailable; try again shortly.',
        path: formatted.path,
        extensions: { code: 'DATABASE_UNAVAILABLE' },
      };
    }
    const errorId = randomUUID();
    log.error({ errorId, err: original }, 'unexpected error');
    return {
      message: `Internal server error (error id ${errorId})`,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}
