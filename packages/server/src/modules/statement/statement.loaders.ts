import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { StatementEntity } from './statement.entity';
import { keysetSql, SqlParams, type PageRequest } from '../../common/pagination';
import { groupsFor } from '../../common/group-by';
import { PeekableLoader } from '../../common/peekable-loader';
import { entitiesById, entitiesByUnique } from '../../database/entity-rows';
import type { SeesDeleted } from '../../common/context';
import type { SignatureEntity } from './signature.entity';

/** What the API shows of a signature (no timestamps: parsing them is most of the cost of a long list). */
export type SignatureRow = Omit<SignatureEntity, 'statement' | 'signatory' | 'createdAt' | 'updatedAt'>;

/** The select list of a SignatureRow, its columns qualified by `alias` when given. */
export function signatureColumns(alias?: string): string {
  const c = (column: string) => (alias ? `${alias}.${column}` : column);
  return `${c('id')}, ${c('statement_id')} AS "statementId", ${c('signatory_id')} AS "signatoryId", ${c('position')},
  ${c('name_as_written')} AS "nameAsWritten", ${c('status')}, ${c('joined_on')} AS "joinedOn", ${c('joined_on_precision')} AS "joinedOnPrecision",
  ${c('withdrawn_on')} AS "withdrawnOn", ${c('withdrawn_on_precision')} AS "withdrawnOnPrecision", ${c('version')}`;
}

const SIGNATURE_COLUMNS = signatureColumns();

/** One loader per distinct page request, so `signatures(first: 5)` and `(first: 50)` batch separately. */
function perPage<V>(make: (page: PageRequest) => DataLoader<string, V>) {
  const loaders = new Map<string, DataLoader<string, V>>();
  return (page: PageRequest) => {
    const key = JSON.stringify(page);
    let loader = loaders.get(key);
    if (!loader) loaders.set(key, (loader = make(page)));
    return loader;
  };
}

function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

export function statementLoaders(em: EntityManager, seesDeleted: SeesDeleted) {
  return {
    statementById: new PeekableLoader<string, StatementEntity | null>(async (ids) => entitiesById(em, StatementEntity, ids, [], await seesDeleted())),
    /** Statements by bundle key (deleted ones only for a request that sees them). */
    statementByKey: new DataLoader<string, StatementEntity | null>(async (keys) => entitiesByUnique(em, StatementEntity, 'key', keys, [], await seesDeleted())),
    /** A signature of a deleted statement is gone with it. */
    signatureById: new DataLoader<string, SignatureRow | null>(async (ids) => {
      const live = (await seesDeleted()) ? '' : 'AND st.deleted_at IS NULL';
      const rows: SignatureRow[] = await em.query(
        `SELECT ${signatureColumns('g')} FROM signature g JOIN statement st ON st.id = g.statement_id WHERE g.id = ANY($1) ${live}`,
        [[...ids]],
      );
      return byId(rows, ids);
    }),
    /** Replies and counter-statements to each statement that stand, oldest first. */
    responsesByStatementId: new DataLoader<string, StatementEntity[]>(async (ids) =>
      groupsFor(await em.getRepository(StatementEntity).find({ where: { respondsToId: In([...ids]) }, order: { date: 'ASC', id: 'ASC' } }), (r) => r.respondsToId, ids),
    ),
    /** A page of each statement's signatures, in list order: one SQL statement for every parent. */
    signaturesByStatementId: perPage(
      (page) =>
        new DataLoader<string, SignatureRow[]>(async (statementIds) => {
          const params = new SqlParams();
          const [ids, limit] = [params.add([...statementIds]), params.add(page.limit + 1)];
          const keyset = keysetSql(['s.position', 's.id'], 'ASC', page, params);
          const rows: SignatureRow[] = await em.query(
            `SELECT ${SIGNATURE_COLUMNS} FROM (
               SELECT s.*, row_number() OVER (PARTITION BY s.statement_id ORDER BY ${keyset.orderBy}) AS rn
               FROM signature s WHERE s.statement_id = ANY(${ids}) ${keyset.where.map((w) => `AND ${w}`).join(' ')}
             ) t WHERE t.rn <= ${limit} ORDER BY t.statement_id, t.rn`,
            params.values,
          );
          return groupsFor(rows, (r) => r.statementId, statementIds);
        }),
    ),
    signatureCountByStatementId: new DataLoader<string, number>(async (statementIds) => {
      const rows: { statement_id: string; count: number }[] = await em.query(
        `SELECT statement_id, count(*)::int AS count FROM signature WHERE statement_id = ANY($1) GROUP BY statement_id`,
        [[...statementIds]],
      );
      const byId = new Map(rows.map((r) => [r.statement_id, r.count]));
      return statementIds.map((id) => byId.get(id) ?? 0);
    }),
  };
}
