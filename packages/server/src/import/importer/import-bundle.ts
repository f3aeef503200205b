import type { EntityManager } from 'typeorm';
import { parsePartialDate, type StoredDate } from '../../common/partial-date';
import { normalizeName } from '../../reference/normalize';
import { COLLECTIONS, duplicateKeys, pathOf, segmentsOf } from '../parser/bundle-problems';
import type { UncheckedRecords } from '../parser/checkable';
import type { ParsedBundle } from '../parser/parse-bundle';
import { describeBundleProblem, type Bundle, type BundleProblem, type EvidenceRecord, type SignatoryRecord, type StatementRecord } from '../parser/bundle.types';
import { membershipCycles, replyCycles, type NewEdge } from './cycles';
import { syncChildren, syncChildrenByKey, upsertByKey, type Row, type UpsertResult } from './bulk';
import { NameResolver } from './name-resolver';
import { locateQuote } from './quote';

export interface KindCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportSummary {
  sources: KindCounts;
  people: KindCounts;
  signatories: KindCounts;
  statements: KindCounts;
  signatures: KindCounts;
}

/** Thrown (inside the transaction, so nothing is written) when records do not fit the archive. */
export class ImportProblemsError extends Error {
  override readonly name = 'ImportProblemsError';
  constructor(readonly problems: BundleProblem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${describeBundleProblem(p)}`).join('\n')}`);
  }
}

const counts = (r: UpsertResult): KindCounts => ({ created: r.created, updated: r.updated, unchanged: r.unchanged });

function date(value: string | undefined): StoredDate | { date: null; precision: null } {
  return value === undefined ? { date: null, precision: null } : parsePartialDate(value);
}

export type ImportStep = 'sources' | 'signatories' | 'people' | 'statements' | 'signatures' | 'evidence';
export const IMPORT_STEPS: readonly ImportStep[] = ['sources', 'signatories', 'people', 'statements', 'signatures', 'evidence'];

export interface ImportBundleOptions {
  /** Run every check, then stop before the statements are written (for a bundle that has problems already). */
  checkOnly?: boolean;
  /** Records left out of the checks: references to them are not reported. */
  unchecked?: UncheckedRecords;
  /** The statements, when they are not in `bundle` (read from a file batch by batch); default: the bundle's. */
  statements?: StatementStream;
}

const NO_COUNTS: KindCounts = { created: 0, updated: 0, unchanged: 0 };

/**
 * Writes a validated bundle into the archive through `em`, which must be inside a transaction:
 * every problem found (unknown names, missing references, quotes absent from their source) is
 * collected, and if there is any the whole import throws ImportProblemsError and is rolled back.
 * Each table is written with a constant number of statements, whatever the bundle's size. One
 * phase per kind of record, in the order their references need.
 */
export async function importBundle(
  em: EntityManager,
  bundle: Bundle,
  onStep: (step: ImportStep) => void = () => undefined,
  options: ImportBundleOptions = {},
): Promise<ImportSummary> {
  // Two records with one key cannot be upserted at all (parsed bundles never have them).
  const duplicates = duplicateKeys(bundle as unknown as Record<string, unknown>);
  if (duplicates.length) throw new ImportProblemsError(duplicates.map((d) => ({ path: pathOf(d.at), message: d.message })));
  const run = new BundleImport(em, bundle, options);
  onStep('sources');
  const sources = await run.sources();
  onStep('signatories');
  const signatories = await run.signatories();
  const memberships = await run.memberships(signatories);
  onStep('people');
  const people = await run.people();
  const references = await run.references();
  // Memberships and roles are written once everything before them is sound; a later problem still rolls them back.
  if (run.writing()) {
    await syncChildren(em, { table: 'signatory_membership', parent: 'group_id' }, memberships.groups, memberships.rows);
    await syncChildren(em, { table: 'person_role', parent: 'person_id' }, people.ids, people.roles);
  }
  onStep('statements');
  const statements = await run.statements(references, onStep);
  if (run.problems.length) throw new ImportProblemsError(run.problems);
  if (options.checkOnly) {
    return { sources: NO_COUNTS, people: NO_COUNTS, signatories: NO_COUNTS, statements: NO_COUNTS, signatures: NO_COUNTS };
  }
  await run.linkReplies(statements.links);
  return {
    sources: counts(sources),
    people: counts(people.result),
    signatories: counts(signatories.result),
    statements: statements.totals.statements,
    signatures: statements.totals.signatures,
  };
}

