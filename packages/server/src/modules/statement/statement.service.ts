import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../kit/context';
import { countRows, entityColumns, keysetRows } from '../../data/entity-rows';
import { AppError, badInput } from '../../common/errors';
import { fromGlobalId } from '../../common/global-id';
import { keysetSql, pageInfo, pageRequest, positions, SqlParams, toPage, type PageArgs } from '../../common/pagination';
import { periodEnd, periodStart } from '../../common/partial-date-range';
import { SignatoryService } from '../signatory/signatory.service';
import { forumCondition, topicCondition } from './statement-conditions';
import { StatementEntity } from './statement.entity';
import { signatureColumns, type SignatureRow } from './statement.loaders';
import { StatementOrderBy, type StatementFilter } from './statement.input';
import { SignatureConnection, StatementConnection, toSignature, toStatement, type Signature, type Statement } from './statement.type';

/** What a bundle key looks like (a global id has upper case or padding). */
const KEY = /^[a-z0-9][a-z0-9._-]*$/;
const signatories = new SignatoryService();

/** A statement row as the list reads it: every column, and its rank when ordered by relevance. */
type ListedRow = StatementEntity & { rank?: number };

export interface Ordering {
  /** SQL expressions ending with the id; `rank` stands for the relevance expression. */
  keys: string[];
  direction: 'ASC' | 'DESC';
  isPosition: (p: unknown[]) => boolean;
  position: (row: ListedRow) => unknown[];
}

/** Relevance, for the search parameter `search` (a $n placeholder). */
const rankOf = (search: string) => `ts_rank(s.search_vector, websearch_to_tsquery('jointly', ${search}))`;

/** orderBy RELEVANCE ranks by filter.search, so it needs one. */
export function checkOrderBy(orderBy: StatementOrderBy, filter: StatementFilter | null | undefined): void {
  if (orderBy === StatementOrderBy.RELEVANCE && !filter?.search) {
    throw badInput('orderBy RELEVANCE needs filter.search', { argument: 'orderBy' });
  }
}

/** An ordering's keys over statement `s`, `rank` spelt out as the relevance to the search term's placeholder. */
export function orderingKeys(order: Ordering, search: string | null): string[] {
  return order.keys.map((key) => (key === 'rank' ? rankOf(search!) : key));
}

/** The keyset order of a statements list. */
export function statementOrdering(orderBy: StatementOrderBy): Ordering {
  const byDate = (direction: 'ASC' | 'DESC'): Ordering => ({
    keys: ['s.date', 's.id'],
    direction,
    isPosition: positions.dateAndId,
    position: (row) => [row.date, row.id],
  });
  const byTitle = (direction: 'ASC' | 'DESC'): Ordering => ({
    keys: ['s.title', 's.id'],
    direction,
    isPosition: positions.textAndId,
    position: (row) => [row.title, row.id],
  });
  const byCount = (direction: 'ASC' | 'DESC'): Ordering => ({
    keys: ['s.signature_count', 's.id'],
    direction,
    isPosition: positions.orderAndId,
    position: (row) => [row.signatureCount, row.id],
  });
  switch (orderBy) {
    case StatementOrderBy.DATE_DESC:
      return byDate('DESC');
    case StatementOrderBy.DATE_ASC:
      return byDate('ASC');
    case StatementOrderBy.TITLE_ASC:
      return byTitle('ASC');
    case StatementOrderBy.TITLE_DESC:
      return byTitle('DESC');
    case StatementOrderBy.SIGNATURE_COUNT_DESC:
      return byCount('DESC');
    case StatementOrderBy.SIGNATURE_COUNT_ASC:
      return byCount('ASC');
    case StatementOrderBy.RELEVANCE:
      return {
        keys: ['rank', 's.id'],
        direction: 'DESC',
        isPosition: positions.numberAndId,
        position: (row) => [Number(row.rank), row.id],
      };
  }
}

/**
 * What a statement reference can be: a key (when it has a key's form) and an id (when it is a
 * Statement's global id); a key names a statement first. Neither: BAD_USER_INPUT.
 */
