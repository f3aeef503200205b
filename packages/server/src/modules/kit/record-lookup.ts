import type { EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import type { RequestContext } from './context';
import { AppError } from '../../common/errors';
import type { NodeType } from '../../common/global-id';
import { describeTables } from '../../data/tables';
import { entityColumns } from '../../data/entity-rows';
import { MutationFailed, recordRefSql, userError, type UserError, type UserErrorCode } from './mutation';
import { SignatoryService } from '../signatory/signatory.service';

interface SoftDeletable extends ObjectLiteral {
  id: string;
  key: string;
  deletedAt: Date | null;
}

export interface LookupOptions<E extends ObjectLiteral> {
  /** Find deleted records too (for restore). */
  deleted?: boolean;
  /** The error code when nothing matches. */
  code?: UserErrorCode;
  /** One more way to find the record, tried after the key and the global id (e.g. an ISO code for signatories). */
  also?: (repo: Repository<E>, ref: string) => Promise<E | null>;
}

/**
 * The record a mutation argument names, by bundle key or global id (deleted ones only when asked);
 * NOT_FOUND (or the given code) at `path` when there is none.
 */
export async function findRecord<E extends SoftDeletable>(
  tx: RequestContext,
  entity: EntityTarget<E>,
  type: NodeType,
  ref: string,
  path: string[],
  options: LookupOptions<E> = {},
): Promise<E> {
  const repo = tx.em.getRepository(entity);
  const params: unknown[] = [];
  const which = recordRefSql(describeTables(tx.em.connection).of(entity), 't', { ref, type }, params);
  const rows: E[] = await tx.em.query(`SELECT ${entityColumns(tx.em, entity, 't')} FROM "${repo.metadata.tableName}" t WHERE ${which}`, params);
  let row = rows[0] ?? null;
  if (!row && options.also) row = await options.also(repo, ref);
  if (!row || (!options.deleted && row.deletedAt)) {
    throw new MutationFailed([userError(options.code ?? 'NOT_FOUND', path, `no ${type.toLowerCase()} has the id or key "${ref}"`)]);
  }
  return row;
}

const signatories = new SignatoryService();

/**
 * A signatory reference in a mutation's input: its id, or null with INVALID_REFERENCE /
 * AMBIGUOUS_NAME added to `errors` at `path`, so that every bad reference is reported together.
 */
export async function signatoryRef(tx: RequestContext, ref: string, path: string[], errors: UserError[]): Promise<string | null> {
  try {
    return await signatories.idOf(tx, ref, path.join('.'));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    errors.push(userError(error.code === 'AMBIGUOUS_REFERENCE' ? 'AMBIGUOUS_NAME' : 'INVALID_REFERENCE', path, error.message));
    return null;
  }
}