/** The statements' references to records in the bundle or already in the archive. */
interface References {
  stream: StatementStream;
  statementKeys: ReadonlySet<string>;
  existingStatements: Map<string, string>;
}

/** One import's phases and what they share: the problems found so far and the name resolver. */
class BundleImport {
  readonly problems: BundleProblem[] = [];
  private resolver!: NameResolver;

  constructor(
    private readonly em: EntityManager,
    private readonly bundle: Bundle,
    private readonly options: ImportBundleOptions,
  ) {}

  /** Whether to write (nothing is written once a problem is found, or when only checking). */
  writing = () => this.problems.length === 0 && !this.options.checkOnly;

  /** A signatory reference resolved by the name resolver; a problem at `path` when it names none. */
  resolve = (ref: string, path: string): string | null => {
    const found = this.resolver.resolve(ref);
    if ('id' in found) return found.id;
    const unchecked = this.options.unchecked;
    if (!unchecked?.signatories.has(ref.trim()) && !unchecked?.signatories.has(normalizeName(ref))) this.problems.push({ path, message: found.error });
    return null;
  };

  /** Keys of `table`'s live records among `keys`, with their ids. */
  referenced = async (table: string, keys: Iterable<string>): Promise<Map<string, string>> => {
    const list = [...new Set(keys)];
    if (list.length === 0) return new Map();
    const rows: { id: string; key: string }[] = await this.em.query(`SELECT id, key FROM "${table}" WHERE deleted_at IS NULL AND key = ANY($1)`, [list]);
    return new Map(rows.map((r) => [r.key, r.id]));
  };

  sources(): Promise<UpsertResult> {
    return upsertByKey(
      this.em,
      'source',
      (this.bundle.sources ?? []).map((s) => {
        const published = date(s.publishedOn);
        return {
          key: s.key,
          kind: s.kind,
          title: s.title,
          url: s.url ?? null,
          publisher: s.publisher ?? null,
          authors: s.authors ?? [],
          published_on: published.date,
          published_on_precision: published.precision,
          language: s.language ?? null,
          un_symbol: s.unSymbol ?? null,
          summary: s.summary ?? null,
          body: s.body ?? null,
        };
      }),
    );
  }

