import { DeleteDateColumn, Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { VersionedEntity } from '../../data/base.columns';
import { oneOf, SIGNATORY_KINDS, UN_STATUSES, type SignatoryKind, type UnStatus } from '../../common/enums';

/** An actor that signs statements: a state (built in), an organisation, a group or an NGO. */
@Entity({ name: 'signatory' })
@Unique('uq_signatory_key', ['key'])
@Index('ix_signatory_name_id', ['name', 'id'])
@Index('ix_signatory_kind', ['kind'])
@Index('ix_signatory_search', { synchronize: false })
@Unique('uq_signatory_iso2', ['iso2'])
@Unique('uq_signatory_iso3', ['iso3'])
@Unique('uq_signatory_m49', ['m49'])
@Check('ck_signatory_kind', oneOf('kind', SIGNATORY_KINDS))
@Check('ck_signatory_un_status', oneOf('un_status', UN_STATUSES))
export class SignatoryEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 120 })
  key!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: SignatoryKind;

  /** The common name, e.g. "Germany". */
  @Column({ type: 'text' })
  name!: string;

  /** The official name, e.g. "Federal Republic of Germany". */
  @Column({ type: 'text', nullable: true })
  officialName!: string | null;

  @Column({ type: 'char', length: 2, nullable: true })
  iso2!: string | null;

  @Column({ type: 'char', length: 3, nullable: true })
  iso3!: string | null;

  /** UN M49 numeric code, zero-padded ("276"). */
  @Column({ type: 'char', length: 3, nullable: true })
  m49!: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  unStatus!: UnStatus | null;

  /** Built-in reference data (the states), maintained by the archive rather than by bundles. */
  @Column({ type: 'boolean' })
  isBuiltIn!: boolean;

  /** Weighted full-text vector, kept by a trigger (migration ReadApi). */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string | null;

  /** Set when the record is deleted (soft: it stays, with its history, and can be restored). */
  @DeleteDateColumn({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
