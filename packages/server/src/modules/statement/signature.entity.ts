import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { VersionedEntity } from '../../data/base.columns';
import { oneOf, SIGNATURE_STATUSES, type SignatureStatus } from '../../common/enums';
import { DATE_PRECISIONS, type DatePrecision } from '../../common/partial-date';
import { SignatoryEntity } from '../signatory/signatory.entity';
import { StatementEntity } from './statement.entity';

/** One signatory's adherence to a statement, with the name as the source wrote it. */
@Entity({ name: 'signature' })
@Unique('uq_signature_statement_id_signatory_id', ['statementId', 'signatoryId'])
@Index('ix_signature_statement_id_position', ['statementId', 'position'])
@Check('ck_signature_status', oneOf('status', SIGNATURE_STATUSES))
@Check('ck_signature_joined_on_precision', oneOf('joined_on_precision', DATE_PRECISIONS))
@Check('ck_signature_withdrawn_on_precision', oneOf('withdrawn_on_precision', DATE_PRECISIONS))
export class SignatureEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  statementId!: string;

  @ManyToOne(() => StatementEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'statement_id' })
  statement?: StatementEntity;

  @Index('ix_signature_signatory_id')
  @Column({ type: 'uuid' })
  signatoryId!: string;

  @ManyToOne(() => SignatoryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'signatory_id' })
  signatory?: SignatoryEntity;

  /** Order in the statement's list as published. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  nameAsWritten!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: SignatureStatus;

  @Column({ type: 'date', nullable: true })
  joinedOn!: string | null;

  @Column({ type: 'varchar', length: 5, nullable: true })
  joinedOnPrecision!: DatePrecision | null;

  @Column({ type: 'date', nullable: true })
  withdrawnOn!: string | null;

  @Column({ type: 'varchar', length: 5, nullable: true })
  withdrawnOnPrecision!: DatePrecision | null;
}
