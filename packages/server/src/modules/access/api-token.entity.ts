import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { oneOf } from '../../common/enums';

export const ROLES = ['editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A bearer token for writes. Only its SHA-256 is stored; the token itself is shown once, at creation. */
@Entity({ name: 'api_token' })
@Unique('uq_api_token_name', ['name'])
@Unique('uq_api_token_token_hash', ['tokenHash'])
@Check('ck_api_token_role', oneOf('role', ROLES))
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Who holds it, e.g. "alice" or "nightly-import"; recorded as the actor of every write made with it. */
  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  /** Hex SHA-256 of the token. */
  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  /** The first characters of the token, to tell tokens apart in listings. */
  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
