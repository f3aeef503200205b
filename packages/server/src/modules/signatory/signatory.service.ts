import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../../common/context';
import { AppError, badInput } from '../../common/errors';
import { keysetPage, pageInfo, pageRequest, positions, toPage, type PageArgs } from '../../common/pagination';
import { preloadSignatureRelations, type SignatureRelations } from '../statement/signature-relations';
import { checkFilterValues } from '../statement/statement-conditions';
import { SignatureConnection, toSignature, type Signature } from '../statement/statement.type';
import type { SignatoryFilter, SignatureHistoryFilter } from './signatory.input';
import { normalizeName } from '../../reference/normalize';
import { SignatoryEntity } from './signatory.entity';
import { SignatoryConnection, toSignatory, type Signatory } from './signatory.type';

export class SignatoryService {
  /**
   * Signatories matching a reference by NameResolver's rule: the exact code or key if one matches, else
   * every signatory with that name. The query is the indexed fast path of the rule's first steps (code,
   * key, normalised name); only when it finds nothing is the whole rule applied (articles ignored),
   * by the request's resolver.
   */
  private async candidates(ctx: RequestContext, ref: string): Promise<SignatoryEntity[]> {
    const trimmed = ref.trim();
    const repo = ctx.em.getRepository(SignatoryEntity);
    const rows = await repo
      .createQueryBuilder('s')
      .where('s.iso3 = upper(:ref) OR s.iso2 = upper(:ref) OR s.key = :ref', { ref: trimmed })
      .orWhere('s.id IN (SELECT a.signatory_id FROM signatory_alias a WHERE a.normalized = :normalized)', {
        normalized: normalizeName(trimmed),
      })
      .orderBy('s.name')
      .getMany();
    if (rows.length === 0) {
      const ids = (await ctx.loaders.nameResolver()).match(trimmed);
      return ids.length ? repo.createQueryBuilder('s').where('s.id IN (:...ids)', { ids }).orderBy('s.name').getMany() : [];
    }
    const upper = trimmed.toUpperCase();
    const exact = rows.filter((r) => r.iso3 === upper || r.iso2 === upper || r.key === trimmed);
    return exact.length === 1 ? exact : rows;
  }

  private ambiguous(ref: string, rows: SignatoryEntity[]): AppError {
    return new AppError('AMBIGUOUS_REFERENCE', `"${ref}" matches ${rows.length} signatories: ${rows.map((r) => r.name).join(', ')}; use a code or key`, {
      candidates: rows.map((r) => ({ key: r.key, name: r.name })),
    });
  }

  /**
   * Resolves a reference — ISO alpha-2/alpha-3 code, key, or any known name — to one signatory.
   * Unknown is null; a name shared by several signatories is an AMBIGUOUS_REFERENCE error listing them.
   */
  async findByRef(ctx: RequestContext, ref: string): Promise<Signatory | null> {
    const rows = await this.candidates(ctx, ref);
    if (rows.length > 1) throw this.ambiguous(ref, rows);
    return rows[0] ? toSignatory(rows[0]) : null;
  }

  /** The id a filter argument refers to; an unknown name is BAD_USER_INPUT with suggestions, best first. */
  async idOf(ctx: RequestContext, ref: string, argument: string): Promise<string> {
    const rows = await this.candidates(ctx, ref);
    if (rows.length > 1) throw this.ambiguous(ref, rows);
    if (rows[0]) return rows[0].id;
    const suggestions = (await ctx.loaders.nameResolver()).suggest(ref);
    throw badInput(
      `${argument}: "${ref}" matches no signatory${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}; send an ISO code, a key or a known name`,
      { argument },
    );
  }

  /** By name, A to Z; `search` matches any known name by trigram similarity or prefix. */
  async list(ctx: RequestContext, args: PageArgs, filter: SignatoryFilter | null | undefined): Promise<ConnectionShape<Signatory>> {
    const request = pageRequest(args, positions.textAndId);
    const qb = ctx.em.getRepository(SignatoryEntity).createQueryBuilder('s');
    if (filter?.kind) qb.andWhere('s.kind = :kind', { kind: filter.kind });
    if (filter?.search != null) {
      const search = normalizeName(filter.search);
      if (!search) throw badInput('filter.search is empty; send part of a name', { argument: 'filter.search' });
      qb.andWhere(
        `s.id IN (SELECT a.signatory_id FROM signatory_alias a WHERE a.normalized % :search OR a.normalized LIKE :prefix)`,
        { search, prefix: `${search.replace(/[%_\\]/g, '')}%` },
      );
    }
    if (filter?.memberOf) {
      const group = await this.idOf(ctx, filter.memberOf, 'filter.memberOf');
      qb.andWhere('s.id IN (SELECT m.member_id FROM signatory_membership m WHERE m.group_id = :group)', { group });
    }
    const counted = qb.clone();
    const rows = await keysetPage(qb, ['s.name', 's.id'], 'ASC', request);
    const page = toPage(rows, request, ({ entity }) => [entity.name, entity.id]);
    return new SignatoryConnection(
      page.connect((row) => toSignatory(row.entity)),
      pageInfo(page),
      () => counted.getCount(),
    );
  }

  /** A signatory's signing history, newest statement first, withdrawn signatures included. */
  async history(
    ctx: RequestContext,
    signatory: Signatory,
    args: PageArgs,
    filter: SignatureHistoryFilter | null | undefined,
    relations: SignatureRelations,
  ): Promise<ConnectionShape<Signature>> {
    const request = pageRequest(args, positions.dateAndId);
    if (filter) checkFilterValues({ forum: filter.forum, topic: filter.topic }, 'filter');
    const loader = ctx.loaders.historyBySignatoryId({ page: request, filter: { ...(filter ?? {}) } });
    const rows = await loader.load(signatory.dbId);
    await preloadSignatureRelations(ctx, rows, relations);
    const page = toPage(rows, request, (r) => [r.statementDate, r.id]);
    return new SignatureConnection(
      page.connect((row) => toSignature(row)),
      pageInfo(page),
      () => ctx.loaders.historyCountBySignatoryId({ ...(filter ?? {}) }).load(signatory.dbId),
    );
  }
}
