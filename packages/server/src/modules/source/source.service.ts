import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../kit/context';
import { badInput } from '../../common/errors';
import { fromGlobalId } from '../../common/global-id';
import { pageInfo, pageRequest, positions, SqlParams, toPage, type PageArgs } from '../../common/pagination';
import { periodEnd, periodStart } from '../../common/partial-date-range';
import { countRows, entityColumns, keysetRows, type ListSql } from '../../data/entity-rows';
import { StatementEntity } from '../statement/statement.entity';
import { StatementConnection, toStatement, type Statement } from '../statement/statement.type';
import { SourceEntity } from './source.entity';
import type { SourceFilter } from './source.input';
import { SourceConnection, toSource, type Source } from './source.type';

/** The first and last day a source filter's publication dates allow; from after to is BAD_USER_INPUT. */
export function publishedRange(filter: SourceFilter | null | undefined): { from: string | null; to: string | null } {
  const from = filter?.publishedFrom != null ? periodStart(filter.publishedFrom) : null;
  const to = filter?.publishedTo != null ? periodEnd(filter.publishedTo) : null;
  if (from !== null && to !== null && from > to) {
    throw badInput(`publishedFrom (${filter!.publishedFrom}) is after publishedTo (${filter!.publishedTo})`, { argument: 'filter.publishedTo' });
  }
  return { from, to };
}

/** Where undated sources sort: after every dated one, newest first. Keys and cursors both use it. */
const UNDATED = '0001-01-01';
const SOURCE_KEYS = [`coalesce(s.published_on, DATE '${UNDATED}')`, 's.id'];

/**
 * One parent's page of the statements that stand and meet `condition` (SQL on statement `st`, its
 * one placeholder $1 the parent's id), newest first by (date, id), as a connection.
 */
export async function statementConnection(ctx: RequestContext, condition: string, parentId: string, args: PageArgs): Promise<ConnectionShape<Statement>> {
  const request = pageRequest(args, positions.dateAndId);
  const list: ListSql = { from: 'statement st', where: ['st.deleted_at IS NULL', condition], values: [parentId] };
  const rows = await keysetRows<StatementEntity>(ctx.em, list, entityColumns(ctx.em, StatementEntity, 'st'), ['st.date', 'st.id'], 'DESC', request);
  const page = toPage(rows, request, (r) => [r.date, r.id]);
  return new StatementConnection(page.connect((row) => toStatement(row)), pageInfo(page), () => countRows(ctx.em, list));
}

/** The statements a source reports: evidence for the statement or one of its signatures, or a count claim. */
const REPORTED_BY_SOURCE = `st.id IN (
  SELECT e.statement_id FROM evidence e WHERE e.source_id = $1 AND e.statement_id IS NOT NULL
  UNION SELECT g.statement_id FROM evidence e JOIN signature g ON g.id = e.signature_id WHERE e.source_id = $1
  UNION SELECT c.statement_id FROM count_claim c WHERE c.source_id = $1)`;

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
    const list = this.filtered(filter);
    const rows = await keysetRows<SourceEntity>(ctx.em, list, entityColumns(ctx.em, SourceEntity, 's'), SOURCE_KEYS, 'DESC', request);
    const page = toPage(rows, request, (row) => [row.publishedOn ?? UNDATED, row.id]);
    return new SourceConnection(page.connect((row) => toSource(row)), pageInfo(page), () => countRows(ctx.em, list));
  }

  /** The statements the source reports, newest first. */
  statements(ctx: RequestContext, source: Source, args: PageArgs): Promise<ConnectionShape<Statement>> {
    return statementConnection(ctx, REPORTED_BY_SOURCE, source.dbId, args);
  }

  /** The sources that stand and match `filter`, as source `s`. */
  private filtered(filter: SourceFilter | null | undefined): ListSql {
    const params = new SqlParams();
    const where = ['s.deleted_at IS NULL'];
    if (filter) {
      if (filter.kind != null) where.push(`s.kind = ${params.add(filter.kind)}`);
      if (filter.publisher != null) where.push(`s.publisher = ${params.add(filter.publisher)}`);
      const { from, to } = publishedRange(filter);
      if (from !== null) where.push(`s.published_on >= ${params.add(from)}`);
      if (to !== null) where.push(`s.published_on <= ${params.add(to)}`);
      const search = filter.search?.trim();
      if (search) where.push(`s.search_vector @@ websearch_to_tsquery('jointly', ${params.add(search)})`);
    }
    return { from: 'source s', where, values: params.values };
  }
}
