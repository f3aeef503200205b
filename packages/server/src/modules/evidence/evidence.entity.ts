import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampedEntity } from '../../data/base.columns';
import { SourceEntity } from '../source/source.entity';
import { StatementEntity } from '../statement/statement.entity';
import { SignatureEntity } from '../statement/signature.entity';

/**
 * Provenance: the source (and the exact passage of it) that supports a statement or a signature.
 * `start`/`end` are character offsets of the quote in the source body, `paragraph` its 1-based paragraph.
 */
@Entity({ name: 'evidence' })
@Check('ck_evidence_subject', '("statement_id" IS NULL) <> ("signature_id" IS NULL)')
@Check(
  'ck_evidence_offsets',
  '("start_offset" IS NULL AND "end_offset" IS NULL) OR ("start_offset" >= 0 AND "end_offset" IS NOT NULL AND "end_offset" >= "start_offset")',
)
@Index('ix_evidence_statement_id_position', ['statementId', 'position'])
@Index('ix_evidence_signature_id_position', ['signatureId', 'position'])
export class EvidenceEntity extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_evidence_source_id')
  @Column({ type: 'uuid' })
  sourceId!: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Column({ type: 'uuid', nullable: true })
  statementId!: string | null;

  @ManyToOne(() => StatementEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'statement_id' })
  statement?: StatementEntity;

  @Column({ type: 'uuid', nullable: true })
  signatureId!: string | null;

  @ManyToOne(() => SignatureEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'signature_id' })
  signature?: SignatureEntity;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text', nullable: true })
  quote!: string | null;

  @Column({ type: 'integer', nullable: true })
  paragraph!: number | null;

  @Column({ type: 'integer', nullable: true })
  startOffset!: number | null;

  @Column({ type: 'integer', nullable: true })
  endOffset!: number | null;
}
