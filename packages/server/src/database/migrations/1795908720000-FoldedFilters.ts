import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Topic and forum filters that ignore case and accents ("xinjiang", "Tibét", "un human rights council"):
 * - `jointly_fold(text)`: lower case, accents removed (unaccent). unaccent() itself is only STABLE (it
 *   looks its dictionary up by name), so it cannot appear in an index; this wrapper names the
 *   dictionary by schema and is declared IMMUTABLE, the usual way to index it. Everything in its body
 *   is schema-qualified, so it gives the same answer whatever the caller's search_path (PostgreSQL 17
 *   runs index maintenance with a restricted one);
 * - `jointly_fold_all(text[])`: the same for every element of an array (topics);
 * - expression indexes on the folded forum (B-tree) and the folded topics (GIN), replacing the plain
 *   ones, which no query uses any more.
 * Reverting restores the plain indexes and drops the functions; no record changes.
 */
export class FoldedFilters1795908720000 implements MigrationInterface {
  name = 'FoldedFilters1795908720000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // unaccent lives where its extension was created (NameMatching): public, unless it existed elsewhere before.
    const [found] = (await queryRunner.query(
      `SELECT quote_ident(n.nspname) AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'`,
    )) as { schema: string }[];
    const schema = found?.schema ?? 'public';
    const fold = (value: string) => `pg_catalog.lower(${schema}.unaccent('${schema.replace(/'/g, "''")}.unaccent'::pg_catalog.regdictionary, ${value}))`;
    await queryRunner.query(
      `CREATE FUNCTION "jointly_fold"(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT ${fold('value')} $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION "jointly_fold_all"(items text[]) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
       SELECT COALESCE(pg_catalog.array_agg(${fold('item')}), '{}') FROM pg_catalog.unnest(items) AS item $$`,
    );
    await queryRunner.query(`DROP INDEX "ix_statement_forum"`);
    await queryRunner.query(`DROP INDEX "ix_statement_topics"`);
    await queryRunner.query(`CREATE INDEX "ix_statement_folded_forum" ON "statement" ("jointly_fold"("forum"))`);
    await queryRunner.query(`CREATE INDEX "ix_statement_folded_topics" ON "statement" USING gin ("jointly_fold_all"("topics"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_statement_folded_topics"`);
    await queryRunner.query(`DROP INDEX "ix_statement_folded_forum"`);
    await queryRunner.query(`CREATE INDEX "ix_statement_topics" ON "statement" USING gin ("topics")`);
    await queryRunner.query(`CREATE INDEX "ix_statement_forum" ON "statement" ("forum")`);
    await queryRunner.query(`DROP FUNCTION "jointly_fold_all"(text[])`);
    await queryRunner.query(`DROP FUNCTION "jointly_fold"(text)`);
  }
}
