import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SignatoryEntity } from './signatory.entity';

/** A member of a group or organisation, e.g. Kuwait in the Gulf Cooperation Council. */
@Entity({ name: 'signatory_membership' })
export class SignatoryMembershipEntity {
  @PrimaryColumn({ type: 'uuid' })
  groupId!: string;

  @ManyToOne(() => SignatoryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: SignatoryEntity;

  @Index('ix_signatory_membership_member_id')
  @PrimaryColumn({ type: 'uuid' })
  memberId!: string;

  @ManyToOne(() => SignatoryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: SignatoryEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
