import type { DataSource } from 'typeorm';
import { describeTables, type Tables } from '../../src/data/tables';
import type { RunningServer } from '../../src/index';
import { startTestServer } from '../support/test-database';

/**
 * The table description (data/tables.ts) is built from the entities; the database is built by the
 * migrations. They must say the same of every table, column, key, relation and order.
 */
describe('the table description matches the migrated database', () => {
  let server: RunningServer;
  let dataSource: DataSource;
  let tables: Tables;
  const query = <T>(sql: string, params: unknown[] = []) => dataSource.query(sql, params) as Promise<T[]>;

  beforeAll(async () => {
    server = await startTestServer();
    dataSource = server.database.dataSource;
    tables = describeTables(dataSource);
  });
  afterAll(() => server?.stop());

  it('describes every table of the archive, and only those', async () => {
    const rows = await query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migration' ORDER BY 1`,
    );
    expect(tables.all.map((t) => t.name).sort()).toEqual(rows.map((r) => r.name));
    expect(describeTables(dataSource)).toBe(tables);
  });

  it('has every column, with its nullability and array-ness', async () => {
    for (const table of tables.all) {
      const rows = await query<{ name: string; nullable: string; type: string }>(
        `SELECT column_name AS name, is_nullable AS nullable, data_type AS type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
        [table.name],
      );
      const inDatabase = new Map(rows.map((r) => [r.name, r]));
      for (const column of table.columns) {
        const found = inDatabase.get(column.name);
        expect({ table: table.name, column: column.name, found: found !== undefined }).toEqual({ table: table.name, column: column.name, found: true });
        expect({ table: table.name, column: column.name, nullable: found!.nullable === 'YES', array: found!.type === 'ARRAY' }).toEqual({
          table: table.name,
          column: column.name,
          nullable: column.nullable,
          array: column.array,
        });
      }
      // Columns the database has and the description lacks: none (the search vectors are the database's own).
      const described = new Set(table.columns.map((c) => c.name));
      expect([...inDatabase.keys()].filter((name) => !described.has(name) && name !== 'search_vector')).toEqual([]);
    }
  });

  it('names the primary key, the natural key, soft delete and the version of each table', async () => {
    const constraints = await query<{ table: string; type: string; columns: string[] }>(
      `SELECT c.conrelid::regclass::text AS table, c.contype AS type, array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
       WHERE c.contype IN ('p', 'u') AND c.connamespace = 'public'::regnamespace GROUP BY c.oid, c.conrelid, c.contype`,
    );
    for (const table of tables.all) {
      const own = constraints.filter((c) => c.table === table.name);
      expect(own.find((c) => c.type === 'p')?.columns).toEqual(table.primaryKey);
      if (table.naturalKey) expect(own.some((c) => c.type === 'u' && c.columns.join() === table.naturalKey)).toBe(true);
    }
    const soft = tables.all.filter((t) => t.softDelete).map((t) => t.name).sort();
    expect(soft).toEqual(['person', 'signatory', 'source', 'statement']);
    expect(tables.all.filter((t) => t.version).map((t) => t.name).sort()).toEqual(['person', 'signatory', 'signature', 'source', 'statement']);
    expect(tables.of('statement').naturalKey).toBe('key');
    expect(tables.of('signature').naturalKey).toBeNull();
  });

  it('has a foreign key behind every relation', async () => {
    const keys = await query<{ from: string; column: string; to: string }>(
      `SELECT c.conrelid::regclass::text AS from, a.attname AS column, c.confrelid::regclass::text AS to
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
    );
    const has = (from: string, column: string, to: string) => keys.some((k) => k.from === from && k.column === column && k.to === to);
    let relations = 0;
    for (const table of tables.all) {
      for (const relation of table.relations) {
        relations++;
        const ok = relation.kind === 'one' ? has(table.name, relation.column, relation.table) : has(relation.table, relation.column, table.name);
        expect({ table: table.name, relation: relation.property, ok }).toEqual({ table: table.name, relation: relation.property, ok: true });
      }
    }
    expect(relations).toBeGreaterThan(10);
    expect(tables.of('signature').relations).toEqual(expect.arrayContaining([{ property: 'statement', kind: 'one', table: 'statement', column: 'statement_id' }]));
  });

  it('orders lists only by indexes that exist, column for column', async () => {
    const indexes = await query<{ name: string; columns: string[] }>(
      `SELECT i.relname AS name, array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
       GROUP BY i.relname`,
    );
    const byName = new Map(indexes.map((i) => [i.name, i.columns]));
    for (const table of tables.all) {
      for (const ordering of table.orderings) expect({ index: ordering.index, columns: byName.get(ordering.index) }).toEqual({ index: ordering.index, columns: ordering.columns });
    }
    expect(tables.of('statement').orderings.map((o) => o.columns)).toEqual(expect.arrayContaining([['date', 'id'], ['title', 'id'], ['signature_count', 'id']]));
  });

  it('gives every archive table its history and change triggers, and every versioned one its version trigger', async () => {
    const triggers = await query<{ table: string; name: string }>(
      `SELECT c.relname AS table, t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal`,
    );
    const on = (table: string) => new Set(triggers.filter((t) => t.table === table).map((t) => t.name));
    const missing: string[] = [];
    for (const table of tables.all) {
      const expected = [
        ...(table.archive ? [`trg_${table.name}_notify`] : []),
        // The history itself is not audited.
        ...(table.archive && table.name !== 'revision' ? ['insert', 'update', 'delete'].map((event) => `trg_${table.name}_audit_${event}`) : []),
        ...(table.version ? [`trg_${table.name}_version`] : []),
      ];
      for (const name of expected) if (!on(table.name).has(name)) missing.push(`${table.name}: ${name}`);
    }
    // A new table without its migration's triggers would silently miss history and cache invalidation.
    expect(missing).toEqual([]);
    expect(tables.all.filter((t) => t.archive).length).toBeGreaterThanOrEqual(11);
    expect(tables.of('api_token').archive).toBe(false);
  });

  it('gives bulk writes the record type of each column', () => {
    expect(tables.of('statement').columnNamed('topics').recordType).toBe('text[]');
    expect(tables.of('statement').columnNamed('key').recordType).toBe('text');
    expect(tables.of('statement').columnNamed('lead_signatory_id').recordType).toBe('uuid');
    expect(tables.of('statement').columnNamed('claimed_signatory_count').recordType).toBe('integer');
    expect(tables.of('signatory').columnNamed('is_built_in').recordType).toBe('boolean');
  });

  it('refuses a property a table does not have', () => {
    expect(tables.of('statement').column('title').name).toBe('title');
    expect(() => tables.of('statement').column('nope')).toThrow('the table "statement" has no column for the property "nope"');
    expect(() => tables.of('nope')).toThrow('no table "nope"');
  });
});
