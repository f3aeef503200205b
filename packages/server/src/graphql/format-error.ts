import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError } from '../common/errors';

/** Where masked errors are written (a pino logger fits). */
export interface ErrorLog {
  error(details: Record<string, unknown>, message: string): void;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001']);

function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (e.code !== undefined && CONNECTION_CODES.has(e.code)) || /Connection terminated|timeout exceeded when trying to connect/i.test(e.message ?? '');
}

/**
 * The one place errors become responses. AppErrors keep their code and message; validation and
 * parse errors from graphql-js pass through; anything else is masked as INTERNAL_SERVER_ERROR with
 * an error id that is also written to the log — never a stack trace, SQL or a driver message.
 */
export function createFormatError(log: ErrorLog) {
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
