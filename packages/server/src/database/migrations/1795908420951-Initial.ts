import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795908420951 implements MigrationInterface {
  name = 'Initial1795908420951';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "source" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "key" character varying(120) NOT NULL, "kind" character varying(32) NOT NULL, "title" text NOT NULL, "url" text, "publisher" text, "authors" text array NOT NULL, "published_on" date, "published_on_precision" character varying(5), "language" character varying(35), "un_symbol" text, "summary" text, "body" text, CONSTRAINT "uq_source_key" UNIQUE ("key"), CONSTRAINT "ck_source_published_on_precision" CHECK ("published_on_precision" IN ('YEAR', 'MONTH', 'DAY')), CONSTRAINT "ck_source_kind" CHECK ("kind" IN ('NEWS_ARTICLE', 'UN_DOCUMENT', 'GOVERNMENT_PAGE', 'NGO_PAGE', 'PRESS_RELEASE', 'TRANSCRIPT', 'OTHER')), CONSTRAINT "pk_source" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "person" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "key" character varying(120) NOT NULL, "name" text NOT NULL, "aliases" text array NOT NULL, CONSTRAINT "uq_person_key" UNIQUE ("key"), CONSTRAINT "pk_person" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "signatory" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "key" character varying(120) NOT NULL, "kind" character varying(16) NOT NULL, "name" text NOT NULL, "official_name" text, "iso2" character(2), "iso3" character(3), "m49" character(3), "un_status" character varying(8), "is_built_in" boolean NOT NULL, CONSTRAINT "uq_signatory_m49" UNIQUE ("m49"), CONSTRAINT "uq_signatory_iso3" UNIQUE ("iso3"), CONSTRAINT "uq_signatory_iso2" UNIQUE ("iso2"), CONSTRAINT "uq_signatory_key" UNIQUE ("key"), CONSTRAINT "ck_signatory_un_status" CHECK ("un_status" IN ('MEMBER', 'OBSERVER')), CONSTRAINT "ck_signatory_kind" CHECK ("kind" IN ('STATE', 'ORGANIZATION', 'GROUP', 'NGO')), CONSTRAINT "pk_signatory" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "statement" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "key" character varying(120) NOT NULL, "kind" character varying(32) NOT NULL, "title" text NOT NULL, "date" date NOT NULL, "date_precision" character varying(5) NOT NULL, "forum" text, "session" text, "agenda_item" text, "un_symbol" text, "topics" text array NOT NULL, "text" text, "delivered_by_id" uuid, "lead_signatory_id" uuid, "claimed_signatory_count" integer, "list_status" character varying(16), "responds_to_id" uuid, CONSTRAINT "uq_statement_key" UNIQUE ("key"), CONSTRAINT "ck_statement_claimed_signatory_count" CHECK ("claimed_signatory_count" >= 0), CONSTRAINT "ck_statement_list_status" CHECK ("list_status" IN ('COMPLETE', 'PARTIAL', 'UNPUBLISHED')), CONSTRAINT "ck_statement_date_precision" CHECK ("date_precision" IN ('YEAR', 'MONTH', 'DAY')), CONSTRAINT "ck_statement_kind" CHECK ("kind" IN ('JOINT_STATEMENT', 'JOINT_LETTER', 'NATIONAL_STATEMENT', 'RIGHT_OF_REPLY', 'RESOLUTION', 'OTHER')), CONSTRAINT "pk_statement" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_statement_delivered_by_id" ON "statement" ("delivered_by_id")`);
    await queryRunner.query(`CREATE INDEX "ix_statement_lead_signatory_id" ON "statement" ("lead_signatory_id")`);
    await queryRunner.query(`CREATE INDEX "ix_statement_responds_to_id" ON "statement" ("responds_to_id")`);
    await queryRunner.query(`CREATE INDEX "ix_statement_date_id" ON "statement" ("date", "id")`);
    await queryRunner.query(`CREATE TABLE "signature" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "statement_id" uuid NOT NULL, "signatory_id" uuid NOT NULL, "position" integer NOT NULL, "name_as_written" text NOT NULL, "status" character varying(16) NOT NULL, "joined_on" date, "joined_on_precision" character varying(5), "withdrawn_on" date, "withdrawn_on_precision" character varying(5), CONSTRAINT "uq_signature_statement_id_signatory_id" UNIQUE ("statement_id", "signatory_id"), CONSTRAINT "ck_signature_withdrawn_on_precision" CHECK ("withdrawn_on_precision" IN ('YEAR', 'MONTH', 'DAY')), CONSTRAINT "ck_signature_joined_on_precision" CHECK ("joined_on_precision" IN ('YEAR', 'MONTH', 'DAY')), CONSTRAINT "ck_signature_status" CHECK ("status" IN ('SIGNED', 'WITHDRAWN')), CONSTRAINT "pk_signature" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_signature_signatory_id" ON "signature" ("signatory_id")`);
    await queryRunner.query(`CREATE INDEX "ix_signature_statement_id_position" ON "signature" ("statement_id", "position")`);
    await queryRunner.query(`CREATE TABLE "evidence" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "source_id" uuid NOT NULL, "statement_id" uuid, "signature_id" uuid, "position" integer NOT NULL, "quote" text, "paragraph" integer, "start_offset" integer, "end_offset" integer, CONSTRAINT "ck_evidence_offsets" CHECK (("start_offset" IS NULL AND "end_offset" IS NULL) OR ("start_offset" >= 0 AND "end_offset" IS NOT NULL AND "end_offset" >= "start_offset")), CONSTRAINT "ck_evidence_subject" CHECK (("statement_id" IS NULL) <> ("signature_id" IS NULL)), CONSTRAINT "pk_evidence" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_evidence_source_id" ON "evidence" ("source_id")`);
    await queryRunner.query(`CREATE INDEX "ix_evidence_signature_id_position" ON "evidence" ("signature_id", "position")`);
    await queryRunner.query(`CREATE INDEX "ix_evidence_statement_id_position" ON "evidence" ("statement_id", "position")`);
    await queryRunner.query(`CREATE TABLE "person_role" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "position" integer NOT NULL, "title" text NOT NULL, "signatory_id" uuid, "organization" text, "from_date" date, "from_precision" character varying(5), "to_date" date, "to_precision" character varying(5), CONSTRAINT "uq_person_role_person_id_position" UNIQUE ("person_id", "position"), CONSTRAINT "ck_person_role_to_precision" CHECK ("to_precision" IN ('YEAR', 'MONTH', 'DAY')), CONSTRAINT "ck_person_role_from_precision" CHECK ("from_precision" IN ('YEAR', 'MONTH', 'DAY')), CONSTRAINT "pk_person_role" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_person_role_signatory_id" ON "person_role" ("signatory_id")`);
    await queryRunner.query(`CREATE TABLE "signatory_alias" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "signatory_id" uuid NOT NULL, "name" text NOT NULL, "normalized" text NOT NULL, "kind" character varying(16) NOT NULL, "origin" text NOT NULL, CONSTRAINT "uq_signatory_alias_signatory_id_normalized" UNIQUE ("signatory_id", "normalized"), CONSTRAINT "ck_signatory_alias_kind" CHECK ("kind" IN ('COMMON', 'OFFICIAL', 'SHORT', 'FORMER', 'ABBREVIATION', 'VARIANT', 'CODE')), CONSTRAINT "pk_signatory_alias" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_signatory_alias_normalized" ON "signatory_alias" ("normalized")`);
    await queryRunner.query(`CREATE TABLE "signatory_membership" ("group_id" uuid NOT NULL, "member_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_signatory_membership" PRIMARY KEY ("group_id", "member_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_signatory_membership_member_id" ON "signatory_membership" ("member_id")`);
    await queryRunner.query(`CREATE TABLE "count_claim" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "statement_id" uuid NOT NULL, "position" integer NOT NULL, "count" integer NOT NULL, "source_id" uuid NOT NULL, "quote" text, CONSTRAINT "uq_count_claim_statement_id_position" UNIQUE ("statement_id", "position"), CONSTRAINT "ck_count_claim_count" CHECK ("count" >= 0), CONSTRAINT "pk_count_claim" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_count_claim_source_id" ON "count_claim" ("source_id")`);
    await queryRunner.query(`ALTER TABLE "statement" ADD CONSTRAINT "fk_statement_delivered_by_id" FOREIGN KEY ("delivered_by_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "statement" ADD CONSTRAINT "fk_statement_lead_signatory_id" FOREIGN KEY ("lead_signatory_id") REFERENCES "signatory"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "statement" ADD CONSTRAINT "fk_statement_responds_to_id" FOREIGN KEY ("responds_to_id") REFERENCES "statement"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "signature" ADD CONSTRAINT "fk_signature_statement_id" FOREIGN KEY ("statement_id") REFERENCES "statement"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "signature" ADD CONSTRAINT "fk_signature_signatory_id" FOREIGN KEY ("signatory_id") REFERENCES "signatory"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "evidence" ADD CONSTRAINT "fk_evidence_source_id" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "evidence" ADD CONSTRAINT "fk_evidence_statement_id" FOREIGN KEY ("statement_id") REFERENCES "statement"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "evidence" ADD CONSTRAINT "fk_evidence_signature_id" FOREIGN KEY ("signature_id") REFERENCES "signature"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "person_role" ADD CONSTRAINT "fk_person_role_person_id" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "person_role" ADD CONSTRAINT "fk_person_role_signatory_id" FOREIGN KEY ("signatory_id") REFERENCES "signatory"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "signatory_alias" ADD CONSTRAINT "fk_signatory_alias_signatory_id" FOREIGN KEY ("signatory_id") REFERENCES "signatory"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "signatory_membership" ADD CONSTRAINT "fk_signatory_membership_group_id" FOREIGN KEY ("group_id") REFERENCES "signatory"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "signatory_membership" ADD CONSTRAINT "fk_signatory_membership_member_id" FOREIGN KEY ("member_id") REFERENCES "signatory"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "count_claim" ADD CONSTRAINT "fk_count_claim_statement_id" FOREIGN KEY ("statement_id") REFERENCES "statement"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "count_claim" ADD CONSTRAINT "fk_count_claim_source_id" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "count_claim" DROP CONSTRAINT "fk_count_claim_source_id"`);
    await queryRunner.query(`ALTER TABLE "count_claim" DROP CONSTRAINT "fk_count_claim_statement_id"`);
    await queryRunner.query(`ALTER TABLE "signatory_membership" DROP CONSTRAINT "fk_signatory_membership_member_id"`);
    await queryRunner.query(`ALTER TABLE "signatory_membership" DROP CONSTRAINT "fk_signatory_membership_group_id"`);
    await queryRunner.query(`ALTER TABLE "signatory_alias" DROP CONSTRAINT "fk_signatory_alias_signatory_id"`);
    await queryRunner.query(`ALTER TABLE "person_role" DROP CONSTRAINT "fk_person_role_signatory_id"`);
    await queryRunner.query(`ALTER TABLE "person_role" DROP CONSTRAINT "fk_person_role_person_id"`);
    await queryRunner.query(`ALTER TABLE "evidence" DROP CONSTRAINT "fk_evidence_signature_id"`);
    await queryRunner.query(`ALTER TABLE "evidence" DROP CONSTRAINT "fk_evidence_statement_id"`);
    await queryRunner.query(`ALTER TABLE "evidence" DROP CONSTRAINT "fk_evidence_source_id"`);
    await queryRunner.query(`ALTER TABLE "signature" DROP CONSTRAINT "fk_signature_signatory_id"`);
    await queryRunner.query(`ALTER TABLE "signature" DROP CONSTRAINT "fk_signature_statement_id"`);
    await queryRunner.query(`ALTER TABLE "statement" DROP CONSTRAINT "fk_statement_responds_to_id"`);
    await queryRunner.query(`ALTER TABLE "statement" DROP CONSTRAINT "fk_statement_lead_signatory_id"`);
    await queryRunner.query(`ALTER TABLE "statement" DROP CONSTRAINT "fk_statement_delivered_by_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_count_claim_source_id"`);
    await queryRunner.query(`DROP TABLE "count_claim"`);
    await queryRunner.query(`DROP INDEX "public"."ix_signatory_membership_member_id"`);
    await queryRunner.query(`DROP TABLE "signatory_membership"`);
    await queryRunner.query(`DROP INDEX "public"."ix_signatory_alias_normalized"`);
    await queryRunner.query(`DROP TABLE "signatory_alias"`);
    await queryRunner.query(`DROP INDEX "public"."ix_person_role_signatory_id"`);
    await queryRunner.query(`DROP TABLE "person_role"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evidence_statement_id_position"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evidence_signature_id_position"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evidence_source_id"`);
    await queryRunner.query(`DROP TABLE "evidence"`);
    await queryRunner.query(`DROP INDEX "public"."ix_signature_statement_id_position"`);
    await queryRunner.query(`DROP INDEX "public"."ix_signature_signatory_id"`);
    await queryRunner.query(`DROP TABLE "signature"`);
    await queryRunner.query(`DROP INDEX "public"."ix_statement_date_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_statement_responds_to_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_statement_lead_signatory_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_statement_delivered_by_id"`);
    await queryRunner.query(`DROP TABLE "statement"`);
    await queryRunner.query(`DROP TABLE "signatory"`);
    await queryRunner.query(`DROP TABLE "person"`);
    await queryRunner.query(`DROP TABLE "source"`);
  }
}
