import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fuzzy name matching for signatories: pg_trgm (similarity suggestions for names that match nothing)
 * and unaccent (accent-insensitive search), with a trigram index over the normalised aliases.
 * Reverting drops only the index and leaves the extensions, which other objects may use.
 */
export class NameMatching1795908480000 implements MigrationInterface {
  name = 'NameMatching1795908480000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS "pg_trgm"`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS "unaccent"`);
    await queryRunner.query(
      `CREATE INDEX "ix_signatory_alias_normalized_trgm" ON "signatory_alias" USING gin ("normalized" gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_signatory_alias_normalized_trgm"`);
  }
}