export function statementRef(ref: string, argument: string): { key: string | null; id: string | null } {
  const key = KEY.test(ref) ? ref : null;
  let id: string | null = null;
  try {
    id = fromGlobalId(ref, 'Statement').id;
  } catch {
    if (!key) throw badInput(`${argument}: "${ref}" is neither a statement id nor a statement key`, { argument });
  }
  return { key, id };
}

/** Reads statements and their signatures. Takes the request context first; reaches the database only through it. */
export class StatementService {
  /**
   * Filtered, ordered, keyset-paginated: pages stay stable while rows are added. Plain SQL (the
   * statement's columns under their property names, entity-rows.ts): building and hydrating a
   * TypeORM query was most of the cost of a page.
   */
  async list(ctx: RequestContext, args: PageArgs, filter: StatementFilter | null | undefined, orderBy: StatementOrderBy): Promise<ConnectionShape<Statement>> {
    checkOrderBy(orderBy, filter);
    const order = statementOrdering(orderBy);
    const request = pageRequest(args, order.isPosition);
    const params = new SqlParams();
    const { where, search } = await this.conditions(ctx, filter, params);
    const counted = { where: where.join(' AND '), values: [...params.values] };
    const rank = search ? rankOf(search) : null;
    const keys = orderingKeys(order, search);
    const page = keysetSql(keys, order.direction, request, params);
    const rows: ListedRow[] = await ctx.em.query(
      `SELECT ${entityColumns(ctx.em, StatementEntity, 's')}${orderBy === StatementOrderBy.RELEVANCE ? `, ${rank} AS "rank"` : ''}
       FROM "statement" s WHERE ${[...where, ...page.where].join(' AND ')} ORDER BY ${page.orderBy} LIMIT ${page.limit}`,
      params.values,
    );
    const listed = toPage(rows, request, order.position);
    return new StatementConnection(
      listed.connect((row) => toStatement(row)),
      pageInfo(listed),
      async () => ((await ctx.em.query(`SELECT count(*)::int AS n FROM "statement" s WHERE ${counted.where}`, counted.values)) as { n: number }[])[0]!.n,
    );
  }

  /**
   * The SQL conditions of a filter on statement `s` (deleted ones left out), and the search term's
   * placeholder: the one translation of a StatementFilter, for the list, its count and the facets.
   */
  async conditions(
    ctx: RequestContext,
    filter: StatementFilter | null | undefined,
    params: SqlParams,
  ): Promise<{ where: string[]; search: string | null }> {
    const where = ['s.deleted_at IS NULL'];
    let search: string | null = null;
    if (!filter) return { where, search };
    if (filter.kind) where.push(`s.kind = ${params.add(filter.kind)}`);
    if (filter.forum) where.push(forumCondition('s', params.add(filter.forum)));
    if (filter.session) where.push(`s.session = ${params.add(filter.session)}`);
    if (filter.topic) where.push(topicCondition('s', params.add(filter.topic)));
    if (filter.dateFrom) where.push(`s.date >= ${params.add(periodStart(filter.dateFrom))}`);
    if (filter.dateTo) where.push(`s.date <= ${params.add(periodEnd(filter.dateTo))}`);
    if (filter.search != null) {
      const words = filter.search.trim();
      if (!words) throw badInput('filter.search is empty; send words to look for', { argument: 'filter.search' });
      search = params.add(words);
      where.push(`s.search_vector @@ websearch_to_tsquery('jointly', ${search})`);
    }
    const signed = filter.signedBy;
    // Every signatory reference of the filter at once: one SQL statement, each distinct reference once.
    const refs = (list: string[] | null | undefined, name: string) => (list ?? []).map((ref, i) => ({ ref, argument: `filter.signedBy.${name}[${i}]` }));
    const asked = [
      ...(filter.leadSignatory ? [{ ref: filter.leadSignatory, argument: 'filter.leadSignatory' }] : []),
      ...refs(signed?.all, 'all'),
      ...refs(signed?.any, 'any'),
      ...refs(signed?.none, 'none'),
    ];
    const ids = asked.length ? await signatories.idsOf(ctx, asked) : [];
    const lead = filter.leadSignatory ? ids.shift() : undefined;
    const all = ids.splice(0, signed?.all?.length ?? 0);
    const any = ids.splice(0, signed?.any?.length ?? 0);
    const none = [...new Set(ids)];
    if (lead) where.push(`s.lead_signatory_id = ${params.add(lead)}`);
    if (filter.respondsTo) {
      const target = await this.idOrKey(ctx, filter.respondsTo, 'filter.respondsTo');
      where.push(`s.responds_to_id = ${params.add(target ?? '00000000-0000-0000-0000-000000000000')}`);
    }
    const signedBy = (list: string) =>
      `SELECT 1 FROM signature g WHERE g.statement_id = s.id AND g.status = 'SIGNED' AND g.signatory_id = ANY(${list})`;
    if (all.length) {
      const distinct = [...new Set(all)];
      where.push(
        `(SELECT count(DISTINCT g.signatory_id) FROM signature g WHERE g.statement_id = s.id AND g.status = 'SIGNED' AND g.signatory_id = ANY(${params.add(distinct)})) = ${params.add(distinct.length)}`,
      );
    }
    if (any.length) where.push(`EXISTS (${signedBy(params.add([...new Set(any)]))})`);
    if (none.length) where.push(`NOT EXISTS (${signedBy(params.add(none))})`);
    return { where, search };
  }