  /** Signatories named by the bundle (organisations, groups, NGOs), and extra aliases for states. */
  async signatories(): Promise<{ result: UpsertResult; others: SignatoryRecord[] }> {
    const { em, bundle, problems } = this;
    const nonStates = (bundle.signatories ?? []).filter((s) => s.kind !== 'STATE');
    const builtIn: { key: string }[] = nonStates.length
      ? await em.query(`SELECT key FROM signatory WHERE is_built_in AND key = ANY($1)`, [nonStates.map((s) => s.key)])
      : [];
    const reserved = new Set(builtIn.map((r) => r.key));
    bundle.signatories?.forEach((s, i) => {
      if (s.kind !== 'STATE' && reserved.has(s.key)) {
        problems.push({ path: `signatories[${i}].key`, message: `"${s.key}" is the key of a built-in state; choose another key` });
      }
    });
    // A record taking a state's key is not written (it would overwrite the state); the rest is still checked.
    const others = nonStates.filter((s) => !reserved.has(s.key));
    const result = await upsertByKey(
      em,
      'signatory',
      others.map((s) => ({ key: s.key, kind: s.kind, name: s.name, is_built_in: false })),
    );
    this.resolver = await NameResolver.load(em);
    const aliasRows: Row[] = [];
    const aliasParents: string[] = [];
    const bundleSignatoryId = (s: SignatoryRecord, index: number): string | undefined => {
      if (s.kind !== 'STATE') return result.ids.get(s.key);
      if (s.iso3) {
        const state = this.resolver.stateByCode(s.iso3);
        if (!state) problems.push({ path: `signatories[${index}].iso3`, message: `"${s.iso3}" is not the ISO alpha-3 code of a built-in state` });
        return state;
      }
      const found = this.resolver.resolve(s.name);
      if ('id' in found) return found.id;
      problems.push({ path: `signatories[${index}].name`, message: found.error });
      return undefined;
    };
    (bundle.signatories ?? []).forEach((s, i) => {
      if (s.kind !== 'STATE' && reserved.has(s.key)) return;
      const id = bundleSignatoryId(s, i);
      if (!id) return;
      aliasParents.push(id);
      const names = s.kind === 'STATE' ? (s.aliases ?? []) : [s.name, ...(s.aliases ?? [])];
      const seen = new Set<string>();
      for (const name of names) {
        const normalized = normalizeName(name);
        if (!normalized || seen.has(normalized)) continue;
        seen.add(normalized);
        aliasRows.push({ signatory_id: id, name, normalized, kind: 'VARIANT', origin: `bundle:${s.key}` });
      }
    });
    // Each bundle record owns the aliases it gave (origin bundle:<key>); names a signatory already
    // has from elsewhere (the country package, the alias table, another record) are not repeated.
    const origins = [...new Set((bundle.signatories ?? []).map((s) => `bundle:${s.key}`))];
    const known: { signatory_id: string; normalized: string }[] = aliasParents.length
      ? await em.query(`SELECT signatory_id, normalized FROM signatory_alias WHERE signatory_id = ANY($1) AND NOT (origin = ANY($2))`, [
          aliasParents,
          origins,
        ])
      : [];
    const taken = new Set(known.map((k) => `${k.signatory_id}/${k.normalized}`));
    await syncChildren(
      em,
      {
        table: 'signatory_alias',
        parent: 'signatory_id',
        scope: `"origin" IN (${origins.map((o) => `'${o.replace(/'/g, "''")}'`).join(', ') || 'NULL'})`,
      },
      aliasParents,
      aliasRows.filter((r) => !taken.has(`${r.signatory_id as string}/${r.normalized as string}`)),
    );
    if (aliasRows.length || result.created) this.resolver = await NameResolver.load(em);
    return { result, others };
  }

  /** Group membership, resolved and checked (a group cannot contain itself, directly or through others). */
  async memberships(signatories: { result: UpsertResult; others: SignatoryRecord[] }): Promise<{ groups: string[]; rows: Row[] }> {
    const rows: Row[] = [];
    const edges: NewEdge<string>[] = [];
    const groups: string[] = [];
    signatories.others.forEach((s) => {
      const groupId = signatories.result.ids.get(s.key)!;
      const index = this.bundle.signatories!.indexOf(s);
      if (s.members === undefined) return;
      groups.push(groupId);
      const seen = new Set<string>();
      s.members.forEach((ref, j) => {
        const memberId = this.resolve(ref, `signatories[${index}].members[${j}]`);
        if (memberId && !seen.has(memberId)) {
          seen.add(memberId);
          rows.push({ group_id: groupId, member_id: memberId });
          edges.push({ from: groupId, to: memberId, at: `signatories[${index}].members[${j}]` });
        }
      });
    });
    // The archive's memberships included.
    for (const cycle of await membershipCycles(this.em, new Set(groups), edges)) this.problems.push({ path: cycle.at, message: cycle.message });
    return { groups, rows };
  }

  /** People, and their roles resolved (written with the memberships). */
  async people(): Promise<{ result: UpsertResult; ids: string[]; roles: Row[] }> {
    const people = this.bundle.people ?? [];
    const result = await upsertByKey(
      this.em,
      'person',
      people.map((p) => ({ key: p.key, name: p.name, aliases: p.aliases ?? [] })),
    );
    const roles: Row[] = [];
    people.forEach((p, i) =>
      p.roles?.forEach((r, j) => {
        const from = date(r.from);
        const to = date(r.to);
        roles.push({
          person_id: result.ids.get(p.key)!,
          position: j,
          title: r.title,
          signatory_id: r.signatory === undefined ? null : this.resolve(r.signatory, `people[${i}].roles[${j}].signatory`),
          organization: r.organization ?? null,
          from_date: from.date,
          from_precision: from.precision,
          to_date: to.date,
          to_precision: to.precision,
        });
      }),
    );
    return { result, ids: people.map((p) => result.ids.get(p.key)!), roles };
  }

  /** The statements' keys and the statements they respond to; a statement cannot respond to itself through other replies. */
  async references(): Promise<References> {
    const stream = this.options.statements ?? statementsOf(this.bundle);
    const statementKeys = new Set(stream.keys);
    const existingStatements = await this.referenced('statement', stream.replies.map((r) => r.respondsTo));
    const replies = stream.replies.filter((r) => r.respondsTo !== r.key).map((r) => ({ from: r.key, to: r.respondsTo, at: `statements[${r.index}].respondsTo` }));
    for (const cycle of await replyCycles(this.em, statementKeys, replies)) this.problems.push({ path: cycle.at, message: cycle.message });
    return { stream, statementKeys, existingStatements };
  }

  /**
   * Statements in batches of about `batchSignatures` signatures, each checked and then written with a
   * constant number of statements: memory holds one batch, not the bundle's million signatures. Once
   * any problem is found the rest is still checked (every problem is reported) but no longer written.
   */
  async statements(references: References, onStep: (step: ImportStep) => void) {
    const totals = { statements: { ...NO_COUNTS }, signatures: { ...NO_COUNTS } };
    const add = (into: KindCounts, c: KindCounts) => {
      into.created += c.created;
      into.updated += c.updated;
      into.unchanged += c.unchanged;
    };
    const links: { key: string; target: string }[] = [];
    let first = true;
    const { statementKeys, existingStatements } = references;
    for await (const batch of references.stream.batches()) {
      const written = await importStatementBatch(this.em, batch, {
        resolve: this.resolve,
        problems: this.problems,
        unchecked: this.options.unchecked,
        statementKeys,
        existingStatements,
        referenced: this.referenced,
        write: this.writing,
        step: first ? onStep : () => undefined,
      });
      first = false;
      if (written) {
        add(totals.statements, written.statements);
        add(totals.signatures, written.signatures);
      }
      for (const { record } of batch) {
        if (record.respondsTo !== undefined && !existingStatements.has(record.respondsTo)) links.push({ key: record.key, target: record.respondsTo });
      }
    }
    return { totals, links };
  }

  /**
   * Replies to statements created by this same bundle get their link once those exist. The link
   * completes the write above, so it is no version of its own (a new reply stays at version 1).
   */
  async linkReplies(links: { key: string; target: string }[]): Promise<void> {
    if (!links.length) return;
    await this.em.query(`SELECT set_config('jointly.same_version', 'on', true)`);
    await this.em.query(
      `UPDATE statement s SET responds_to_id = t.id
       FROM jsonb_to_recordset($1::jsonb) AS r(key text, target text) JOIN statement t ON t.key = r.target
       WHERE s.key = r.key AND s.responds_to_id IS DISTINCT FROM t.id`,
      [JSON.stringify(links)],
    );
    await this.em.query(`SELECT set_config('jointly.same_version', 'off', true)`);
  }
}

