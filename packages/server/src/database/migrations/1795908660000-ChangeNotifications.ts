import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table a read can see; a write to any of them makes cached responses stale. */
const WATCHED = ['source', 'person', 'person_role', 'signatory', 'signatory_alias', 'signatory_membership', 'statement', 'signature', 'evidence', 'count_claim', 'revision'];

/**
 * Change notifications: after any statement that writes to an archive table, `pg_notify('jointly_changes', '')`.
 * Postgres delivers notifications when the transaction commits (never for a rolled-back one) and folds
 * identical ones within a transaction, so a write — even a million-row import — sends one. Servers LISTEN and
 * drop their response caches; writes from anywhere (another server, `jointly import`, psql) are seen.
 */
export class ChangeNotifications1795908660000 implements MigrationInterface {
  name = 'ChangeNotifications1795908660000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "jointly_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_notify('jointly_changes', ''); RETURN NULL; END $$`,
    );
    for (const table of WATCHED) {
      await queryRunner.query(
        `CREATE TRIGGER "trg_${table}_notify" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}"
         FOR EACH STATEMENT EXECUTE FUNCTION "jointly_notify_change"()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...WATCHED].reverse()) {
      await queryRunner.query(`DROP TRIGGER "trg_${table}_notify" ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION "jointly_notify_change"()`);
  }
}
