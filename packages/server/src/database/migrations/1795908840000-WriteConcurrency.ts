import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose rows carry an optimistic-locking version. */
const VERSIONED = ['source', 'person', 'signatory', 'statement', 'signature'];

/** Columns the database derives from the others: a change to them alone is no new version. */
const DERIVED = `ARRAY['version', 'search_vector', 'signature_count']`;

const COUNT_BEFORE = `CREATE OR REPLACE FUNCTION "jointly_signature_count"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'INSERT' THEN
           UPDATE statement s SET signature_count = (SELECT count(*) FROM signature g WHERE g.statement_id = s.id AND g.status = 'SIGNED')
           WHERE s.id IN (SELECT statement_id FROM new_rows);
         ELSIF TG_OP = 'DELETE' THEN
           UPDATE statement s SET signature_count = (SELECT count(*) FROM signature g WHERE g.statement_id = s.id AND g.status = 'SIGNED')
           WHERE s.id IN (SELECT statement_id FROM old_rows);
         ELSE
           UPDATE statement s SET signature_count = (SELECT count(*) FROM signature g WHERE g.statement_id = s.id AND g.status = 'SIGNED')
           WHERE s.id IN (SELECT statement_id FROM new_rows UNION SELECT statement_id FROM old_rows);
         END IF;
         RETURN NULL;
       END $$`;

/**
 * Writes that stay right when they race, whoever makes them:
 * - every UPDATE of a versioned row that changes it (derived columns aside) is one new version, set
 *   by a BEFORE UPDATE trigger from the row as it was — an edit in psql is a new version too, so an
 *   API update at the old one is a CONFLICT; a write that changes nothing keeps the version, and
 *   nobody can set it back; a transaction that completes rows it has just written (the import
 *   linking replies to statements of the same bundle) says so with `jointly.same_version` = on
 *   (transaction-local), and those rows keep the version that write gave them;
 * - a statement's signature count is recounted after taking the statement's row lock, so that
 *   writers of one list queue and each counts what the previous one committed (the count read
 *   before the lock missed the signatures of a concurrent transaction).
 * Reverting restores the application's own version steps and the earlier count.
 */
export class WriteConcurrency1795908840000 implements MigrationInterface {
  name = 'WriteConcurrency1795908840000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "jointly_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF to_jsonb(NEW) - ${DERIVED} IS DISTINCT FROM to_jsonb(OLD) - ${DERIVED}
            AND coalesce(current_setting('jointly.same_version', true), '') <> 'on' THEN
           NEW.version := OLD.version + 1;
         ELSE
           NEW.version := OLD.version;
         END IF;
         RETURN NEW;
       END $$`,
    );
    for (const table of VERSIONED) {
      await queryRunner.query(
        `CREATE TRIGGER "trg_${table}_version" BEFORE UPDATE ON "${table}"
         FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION "jointly_bump_version"()`,
      );
    }
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION "jointly_signature_count"() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         ids uuid[];
       BEGIN
         IF TG_OP = 'INSERT' THEN
           SELECT array_agg(DISTINCT statement_id) INTO ids FROM new_rows;
         ELSIF TG_OP = 'DELETE' THEN
           SELECT array_agg(DISTINCT statement_id) INTO ids FROM old_rows;
         ELSE
           SELECT array_agg(statement_id) INTO ids FROM (SELECT statement_id FROM new_rows UNION SELECT statement_id FROM old_rows) u;
         END IF;
         -- In id order, so that two writers of several lists cannot wait for each other.
         PERFORM 1 FROM statement WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
         UPDATE statement s SET signature_count = (SELECT count(*) FROM signature g WHERE g.statement_id = s.id AND g.status = 'SIGNED')
         WHERE s.id = ANY(ids);
         RETURN NULL;
       END $$`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(COUNT_BEFORE);
    for (const table of [...VERSIONED].reverse()) {
      await queryRunner.query(`DROP TRIGGER "trg_${table}_version" ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION "jointly_bump_version"()`);
  }
}
