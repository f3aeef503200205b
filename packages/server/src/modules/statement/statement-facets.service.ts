import type { RequestContext } from '../../common/context';
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

  async topics(ctx: RequestContext, facets: StatementFacets, first: number | null | undefined): Promise<Facet[]> {
    // Every listed topic is folded (one topic can be spelled two ways in one statement, which counts once).
    return this.query(ctx, facets, first, (where, limit) =>
      `SELECT mode() WITHIN GROUP (ORDER BY t.topic) AS "value", count(DISTINCT s.id)::int AS "count"
       FROM "statement" s CROSS JOIN LATERAL unnest(s.topics) AS t(topic) WHERE ${where}
       GROUP BY ${folded('t.topic')} ORDER BY "count" DESC, "value" LIMIT ${limit}`,
    );
  }

  // A statement has one forum and one session: they are counted per spelling first, and only the
  // spellings are folded (a few, rather than every statement).

  async forums(ctx: RequestContext, facets: StatementFacets, first: number | null | undefined): Promise<Facet[]> {
    return this.query(ctx, facets, first, (where, limit) =>
      `SELECT ${MOST_COMMON('forum')} AS "value", sum(n)::int AS "count"
       FROM (SELECT s.forum, count(*) AS n FROM "statement" s WHERE ${where} AND s.forum IS NOT NULL GROUP BY s.forum) spelled
       GROUP BY ${folded('forum')} ORDER BY "count" DESC, "value" LIMIT ${limit}`,
    );
  }

  async sessions(ctx: RequestContext, facets: StatementFacets, first: number | null | undefined): Promise<SessionFacet[]> {
    return this.query(ctx, facets, first, (where, limit) =>
      `SELECT ${MOST_COMMON('forum')} AS "forum", session AS "session", sum(n)::int AS "count"
       FROM (SELECT s.forum, s.session, count(*) AS n FROM "statement" s WHERE ${where} AND s.session IS NOT NULL GROUP BY s.forum, s.session) spelled
       GROUP BY ${folded('forum')}, session ORDER BY "count" DESC, "forum", "session" LIMIT ${limit}`,
    );
  }

  /** Runs `sql(where, limit)` under the filter's conditions, after checking `first`. */
  private async query<T>(ctx: RequestContext, facets: StatementFacets, first: number | null | undefined, sql: (where: string, limit: number) => string): Promise<T[]> {
    const limit = first ?? MAX_FACET_VALUES;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_FACET_VALUES) {
      throw badInput(`first must be between 0 and ${MAX_FACET_VALUES}, got ${limit}`, { argument: 'first' });
    }
    if (limit === 0) return [];
    return ctx.em.query(sql(facets.where, limit), facets.values);
  }
}
