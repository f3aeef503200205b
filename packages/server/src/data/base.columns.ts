import { Column, CreateDateColumn, UpdateDateColumn } from 'typeorm';

/** created_at / updated_at (timestamptz), shared by every table. */
export abstract class TimestampedEntity {
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * Timestamps plus an optimistic-locking version, for records that are edited on their own. The
 * database steps it on every write that changes the row, whoever writes (migration WriteConcurrency).
 */
export abstract class VersionedEntity extends TimestampedEntity {
  @Column({ type: 'integer' })
  version!: number;
}
