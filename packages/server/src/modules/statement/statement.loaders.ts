import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { StatementEntity } from './statement.entity';
import { entitiesByColumn, entitiesById, entitiesByUnique, entityColumns } from '../../data/entity-rows';
import type { SeesDeleted } from '../kit/context';
import { SignatureEntity } from './signature.entity';

/** What the API shows of a signature (no timestamps: parsing them is most of the cost of a long list). */
export type SignatureRow = Omit<SignatureEntity, 'statement' | 'signatory' | 'createdAt' | 'updatedAt'>;

/** The select list of a SignatureRow, its columns qualified by `alias` (from the table description). */
export function signatureColumns(em: EntityManager, alias: string): string {
  return entityColumns(em, SignatureEntity, alias, ['createdAt', 'updatedAt']);
}

function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

export function statementLoaders(em: EntityManager, seesDeleted: SeesDeleted) {
  return {
    statementById: new DataLoader<string, StatementEntity | null>(async (ids) => entitiesById(em, StatementEntity, ids, [], await seesDeleted())),
    /** Statements by bundle key (deleted ones only for a request that sees them). */
    statementByKey: new DataLoader<string, StatementEntity | null>(async (keys) => entitiesByUnique(em, StatementEntity, 'key', keys, [], await seesDeleted())),
    /** A signature of a deleted statement is gone with it. */
    signatureById: new DataLoader<string, SignatureRow | null>(async (ids) => {
      const live = (await seesDeleted()) ? '' : 'AND st.deleted_at IS NULL';
      const rows: SignatureRow[] = await em.query(
        `SELECT ${signatureColumns(em, 'g')} FROM signature g JOIN statement st ON st.id = g.statement_id WHERE g.id = ANY($1) ${live}`,
        [[...ids]],
      );
      return byId(rows, ids);
    }),
    /** Replies and counter-statements to each statement that stand, oldest first. */
    responsesByStatementId: new DataLoader<string, StatementEntity[]>((ids) => entitiesByColumn(em, StatementEntity, 'respondsToId', ids, 'date')),
  };
}
