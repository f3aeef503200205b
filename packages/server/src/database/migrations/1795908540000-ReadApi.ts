import type { MigrationInterface, QueryRunner } from 'typeorm';

const SEARCH_TRIGGERS: { table: string; vector: string; columns: string }[] = [
  {
    table: 'statement',
    columns: 'title, forum, session, topics, un_symbol, text',
    vector: `setweight(to_tsvector('jointly', coalesce(NEW.title, '')), 'A')
      || setweight(to_tsvector('jointly', concat_ws(' ', NEW.forum, NEW.session, array_to_string(NEW.topics, ' '), NEW.un_symbol)), 'B')
      || setweight(to_tsvector('jointly', coalesce(NEW.text, '')), 'C')`,
  },
  {
    table: 'source',
    columns: 'title, summary, publisher, authors, un_symbol, body',
    vector: `setweight(to_tsvector('jointly', coalesce(NEW.title, '')), 'A')
      || setweight(to_tsvector('jointly', concat_ws(' ', NEW.summary, NEW.publisher, array_to_string(NEW.authors, ' '), NEW.un_symbol)), 'B')
      || setweight(to_tsvector('jointly', coalesce(NEW.body, '')), 'C')`,
  },
  {
    table: 'person',
    columns: 'name, aliases',
    vector: `setweight(to_tsvector('jointly', coalesce(NEW.name, '')), 'A')
      || setweight(to_tsvector('jointly', array_to_string(NEW.aliases, ' ')), 'B')`,
  },
  {
    table: 'signatory',
    columns: 'name, official_name',
    vector: `setweight(to_tsvector('jointly', coalesce(NEW.name, '')), 'A')
      || setweight(to_tsvector('jointly', coalesce(NEW.official_name, '')), 'B')`,
  },
];

/**
 * What the read API filters, orders and searches by:
 * - full-text search: an accent-insensitive English configuration `jointly` (unaccent, then the
 *   English stemmer), a weighted tsvector per searchable table (title over body) kept by triggers,
 *   and GIN indexes;
 * - statement.signature_count (signatures with status SIGNED), kept by statement-level triggers on
 *   signature, for ordering by the size of the list;
 * - B-tree indexes for every filter and order, and a GIN index on topics.
 * Reverting drops only derived data (vectors, counts, indexes); no record is lost.
 */
export class ReadApi1795908540000 implements MigrationInterface {
  name = 'ReadApi1795908540000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TEXT SEARCH CONFIGURATION "jointly" (COPY = english)`);
    await queryRunner.query(
      `ALTER TEXT SEARCH CONFIGURATION "jointly" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem`,
    );
    for (const { table, vector, columns } of SEARCH_TRIGGERS) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "search_vector" tsvector`);
      await queryRunner.query(
        `CREATE FUNCTION "jointly_${table}_search_vector"() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN NEW.search_vector := ${vector}; RETURN NEW; END $$`,
      );
      await queryRunner.query(
        `CREATE TRIGGER "trg_${table}_search_vector" BEFORE INSERT OR UPDATE OF ${columns} ON "${table}"
         FOR EACH ROW EXECUTE FUNCTION "jointly_${table}_search_vector"()`,
      );
      await queryRunner.query(`UPDATE "${table}" SET "${columns.split(', ')[0]}" = "${columns.split(', ')[0]}"`);
      await queryRunner.query(`CREATE INDEX "ix_${table}_search" ON "${table}" USING gin ("search_vector")`);
    }

    await queryRunner.query(`ALTER TABLE "statement" ADD "signature_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `CREATE FUNCTION "jointly_signature_count"() RETURNS trigger LANGUAGE plpgsql AS $$
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
       END $$`,
    );
    for (const [event, tables] of [
      ['INSERT', 'NEW TABLE AS new_rows'],
      ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
      ['DELETE', 'OLD TABLE AS old_rows'],
    ] as const) {
      await queryRunner.query(
        `CREATE TRIGGER "trg_signature_count_${event.toLowerCase()}" AFTER ${event} ON "signature"
         REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION "jointly_signature_count"()`,
      );
    }
    await queryRunner.query(
      `UPDATE statement s SET signature_count = (SELECT count(*) FROM signature g WHERE g.statement_id = s.id AND g.status = 'SIGNED')`,
    );

    await queryRunner.query(`CREATE INDEX "ix_signatory_kind" ON "signatory" ("kind")`);
    await queryRunner.query(`CREATE INDEX "ix_signatory_name_id" ON "signatory" ("name", "id")`);
    await queryRunner.query(`CREATE INDEX "ix_source_publisher" ON "source" ("publisher")`);
    await queryRunner.query(`CREATE INDEX "ix_source_kind" ON "source" ("kind")`);
    // Undated sources sort as the oldest; the expression is the one the sources list orders by.
    await queryRunner.query(`CREATE INDEX "ix_source_published_on_id" ON "source" ((coalesce("published_on", DATE '0001-01-01')), "id")`);
    await queryRunner.query(`CREATE INDEX "ix_person_name_id" ON "person" ("name", "id")`);
    await queryRunner.query(`CREATE INDEX "ix_statement_session" ON "statement" ("session")`);
    await queryRunner.query(`CREATE INDEX "ix_statement_forum" ON "statement" ("forum")`);
    await queryRunner.query(`CREATE INDEX "ix_statement_kind" ON "statement" ("kind")`);
    await queryRunner.query(`CREATE INDEX "ix_statement_signature_count_id" ON "statement" ("signature_count", "id")`);
    await queryRunner.query(`CREATE INDEX "ix_statement_title_id" ON "statement" ("title", "id")`);
    await queryRunner.query(`CREATE INDEX "ix_statement_topics" ON "statement" USING gin ("topics")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'ix_statement_topics',
      'ix_statement_title_id',
      'ix_statement_signature_count_id',
      'ix_statement_kind',
      'ix_statement_forum',
      'ix_statement_session',
      'ix_person_name_id',
      'ix_source_published_on_id',
      'ix_source_kind',
      'ix_source_publisher',
      'ix_signatory_name_id',
      'ix_signatory_kind',
    ]) {
      await queryRunner.query(`DROP INDEX "${index}"`);
    }
    for (const event of ['insert', 'update', 'delete']) {
      await queryRunner.query(`DROP TRIGGER "trg_signature_count_${event}" ON "signature"`);
    }
    await queryRunner.query(`DROP FUNCTION "jointly_signature_count"()`);
    await queryRunner.query(`ALTER TABLE "statement" DROP COLUMN "signature_count"`);
    for (const { table } of [...SEARCH_TRIGGERS].reverse()) {
      await queryRunner.query(`DROP INDEX "ix_${table}_search"`);
      await queryRunner.query(`DROP TRIGGER "trg_${table}_search_vector" ON "${table}"`);
      await queryRunner.query(`DROP FUNCTION "jointly_${table}_search_vector"()`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "search_vector"`);
    }
    await queryRunner.query(`DROP TEXT SEARCH CONFIGURATION "jointly"`);
  }
}
