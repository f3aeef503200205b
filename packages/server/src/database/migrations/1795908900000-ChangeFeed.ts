import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed (`changes`): every revision row names the transaction that wrote it
 * (`jointly_txid()`: `pg_current_xact_id()`, 64 bits, never wrapping, as a bigint), and the feed pages by (transaction, revision)
 * over the transactions older than the oldest one still running. A revision number is taken when
 * the row is written, not when its transaction commits, so paging by it alone would step over a
 * long transaction that commits after a later one: by transaction, nothing is listed until all
 * before it have ended, and nothing is ever added before a position once listed.
 *
 * The rows written before this migration get 0: they are committed, in revision order.
 */
export class ChangeFeed1795908900000 implements MigrationInterface {
  name = 'ChangeFeed1795908900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "jointly_txid"() RETURNS bigint LANGUAGE sql VOLATILE PARALLEL RESTRICTED AS $$ SELECT pg_current_xact_id()::text::bigint $$`,
    );
    await queryRunner.query(`ALTER TABLE "revision" ADD "txid" bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "revision" ALTER COLUMN "txid" SET DEFAULT jointly_txid()`);
    await queryRunner.query(`CREATE INDEX "ix_revision_txid_id" ON "revision" ("txid", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_revision_txid_id"`);
    await queryRunner.query(`ALTER TABLE "revision" DROP COLUMN "txid"`);
    await queryRunner.query(`DROP FUNCTION "jointly_txid"()`);
  }
}
