import type { EntityManager } from 'typeorm';
import type { ListStatus, SignatoryKind, SignatureStatus, SourceKind, StatementKind } from '../common/enums';
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

function groupBy<T>(rows: T[], key: (row: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(row);
  }
  return groups;
}

/** A row of the statement table, as the exports read it. */
export interface StatementTableRow {
  id: string;
  key: string;
  title: string;
  kind: StatementKind;
  date: string;
  date_precision: DatePrecision;
  forum: string | null;
  session: string | null;
  agenda_item: string | null;
  un_symbol: string | null;
  topics: string[];
  text: string | null;
  delivered_by_id: string | null;
  lead_signatory_id: string | null;
  claimed_signatory_count: number | null;
  list_status: ListStatus | null;
  responds_to: string | null;
}

/** A row of the signature table, as the exports read it. */
export interface SignatureTableRow {
  id: string;
  statement_id: string;
  signatory_id: string;
  position: number;
  name_as_written: string;
  status: SignatureStatus;
  joined_on: string | null;
  joined_on_precision: DatePrecision | null;
  withdrawn_on: string | null;
  withdrawn_on_precision: DatePrecision | null;
}

interface EvidenceRow {
  statement_id: string | null;
  signature_id: string | null;
  position: number;
  source_id: string;
  quote: string | null;
}

interface CountClaimRow {
  statement_id: string;
  position: number;
  count: number;
  source_id: string;
  quote: string | null;
}

interface SourceRow {
  id: string;
  key: string;
  kind: SourceKind;
  title: string;
  url: string | null;
  publisher: string | null;
  authors: string[];
  published_on: string | null;
  published_on_precision: DatePrecision | null;
  language: string | null;
  un_symbol: string | null;
  summary: string | null;
  body: string | null;
}

interface PersonRow {
  id: string;
  key: string;
  name: string;
  aliases: string[];
}

interface RoleRow {
  person_id: string;
  position: number;
  title: string;
  signatory_id: string | null;
  organization: string | null;
  from_date: string | null;
  from_precision: DatePrecision | null;
  to_date: string | null;
  to_precision: DatePrecision | null;
}

interface SignatoryRow {
  id: string;
  key: string;
  kind: SignatoryKind;
  name: string;
  iso3: string | null;
  is_built_in: boolean;
}

interface AliasRow {
  signatory_id: string;
  name: string;
  origin: string;
}

