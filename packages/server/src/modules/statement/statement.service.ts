import type { SelectQueryBuilder } from 'typeorm';
import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../../common/context';
import { entityBy } from '../../database/entity-rows';
import { AppError, badInput } from '../../common/errors';
import { fromGlobalId } from '../../common/global-id';
import { keysetPage, pageInfo, pageRequest, positions, toPage, type PageArgs } from '../../common/pagination';
import { periodEnd, periodStart } from '../../common/partial-date-range';
import { SignatoryService } from '../signatory/signatory.service';
import { preloadSignatureRelations, type SignatureRelations } from './signature-relations';
import { StatementEntity } from './statement.entity';
import { StatementOrderBy, type StatementFilter } from './statement.input';
import { SignatureConnection, StatementConnection, toSignature, toStatement, type Signature, type Statement } from './statement.type';

const MAX_SEARCH_LENGTH = 500;
const signatories = new SignatoryService();

interface Ordering {
  keys: string[];
  direction: 'ASC' | 'DESC';
  isPosition: (p: unknown[]) => boolean;
  position: (row: { entity: StatementEntity; raw: Record<string, unknown> }) => unknown[];
}

const RANK = `ts_rank(s.search_vector, websearch_to_tsquery('jointly', :search))`;

function ordering(orderBy: StatementOrderBy): Ordering {
  const byDate = (direction: 'ASC' | 'DESC'): Ordering => ({
    keys: ['s.date', 's.id'],
    direction,
    isPosition: positions.dateAndId,
    position: ({ entity }) => [entity.date, entity.id],
  });
  const byTitle = (direction: 'ASC' | 'DESC'): Ordering => ({
    keys: ['s.title', 's.id'],
    direction,
    isPosition: positions.textAndId,
    position: ({ entity }) => [entity.title, entity.id],
  });
  const byCount = (direction: 'ASC' | 'DESC'): Ordering => ({
    keys: ['s.signature_count', 's.id'],
    direction,
    isPosition: positions.orderAndId,
    position: ({ entity }) => [entity.signatureCount, entity.id],
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
        keys: [RANK, 's.id'],
        direction: 'DESC',
        isPosition: positions.numberAndId,
        position: ({ entity, raw }) => [Number(raw.rank), entity.id],
      };
  }
}

/** Reads statements and their signatures. Takes the request context first; reaches the database only through it. */
export class StatementService {
  /** Filtered, ordered, keyset-paginated: pages stay stable while rows are added. */
  async list(ctx: RequestContext, args: PageArgs, filter: StatementFilter | null | undefined, orderBy: StatementOrderBy): Promise<ConnectionShape<Statement>> {
    if (orderBy === StatementOrderBy.RELEVANCE && !filter?.search) {
      throw badInput('orderBy RELEVANCE needs filter.search', { argument: 'orderBy' });
    }
    const order = ordering(orderBy);
    const request = pageRequest(args, order.isPosition);
    const qb = await this.filtered(ctx, filter);
    const counted = qb.clone();
    if (orderBy === StatementOrderBy.RELEVANCE) qb.addSelect(RANK, 'rank');
    const rows = await keysetPage(qb, order.keys, order.direction, request);
    const page = toPage(rows, request, order.position);
    return new StatementConnection(
      page.connect((row) => toStatement(row.entity)),
      pageInfo(page),
      () => counted.getCount(),
    );
  }