/** The most signatures a batch of statements holds (a statement with more is a batch of its own). */
export const BATCH_SIGNATURES = 10_000;

/** A bundle's statements, for importBundle: what the checks need of all of them, and the records batch by batch. */
export interface StatementStream {
  /** Every statement's key. */
  keys: string[];
  /** Every reply: its statement, the statement it responds to, and its index in the bundle. */
  replies: { key: string; respondsTo: string; index: number }[];
  /** The statements with their index in the bundle, a batch at a time, in the bundle's order. */
  batches(): AsyncIterable<{ index: number; record: StatementRecord }[]>;
}

/** Groups statements into batches of about `batchSignatures` signatures. */
export async function* inBatches(
  records: AsyncIterable<{ index: number; record: StatementRecord }> | Iterable<{ index: number; record: StatementRecord }>,
  batchSignatures = BATCH_SIGNATURES,
): AsyncIterable<{ index: number; record: StatementRecord }[]> {
  let batch: { index: number; record: StatementRecord }[] = [];
  let weight = 0;
  for await (const item of records) {
    const w = Math.max(1, item.record.signatures?.length ?? 0);
    if (batch.length && weight + w > batchSignatures) {
      yield batch;
      batch = [];
      weight = 0;
    }
    batch.push(item);
    weight += w;
  }
  if (batch.length) yield batch;
}

