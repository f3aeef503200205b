import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Audited tables and the column naming the record each row belongs to (evidence: statement, else signature). */
const AUDITED: [table: string, recordColumns: string[]][] = [
  ['source', ['id']],
  ['person', ['id']],
  ['person_role', ['person_id']],
  ['signatory', ['id']],
  ['signatory_alias', ['signatory_id']],
  ['signatory_membership', ['group_id']],
  ['statement', ['id']],
  ['signature', ['statement_id']],
  ['evidence', ['statement_id', 'signature_id']],
  ['count_claim', ['statement_id']],
];

const SOFT_DELETED = ['source', 'person', 'signatory', 'statement'];

/**
 * Curation: write tokens, soft deletes, and the revision history.
 * Every INSERT, UPDATE and DELETE on the archive's tables is recorded by statement-level triggers
 * (one INSERT … SELECT per statement, however many rows it touched) with the row before and after
 * (derived columns left out), and who and how from the transaction settings jointly.actor and
 * jointly.via. An UPDATE that changes nothing but derived columns is not recorded.
 * Reverting drops the history, the tokens and the deletion marks (the records themselves stay).
 */
export class Curation1795908600000 implements MigrationInterface {
  name = 'Curation1795908600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(120) NOT NULL, "role" character varying(16) NOT NULL, "token_hash" character(64) NOT NULL, "prefix" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_api_token_token_hash" UNIQUE ("token_hash"), CONSTRAINT "uq_api_token_name" UNIQUE ("name"), CONSTRAINT "ck_api_token_role" CHECK ("role" IN ('editor', 'admin')), CONSTRAINT "pk_api_token" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "revision" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor" text, "via" text, "action" character varying(8) NOT NULL, "table_name" text NOT NULL, "row_id" uuid NOT NULL, "record_id" uuid, "before" jsonb, "after" jsonb, CONSTRAINT "ck_revision_action" CHECK ("action" IN ('INSERT', 'UPDATE', 'DELETE')), CONSTRAINT "pk_revision" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_revision_row_id_id" ON "revision" ("row_id", "id")`);
    await queryRunner.query(`CREATE INDEX "ix_revision_record_id_id" ON "revision" ("record_id", "id")`);
    for (const table of SOFT_DELETED) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "deleted_at" TIMESTAMP WITH TIME ZONE`);
    }
    await queryRunner.query(
      `CREATE FUNCTION "jointly_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         actor text := nullif(current_setting('jointly.actor', true), '');
         via text := nullif(current_setting('jointly.via', true), '');
       BEGIN
         IF TG_OP = 'INSERT' THEN
           INSERT INTO revision (actor, via, action, table_name, row_id, record_id, before, after)
           SELECT actor, via, 'INSERT', TG_TABLE_NAME, jointly_row_id(j), jointly_record_id(j, TG_ARGV), NULL, j
           FROM (SELECT to_jsonb(n) - 'search_vector' - 'signature_count' AS j FROM new_rows n) t;
         ELSIF TG_OP = 'DELETE' THEN
           INSERT INTO revision (actor, via, action, table_name, row_id, record_id, before, after)
           SELECT actor, via, 'DELETE', TG_TABLE_NAME, jointly_row_id(j), jointly_record_id(j, TG_ARGV), j, NULL
           FROM (SELECT to_jsonb(o) - 'search_vector' - 'signature_count' AS j FROM old_rows o) t;
         ELSE
           INSERT INTO revision (actor, via, action, table_name, row_id, record_id, before, after)
           SELECT actor, via, 'UPDATE', TG_TABLE_NAME, jointly_row_id(a), jointly_record_id(a, TG_ARGV), b, a
           FROM (SELECT to_jsonb(o) - 'search_vector' - 'signature_count' AS b, jointly_row_id(to_jsonb(o)) AS id FROM old_rows o) x
           JOIN (SELECT to_jsonb(n) - 'search_vector' - 'signature_count' AS a, jointly_row_id(to_jsonb(n)) AS id FROM new_rows n) y USING (id)
           WHERE b - 'updated_at' IS DISTINCT FROM a - 'updated_at';
         END IF;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION "jointly_row_id"(j jsonb) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
       SELECT coalesce(j->>'id', j->>'member_id')::uuid $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION "jointly_record_id"(j jsonb, columns text[]) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
       SELECT (SELECT j->>c FROM unnest(columns) WITH ORDINALITY AS u(c, i) WHERE j->>c IS NOT NULL ORDER BY i LIMIT 1)::uuid $$`,
    );
    for (const [table, columns] of AUDITED) {
      const args = columns.map((c) => `'${c}'`).join(', ');
      for (const [event, tables] of [
        ['INSERT', 'NEW TABLE AS new_rows'],
        ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
        ['DELETE', 'OLD TABLE AS old_rows'],
      ] as const) {
        await queryRunner.query(
          `CREATE TRIGGER "trg_${table}_audit_${event.toLowerCase()}" AFTER ${event} ON "${table}"
           REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION "jointly_audit"(${args})`,
        );
      }
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of [...AUDITED].reverse()) {
      for (const event of ['delete', 'update', 'insert']) {
        await queryRunner.query(`DROP TRIGGER "trg_${table}_audit_${event}" ON "${table}"`);
      }
    }
    await queryRunner.query(`DROP FUNCTION "jointly_record_id"(jsonb, text[])`);
    await queryRunner.query(`DROP FUNCTION "jointly_row_id"(jsonb)`);
    await queryRunner.query(`DROP FUNCTION "jointly_audit"()`);
    for (const table of [...SOFT_DELETED].reverse()) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "deleted_at"`);
    }
    await queryRunner.query(`DROP INDEX "ix_revision_record_id_id"`);
    await queryRunner.query(`DROP INDEX "ix_revision_row_id_id"`);
    await queryRunner.query(`DROP TABLE "revision"`);
    await queryRunner.query(`DROP TABLE "api_token"`);
  }
}
