import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { SqlParams, type PageRequest, type SqlBinder } from '../../common/pagination';
import { periodEnd, periodStart } from '../../common/partial-date-range';
import { forumCondition, topicCondition } from '../statement/statement-conditions';
import { signatureColumns, type SignatureRow } from '../statement/statement.loaders';
import { groupsFor } from '../../common/group-by';
import { PeekableLoader } from '../../common/peekable-loader';
import { entitiesById } from '../../database/entity-rows';
import { entityColumns } from '../../database/entity-rows';
import { MAX_REF_LENGTH } from '../../import/importer/name-resolver';
import { articleFreeSql, normalizeName, withoutArticles } from '../../reference/normalize';
import type { SeesDeleted } from '../../common/context';
import { SignatoryAliasEntity } from './signatory-alias.entity';
import { SignatoryEntity } from './signatory.entity';
import type { SignatureHistoryFilter } from './signatory.input';

/** A signature with the date of its statement, the key of a signatory's history. */
export type HistoryRow = SignatureRow & { statementDate: string };

function memo<K, V>(make: (key: K) => V): (key: K) => V {
  const cache = new Map<string, V>();
  return (key) => {
    const id = JSON.stringify(key);
    let value = cache.get(id);
    if (value === undefined) cache.set(id, (value = make(key)));
    return value;
  };
}

/**
 * The signatories each reference (trimmed) matches by NameResolver's rule, in one SQL statement for all
 * of them: an exact code (any case) or key, else every signatory with that normalised name; only for
 * a reference that matches nothing so, the names compared without articles. Deleted signatories are
 * left out. Each list is by name; when the exact code or key picks one signatory among several, only it.
 */
async function signatoriesByRef(em: EntityManager, refs: readonly string[]): Promise<SignatoryEntity[][]> {
  // A reference over the SignatoryRef limit matches nothing: it is not even normalised.
  const distinct = [...new Set(refs)].filter((ref) => ref.length <= MAX_REF_LENGTH);
  if (distinct.length === 0) return refs.map(() => []);
  const normalized = distinct.map(normalizeName);
  const rows: (SignatoryEntity & { ord: number })[] = await em.query(
    `WITH r AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS r(ref, normalized, article_free, ord)),
     matched AS (
       SELECT r.ord, s.id FROM r JOIN signatory s ON s.iso3 = upper(r.ref) AND s.deleted_at IS NULL
       UNION SELECT r.ord, s.id FROM r JOIN signatory s ON s.iso2 = upper(r.ref) AND s.deleted_at IS NULL
       UNION SELECT r.ord, s.id FROM r JOIN signatory s ON s.key = r.ref AND s.deleted_at IS NULL
       UNION SELECT r.ord, s.id FROM r JOIN signatory_alias a ON a.normalized = r.normalized
         JOIN signatory s ON s.id = a.signatory_id AND s.deleted_at IS NULL),
     loose AS (
       SELECT DISTINCT r.ord, a.signatory_id AS id
       FROM r JOIN signatory_alias a ON ${articleFreeSql('a.normalized')} = r.article_free
       JOIN signatory s ON s.id = a.signatory_id AND s.deleted_at IS NULL
       WHERE r.article_free <> '' AND NOT EXISTS (SELECT 1 FROM matched m WHERE m.ord = r.ord))
     SELECT m.ord::int AS ord, ${entityColumns(em, SignatoryEntity, 's')}
     FROM (SELECT * FROM matched UNION ALL SELECT * FROM loose) m JOIN signatory s ON s.id = m.id
     ORDER BY m.ord, s.name, s.id`,
    [distinct, normalized, normalized.map(withoutArticles)],
  );
  const byRef = new Map<string, SignatoryEntity[]>();
  for (const { ord, ...row } of rows) {
    const ref = distinct[ord - 1]!;
    let list = byRef.get(ref);
    if (!list) byRef.set(ref, (list = []));
    list.push(row as SignatoryEntity);
  }
  return refs.map((ref) => {
    const found = byRef.get(ref) ?? [];
    const upper = ref.toUpperCase();
    const exact = found.filter((r) => r.iso3 === upper || r.iso2 === upper || r.key === ref);
    return exact.length === 1 ? exact : found;
  });
}

/** SQL conditions on statement `t` (its alias) for a history filter; values are appended to params. */
export function historyConditions(filter: SignatureHistoryFilter, params: SqlBinder, t = 't'): string[] {
  const where: string[] = [];
  if (filter.topic) where.push(topicCondition(t, params.add(filter.topic)));
  if (filter.forum) where.push(forumCondition(t, params.add(filter.forum)));
  if (filter.dateFrom) where.push(`${t}.date >= ${params.add(periodStart(filter.dateFrom))}`);
  if (filter.dateTo) where.push(`${t}.date <= ${params.add(periodEnd(filter.dateTo))}`);
  return where;
}