/** The statements of a bundle held in memory, as a stream. */
export function statementsOf(bundle: Bundle, batchSignatures = BATCH_SIGNATURES): StatementStream {
  const statements = bundle.statements ?? [];
  return {
    keys: statements.map((s) => s.key),
    replies: statements.flatMap((s, index) => (s.respondsTo === undefined ? [] : [{ key: s.key, respondsTo: s.respondsTo, index }])),
    batches: () => inBatches(statements.map((record, index) => ({ index, record })), batchSignatures),
  };
}

interface BatchContext {
  resolve(ref: string, path: string): string | null;
  problems: BundleProblem[];
  unchecked: UncheckedRecords | undefined;
  /** Every statement of the bundle. */
  statementKeys: ReadonlySet<string>;
  existingStatements: Map<string, string>;
  referenced(table: string, keys: Iterable<string>): Promise<Map<string, string>>;
  /** Whether to write this batch (nothing is written once a problem is found). */
  write(): boolean;
  step(step: ImportStep): void;
}

/** Checks one batch of statements (problems added to the context's) and writes it when everything so far is sound. */
async function importStatementBatch(em: EntityManager, batch: { index: number; record: StatementRecord }[], ctx: BatchContext): Promise<{ statements: KindCounts; signatures: KindCounts } | null> {
  const { resolve, problems, unchecked } = ctx;
  const statements = batch.map((b) => b.record);
  const personIds = await ctx.referenced('person', statements.flatMap((s) => (s.deliveredBy ? [s.deliveredBy] : [])));
  const sourceKeys = new Set<string>();
  const collectSources = (list: { source: string }[] | undefined) => list?.forEach((e) => sourceKeys.add(e.source));
  for (const s of statements) {
    collectSources(s.evidence);
    collectSources(s.countClaims);
    s.signatures?.forEach((g) => collectSources(g.evidence));
  }
  const sourceRows: { id: string; key: string; body: string | null }[] = sourceKeys.size
    ? await em.query(`SELECT id, key, body FROM source WHERE deleted_at IS NULL AND key = ANY($1)`, [[...sourceKeys]])
    : [];
  const sourceByKey = new Map(sourceRows.map((r) => [r.key, r]));

  const statementRows = batch.map(({ index, record: s }) => {
    const at = `statements[${index}]`;
    const d = parsePartialDate(s.date);
    let deliveredBy: string | null = null;
    if (s.deliveredBy !== undefined) {
      deliveredBy = personIds.get(s.deliveredBy) ?? null;
      if (!deliveredBy && !unchecked?.people.has(s.deliveredBy)) problems.push({ path: `${at}.deliveredBy`, message: `no person has the key "${s.deliveredBy}"` });
    }
    if (s.respondsTo !== undefined && !ctx.statementKeys.has(s.respondsTo) && !ctx.existingStatements.has(s.respondsTo) && !unchecked?.statements.has(s.respondsTo)) {
      problems.push({ path: `${at}.respondsTo`, message: `no statement has the key "${s.respondsTo}"` });
    }
    if (s.respondsTo === s.key) problems.push({ path: `${at}.respondsTo`, message: 'a statement cannot respond to itself' });
    return {
      key: s.key,
      kind: s.kind,
      title: s.title,
      date: d.date,
      date_precision: d.precision,
      forum: s.forum ?? null,
      session: s.session ?? null,
      agenda_item: s.agendaItem ?? null,
      un_symbol: s.unSymbol ?? null,
      topics: s.topics ?? [],
      text: s.text ?? null,
      delivered_by_id: deliveredBy,
      lead_signatory_id: s.leadSignatory === undefined ? null : resolve(s.leadSignatory, `${at}.leadSignatory`),
      claimed_signatory_count: s.claimedSignatoryCount ?? null,
      list_status: s.listStatus ?? null,
      responds_to_id: s.respondsTo === undefined ? null : (ctx.existingStatements.get(s.respondsTo) ?? null),
    };
  });

  // Signatures, evidence and count claims are resolved before anything of the statements is written.
  interface PendingSignature {
    statementKey: string;
    signatoryId: string;
    row: Row;
    evidence: EvidenceRecord[];
    path: string;
  }
  const pendingSignatures: PendingSignature[] = [];
  batch.forEach(({ index: i, record: s }) => {
    const seen = new Map<string, number>();
    s.signatures?.forEach((g, j) => {
      const path = `statements[${i}].signatures[${j}]`;
      const signatoryId = resolve(g.signatory, `${path}.signatory`);
      if (!signatoryId) return;
      const twice = seen.get(signatoryId);
      if (twice !== undefined) {
        problems.push({ path: `${path}.signatory`, message: `"${g.signatory}" is the same signatory as signatures[${twice}]` });
        return;
      }
      seen.set(signatoryId, j);
      const joined = date(g.joinedOn);
      const withdrawn = date(g.withdrawnOn);
      const status = g.status ?? 'SIGNED';
      if (status === 'SIGNED' && g.withdrawnOn !== undefined) {
        problems.push({ path: `${path}.withdrawnOn`, message: 'a signature with a withdrawal date must have status WITHDRAWN' });
      }
      pendingSignatures.push({
        statementKey: s.key,
        signatoryId,
        evidence: g.evidence ?? [],
        path,
        row: {
          position: j,
          name_as_written: g.signatory,
          status,
          joined_on: joined.date,
          joined_on_precision: joined.precision,
          withdrawn_on: withdrawn.date,
          withdrawn_on_precision: withdrawn.precision,
        },
      });
    });
  });

  const evidenceRow = (e: EvidenceRecord, position: number, path: string): Row | null => {
    const source = sourceByKey.get(e.source);
    if (!source) {
      if (!unchecked?.sources.has(e.source)) problems.push({ path: `${path}.source`, message: `no source has the key "${e.source}"` });
      return null;
    }
    let location = null;
    if (e.quote !== undefined && source.body !== null) {
      location = locateQuote(source.body, e.quote);
      if (!location) {
        problems.push({ path: `${path}.quote`, message: `the quote does not occur in the body of source "${e.source}"` });
        return null;
      }
    }
    return {
      source_id: source.id,
      position,
      quote: e.quote ?? null,
      paragraph: location?.paragraph ?? null,
      start_offset: location?.start ?? null,
      end_offset: location?.end ?? null,
    };
  };

  // Check every evidence and count claim now, so that all problems are reported together.
  const statementEvidence = batch.map(({ index: i, record: s }) => (s.evidence ?? []).map((e, j) => evidenceRow(e, j, `statements[${i}].evidence[${j}]`)));
  const claimRows = batch.map(({ index: i, record: s }) =>
    (s.countClaims ?? []).map((c, j) => {
      const e = evidenceRow({ source: c.source, quote: c.quote }, j, `statements[${i}].countClaims[${j}]`);
      return e && { position: e.position, count: c.count, source_id: e.source_id, quote: e.quote };
    }),
  );
  const signatureEvidence = pendingSignatures.map((p) => p.evidence.map((e, j) => evidenceRow(e, j, `${p.path}.evidence[${j}]`)));
  if (!ctx.write()) return null;

  const upserted = await upsertByKey(
    em,
    'statement',
    statementRows,
  );
  const statementIds = statements.map((s) => upserted.ids.get(s.key)!);

  // Signatures: upserted by (statement, signatory); those no longer listed are removed.
  ctx.step('signatures');
  const signatureRows = pendingSignatures.map((p) => ({ ...p.row, statement_id: upserted.ids.get(p.statementKey), signatory_id: p.signatoryId }));
  const signatureCounts = await upsertSignatures(em, statementIds, signatureRows);
  const signatureIds = await em
    .query(`SELECT id, statement_id, signatory_id FROM signature WHERE statement_id = ANY($1)`, [statementIds])
    .then((rows: { id: string; statement_id: string; signatory_id: string }[]) => new Map(rows.map((r) => [`${r.statement_id}/${r.signatory_id}`, r.id])));

  ctx.step('evidence');
  await syncChildren(
    em,
    { table: 'evidence', parent: 'statement_id' },
    statementIds,
    statementEvidence.flatMap((list, i) => list.map((e) => ({ ...e!, statement_id: statementIds[i] }))),
  );
  const signatureIdList = pendingSignatures.map((p) => signatureIds.get(`${upserted.ids.get(p.statementKey)}/${p.signatoryId}`)!);
  await syncChildren(
    em,
    { table: 'evidence', parent: 'signature_id' },
    signatureIdList,
    signatureEvidence.flatMap((list, i) => list.map((e) => ({ ...e!, signature_id: signatureIdList[i] }))),
  );
  await syncChildren(
    em,
    {
      table: 'count_claim',
      parent: 'statement_id',
    },
    statementIds,
    claimRows.flatMap((list, i) => list.map((c) => ({ ...c!, statement_id: statementIds[i] }))),
  );
  return { statements: counts(upserted), signatures: signatureCounts };
}

