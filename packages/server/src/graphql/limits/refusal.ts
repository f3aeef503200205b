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

/** What about an argument is refused: its length, its number of items, its nesting, a character. */
export type InputLimit = 'length' | 'items' | 'depth' | 'character';

const REFUSED: Record<InputLimit, (max: number | undefined, measured: number | undefined) => string> = {
  length: (max, n) => `is ${n} characters long; at most ${max} are allowed`,
  items: (max, n) => `has ${n} items; at most ${max} are allowed`,
  depth: (max) => `nests objects and arrays more than ${max} levels deep`,
  character: () => 'holds a character that is not allowed',
};

/**
 * An argument refused before anything ran, because it is larger than its bound or holds a
 * character text cannot hold: BAD_USER_INPUT, HTTP 400, with `extensions` { argument (its path,
 * e.g. `filter.signedBy.any[3]`), limit, max and measured (when they apply) }.
 */
export class InputRefusedError extends GraphQLError {
  constructor(
    readonly argument: string,
    readonly limit: InputLimit,
    readonly max?: number,
    readonly measured?: number,
    detail?: string,
  ) {
    super(`${argument} ${detail ? `holds ${detail}` : REFUSED[limit](max, measured)}.`, {
      extensions: {
        code: 'BAD_USER_INPUT',
        argument,
        limit,
        ...(max === undefined ? {} : { max }),
        ...(measured === undefined ? {} : { measured }),
        http: { status: 400 },
      },
    });
    this.name = 'InputRefusedError';
  }
}
