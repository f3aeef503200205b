import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TimestampedEntity } from '../../data/base.columns';
import { DATE_PRECISIONS, type DatePrecision } from '../../common/partial-date';
import { oneOf } from '../../common/enums';
import { PersonEntity } from './person.entity';
import { SignatoryEntity } from '../signatory/signatory.entity';

/** A title a person held, optionally representing a signatory, over a period. */
@Entity({ name: 'person_role' })
@Unique('uq_person_role_person_id_position', ['personId', 'position'])
@Check('ck_person_role_from_precision', oneOf('from_precision', DATE_PRECISIONS))
@Check('ck_person_role_to_precision', oneOf('to_precision', DATE_PRECISIONS))
export class PersonRoleEntity extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: PersonEntity;

  /** Order of the role in the person's list. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  title!: string;

  @Index('ix_person_role_signatory_id')
  @Column({ type: 'uuid', nullable: true })
  signatoryId!: string | null;

  @ManyToOne(() => SignatoryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'signatory_id' })
  signatory?: SignatoryEntity;

  @Column({ type: 'text', nullable: true })
  organization!: string | null;

  @Column({ type: 'date', nullable: true })
  fromDate!: string | null;

  @Column({ type: 'varchar', length: 5, nullable: true })
  fromPrecision!: DatePrecision | null;

  @Column({ type: 'date', nullable: true })
  toDate!: string | null;

  @Column({ type: 'varchar', length: 5, nullable: true })
  toPrecision!: DatePrecision | null;
}