interface MembershipRow {
  group_id: string;
  member_id: string;
}

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
    `SELECT s.id, s.key, s.title, s.kind, s.date, s.date_precision, s.forum, s.session, s.agenda_item, s.un_symbol,
            s.topics, s.text, s.delivered_by_id, s.lead_signatory_id, s.claimed_signatory_count, s.list_status,
            r.key AS responds_to
     FROM statement s LEFT JOIN statement r ON r.id = s.responds_to_id AND r.deleted_at IS NULL
     WHERE ${where}`,
    params,
  );
  const statementIds = statementRows.map((s) => s.id);
  const signatureRows: SignatureTableRow[] = await em.query(
    `SELECT id, statement_id, signatory_id, position, name_as_written, status,
            joined_on, joined_on_precision, withdrawn_on, withdrawn_on_precision
     FROM signature WHERE statement_id = ANY($1::uuid[])`,
    [statementIds],
  );
  const evidenceRows: EvidenceRow[] = await em.query(
    `SELECT statement_id, signature_id, position, source_id, quote FROM evidence
     WHERE statement_id = ANY($1::uuid[]) OR signature_id IN (SELECT id FROM signature WHERE statement_id = ANY($1::uuid[]))`,
    [statementIds],
  );
  const claimRows: CountClaimRow[] = await em.query(
    `SELECT statement_id, position, count, source_id, quote FROM count_claim WHERE statement_id = ANY($1::uuid[])`,
    [statementIds],
  );

  const sourceColumns = `id, key, kind, title, url, publisher, authors, published_on, published_on_precision, language, un_symbol, summary, body`;
  const sourceRows: SourceRow[] = filtered
    ? await em.query(`SELECT ${sourceColumns} FROM source WHERE deleted_at IS NULL AND id = ANY($1::uuid[])`, [
        [...new Set([...evidenceRows, ...claimRows].map((e) => e.source_id))],
      ])
    : await em.query(`SELECT ${sourceColumns} FROM source WHERE deleted_at IS NULL`);
  const personRows: PersonRow[] = filtered
    ? await em.query(`SELECT id, key, name, aliases FROM person WHERE deleted_at IS NULL AND id = ANY($1::uuid[])`, [
        [...new Set(statementRows.flatMap((s) => (s.delivered_by_id ? [s.delivered_by_id] : [])))],
      ])
    : await em.query(`SELECT id, key, name, aliases FROM person WHERE deleted_at IS NULL`);
  const roleRows: RoleRow[] = await em.query(
    `SELECT person_id, position, title, signatory_id, organization, from_date, from_precision, to_date, to_precision
     FROM person_role WHERE person_id = ANY($1::uuid[])`,
    [personRows.map((p) => p.id)],
  );
  const signatoryRows: SignatoryRow[] = await em.query(
    `SELECT id, key, kind, name, iso3, is_built_in FROM signatory WHERE deleted_at IS NULL`,
  );
  const aliasRows: AliasRow[] = await em.query(
    `SELECT signatory_id, name, origin FROM signatory_alias WHERE origin LIKE '${BUNDLE_ORIGIN}%'`,
  );
  const membershipRows: MembershipRow[] = await em.query(`SELECT group_id, member_id FROM signatory_membership`);

  // Signatories: a reference is the ISO alpha-3 code of a state, else the key; deleted ones are unknown.
  const signatories = new Map(signatoryRows.map((s) => [s.id, s]));
  const isState = (s: SignatoryRow) => s.is_built_in && s.iso3 !== null;
  const ref = (id: string | null): string | null => {
    const s = id === null ? undefined : signatories.get(id);
    if (!s) return null;
    return isState(s) ? s.iso3!.trim() : s.key;
  };
  const membersOf = groupBy(membershipRows, (m) => m.group_id);

  // Sources and people, by id.
  const sourceKeys = new Map(sourceRows.map((s) => [s.id, s.key]));
  const personKeys = new Map(personRows.map((p) => [p.id, p.key]));

  // Evidence and count claims citing a deleted source are left out with it.
  const evidence = (rows: EvidenceRow[] | undefined): EvidenceRecord[] =>
    (rows ?? [])
      .filter((e) => sourceKeys.has(e.source_id))
      .sort(byPosition)
      .map((e) => compact<EvidenceRecord>({ source: sourceKeys.get(e.source_id)!, quote: e.quote }));
  const evidenceOfStatement = groupBy(evidenceRows, (e) => e.statement_id);
  const evidenceOfSignature = groupBy(evidenceRows, (e) => e.signature_id);
  const claimsOf = groupBy(claimRows, (c) => c.statement_id);
  const signaturesOf = groupBy(
    signatureRows.filter((g) => signatories.has(g.signatory_id)),
    (g) => g.statement_id,
  );

  const statements = statementRows.sort(byKey).map((s) =>
    compact<StatementRecord>({
      key: s.key,
      title: s.title,
      kind: s.kind,
      date: date(s.date, s.date_precision)!,
      forum: s.forum,
      session: s.session,
      agendaItem: s.agenda_item,
      unSymbol: s.un_symbol,
      topics: s.topics,
      text: s.text,
      deliveredBy: s.delivered_by_id === null ? null : (personKeys.get(s.delivered_by_id) ?? null),
      leadSignatory: ref(s.lead_signatory_id),
      claimedSignatoryCount: s.claimed_signatory_count,
      listStatus: s.list_status,
      respondsTo: s.responds_to,
      signatures: (signaturesOf.get(s.id) ?? [])
        .sort((a, b) => a.position - b.position || compareText(a.name_as_written, b.name_as_written))
        .map((g) =>
          compact<SignatureRecord>({
            signatory: g.name_as_written,
            status: g.status === 'SIGNED' ? null : g.status,
            joinedOn: date(g.joined_on, g.joined_on_precision),
            withdrawnOn: date(g.withdrawn_on, g.withdrawn_on_precision),
            evidence: evidence(evidenceOfSignature.get(g.id)),
          }),
        ),
      countClaims: (claimsOf.get(s.id) ?? [])
        .filter((c) => sourceKeys.has(c.source_id))
        .sort(byPosition)
        .map((c) => compact<CountClaimRecord>({ count: c.count, source: sourceKeys.get(c.source_id)!, quote: c.quote })),
      evidence: evidence(evidenceOfStatement.get(s.id)),
    }),
  );

  const rolesOf = groupBy(roleRows, (r) => r.person_id);
  const people = personRows.sort(byKey).map((p) =>
    compact<PersonRecord>({
      key: p.key,
      name: p.name,
      aliases: p.aliases,
      roles: (rolesOf.get(p.id) ?? []).sort(byPosition).map((r) =>
        compact<RoleRecord>({
          title: r.title,
          signatory: ref(r.signatory_id),
          organization: r.organization,
          from: date(r.from_date, r.from_precision),
          to: date(r.to_date, r.to_precision),
        }),
      ),
    }),
  );

  // Which signatories the bundle carries: all of them, or those the selection references (with
  // the members of the groups among them, and theirs).
  let wanted: (s: SignatoryRow) => boolean = () => true;
  if (filtered) {
    const ids = new Set<string>([
      ...[...signaturesOf.values()].flat().map((g) => g.signatory_id),
      ...statementRows.flatMap((s) => (s.lead_signatory_id ? [s.lead_signatory_id] : [])),
      ...roleRows.flatMap((r) => (r.signatory_id ? [r.signatory_id] : [])),
    ]);
    const queue = [...ids];
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      for (const m of membersOf.get(id) ?? []) {
        if (!ids.has(m.member_id)) queue.push(m.member_id);
        ids.add(m.member_id);
      }
    }
    wanted = (s) => ids.has(s.id);
  }

  // Aliases a bundle gave: a non-state's own (origin bundle:<its key>), or extra names that a
  // bundle record `{ kind: "STATE", … }` attached to a signatory (origin bundle:<that record's key>).
  const ownAliases = new Map<string, string[]>();
  const attached = new Map<string, { key: string; target: SignatoryRow; names: string[] }>();
  for (const a of aliasRows) {
    const target = signatories.get(a.signatory_id);
    if (!target || !wanted(target)) continue;
    const originKey = a.origin.slice(BUNDLE_ORIGIN.length);
    if (!target.is_built_in && originKey === target.key) {
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
      .filter((s) => !s.is_built_in && wanted(s))
      .map((s) =>
        compact<SignatoryRecord>({
          key: s.key,
          kind: s.kind,
          name: s.name,
          iso3: null,
          aliases: sortedNames(ownAliases.get(s.id)),
          members: [...new Set((membersOf.get(s.id) ?? []).map((m) => ref(m.member_id)).filter((r) => r !== null))].sort(compareText),
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
        publishedOn: date(s.published_on, s.published_on_precision),
        language: s.language,
        unSymbol: s.un_symbol,
        summary: s.summary,
        body: s.body,
      }),
    ),
    people,
    signatories: signatoryRecords,
    statements,
  };
}
