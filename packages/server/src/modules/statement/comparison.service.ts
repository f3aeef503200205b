import type { RequestContext } from '../kit/context';
import { AppError, badInput } from '../../common/errors';
import { entityColumns } from '../../data/entity-rows';
import { SignatoryEntity } from '../signatory/signatory.entity';
import { toSignatory } from '../signatory/signatory.type';
import { SignatoryAlignment, SignatoryAlignmentRow, StatementComparison } from './comparison.type';
import { signatureColumns, type SignatureRow } from './statement.loaders';
import { StatementService } from './statement.service';
import { toSignature, type Statement } from './statement.type';

export const MAX_ALIGNED_STATEMENTS = 50;
const statements = new StatementService();

/** Set operations over signatory lists: compare two statements, or align many. */
export class ComparisonService {
  private async signaturesOf(ctx: RequestContext, statementIds: string[]): Promise<SignatureRow[]> {
    return ctx.em.query(
      `SELECT ${signatureColumns(ctx.em, 'signature')} FROM signature WHERE statement_id = ANY($1)`,
      [statementIds],
    );
  }

  private async signatoriesByName(ctx: RequestContext, ids: string[]): Promise<SignatoryEntity[]> {
    if (ids.length === 0) return [];
    return ctx.em.query(`SELECT ${entityColumns(ctx.em, SignatoryEntity, 's')} FROM signatory s WHERE s.id = ANY($1::uuid[]) AND s.deleted_at IS NULL ORDER BY s.name, s.id`, [ids]);
  }

  /** The two statements to compare; unknown is NOT_FOUND. */
  pair(ctx: RequestContext, refA: string, refB: string): Promise<[Statement, Statement]> {
    return Promise.all([statements.require(ctx, refA, 'a'), statements.require(ctx, refB, 'b')]);
  }

  async compare(ctx: RequestContext, refA: string, refB: string): Promise<StatementComparison> {
    const [a, b] = await this.pair(ctx, refA, refB);
    // The signatories that signed either (signatures that stand), by name, each with the statement it signed: one SQL statement.
    const rows: (SignatoryEntity & { signedStatementId: string })[] = await ctx.em.query(
      `SELECT ${entityColumns(ctx.em, SignatoryEntity, 's')}, g.statement_id AS "signedStatementId"
       FROM signature g JOIN signatory s ON s.id = g.signatory_id
       WHERE g.statement_id = ANY($1::uuid[]) AND g.status = 'SIGNED' ORDER BY s.name, s.id`,
      [[a.dbId, b.dbId]],
    );
    const signedOn = (statementId: string) => new Set(rows.filter((r) => r.signedStatementId === statementId).map((r) => r.id));
    const inA = signedOn(a.dbId);
    const inB = signedOn(b.dbId);
    const all = [...new Map(rows.map((r) => [r.id, r])).values()];
    const pick = (test: (id: string) => boolean) => all.filter((s) => test(s.id)).map(toSignatory);
    return Object.assign(new StatementComparison(), {
      a,
      b,
      both: pick((id) => inA.has(id) && inB.has(id)),
      onlyA: pick((id) => inA.has(id) && !inB.has(id)),
      onlyB: pick((id) => !inA.has(id) && inB.has(id)),
    });
  }

  /** The statements, in order; when some are unknown, one error naming every one of them (`details.unknown`). */
  private async requireAll(ctx: RequestContext, refs: string[]): Promise<Statement[]> {
    const settled = await Promise.allSettled(refs.map((ref, i) => statements.require(ctx, ref, `statements[${i}]`)));
    const failures = settled.flatMap((result, i) => (result.status === 'rejected' ? [{ ref: refs[i]!, error: result.reason as unknown }] : []));
    if (failures.length === 0) return settled.map((result) => (result as PromiseFulfilledResult<Statement>).value);
    const unexpected = failures.find((f) => !(f.error instanceof AppError));
    if (unexpected) throw unexpected.error;
    const errors = failures.map((f) => f.error as AppError);
    throw new AppError(errors.every((e) => e.code === 'NOT_FOUND') ? 'NOT_FOUND' : 'BAD_USER_INPUT', errors.map((e) => e.message).join('; '), {
      argument: errors.length === 1 ? errors[0]!.details.argument : 'statements',
      unknown: failures.map((f) => f.ref),
    });
  }

  /** The statements to align, in order: 1 to MAX_ALIGNED_STATEMENTS of them, every one known. */
  async columns(ctx: RequestContext, refs: string[]): Promise<Statement[]> {
    if (refs.length === 0 || refs.length > MAX_ALIGNED_STATEMENTS) {
      throw badInput(`statements takes 1 to ${MAX_ALIGNED_STATEMENTS} ids or keys, got ${refs.length}`, { argument: 'statements' });
    }
    return this.requireAll(ctx, refs);
  }

  async align(ctx: RequestContext, refs: string[]): Promise<SignatoryAlignment> {
    const columns = await this.columns(ctx, refs);
    const rows = await this.signaturesOf(ctx, [...new Set(columns.map((c) => c.dbId))]);
    const bySignatory = new Map<string, Map<string, SignatureRow>>();
    for (const row of rows) {
      const cells = bySignatory.get(row.signatoryId) ?? new Map<string, SignatureRow>();
      cells.set(row.statementId, row);
      bySignatory.set(row.signatoryId, cells);
    }
    const signatories = await this.signatoriesByName(ctx, [...bySignatory.keys()]);
    const table = signatories.map((s) => {
      const cells = bySignatory.get(s.id)!;
      const signatures = columns.map((c) => {
        const row = cells.get(c.dbId);
        return row ? toSignature(row) : null;
      });
      return Object.assign(new SignatoryAlignmentRow(), {
        signatory: toSignatory(s),
        signatures,
        signedCount: signatures.filter((g) => g?.status === 'SIGNED').length,
      });
    });
    table.sort((x, y) => y.signedCount - x.signedCount);
    return Object.assign(new SignatoryAlignment(), { statements: columns, rows: table });
  }
}
