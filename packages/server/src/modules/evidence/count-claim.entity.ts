import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TimestampedEntity } from '../../data/base.columns';
import { SourceEntity } from '../source/source.entity';
import { StatementEntity } from '../statement/statement.entity';

/** A count of signatories reported by a source, which may disagree with the list. */
@Entity({ name: 'count_claim' })
@Unique('uq_count_claim_statement_id_position', ['statementId', 'position'])
@Check('ck_count_claim_count', '"count" >= 0')
export class CountClaimEntity extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  statementId!: string;

  @ManyToOne(() => StatementEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'statement_id' })
  statement?: StatementEntity;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'integer' })
  count!: number;

  @Index('ix_count_claim_source_id')
  @Column({ type: 'uuid' })
  sourceId!: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Column({ type: 'text', nullable: true })
  quote!: string | null;
}
