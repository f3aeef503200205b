import { DeleteDateColumn, Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { VersionedEntity } from '../../data/base.columns';
import {
  LIST_STATUSES,
  oneOf,
  STATEMENT_KINDS,
  type ListStatus,
  type StatementKind,
} from '../../common/enums';
import { DATE_PRECISIONS, type DatePrecision } from '../../common/partial-date';
import { PersonEntity } from '../person/person.entity';
import { SignatoryEntity } from '../signatory/signatory.entity';

/** A joint statement, letter, reply or resolution, delivered at a forum on a date. */
@Entity({ name: 'statement' })
@Unique('uq_statement_key', ['key'])
@Index('ix_statement_date_id', ['date', 'id'])
@Index('ix_statement_title_id', ['title', 'id'])
@Index('ix_statement_signature_count_id', ['signatureCount', 'id'])
@Index('ix_statement_kind', ['kind'])
@Index('ix_statement_session', ['session'])
// Expression indexes on jointly_fold(forum) and jointly_fold_all(topics), for the filters that ignore case and accents (migration FoldedFilters).
@Index('ix_statement_folded_forum', { synchronize: false })
@Index('ix_statement_folded_topics', { synchronize: false })
@Index('ix_statement_search', { synchronize: false })
@Check('ck_statement_kind', oneOf('kind', STATEMENT_KINDS))
@Check('ck_statement_date_precision', oneOf('date_precision', DATE_PRECISIONS))
@Check('ck_statement_list_status', oneOf('list_status', LIST_STATUSES))
@Check('ck_statement_claimed_signatory_count', '"claimed_signatory_count" >= 0')
export class StatementEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 120 })
  key!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: StatementKind;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'varchar', length: 5 })
  datePrecision!: DatePrecision;

  @Column({ type: 'text', nullable: true })
  forum!: string | null;

  @Column({ type: 'text', nullable: true })
  session!: string | null;

  @Column({ type: 'text', nullable: true })
  agendaItem!: string | null;

  @Column({ type: 'text', nullable: true })
  unSymbol!: string | null;

  @Column({ type: 'text', array: true })
  topics!: string[];

  @Column({ type: 'text', nullable: true })
  text!: string | null;

  @Index('ix_statement_delivered_by_id')
  @Column({ type: 'uuid', nullable: true })
  deliveredById!: string | null;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'delivered_by_id' })
  deliveredBy?: PersonEntity;

  @Index('ix_statement_lead_signatory_id')
  @Column({ type: 'uuid', nullable: true })
  leadSignatoryId!: string | null;

  @ManyToOne(() => SignatoryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'lead_signatory_id' })
  leadSignatory?: SignatoryEntity;

  /** The count the statement itself claims ("on behalf of 43 countries"). */
  @Column({ type: 'integer', nullable: true })
  claimedSignatoryCount!: number | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  listStatus!: ListStatus | null;

  @Index('ix_statement_responds_to_id')
  @Column({ type: 'uuid', nullable: true })
  respondsToId!: string | null;

  @ManyToOne(() => StatementEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'responds_to_id' })
  respondsTo?: StatementEntity;

  /** Signatures with status SIGNED; kept by a trigger on signature (migration ReadApi). */
  @Column({ type: 'integer', default: 0 })
  signatureCount!: number;

  /** Weighted full-text vector (title A; forum, topics, symbol B; text C); kept by a trigger. */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string | null;

  /** Set when the record is deleted (soft: it stays, with its history, and can be restored). */
  @DeleteDateColumn({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
