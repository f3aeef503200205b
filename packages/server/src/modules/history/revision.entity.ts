import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { oneOf } from '../../common/enums';

export const REVISION_ACTIONS = ['INSERT', 'UPDATE', 'DELETE'] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

/**
 * One change to one row, written by database triggers (migration Curation) for every write —
 * mutation, import or SQL — with who and how taken from the transaction's settings
 * `jointly.actor` and `jointly.via`.
 */
@Entity({ name: 'revision' })
@Index('ix_revision_record_id_id', ['recordId', 'id'])
@Index('ix_revision_row_id_id', ['rowId', 'id'])
@Index('ix_revision_txid_id', ['txid', 'id'])
@Check('ck_revision_action', oneOf('action', REVISION_ACTIONS))
export class RevisionEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  /** The token name behind the write, or "system"/"cli" for other writers. */
  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  /** How: a mutation name, "import <file>", "seed"… */
  @Column({ type: 'text', nullable: true })
  via!: string | null;

  @Column({ type: 'varchar', length: 8 })
  action!: RevisionAction;

  @Column({ type: 'text' })
  tableName!: string;

  @Column({ type: 'uuid' })
  rowId!: string;

  /** The record the row belongs to: the statement of a signature, the person of a role… */
  @Column({ type: 'uuid', nullable: true })
  recordId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: Record<string, unknown> | null;

  /** The transaction that wrote it (`jointly_txid()`, from `pg_current_xact_id()`): the change feed's order (migration ChangeFeed). */
  @Column({ type: 'bigint', default: () => 'jointly_txid()' })
  txid!: string;
}