  /** A statement's database id from its global id or its key; null when none has it. */
  async idOrKey(ctx: RequestContext, ref: string, argument: string): Promise<string | null> {
    const { key, id } = statementRef(ref, argument);
    if (key) {
      const row = await ctx.loaders.statementByKey.load(key);
      if (row) return row.id;
    }
    if (id) return id;
    throw badInput(`${argument}: "${ref}" is neither a statement id nor a statement key`, { argument });
  }

  /** By global id or by bundle key; exactly one of them. Unknown → null. */
  async find(ctx: RequestContext, id: string | null | undefined, key: string | null | undefined): Promise<Statement | null> {
    if ((id == null) === (key == null)) throw badInput('give exactly one of id and key', { argument: id == null ? 'id' : 'key' });
    if (id != null) {
      const row = await ctx.loaders.statementById.load(fromGlobalId(id, 'Statement').id);
      return row && toStatement(row);
    }
    const row = await ctx.loaders.statementByKey.load(key!);
    return row && toStatement(row);
  }

  /** Like find, for arguments that take an id or a key; unknown is NOT_FOUND. */
  async require(ctx: RequestContext, ref: string, argument: string): Promise<Statement> {
    // Keys through a loader: the statements of one request (a comparison's two) come in one SQL
    // statement, and idOrKey finds an unknown key already asked.
    const byKey = KEY.test(ref) ? await ctx.loaders.statementByKey.load(ref) : null;
    if (byKey) return toStatement(byKey);
    const id = await this.idOrKey(ctx, ref, argument);
    const row = id ? await ctx.loaders.statementById.load(id) : null;
    if (!row) throw new AppError('NOT_FOUND', `${argument}: no statement has the id or key "${ref}"`, { argument });
    return toStatement(row);
  }

  /** The statement's signatures, in the order of the published list (position, then id). */
  async signatures(ctx: RequestContext, statement: Statement, args: PageArgs): Promise<ConnectionShape<Signature>> {
    const request = pageRequest(args, positions.orderAndId);
    const list = { from: 'signature g', where: ['g.statement_id = $1'], values: [statement.dbId] };
    const rows = await keysetRows<SignatureRow>(ctx.em, list, signatureColumns(ctx.em, 'g'), ['g.position', 'g.id'], 'ASC', request);
    const page = toPage(rows, request, (r) => [r.position, r.id]);
    return new SignatureConnection(page.connect((row) => toSignature(row)), pageInfo(page), () => countRows(ctx.em, list));
  }
}
