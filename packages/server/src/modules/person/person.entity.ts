import { DeleteDateColumn, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { VersionedEntity } from '../../data/base.columns';

/** Someone who delivers statements or holds a role, e.g. a Permanent Representative. */
@Entity({ name: 'person' })
@Unique('uq_person_key', ['key'])
@Index('ix_person_name_id', ['name', 'id'])
@Index('ix_person_search', { synchronize: false })
export class PersonEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 120 })
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true })
  aliases!: string[];

  /** Weighted full-text vector, kept by a trigger (migration ReadApi). */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string | null;

  /** Set when the record is deleted (soft: it stays, with its history, and can be restored). */
  @DeleteDateColumn({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
