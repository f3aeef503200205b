import DataLoader from 'dataloader';
import type { SelectQueryBuilder } from 'typeorm';
import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../../common/context';
import { badInput } from '../../common/errors';
import { groupBy } from '../../common/group-by';
import { fromGlobalId } from '../../common/global-id';
import { keysetPage, pageInfo, pageRequest, positions, toPage, type PageArgs, type PageRequest } from '../../common/pagination';
import { parsePartialDate } from '../../common/partial-date';
import type { StatementEntity } from '../statement/statement.entity';
import { StatementConnection, toStatement, type Statement } from '../statement/statement.type';
import { SourceEntity } from './source.entity';
import type { SourceFilter } from './source.input';
import { SourceConnection, toSource, type Source } from './source.type';

/** The first and last day a source filter's publication dates allow; from after to is BAD_USER_INPUT. */
export function publishedRange(filter: SourceFilter | null | undefined): { from: string | null; to: string | null } {
  const from = filter?.publishedFrom != null ? parsePartialDate(filter.publishedFrom).date : null;
  const to = filter?.publishedTo != null ? endOfPartialDate(filter.publishedTo) : null;
  if (from !== null && to !== null && from > to) {
    throw badInput(`publishedFrom (${filter!.publishedFrom}) is after publishedTo (${filter!.publishedTo})`, { argument: 'filter.publishedTo' });
  }
  return { from, to };
}

/** Where undated sources sort: after every dated one, newest first. Keys and cursors both use it. */
const UNDATED = '0001-01-01';
const SOURCE_KEYS = [`coalesce(s.publishedOn, DATE '${UNDATED}')`, 's.id'];

/** The last day of a partial date's period: "2019" → "2019-12-31", "2020-02" → "2020-02-29". */
export function endOfPartialDate(value: string): string {
  const { date, precision } = parsePartialDate(value);
  const year = Number(date.slice(0, 4));
  if (precision === 'DAY') return date;
  if (precision === 'YEAR') return `${date.slice(0, 4)}-12-31`;
  const month = Number(date.slice(5, 7));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return `${date.slice(0, 7)}-${days}`;
}

/**
 * Lists of statements per parent row (a source, a person), newest first by (date, id), batched:
 * `page(request)` answers every parent a GraphQL request asks about with that page request at once
 * (one SQL statement for the lists, one through `statementById` for the statements), and `count`
 * one SQL statement for every parent's total.
 */
export interface StatementLists {
  page(request: PageRequest): DataLoader<string, StatementEntity[]>;
  count: DataLoader<string, number>;
}

/**
 * Builds the loaders of one kind of list. `membership` is SQL selecting distinct
 * `(parent_id, statement_id)` rows for the parents `$1` (a uuid[]).
 */
export function statementListLoaders(ctx: RequestContext, membership: string): StatementLists {
  const { em } = ctx;
  const pages = new Map<string, DataLoader<string, StatementEntity[]>>();
  const count = new DataLoader<string, number>(async (parentIds) => {
    const rows: { parent_id: string; count: number }[] = await em.query(
      `SELECT m.parent_id, count(*)::int AS count FROM (${membership}) m JOIN statement st ON st.id = m.statement_id
       WHERE st.deleted_at IS NULL GROUP BY m.parent_id`,
      [[...parentIds]],
    );
    const byParent = new Map(rows.map((r) => [r.parent_id, r.count]));
    return parentIds.map((id) => byParent.get(id) ?? 0);
  });
  const loadPage = (request: PageRequest) => async (parentIds: readonly string[]) => {
    const params: unknown[] = [[...parentIds], request.limit + 1];
    const where: string[] = ['st.deleted_at IS NULL'];
    // Newest first: `after` is older, `before` newer.
    if (request.after) {
      params.push(request.after[0], request.after[1]);
      where.push(`(st.date, st.id) < ($${params.length - 1}::date, $${params.length}::uuid)`);
    }
    if (request.before) {
      params.push(request.before[0], request.before[1]);
      where.push(`(st.date, st.id) > ($${params.length - 1}::date, $${params.length}::uuid)`);
    }
    const order = request.backward ? 'ASC' : 'DESC';
    const rows: { parent_id: string; statement_id: string }[] = await em.query(
      `SELECT t.parent_id, t.statement_id FROM (
         SELECT m.parent_id, m.statement_id,
                row_number() OVER (PARTITION BY m.parent_id ORDER BY st.date ${order}, st.id ${order}) AS rn
         FROM (${membership}) m JOIN statement st ON st.id = m.statement_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ) t WHERE t.rn <= $2 ORDER BY t.parent_id, t.rn`,
      params,
    );
    // Every parent's page resolves at once, so the counts a client selects on them batch too.
    const loaded = await ctx.loaders.statementById.loadMany([...new Set(rows.map((r) => r.statement_id))]);
    const statements = new Map<string, StatementEntity>();
    for (const row of loaded) {
      if (row instanceof Error) throw row;
      if (row) statements.set(row.id, row);
    }
    const byParent = new Map<string, StatementEntity[]>();
    for (const [parent, group] of groupBy(rows, (r) => r.parent_id)) {
      byParent.set(parent, group.flatMap((r) => statements.get(r.statement_id) ?? []));
    }
    return parentIds.map((id) => {
      const page = byParent.get(id) ?? [];
      // A first page that holds the whole list is its count.
      if (!request.after && !request.before && page.length <= request.limit) count.prime(id, page.length);
      return page;
    });
  };
  return {
    page(request) {
      const key = JSON.stringify(request);
      let loader = pages.get(key);
      if (!loader) pages.set(key, (loader = new DataLoader(loadPage(request))));
      return loader;
    },
    count,
  };
}

