import { CreateDateColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** created_at / updated_at (timestamptz), shared by every table. */
export abstract class TimestampedEntity {
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** Timestamps plus an optimistic-locking version, for records that are edited on their own. */
export abstract class VersionedEntity extends TimestampedEntity {
  @VersionColumn({ type: 'integer' })
  version!: number;
}
