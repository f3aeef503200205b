import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { VersionedEntity } from '../../database/base.columns';

/** Someone who delivers statements or holds a role, e.g. a Permanent Representative. */
@Entity({ name: 'person' })
@Unique('uq_person_key', ['key'])
export class PersonEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 120 })
  key!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true })
  aliases!: string[];
}
