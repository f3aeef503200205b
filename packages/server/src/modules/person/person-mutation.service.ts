import { findRecord, signatoryRef } from '../kit/record-lookup';
import { defined, importRecord } from '../kit/record-import';
import type { RequestContext } from '../kit/context';
import { MutationFailed, updateVersioned, userError, write, type UserError } from '../kit/mutation';
import { parsePartialDate } from '../../common/partial-date';
import { syncChildren, type Row } from '../../import/importer/bulk';
import { validateBundle } from '../../import/parser/parse-bundle';
import { BUNDLE_FORMAT, type PersonRecord } from '../../import/parser/bundle.types';
import { bundleProblemsToErrors } from '../kit/bundle-errors';
import type { VersionedRefInput } from '../statement/statement-mutation.input';
import { PersonEntity } from './person.entity';
import type { CreatePersonInput, PersonRoleInput, UpdatePersonInput } from './person-mutation.input';
import { toPerson, type Person } from './person.type';



/** At most this many statement keys are named in a refusal. */
const NAMED = 5;

const someOf = (keys: string[]) => `${keys.slice(0, NAMED).map((k) => `"${k}"`).join(', ')}${keys.length > NAMED ? ` and ${keys.length - NAMED} more` : ''}`;

const none = { date: null, precision: null };

/** The person_role columns, as the importer writes them. */
interface Result<T> {
  result?: T;
  errors: UserError[];
}

/** Writes to people and their roles: one transaction each, recorded in the history with the token's name. */
export class PersonMutations {
  create(ctx: RequestContext, input: CreatePersonInput): Promise<Result<Person>> {
    return write(ctx, 'editor', 'createPerson', input, async (tx) => {
      const taken = await tx.em.getRepository(PersonEntity).findOne({ where: { key: input.key }, withDeleted: true });
      if (taken) {
        const why = taken.deletedAt ? 'a deleted person has this key; restore them with restorePerson' : 'a person has this key already';
        throw new MutationFailed([userError('CONFLICT', ['input', 'key'], why)]);
      }
      await importRecord(tx.em, 'people', input);
      return toPerson(await tx.em.getRepository(PersonEntity).findOneByOrFail({ key: input.key }));
    });
  }

  /** Roles given replace all the person's roles (in the order given). */
  update(ctx: RequestContext, input: UpdatePersonInput): Promise<Result<Person>> {
    return write(ctx, 'editor', 'updatePerson', input, async (tx) => {
      const current = await findRecord(tx, PersonEntity, 'Person', input.id, ['input', 'id']);
      const errors: UserError[] = [];
      if (input.name === null) errors.push(userError('BAD_USER_INPUT', ['input', 'name'], 'name cannot be cleared'));
      // The fields given pass the same checks as in an import.
      const record = defined({ key: current.key, name: input.name ?? current.name, aliases: input.aliases, roles: input.roles }) as PersonRecord;
      errors.push(...bundleProblemsToErrors(validateBundle({ format: BUNDLE_FORMAT, people: [record] }), 'people'));
      const roles = input.roles === undefined ? undefined : await this.roleRows(tx, current.id, input.roles ?? [], errors);
      if (errors.length) throw new MutationFailed(errors);

      const set: Partial<PersonEntity> = {};
      if (input.name != null) set.name = input.name;
      if (input.aliases !== undefined) set.aliases = input.aliases ?? [];
      const updated = await updateVersioned(tx.em, PersonEntity, { id: current.id }, input.expectedVersion, set);
      if (roles) await syncChildren(tx.em, { table: 'person_role', parent: 'person_id' }, [current.id], roles);
      return toPerson(updated);
    });
  }

  /** Soft; refused while live statements name the person as the one who delivered them. */
  delete(ctx: RequestContext, input: VersionedRefInput): Promise<Result<Person>> {
    return write(ctx, 'admin', 'deletePerson', input, async (tx) => {
      const current = await findRecord(tx, PersonEntity, 'Person', input.id, ['input', 'id']);
      const delivered: { key: string }[] = await tx.em.query(
        `SELECT key FROM statement WHERE delivered_by_id = $1 AND deleted_at IS NULL ORDER BY key`,
        [current.id],
      );
      if (delivered.length) {
        const keys = delivered.map((d) => d.key);
        throw new MutationFailed([
          userError(
            'CONFLICT',
            ['input', 'id'],
            `${keys.length} live statement${keys.length === 1 ? ' names' : 's name'} this person as deliveredBy: ${someOf(keys)}; change their deliveredBy or delete them first`,
          ),
        ]);
      }
      return toPerson(await updateVersioned(tx.em, PersonEntity, { id: current.id }, input.expectedVersion, { deletedAt: new Date() }));
    });
  }

  restore(ctx: RequestContext, input: VersionedRefInput): Promise<Result<Person>> {
    return write(ctx, 'admin', 'restorePerson', input, async (tx) => {
      return toPerson(await updateVersioned(tx.em, PersonEntity, { ref: input.id, type: 'Person' }, input.expectedVersion, { deletedAt: null }, { restore: true }));
    });
  }

  /** person_role rows for the roles given, their signatories resolved (problems added to `errors`). */
  private async roleRows(tx: RequestContext, personId: string, roles: PersonRoleInput[], errors: UserError[]): Promise<Row[]> {
    const rows: Row[] = [];
    for (const [i, r] of roles.entries()) {
      const from = r.from ? parsePartialDate(r.from) : none;
      const to = r.to ? parsePartialDate(r.to) : none;
      rows.push({
        person_id: personId,
        position: i,
        title: r.title,
        signatory_id: r.signatory == null ? null : await signatoryRef(tx, r.signatory, ['input', 'roles', String(i), 'signatory'], errors),
        organization: r.organization ?? null,
        from_date: from.date,
        from_precision: from.precision,
        to_date: to.date,
        to_precision: to.precision,
      });
    }
    return rows;
  }



}
