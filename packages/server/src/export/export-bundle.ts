import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { groupBy } from '../common/group-by';
import { entityColumns } from '../data/entity-rows';
import { CountClaimEntity } from '../modules/evidence/count-claim.entity';
import { EvidenceEntity } from '../modules/evidence/evidence.entity';
import { PersonRoleEntity } from '../modules/person/person-role.entity';
import { PersonEntity } from '../modules/person/person.entity';
import { SignatoryAliasEntity } from '../modules/signatory/signatory-alias.entity';
import { SignatoryMembershipEntity } from '../modules/signatory/signatory-membership.entity';
import { SignatoryEntity } from '../modules/signatory/signatory.entity';
import { SourceEntity } from '../modules/source/source.entity';
import { SignatureEntity } from '../modules/statement/signature.entity';
import { StatementEntity } from '../modules/statement/statement.entity';
import { formatPartialDate, type DatePrecision } from '../common/partial-date';
import {
  BUNDLE_FORMAT,
  type Bundle,
  type CountClaimRecord,
  type EvidenceRecord,
  type PersonRecord,
  type RoleRecord,
  type SignatoryRecord,
  type SignatureRecord,
  type SourceRecord,
  type StatementRecord,
} from '../import/parser/bundle.types';
import { compareText, isFiltered, statementConditions, type ExportFilter } from './export-filter';

/** Every field listed (so none is forgotten), absent ones as null. */
type Loose<T> = { [K in keyof T]-?: T[K] | null };

/**
 * Drops null and undefined fields and empty arrays, keeping the field order: the importer reads an
 * absent list as an empty one, so writing `[]` would only make two spellings of one archive.
 */
function compact<T extends object>(record: Loose<T>): T {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)),
  ) as T;
}

const byKey = (a: { key: string }, b: { key: string }) => compareText(a.key, b.key);
const byPosition = (a: { position: number }, b: { position: number }) => a.position - b.position;
const date = (value: string | null, precision: DatePrecision | null) => formatPartialDate(value, precision);

/** A statement as the exports read it: its columns, and the key of the statement it answers. */
export type StatementTableRow = StatementEntity & { respondsToKey: string | null };

/** The columns of `entity` under their property names, qualified by `alias`, timestamps left out. */
const columns = (em: EntityManager, entity: EntityTarget<ObjectLiteral>, alias: string) =>
  entityColumns(em, entity, alias, ['createdAt', 'updatedAt', 'deletedAt', 'version']);

const BUNDLE_ORIGIN = 'bundle:';

/**
 * Reads the archive (or the statements `filter` selects) into a bundle that `importBundle` turns back
 * into the same archive: exporting, importing into an empty archive and exporting again gives the
 * same bytes, and importing an export into the archive it came from writes nothing.
 *
 * - Order is stable: records by key (code-unit order), roles, signatures, evidence and count claims
 *   by their stored position; aliases and group members, which have no stored order, by text.
 * - Absent optional fields and empty lists are left out; a signature's status only when not SIGNED.
 * - A signature's `signatory` is the name as written; other signatory references are the ISO alpha-3
 *   code for a built-in state, else the key. Built-in states appear only to carry the aliases a
 *   bundle gave them (`{ key, kind: "STATE", name, iso3, aliases }`).
 * - Soft-deleted sources, people, signatories and statements are left out, and so are the links to
 *   them (evidence and count claims citing a deleted source, a signature of a deleted signatory…),
 *   so that the bundle always imports.
 * - With a filter, only the matching statements, plus the sources, people and signatories they
 *   reference (group members included), so that the bundle imports into an empty archive; a
 *   `respondsTo` naming a statement outside the selection is kept, as a reference across bundles.
 *
 * Reads with ten SQL statements whatever the archive's size; run it in a REPEATABLE READ
 * transaction for a consistent snapshot.
 */