/** One parent's page of statements as a connection. */
export async function statementConnection(
  ctx: RequestContext,
  lists: StatementLists,
  parentId: string,
  args: PageArgs,
): Promise<ConnectionShape<Statement>> {
  const request = pageRequest(args, positions.dateAndId);
  const rows = await lists.page(request).load(parentId);
  const page = toPage(rows, request, (r) => [r.date, r.id]);
  return new StatementConnection(
    page.connect((row) => toStatement(row)),
    pageInfo(page),
    () => lists.count.load(parentId),
  );
}

/** The statements a source reports: evidence for the statement or one of its signatures, or a count claim. */
const SOURCE_STATEMENTS = `
  SELECT e.source_id AS parent_id, e.statement_id FROM evidence e
   WHERE e.source_id = ANY($1::uuid[]) AND e.statement_id IS NOT NULL
  UNION
  SELECT e.source_id, g.statement_id FROM evidence e JOIN signature g ON g.id = e.signature_id
   WHERE e.source_id = ANY($1::uuid[])
  UNION
  SELECT c.source_id, c.statement_id FROM count_claim c WHERE c.source_id = ANY($1::uuid[])`;

/** Built lazily, once per request (the request context is the key, so nothing outlives the request). */
const sourceStatementLists = new WeakMap<RequestContext, StatementLists>();

function statementsBySourceId(ctx: RequestContext): StatementLists {
  let lists = sourceStatementLists.get(ctx);
  if (!lists) sourceStatementLists.set(ctx, (lists = statementListLoaders(ctx, SOURCE_STATEMENTS)));
  return lists;
}

/** Reads sources. Takes the request context first; reaches the database only through it. */
export class SourceService {
  /** By global id or by bundle key; exactly one of them. Unknown is null. */
  async find(ctx: RequestContext, id: string | null | undefined, key: string | null | undefined): Promise<Source | null> {
    if ((id == null) === (key == null)) throw badInput('give exactly one of id and key', { argument: id == null ? 'id' : 'key' });
    const row =
      id != null
        ? await ctx.loaders.sourceById.load(fromGlobalId(id, 'Source').id)
        : await ctx.loaders.sourceByKey.load(key!);
    return row && toSource(row);
  }

  /** Newest first by publication date (undated last), then id; keyset-paginated both ways. */
  async list(ctx: RequestContext, args: PageArgs, filter: SourceFilter | null | undefined): Promise<ConnectionShape<Source>> {
    const request = pageRequest(args, positions.dateAndId);
    const rows = await keysetPage(this.filtered(ctx, filter), SOURCE_KEYS, 'DESC', request);
    const page = toPage(rows, request, ({ entity }) => [entity.publishedOn ?? UNDATED, entity.id]);
    return new SourceConnection(
      page.connect(({ entity }) => toSource(entity)),
      pageInfo(page),
      () => this.filtered(ctx, filter).getCount(),
    );
  }

  /** The statements the source reports, newest first; batched over every source of the request. */
  statements(ctx: RequestContext, source: Source, args: PageArgs): Promise<ConnectionShape<Statement>> {
    return statementConnection(ctx, statementsBySourceId(ctx), source.dbId, args);
  }

  private filtered(ctx: RequestContext, filter: SourceFilter | null | undefined): SelectQueryBuilder<SourceEntity> {
    const qb = ctx.em.getRepository(SourceEntity).createQueryBuilder('s');
    if (!filter) return qb;
    if (filter.kind != null) qb.andWhere('s.kind = :kind', { kind: filter.kind });
    if (filter.publisher != null) qb.andWhere('s.publisher = :publisher', { publisher: filter.publisher });
    const { from, to } = publishedRange(filter);
    if (from !== null) qb.andWhere('s.publishedOn >= :publishedFrom', { publishedFrom: from });
    if (to !== null) qb.andWhere('s.publishedOn <= :publishedTo', { publishedTo: to });
    const search = filter.search?.trim();
    if (search) qb.andWhere(`s.searchVector @@ websearch_to_tsquery('jointly', :search)`, { search });
    return qb;
  }
}
