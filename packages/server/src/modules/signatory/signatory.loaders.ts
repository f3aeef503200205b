import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { SqlParams, type PageRequest } from '../../common/pagination';
import { periodEnd, periodStart } from '../../common/partial-date-range';
import { forumCondition, topicCondition } from '../statement/statement-conditions';
import { signatureColumns, type SignatureRow } from '../statement/statement.loaders';
import { groupsFor } from '../../common/group-by';
import { PeekableLoader } from '../../common/peekable-loader';
import { entitiesById } from '../../database/entity-rows';
import type { SeesDeleted } from '../../common/context';
import { NameResolver } from '../../import/importer/name-resolver';
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

/** SQL conditions on statement t for a history filter; values are appended to params. */
function historyConditions(filter: SignatureHistoryFilter, params: SqlParams): string[] {
  const where: string[] = [];
  if (filter.topic) where.push(topicCondition('t', params.add(filter.topic)));
  if (filter.forum) where.push(forumCondition('t', params.add(filter.forum)));
  if (filter.dateFrom) where.push(`t.date >= ${params.add(periodStart(filter.dateFrom))}`);
  if (filter.dateTo) where.push(`t.date <= ${params.add(periodEnd(filter.dateTo))}`);
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
  let resolver: Promise<NameResolver> | undefined;
  return {
    /** Every signatory and name (two queries), loaded once per request, and only when a reference misses the indexed lookup. */
    nameResolver: () => (resolver ??= NameResolver.load(em)),
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