export async function exportBundle(em: EntityManager, filter: ExportFilter = {}): Promise<Bundle> {
  const params: unknown[] = [];
  const where = statementConditions(filter, 's', params);
  const filtered = isFiltered(filter);

  const statementRows: StatementTableRow[] = await em.query(
    `SELECT ${columns(em, StatementEntity, 's')}, r.key AS "respondsToKey"
     FROM statement s LEFT JOIN statement r ON r.id = s.responds_to_id AND r.deleted_at IS NULL
     WHERE ${where}`,
    params,
  );
  const statementIds = statementRows.map((s) => s.id);
  const signatureRows: SignatureEntity[] = await em.query(`SELECT ${columns(em, SignatureEntity, 'g')} FROM signature g WHERE g.statement_id = ANY($1::uuid[])`, [statementIds]);
  const evidenceRows: EvidenceEntity[] = await em.query(
    `SELECT ${columns(em, EvidenceEntity, 'e')} FROM evidence e
     WHERE e.statement_id = ANY($1::uuid[]) OR e.signature_id IN (SELECT id FROM signature WHERE statement_id = ANY($1::uuid[]))`,
    [statementIds],
  );
  const claimRows: CountClaimEntity[] = await em.query(`SELECT ${columns(em, CountClaimEntity, 'c')} FROM count_claim c WHERE c.statement_id = ANY($1::uuid[])`, [statementIds]);

  const sourceRows: SourceEntity[] = filtered
    ? await em.query(`SELECT ${columns(em, SourceEntity, 't')} FROM source t WHERE t.deleted_at IS NULL AND t.id = ANY($1::uuid[])`, [
        [...new Set([...evidenceRows, ...claimRows].map((e) => e.sourceId))],
      ])
    : await em.query(`SELECT ${columns(em, SourceEntity, 't')} FROM source t WHERE t.deleted_at IS NULL`);
  const personRows: PersonEntity[] = filtered
    ? await em.query(`SELECT ${columns(em, PersonEntity, 't')} FROM person t WHERE t.deleted_at IS NULL AND t.id = ANY($1::uuid[])`, [
        [...new Set(statementRows.flatMap((s) => (s.deliveredById ? [s.deliveredById] : [])))],
      ])
    : await em.query(`SELECT ${columns(em, PersonEntity, 't')} FROM person t WHERE t.deleted_at IS NULL`);
  const roleRows: PersonRoleEntity[] = await em.query(`SELECT ${columns(em, PersonRoleEntity, 't')} FROM person_role t WHERE t.person_id = ANY($1::uuid[])`, [
    personRows.map((p) => p.id),
  ]);
  const signatoryRows: SignatoryEntity[] = await em.query(`SELECT ${columns(em, SignatoryEntity, 't')} FROM signatory t WHERE t.deleted_at IS NULL`);
  const aliasRows: SignatoryAliasEntity[] = await em.query(
    `SELECT ${columns(em, SignatoryAliasEntity, 't')} FROM signatory_alias t WHERE t.origin LIKE '${BUNDLE_ORIGIN}%'`,
  );
  const membershipRows: SignatoryMembershipEntity[] = await em.query(`SELECT ${columns(em, SignatoryMembershipEntity, 't')} FROM signatory_membership t`);

  // Signatories: a reference is the ISO alpha-3 code of a state, else the key; deleted ones are unknown.
  const signatories = new Map(signatoryRows.map((s) => [s.id, s]));
  const isState = (s: SignatoryEntity) => s.isBuiltIn && s.iso3 !== null;
  const ref = (id: string | null): string | null => {
    const s = id === null ? undefined : signatories.get(id);
    if (!s) return null;
    return isState(s) ? s.iso3!.trim() : s.key;
  };
  const membersOf = groupBy(membershipRows, (m) => m.groupId);

  // Sources and people, by id.
  const sourceKeys = new Map(sourceRows.map((s) => [s.id, s.key]));
  const personKeys = new Map(personRows.map((p) => [p.id, p.key]));

  // Evidence and count claims citing a deleted source are left out with it.
  const evidence = (rows: EvidenceEntity[] | undefined): EvidenceRecord[] =>
    (rows ?? [])
      .filter((e) => sourceKeys.has(e.sourceId))
      .sort(byPosition)
      .map((e) => compact<EvidenceRecord>({ source: sourceKeys.get(e.sourceId)!, quote: e.quote }));
  const evidenceOfStatement = groupBy(evidenceRows, (e) => e.statementId);
  const evidenceOfSignature = groupBy(evidenceRows, (e) => e.signatureId);
  const claimsOf = groupBy(claimRows, (c) => c.statementId);
  const signaturesOf = groupBy(
    signatureRows.filter((g) => signatories.has(g.signatoryId)),
    (g) => g.statementId,
  );

  const statements = statementRows.sort(byKey).map((s) =>
    compact<StatementRecord>({
      key: s.key,
      title: s.title,
      kind: s.kind,
      date: date(s.date, s.datePrecision)!,
      forum: s.forum,
      session: s.session,
      agendaItem: s.agendaItem,
      unSymbol: s.unSymbol,
      topics: s.topics,
      text: s.text,
      deliveredBy: s.deliveredById === null ? null : (personKeys.get(s.deliveredById) ?? null),
      leadSignatory: ref(s.leadSignatoryId),
      claimedSignatoryCount: s.claimedSignatoryCount,
      listStatus: s.listStatus,
      respondsTo: s.respondsToKey,
      signatures: (signaturesOf.get(s.id) ?? [])
        .sort((a, b) => a.position - b.position || compareText(a.nameAsWritten, b.nameAsWritten))
        .map((g) =>
          compact<SignatureRecord>({
            signatory: g.nameAsWritten,
            status: g.status === 'SIGNED' ? null : g.status,
            joinedOn: date(g.joinedOn, g.joinedOnPrecision),
            withdrawnOn: date(g.withdrawnOn, g.withdrawnOnPrecision),
            evidence: evidence(evidenceOfSignature.get(g.id)),
          }),
        ),
      countClaims: (claimsOf.get(s.id) ?? [])
        .filter((c) => sourceKeys.has(c.sourceId))
        .sort(byPosition)
        .map((c) => compact<CountClaimRecord>({ count: c.count, source: sourceKeys.get(c.sourceId)!, quote: c.quote })),
      evidence: evidence(evidenceOfStatement.get(s.id)),
    }),
  );

  const rolesOf = groupBy(roleRows, (r) => r.personId);
  const people = personRows.sort(byKey).map((p) =>
    compact<PersonRecord>({
      key: p.key,
      name: p.name,
      aliases: p.aliases,
      roles: (rolesOf.get(p.id) ?? []).sort(byPosition).map((r) =>
        compact<RoleRecord>({
          title: r.title,
          signatory: ref(r.signatoryId),
          organization: r.organization,
          from: date(r.fromDate, r.fromPrecision),
          to: date(r.toDate, r.toPrecision),
        }),
      ),
    }),
  );

  // Which signatories the bundle carries: all of them, or those the selection references (with
  // the members of the groups among them, and theirs).
  let wanted: (s: SignatoryEntity) => boolean = () => true;
  if (filtered) {
    const ids = new Set<string>([
      ...[...signaturesOf.values()].flat().map((g) => g.signatoryId),
      ...statementRows.flatMap((s) => (s.leadSignatoryId ? [s.leadSignatoryId] : [])),
      ...roleRows.flatMap((r) => (r.signatoryId ? [r.signatoryId] : [])),
    ]);
    const queue = [...ids];
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      for (const m of membersOf.get(id) ?? []) {
        if (!ids.has(m.memberId)) queue.push(m.memberId);
        ids.add(m.memberId);
      }
    }
    wanted = (s) => ids.has(s.id);
  }

  // Aliases a bundle gave: a non-state's own (origin bundle:<its key>), or extra names that a
  // bundle record `{ kind: "STATE", … }` attached to a signatory (origin bundle:<that record's key>).
  const ownAliases = new Map<string, string[]>();
  const attached = new Map<string, { key: string; target: SignatoryEntity; names: string[] }>();
  for (const a of aliasRows) {
    const target = signatories.get(a.signatoryId);
    if (!target || !wanted(target)) continue;
    const originKey = a.origin.slice(BUNDLE_ORIGIN.length);
    if (!target.isBuiltIn && originKey === target.key) {
      if (a.name !== target.name) ownAliases.set(target.id, [...(ownAliases.get(target.id) ?? []), a.name]);
      continue;
    }
    const id = `${originKey}\u0000${target.id}`;
    const record = attached.get(id) ?? { key: originKey, target, names: [] };
    record.names.push(a.name);
    attached.set(id, record);
  }
  const sortedNames = (names: string[] | undefined) => [...new Set(names ?? [])].sort(compareText);
  const signatoryRecords: SignatoryRecord[] = [
    ...signatoryRows
      .filter((s) => !s.isBuiltIn && wanted(s))
      .map((s) =>
        compact<SignatoryRecord>({
          key: s.key,
          kind: s.kind,
          name: s.name,
          iso3: null,
          aliases: sortedNames(ownAliases.get(s.id)),
          members: [...new Set((membersOf.get(s.id) ?? []).map((m) => ref(m.memberId)).filter((r) => r !== null))].sort(compareText),
        }),
      ),
    ...[...attached.values()].map(({ key, target, names }) =>
      compact<SignatoryRecord>({
        key,
        kind: 'STATE',
        name: target.name,
        iso3: target.iso3?.trim() ?? null,
        aliases: sortedNames(names),
        members: null,
      }),
    ),
  ].sort(byKey);

  return {
    format: BUNDLE_FORMAT,
    sources: sourceRows.sort(byKey).map((s) =>
      compact<SourceRecord>({
        key: s.key,
        kind: s.kind,
        title: s.title,
        url: s.url,
        publisher: s.publisher,
        authors: s.authors,
        publishedOn: date(s.publishedOn, s.publishedOnPrecision),
        language: s.language,
        unSymbol: s.unSymbol,
        summary: s.summary,
        body: s.body,
      }),
    ),
    people,
    signatories: signatoryRecords,
    statements,
  };
}
