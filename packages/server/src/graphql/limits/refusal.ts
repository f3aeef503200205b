import { GraphQLError } from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination';
import { REFERENCE_WEIGHT, SEARCH_TERM_WEIGHT } from './cost';

/** The one `extensions.code` of every limit refusal. */
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

/** Which limit refused the operation (`extensions.limit`). */
export type LimitName = 'depth' | 'aliases' | 'tokens' | 'directives' | 'cost' | 'databaseTime';

const WHAT: Record<LimitName, (measured: number | undefined, max: number) => string> = {
  depth: (n, max) => `fields nested ${n ?? 'more than ' + max} levels deep; at most ${max} are allowed`,
  aliases: (n, max) => `${n ?? 'more than ' + max} aliases; at most ${max} are allowed`,
  tokens: (n, max) => `a document of ${n ?? 'more than ' + max} tokens; at most ${max} are allowed`,
  directives: (n, max) => `${n ?? 'more than ' + max} directives; at most ${max} are allowed`,
  databaseTime: (n, max) =>
    `${n ?? 'more than ' + max} ms of database time so far; at most ${max} ms per request are allowed. Ask for smaller pages, fewer aliases, fewer references or search terms`,
  cost: (n, max) =>
    `an estimated cost of ${n ?? 'more than ' + max} (each field 1, each signatory reference ${REFERENCE_WEIGHT}, each search term ${SEARCH_TERM_WEIGHT}, each list multiplied by its page size: first/last, ${DEFAULT_PAGE_SIZE} when absent); at most ${max} is allowed. Ask for smaller pages, fewer nested lists, fewer references or search terms`,
};

/**
 * An operation refused before it ran, because it is larger than a limit allows: a GraphQL error
 * with `extensions` { code: QUERY_TOO_COMPLEX, limit, max, measured (when known) } and HTTP 400.
 * formatError passes it through as it is (a graphql-js error with no foreign cause).
 */
export class QueryTooComplexError extends GraphQLError {
  constructor(
    readonly limit: LimitName,
    readonly max: number,
    readonly measured?: number,
  ) {
    const value = measured === undefined ? undefined : Math.min(measured, Number.MAX_SAFE_INTEGER);
    super(`The operation is too complex: ${WHAT[limit](value, max)}.`, {
      extensions: {
        code: QUERY_TOO_COMPLEX,
        limit,
        max,
        ...(value === undefined ? {} : { measured: value }),
        // Refused before it ran: 400. The database-time budget stops a query while it runs: its partial data, 200.
        ...(limit === 'databaseTime' ? {} : { http: { status: 400 } }),
      },
    });
    this.name = 'QueryTooComplexError';
  }
}