export function signatoryLoaders(em: EntityManager, seesDeleted: SeesDeleted) {
  const signatories = em.getRepository(SignatoryEntity);
  const relatives = (column: 'group_id' | 'member_id', other: 'group_id' | 'member_id') =>
    new DataLoader<string, SignatoryEntity[]>(async (ids) => {
      const rows: { owner: string; id: string }[] = await em.query(
        `SELECT m.${column} AS owner, m.${other} AS id FROM signatory_membership m WHERE m.${column} = ANY($1)`,
        [[...ids]],
      );
      // find() leaves deleted signatories out: a deleted group or member is off the list.
      const found = rows.length ? await signatories.find({ where: { id: In([...new Set(rows.map((r) => r.id))]) }, order: { name: 'ASC' } }) : [];
      return ids.map((id) => {
        const mine = new Set(rows.filter((r) => r.owner === id).map((r) => r.id));
        return found.filter((s) => mine.has(s.id));
      });
    });
  return {
    /**
     * The signatories a trimmed reference matches (several: ambiguous): every reference asked in one
     * tick — a filter's lists, aliases of `signatory(ref:)` — in one SQL statement, each distinct one
     * once. Not cached, so that a mutation sees the signatories it has just written.
     */
    signatoriesByRef: new DataLoader<string, SignatoryEntity[]>((refs) => signatoriesByRef(em, refs), { cache: false }),
    signatoryById: new PeekableLoader<string, SignatoryEntity | null>(async (ids) => entitiesById(em, SignatoryEntity, ids, [], await seesDeleted())),
    aliasesBySignatoryId: new DataLoader<string, SignatoryAliasEntity[]>(async (ids) => {
      const rows = await em.getRepository(SignatoryAliasEntity).find({ where: { signatoryId: In([...ids]) }, order: { normalized: 'ASC' } });
      return ids.map((id) => rows.filter((r) => r.signatoryId === id));
    }),
    membersByGroupId: relatives('group_id', 'member_id'),
    groupsByMemberId: relatives('member_id', 'group_id'),
    /** A page of each signatory's signing history, newest statement first: one SQL statement for every parent. */
    historyBySignatoryId: memo(
      ({ page, filter }: { page: PageRequest; filter: SignatureHistoryFilter }) =>
        new DataLoader<string, HistoryRow[]>(async (signatoryIds) => {
          const params = new SqlParams();
          const limit = params.add(page.limit + 1);
          const where = historyConditions(filter, params);
          // The cursor's date alone bounds the statements too, so an index scan on statement(date)
          // can start at the cursor rather than at the newest statement.
          if (page.after) {
            const [date, id] = [params.add(page.after[0]), params.add(page.after[1])];
            where.push(`t.date <= ${date}`, `(t.date, g.id) < (${date}, ${id})`);
          }
          if (page.before) {
            const [date, id] = [params.add(page.before[0]), params.add(page.before[1])];
            where.push(`t.date >= ${date}`, `(t.date, g.id) > (${date}, ${id})`);
          }
          const order = page.backward ? 'ASC' : 'DESC';
          // One ORDER BY … LIMIT per signatory, each planned for its own id: for a state with thousands
          // of signatures PostgreSQL walks the statements by date and stops when the page is full; for
          // one with a handful it reads them all and sorts them. (A window over every signatory's whole
          // history sorted all of it, on every page.)
          const branch = (signatoryId: string) =>
            `(SELECT ${signatureColumns('g')}, t.date AS "statementDate"
              FROM signature g JOIN statement t ON t.id = g.statement_id
              WHERE t.deleted_at IS NULL AND g.signatory_id = ${params.add(signatoryId)} ${where.map((w) => `AND ${w}`).join(' ')}
              ORDER BY t.date ${order}, g.id ${order} LIMIT ${limit})`;
          const rows: HistoryRow[] = await em.query(
            `SELECT * FROM (${signatoryIds.map(branch).join(' UNION ALL ')}) h ORDER BY h."statementDate" ${order}, h.id ${order}`,
            params.values,
          );
          return groupsFor(rows, (r) => r.signatoryId, signatoryIds);
        }),
    ),
    historyCountBySignatoryId: memo(
      (filter: SignatureHistoryFilter) =>
        new DataLoader<string, number>(async (signatoryIds) => {
          const params = new SqlParams();
          const ids = params.add([...signatoryIds]);
          const where = historyConditions(filter, params);
          const rows: { id: string; count: number }[] = await em.query(
            `SELECT g.signatory_id AS id, count(*)::int AS count FROM signature g JOIN statement t ON t.id = g.statement_id
             WHERE t.deleted_at IS NULL AND g.signatory_id = ANY(${ids}) ${where.map((w) => `AND ${w}`).join(' ')} GROUP BY g.signatory_id`,
            params.values,
          );
          return signatoryIds.map((id) => rows.find((r) => r.id === id)?.count ?? 0);
        }),
    ),
  };
}
