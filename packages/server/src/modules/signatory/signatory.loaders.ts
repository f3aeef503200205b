import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import type { PageRequest } from '../../common/pagination';
import { periodEnd, periodStart } from '../../common/partial-date-range';
import { signatureColumns, type SignatureRow } from '../statement/statement.loaders';
import { groupsFor } from '../../common/group-by';
import { PeekableLoader } from '../../common/peekable-loader';
import { entitiesById } from '../../database/entity-rows';
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
function historyConditions(filter: SignatureHistoryFilter, params: unknown[]): string[] {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (filter.topic) where.push(`t.topics @> ARRAY[${param(filter.topic)}]::text[]`);
  if (filter.forum) where.push(`t.forum = ${param(filter.forum)}`);
  if (filter.dateFrom) where.push(`t.date >= ${param(periodStart(filter.dateFrom))}`);
  if (filter.dateTo) where.push(`t.date <= ${param(periodEnd(filter.dateTo))}`);
  return where;
}

export function signatoryLoaders(em: EntityManager) {
  const signatories = em.getRepository(SignatoryEntity);
  const relatives = (column: 'group_id' | 'member_id', other: 'group_id' | 'member_id') =>
    new DataLoader<string, SignatoryEntity[]>(async (ids) => {
      const rows: { owner: string; id: string }[] = await em.query(
        `SELECT m.${column} AS owner, m.${other} AS id FROM signatory_membership m WHERE m.${column} = ANY($1)`,
        [[...ids]],
      );
      const found = rows.length ? await signatories.find({ where: { id: In([...new Set(rows.map((r) => r.id))]) }, order: { name: 'ASC' } }) : [];
      return ids.map((id) => {
        const mine = new Set(rows.filter((r) => r.owner === id).map((r) => r.id));
        return found.filter((s) => mine.has(s.id));
      });
    });
  return {
    signatoryById: new PeekableLoader<string, SignatoryEntity | null>((ids) => entitiesById(em, SignatoryEntity, ids)),
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
          const params: unknown[] = [[...signatoryIds], page.limit + 1];
          const where = historyConditions(filter, params);
          const param = (value: unknown) => {
            params.push(value);
            return `$${params.length}`;
          };
          if (page.after) where.push(`(t.date, g.id) < (${param(page.after[0])}, ${param(page.after[1])})`);
          if (page.before) where.push(`(t.date, g.id) > (${param(page.before[0])}, ${param(page.before[1])})`);
          const order = page.backward ? 'ASC' : 'DESC';
          const rows: HistoryRow[] = await em.query(
            `SELECT * FROM (
               SELECT ${signatureColumns('g')}, t.date AS "statementDate",
                      row_number() OVER (PARTITION BY g.signatory_id ORDER BY t.date ${order}, g.id ${order}) AS rn
               FROM signature g JOIN statement t ON t.id = g.statement_id
               WHERE t.deleted_at IS NULL AND g.signatory_id = ANY($1) ${where.map((w) => `AND ${w}`).join(' ')}
             ) h WHERE h.rn <= $2 ORDER BY h."signatoryId", h.rn`,
            params,
          );
          return groupsFor(rows, (r) => r.signatoryId, signatoryIds);
        }),
    ),
    historyCountBySignatoryId: memo(
      (filter: SignatureHistoryFilter) =>
        new DataLoader<string, number>(async (signatoryIds) => {
          const params: unknown[] = [[...signatoryIds]];
          const where = historyConditions(filter, params);
          const rows: { id: string; count: number }[] = await em.query(
            `SELECT g.signatory_id AS id, count(*)::int AS count FROM signature g JOIN statement t ON t.id = g.statement_id
             WHERE t.deleted_at IS NULL AND g.signatory_id = ANY($1) ${where.map((w) => `AND ${w}`).join(' ')} GROUP BY g.signatory_id`,
            params,
          );
          return signatoryIds.map((id) => rows.find((r) => r.id === id)?.count ?? 0);
        }),
    ),
  };
}
