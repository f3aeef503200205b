import type { Repository } from 'typeorm';
import { findRecord, signatoryRef } from '../kit/record-lookup';
import { defined, importRecord } from '../kit/record-import';
import type { RequestContext } from '../kit/context';
import { MutationFailed, updateVersioned, userError, write, type UserError } from '../kit/mutation';
import { syncChildren, type Row } from '../../import/importer/bulk';
import { validateBundle } from '../../import/parser/parse-bundle';
import { BUNDLE_FORMAT, type SignatoryRecord } from '../../import/parser/bundle.types';
import { normalizeName } from '../../reference/normalize';
import { bundleProblemsToErrors } from '../kit/bundle-errors';
import type { VersionedRefInput } from '../statement/statement-mutation.input';
import { SignatoryEntity } from './signatory.entity';
import type { CreateSignatoryInput, UpdateSignatoryInput } from './signatory-mutation.input';
import { toSignatory, type Signatory } from './signatory.type';
import { membershipCycles } from '../../import/importer/cycles';

/** Signatories can also be named by their ISO alpha-2 or alpha-3 code. */
const byCode = (repo: Repository<SignatoryEntity>, ref: string) =>
  /^[A-Za-z]{2,3}$/.test(ref) ? repo.findOne({ where: [{ iso3: ref.toUpperCase() }, { iso2: ref.toUpperCase() }], withDeleted: true }) : Promise.resolve(null);


/** At most this many statement keys are named in a refusal. */
const NAMED = 5;

const someOf = (keys: string[]) => `${keys.slice(0, NAMED).map((k) => `"${k}"`).join(', ')}${keys.length > NAMED ? ` and ${keys.length - NAMED} more` : ''}`;

interface Result<T> {
  result?: T;
  errors: UserError[];
}

/**
 * Writes to signatories, their aliases and members: one transaction each, recorded in the history
 * with the token's name. States are built in: they are neither created nor deleted here, and of
 * them only the aliases a bundle (or an editor) adds can change.
 */
export class SignatoryMutations {
  create(ctx: RequestContext, input: CreateSignatoryInput): Promise<Result<Signatory>> {
    return write(ctx, 'editor', 'createSignatory', input, async (tx) => {
      if (input.kind === 'STATE') {
        throw new MutationFailed([
          userError(
            'BAD_USER_INPUT',
            ['input', 'kind'],
            'states are built in (every UN member and observer state) and cannot be created; to add a name for one, give it in the aliases of updateSignatory',
          ),
        ]);
      }
      const taken = await tx.em.getRepository(SignatoryEntity).findOne({ where: { key: input.key }, withDeleted: true });
      if (taken) {
        const why = taken.isBuiltIn
          ? `"${input.key}" is the key of a built-in state; choose another key`
          : taken.deletedAt
            ? 'a deleted signatory has this key; restore it with restoreSignatory'
            : 'a signatory has this key already';
        throw new MutationFailed([userError('CONFLICT', ['input', 'key'], why)]);
      }
      await importRecord(tx.em, 'signatories', input);
      return toSignatory(await tx.em.getRepository(SignatoryEntity).findOneByOrFail({ key: input.key }));
    });
  }

  /**
   * The aliases given replace those of origin `bundle:<key>` (names it already has from elsewhere are
   * not repeated); members given replace all its members. A built-in state takes aliases only.
   */
  update(ctx: RequestContext, input: UpdateSignatoryInput): Promise<Result<Signatory>> {
    return write(ctx, 'editor', 'updateSignatory', input, async (tx) => {
      const current = await findRecord(tx, SignatoryEntity, 'Signatory', input.id, ['input', 'id'], { also: byCode });
      const errors: UserError[] = [];
      if (current.isBuiltIn) {
        for (const field of ['name', 'members'] as const) {
          if (input[field] !== undefined) {
            errors.push(
              userError('BAD_USER_INPUT', ['input', field], `"${current.name}" is a built-in state, maintained by the archive: only its aliases can change`),
            );
          }
        }
      } else if (input.name === null) {
        errors.push(userError('BAD_USER_INPUT', ['input', 'name'], 'name cannot be cleared'));
      }
      if (errors.length) throw new MutationFailed(errors);
      // The fields given pass the same checks as in an import.
      const record = defined({ key: current.key, kind: current.kind, name: input.name ?? current.name, aliases: input.aliases, members: input.members });
      errors.push(...bundleProblemsToErrors(validateBundle({ format: BUNDLE_FORMAT, signatories: [record as SignatoryRecord] }), 'signatories'));
      const positions: number[] = [];
      const members = input.members === undefined ? undefined : await this.memberRows(tx, current.id, input.members ?? [], errors, positions);
      if (members) {
        const edges = members.map((m, i) => ({ from: current.id, to: m.member_id as string, at: ['input', 'members', String(positions[i])] }));
        for (const cycle of await membershipCycles(tx.em, new Set([current.id]), edges)) errors.push(userError('BAD_USER_INPUT', cycle.at, cycle.message));
      }
      if (errors.length) throw new MutationFailed(errors);

      const updated = await updateVersioned(tx.em, SignatoryEntity, { id: current.id }, input.expectedVersion, input.name != null ? { name: input.name } : {});
      const renamed = input.name != null && input.name !== current.name;
      if (input.aliases !== undefined || renamed) await this.syncAliases(tx, current, input.name ?? current.name, input.aliases);
      if (members) {
        await syncChildren(tx.em, { table: 'signatory_membership', parent: 'group_id' }, [current.id], members);
      }
      return toSignatory(updated);
    });
  }

