import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../kit/context';
import { AppError, badInput } from '../../common/errors';
import { pageInfo, pageRequest, positions, SqlParams, toPage, type PageArgs } from '../../common/pagination';
import { countRows, entityColumns, keysetRows, type ListSql } from '../../data/entity-rows';
import { signatureColumns, type SignatureRow } from '../statement/statement.loaders';
import { SignatureConnection, toSignature, type Signature } from '../statement/statement.type';
import type { SignatoryFilter, SignatureHistoryFilter } from './signatory.input';
import { articleFreeSql, normalizeName } from '../../reference/normalize';
import { MAX_REF_LENGTH, MIN_SIMILARITY, mostAlike, suggestionTarget } from '../../import/importer/name-resolver';
import { SignatoryEntity } from './signatory.entity';
import { historyConditions } from './signatory.loaders';
import { SignatoryConnection, toSignatory, type Signatory } from './signatory.type';

/** A signature with the date of its statement, the key of a signatory's history. */
type HistoryRow = SignatureRow & { statementDate: string };

/** How many known names the database hands over for "did you mean": the bound on the work of one suggestion. */
const SUGGESTION_CANDIDATES = 30;

export class SignatoryService {
  /**
   * Signatories matching a reference by NameResolver's rule: the exact code or key if one matches, else
   * every signatory with that name (articles ignored only when nothing matches with them). Through the
   * request's loader, so that the references of one request are resolved together in one SQL statement.
   */
  private candidates(ctx: RequestContext, ref: string): Promise<SignatoryEntity[]> {
    return ctx.loaders.signatoriesByRef.load(ref.trim());
  }

  /**
   * "Did you mean" for a reference that matches nothing, by the import's rule (`mostAlike`): the
   * database scores every known name of a length an alike name can have (trigram similarity, and edit
   * distance bounded by what could still count), and hands over the few best, which that rule then
   * orders; so the work done here is bounded whatever the size of the archive. An over-long reference
   * gets none without any work.
   */
  private async suggest(ctx: RequestContext, ref: string): Promise<string[]> {
    const target = suggestionTarget(ref);
    if (!target) return [];
    const rows: { id: string; name: string; label: string }[] = await ctx.em.query(
      `WITH c AS MATERIALIZED (
         SELECT a.signatory_id AS id, ${articleFreeSql('a.normalized')} AS name, s.name AS label
         FROM signatory_alias a JOIN signatory s ON s.id = a.signatory_id AND s.deleted_at IS NULL)
       SELECT c.id, c.name, c.label FROM c
       CROSS JOIN LATERAL (SELECT greatest(length(c.name), length($1)) AS longer) l
       CROSS JOIN LATERAL (SELECT greatest(
         similarity(c.name, $1),
         1 - levenshtein_less_equal(c.name, $1, ceil(l.longer * (1 - $2::float8))::int)::float8 / l.longer) AS score) x
       WHERE length(c.name) BETWEEN 1 AND ${MAX_REF_LENGTH} AND x.score >= $2::float8 - 0.05
       ORDER BY x.score DESC, c.label LIMIT ${SUGGESTION_CANDIDATES}`,
      [target, MIN_SIMILARITY],
    );
    return mostAlike(target, rows);
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
    return (await this.idsOf(ctx, [{ ref, argument }]))[0]!;
  }

  /**
   * The ids several filter arguments refer to, resolved together (one SQL statement, each distinct
   * reference once); the first that is ambiguous or unknown, in the order given, is the error.
   */
  async idsOf(ctx: RequestContext, refs: readonly { ref: string; argument: string }[]): Promise<string[]> {
    const found = await Promise.all(refs.map(({ ref }) => this.candidates(ctx, ref)));
    const ids: string[] = [];
    for (const [i, { ref, argument }] of refs.entries()) {
      const rows = found[i]!;
      if (rows.length > 1) throw this.ambiguous(ref, rows);
      if (!rows[0]) {
        const suggestions = await this.suggest(ctx, ref);
        throw badInput(
          `${argument}: "${ref}" matches no signatory${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}; send an ISO code, a key or a known name`,
          { argument },
        );
      }
      ids.push(rows[0].id);
    }
    return ids;
  }

  /** By name, A to Z (then id); `search` matches any known name by trigram similarity or prefix. */
  async list(ctx: RequestContext, args: PageArgs, filter: SignatoryFilter | null | undefined): Promise<ConnectionShape<Signatory>> {
    const request = pageRequest(args, positions.textAndId);
    const params = new SqlParams();
    const where = ['s.deleted_at IS NULL'];
    if (filter?.kind) where.push(`s.kind = ${params.add(filter.kind)}`);
    if (filter?.search != null) {
      const search = normalizeName(filter.search);
      if (!search) throw badInput('filter.search is empty; send part of a name', { argument: 'filter.search' });
      where.push(
        `s.id IN (SELECT a.signatory_id FROM signatory_alias a WHERE a.normalized % ${params.add(search)} OR a.normalized LIKE ${params.add(`${search.replace(/[%_\\]/g, '')}%`)})`,
      );
    }
    if (filter?.memberOf) {
      const group = await this.idOf(ctx, filter.memberOf, 'filter.memberOf');
      where.push(`s.id IN (SELECT m.member_id FROM signatory_membership m WHERE m.group_id = ${params.add(group)})`);
    }
    const list: ListSql = { from: 'signatory s', where, values: params.values };
    const rows = await keysetRows<SignatoryEntity>(ctx.em, list, entityColumns(ctx.em, SignatoryEntity, 's'), ['s.name', 's.id'], 'ASC', request);
    const page = toPage(rows, request, (row) => [row.name, row.id]);
    return new SignatoryConnection(page.connect((row) => toSignatory(row)), pageInfo(page), () => countRows(ctx.em, list));
  }

  /** A signatory's signing history, newest statement first (then id), withdrawn signatures included. */
  async history(ctx: RequestContext, signatory: Signatory, args: PageArgs, filter: SignatureHistoryFilter | null | undefined): Promise<ConnectionShape<Signature>> {
    const request = pageRequest(args, positions.dateAndId);
    const params = new SqlParams();
    const where = ['t.deleted_at IS NULL', `g.signatory_id = ${params.add(signatory.dbId)}`, ...historyConditions(filter ?? {}, params)];
    const list: ListSql = { from: 'signature g JOIN statement t ON t.id = g.statement_id', where, values: params.values };
    const rows = await keysetRows<HistoryRow>(ctx.em, list, `${signatureColumns(ctx.em, 'g')}, t.date AS "statementDate"`, ['t.date', 'g.id'], 'DESC', request);
    const page = toPage(rows, request, (r) => [r.statementDate, r.id]);
    return new SignatureConnection(page.connect((row) => toSignature(row)), pageInfo(page), () => countRows(ctx.em, list));
  }
}
