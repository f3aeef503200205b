import type { RequestContext } from '../kit/context';
import { badInput } from '../../common/errors';
import { SqlParams } from '../../common/pagination';
import { folded } from './statement-conditions';
import type { StatementFilter } from './statement.input';
import { StatementService } from './statement.service';
import { Facet, SessionFacet, StatementFacets } from './statement-facets.type';

/** The most values a facet list returns, and how many it returns when `first` is not given. */
export const MAX_FACET_VALUES = 100;

const statements = new StatementService();

/** The most common of a group's spellings (`n` statements each), the first in order among equals. */
const MOST_COMMON = (column: string) => `(array_agg(${column} ORDER BY n DESC, ${column}))[1]`;

/** A facet list: its groups under the filter's conditions `where` (on statement `s`), and their order. */
export interface FacetQuery {
  grouped: (where: string) => string;
  order: string;
}

/** The lists, as `statementFacets` answers them (resolvers and the read engine alike). */
export const FACETS = {
  // Every listed topic is folded (one topic can be spelled two ways in one statement, which counts once).
  topics: {
    grouped: (where) =>
      `SELECT mode() WITHIN GROUP (ORDER BY t.topic) AS "value", count(DISTINCT s.id)::int AS "count"
       FROM "statement" s CROSS JOIN LATERAL unnest(s.topics) AS t(topic) WHERE ${where}
       GROUP BY ${folded('t.topic')}`,
    order: '"count" DESC, "value"',
  },
  // A statement has one forum and one session: they are counted per spelling first, and only the
  // spellings are folded (a few, rather than every statement).
  forums: {
    grouped: (where) =>
      `SELECT ${MOST_COMMON('forum')} AS "value", sum(n)::int AS "count"
       FROM (SELECT s.forum, count(*) AS n FROM "statement" s WHERE ${where} AND s.forum IS NOT NULL GROUP BY s.forum) spelled
       GROUP BY ${folded('forum')}`,
    order: '"count" DESC, "value"',
  },
  sessions: {
    grouped: (where) =>
      `SELECT ${MOST_COMMON('forum')} AS "forum", session AS "session", sum(n)::int AS "count"
       FROM (SELECT s.forum, s.session, count(*) AS n FROM "statement" s WHERE ${where} AND s.session IS NOT NULL GROUP BY s.forum, s.session) spelled
       GROUP BY ${folded('forum')}, session`,
    order: '"count" DESC, "forum", "session"',
  },
} satisfies Record<string, FacetQuery>;

/** A list's SQL: its groups in order, at most `limit` of them. */
export const facetSql = (facet: FacetQuery, where: string, limit: number): string => `${facet.grouped(where)} ORDER BY ${facet.order} LIMIT ${limit}`;

/** How many values a list returns for its `first` argument; BAD_USER_INPUT outside 0 to MAX_FACET_VALUES. */
export function facetLimit(first: number | null | undefined): number {
  const limit = first ?? MAX_FACET_VALUES;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_FACET_VALUES) {
    throw badInput(`first must be between 0 and ${MAX_FACET_VALUES}, got ${limit}`, { argument: 'first' });
  }
  return limit;
}

/**
 * Counts the statements matching a filter per topic, forum and session: one GROUP BY per list asked
 * for, under the very conditions `statements(filter:)` applies (StatementService.conditions), so a
 * count is the totalCount that filtering by the value as well would give.
 */
export class StatementFacetService {
  /** The filter, checked and translated once (a signatory reference is resolved here); the lists count lazily. */
  async facets(ctx: RequestContext, filter: StatementFilter | null | undefined): Promise<StatementFacets> {
    const params = new SqlParams();
    const { where } = await statements.conditions(ctx, filter, params);
    return Object.assign(new StatementFacets(), { where: where.join(' AND '), values: params.values });
  }

  topics(ctx: RequestContext, facets: StatementFacets, first: number | null | undefined): Promise<Facet[]> {
    return this.query(ctx, facets, first, FACETS.topics);
  }

  forums(ctx: RequestContext, facets: StatementFacets, first: number | null | undefined): Promise<Facet[]> {
    return this.query(ctx, facets, first, FACETS.forums);
  }

  sessions(ctx: RequestContext, facets: StatementFacets, first: number | null | undefined): Promise<SessionFacet[]> {
    return this.query(ctx, facets, first, FACETS.sessions);
  }

  /** Runs a list's SQL under the filter's conditions, after checking `first`. */
  private async query<T>(ctx: RequestContext, facets: StatementFacets, first: number | null | undefined, facet: FacetQuery): Promise<T[]> {
    const limit = facetLimit(first);
    if (limit === 0) return [];
    return ctx.em.query(facetSql(facet, facets.where, limit), facets.values);
  }
}
