import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Edit distance in the database (fuzzystrmatch's `levenshtein_less_equal`), so that "did you mean"
 * for an unknown signatory name is worked out there, beside the trigram similarity of pg_trgm,
 * rather than over every known name in the server process.
 */
export class EditDistance1795908780000 implements MigrationInterface {
  name = 'EditDistance1795908780000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS "fuzzystrmatch"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP EXTENSION IF EXISTS "fuzzystrmatch"`);
  }
}
