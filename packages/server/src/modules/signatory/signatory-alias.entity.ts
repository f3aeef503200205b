import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TimestampedEntity } from '../../data/base.columns';
import { ALIAS_KINDS, oneOf, type AliasKind } from '../../common/enums';
import { SignatoryEntity } from './signatory.entity';

/** One name a signatory is known by, with its normalised form for matching. */
@Entity({ name: 'signatory_alias' })
@Unique('uq_signatory_alias_signatory_id_normalized', ['signatoryId', 'normalized'])
@Index('ix_signatory_alias_normalized_trgm', { synchronize: false })
@Check('ck_signatory_alias_kind', oneOf('kind', ALIAS_KINDS))
export class SignatoryAliasEntity extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  signatoryId!: string;

  @ManyToOne(() => SignatoryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'signatory_id' })
  signatory?: SignatoryEntity;

  /** The name as written, e.g. "Côte d'Ivoire". */
  @Column({ type: 'text' })
  name!: string;

  /** Lower case, accents and punctuation folded, leading "the" dropped: "cote d ivoire". */
  @Index('ix_signatory_alias_normalized')
  @Column({ type: 'text' })
  normalized!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: AliasKind;

  /** Where the alias comes from: the country package, the archive's alias table, or a bundle key. */
  @Column({ type: 'text' })
  origin!: string;
}