  /** Soft; refused for built-in states and while live statements name the signatory. */
  delete(ctx: RequestContext, input: VersionedRefInput): Promise<Result<Signatory>> {
    return write(ctx, 'admin', 'deleteSignatory', input, async (tx) => {
      const current = await findRecord(tx, SignatoryEntity, 'Signatory', input.id, ['input', 'id'], { also: byCode });
      if (current.isBuiltIn) throw new MutationFailed([userError('BAD_USER_INPUT', ['input', 'id'], 'built-in states cannot be deleted')]);
      const naming: { key: string }[] = await tx.em.query(
        `SELECT st.key FROM statement st
         WHERE st.deleted_at IS NULL
           AND (st.lead_signatory_id = $1 OR EXISTS (SELECT 1 FROM signature g WHERE g.statement_id = st.id AND g.signatory_id = $1))
         ORDER BY st.key`,
        [current.id],
      );
      if (naming.length) {
        const keys = naming.map((n) => n.key);
        throw new MutationFailed([
          userError(
            'CONFLICT',
            ['input', 'id'],
            `${keys.length} live statement${keys.length === 1 ? ' names' : 's name'} this signatory (as a signature or the lead): ${someOf(keys)}; take it off them or delete them first`,
          ),
        ]);
      }
      return toSignatory(await updateVersioned(tx.em, SignatoryEntity, { id: current.id }, input.expectedVersion, { deletedAt: new Date() }));
    });
  }

  restore(ctx: RequestContext, input: VersionedRefInput): Promise<Result<Signatory>> {
    return write(ctx, 'admin', 'restoreSignatory', input, async (tx) => {
      const current = await findRecord(tx, SignatoryEntity, 'Signatory', input.id, ['input', 'id'], { deleted: true, also: byCode });
      return toSignatory(await updateVersioned(tx.em, SignatoryEntity, { id: current.id }, input.expectedVersion, { deletedAt: null }, { restore: true }));
    });
  }

  /**
   * Makes the aliases of origin `bundle:<key>` what an import of the signatory would: its name (not for
   * states) and the aliases given — when none are given, the ones it had besides its old name.
   */
  private async syncAliases(tx: RequestContext, current: SignatoryEntity, name: string, aliases: string[] | null | undefined): Promise<void> {
    const origin = `bundle:${current.key}`;
    const existing: { name: string; normalized: string; origin: string }[] = await tx.em.query(
      `SELECT name, normalized, origin FROM signatory_alias WHERE signatory_id = $1`,
      [current.id],
    );
    const known = new Set(existing.filter((a) => a.origin !== origin).map((a) => a.normalized));
    const oldName = normalizeName(current.name);
    const extras = aliases !== undefined ? (aliases ?? []) : existing.filter((a) => a.origin === origin && a.normalized !== oldName).map((a) => a.name);
    const rows: Row[] = [];
    const seen = new Set<string>();
    for (const alias of current.isBuiltIn ? extras : [name, ...extras]) {
      const normalized = normalizeName(alias);
      if (!normalized || seen.has(normalized) || known.has(normalized)) continue;
      seen.add(normalized);
      rows.push({ signatory_id: current.id, name: alias, normalized, kind: 'VARIANT', origin });
    }
    await syncChildren(
      tx.em,
      { table: 'signatory_alias', parent: 'signatory_id', scope: `"origin" = '${origin.replace(/'/g, "''")}'` },
      [current.id],
      rows,
    );
  }

  /** signatory_membership rows for the members given, resolved (problems added to `errors`; each row's place in `members` to `positions`). */
  private async memberRows(tx: RequestContext, groupId: string, members: string[], errors: UserError[], positions: number[] = []): Promise<Row[]> {
    const rows: Row[] = [];
    const seen = new Set<string>();
    for (const [j, ref] of members.entries()) {
      const path = ['input', 'members', String(j)];
      const memberId = await signatoryRef(tx, ref, path, errors);
      if (!memberId) continue;
      if (memberId === groupId) errors.push(userError('BAD_USER_INPUT', path, 'a signatory cannot be a member of itself'));
      else if (!seen.has(memberId)) {
        seen.add(memberId);
        rows.push({ group_id: groupId, member_id: memberId });
        positions.push(j);
      }
    }
    return rows;
  }



}
