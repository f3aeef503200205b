import type { RequestContext } from '../../common/context';
import { AppError } from '../../common/errors';
import { normalizeName } from '../../reference/normalize';
import { SignatoryEntity } from './signatory.entity';
import { toSignatory, type Signatory } from './signatory.type';

export class SignatoryService {
  /**
   * Resolves a reference — ISO alpha-2/alpha-3 code, key, or any known name — to one signatory.
   * Unknown is null; a name shared by several signatories is an AMBIGUOUS_REFERENCE error listing them.
   */
  async findByRef(ctx: RequestContext, ref: string): Promise<Signatory | null> {
    const trimmed = ref.trim();
    const rows = await ctx.em
      .getRepository(SignatoryEntity)
      .createQueryBuilder('s')
      .where('s.iso3 = upper(:ref) OR s.iso2 = upper(:ref) OR s.key = :ref', { ref: trimmed })
      .orWhere('s.id IN (SELECT a.signatory_id FROM signatory_alias a WHERE a.normalized = :normalized)', {
        normalized: normalizeName(trimmed),
      })
      .orderBy('s.name')
      .getMany();
    const exact = rows.filter((r) => r.iso3 === trimmed.toUpperCase() || r.iso2 === trimmed.toUpperCase() || r.key === trimmed);
    const found = exact.length === 1 ? exact : rows;
    if (found.length > 1) {
      throw new AppError('AMBIGUOUS_REFERENCE', `"${ref}" matches ${found.length} signatories: ${found.map((r) => r.name).join(', ')}`, {
        candidates: found.map((r) => ({ key: r.key, name: r.name })),
      });
    }
    return found[0] ? toSignatory(found[0]) : null;
  }
}