const RECORD_ORDER: readonly string[] = ['format', ...COLLECTIONS];

/** Problems in the order of the bundle: the bundle's own first, then record by record (stable within one). */
function inBundleOrder(problems: BundleProblem[]): BundleProblem[] {
  const rank = (p: BundleProblem): [number, number] => {
    const [collection, index] = segmentsOf(p.path);
    return [RECORD_ORDER.indexOf(String(collection)), typeof index === 'number' ? index : -1];
  };
  return problems
    .map((p) => ({ p, r: rank(p) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1])
    .map(({ p }) => p);
}

/**
 * Imports a parsed bundle through `em` (inside a transaction), reporting every problem in one go: its
 * own (syntax, schema, keys, dates), and the names, references and quotes of every record they leave
 * usable, which are checked against the archive even when the bundle cannot be written. Throws
 * ImportProblemsError with all of them, in the bundle's order, when there is any.
 */
export async function importParsed(
  em: EntityManager,
  parsed: Pick<ParsedBundle, 'problems' | 'checkable' | 'statements'>,
  onStep?: (step: ImportStep) => void,
  batchSignatures = BATCH_SIGNATURES,
): Promise<ImportSummary> {
  const problems = [...parsed.problems];
  let summary: ImportSummary | undefined;
  if (parsed.checkable) {
    const { bundle, originalPath, unchecked } = parsed.checkable;
    try {
      summary = await importBundle(em, bundle, onStep, { checkOnly: problems.length > 0, unchecked, statements: parsed.statements ?? statementsOf(bundle, batchSignatures) });
    } catch (error) {
      if (!(error instanceof ImportProblemsError)) throw error;
      problems.push(...error.problems.map((p) => ({ ...p, path: originalPath(p.path) })));
    }
  }
  if (problems.length || !summary) throw new ImportProblemsError(inBundleOrder(problems));
  return summary;
}

async function upsertSignatures(em: EntityManager, statementIds: string[], rows: Row[]): Promise<KindCounts> {
  const result = await syncChildrenByKey(em, { table: 'signature', parent: 'statement_id', key: ['signatory_id'] }, statementIds, rows);
  return { created: result.created, updated: result.updated + result.removed, unchanged: result.unchanged };
}
