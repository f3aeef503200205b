import { DeleteDateColumn, Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { VersionedEntity } from '../../data/base.columns';
import { oneOf, SOURCE_KINDS, type SourceKind } from '../../common/enums';
import { DATE_PRECISIONS, type DatePrecision } from '../../common/partial-date';

/** A document that says something: a news article, a UN document, an NGO page… */
@Entity({ name: 'source' })
@Unique('uq_source_key', ['key'])
@Index('ix_source_published_on_id', { synchronize: false })
@Index('ix_source_kind', ['kind'])
@Index('ix_source_publisher', ['publisher'])
@Index('ix_source_search', { synchronize: false })
@Check('ck_source_kind', oneOf('kind', SOURCE_KINDS))
@Check('ck_source_published_on_precision', oneOf('published_on_precision', DATE_PRECISIONS))
export class SourceEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 120 })
  key!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: SourceKind;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ type: 'text', nullable: true })
  publisher!: string | null;

  @Column({ type: 'text', array: true })
  authors!: string[];

  @Column({ type: 'date', nullable: true })
  publishedOn!: string | null;

  @Column({ type: 'varchar', length: 5, nullable: true })
  publishedOnPrecision!: DatePrecision | null;

  @Column({ type: 'varchar', length: 35, nullable: true })
  language!: string | null;

  @Column({ type: 'text', nullable: true })
  unSymbol!: string | null;

  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  @Column({ type: 'text', nullable: true })
  body!: string | null;

  /** Weighted full-text vector, kept by a trigger (migration ReadApi). */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string | null;

  /** Set when the record is deleted (soft: it stays, with its history, and can be restored). */
  @DeleteDateColumn({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