  private async filtered(ctx: RequestContext, filter: StatementFilter | null | undefined): Promise<SelectQueryBuilder<StatementEntity>> {
    const qb = ctx.em.getRepository(StatementEntity).createQueryBuilder('s');
    if (!filter) return qb;
    if (filter.kind) qb.andWhere('s.kind = :kind', { kind: filter.kind });
    if (filter.forum) qb.andWhere('s.forum = :forum', { forum: filter.forum });
    if (filter.session) qb.andWhere('s.session = :session', { session: filter.session });
    if (filter.topic) qb.andWhere('s.topics @> ARRAY[:topic]::text[]', { topic: filter.topic });
    if (filter.dateFrom) qb.andWhere('s.date >= :dateFrom', { dateFrom: periodStart(filter.dateFrom) });
    if (filter.dateTo) qb.andWhere('s.date <= :dateTo', { dateTo: periodEnd(filter.dateTo) });
    if (filter.search != null) {
      const search = filter.search.trim();
      if (!search) throw badInput('filter.search is empty; send words to look for', { argument: 'filter.search' });
      if (search.length > MAX_SEARCH_LENGTH) throw badInput(`filter.search is over ${MAX_SEARCH_LENGTH} characters`, { argument: 'filter.search' });
      qb.andWhere(`s.search_vector @@ websearch_to_tsquery('jointly', :search)`, { search });
    }
    if (filter.leadSignatory) {
      qb.andWhere('s.lead_signatory_id = :lead', { lead: await signatories.idOf(ctx, filter.leadSignatory, 'filter.leadSignatory') });
    }
    if (filter.respondsTo) {
      const target = await this.idOrKey(ctx, filter.respondsTo, 'filter.respondsTo');
      qb.andWhere('s.responds_to_id = :respondsTo', { respondsTo: target ?? '00000000-0000-0000-0000-000000000000' });
    }
    const signed = filter.signedBy;
    const resolveAll = (refs: string[] | null | undefined, name: string) =>
      Promise.all((refs ?? []).map((ref, i) => signatories.idOf(ctx, ref, `filter.signedBy.${name}[${i}]`)));
    const [all, any, none] = await Promise.all([resolveAll(signed?.all, 'all'), resolveAll(signed?.any, 'any'), resolveAll(signed?.none, 'none')]);
    const signedBy = (ids: string) =>
      `SELECT 1 FROM signature g WHERE g.statement_id = s.id AND g.status = 'SIGNED' AND g.signatory_id = ANY(${ids})`;
    if (all.length) {
      qb.andWhere(
        `(SELECT count(DISTINCT g.signatory_id) FROM signature g WHERE g.statement_id = s.id AND g.status = 'SIGNED' AND g.signatory_id = ANY(:signedAll)) = :signedAllCount`,
        { signedAll: [...new Set(all)], signedAllCount: new Set(all).size },
      );
    }
    if (signed?.any && signed.any.length) qb.andWhere(`EXISTS (${signedBy(':signedAny')})`, { signedAny: any });
    if (none.length) qb.andWhere(`NOT EXISTS (${signedBy(':signedNone')})`, { signedNone: none });
    return qb;
  }

  /** A statement's database id from its global id or its key; null when none has it. */
  async idOrKey(ctx: RequestContext, ref: string, argument: string): Promise<string | null> {
    if (/^[a-z0-9][a-z0-9._-]*$/.test(ref)) {
      const row = await ctx.em.getRepository(StatementEntity).findOne({ select: { id: true }, where: { key: ref } });
      if (row) return row.id;
    }
    try {
      return fromGlobalId(ref, 'Statement').id;
    } catch {
      throw badInput(`${argument}: "${ref}" is neither a statement id nor a statement key`, { argument });
    }
  }

  /** By global id or by bundle key; exactly one of them. Unknown → null. */
  async find(ctx: RequestContext, id: string | null | undefined, key: string | null | undefined): Promise<Statement | null> {
    if ((id == null) === (key == null)) throw badInput('give exactly one of id and key', { argument: id == null ? 'id' : 'key' });
    if (id != null) {
      const row = await ctx.loaders.statementById.load(fromGlobalId(id, 'Statement').id);
      return row && !row.deletedAt ? toStatement(row) : null;
    }
    const row = await entityBy(ctx.em, StatementEntity, 'key', key);
    return row && toStatement(row);
  }

  /** Like find, for arguments that take an id or a key; unknown is NOT_FOUND. */
  async require(ctx: RequestContext, ref: string, argument: string): Promise<Statement> {
    const id = await this.idOrKey(ctx, ref, argument);
    const row = id ? await ctx.loaders.statementById.load(id) : null;
    if (!row || row.deletedAt) throw new AppError('NOT_FOUND', `${argument}: no statement has the id or key "${ref}"`, { argument });
    return toStatement(row);
  }

  async signatures(ctx: RequestContext, statement: Statement, args: PageArgs, relations: SignatureRelations): Promise<ConnectionShape<Signature>> {
    const request = pageRequest(args, positions.orderAndId);
    const rows = await ctx.loaders.signaturesByStatementId(request).load(statement.dbId);
    await preloadSignatureRelations(ctx, rows, relations);
    const page = toPage(rows, request, (r) => [r.position, r.id]);
    return new SignatureConnection(
      page.connect((row) => toSignature(row)),
      pageInfo(page),
      () => ctx.loaders.signatureCountByStatementId.load(statement.dbId),
    );
  }
}
