import type { DataSource } from 'typeorm';
import { pendingSchemaChanges, revertLastMigration, runMigrations, showMigrations, type Database } from '../../src/index';
import { snapshot } from '../support/snapshot';
import { openTestDatabase } from '../support/test-database';

describe('migrations', () => {
  let db: Database;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
    dataSource = db.dataSource;
  });
  afterAll(async () => {
    await db.close();
  });

  it('produce exactly the schema the entities describe', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual({ up: [], down: [] });
  });

  it('go down and up again on a database holding the sample data with nothing lost', async () => {
    const before = await snapshot(dataSource);
    expect(before.statement!.rows).toBe(11);
    expect(before.signature!.rows).toBeGreaterThan(200);

    const all = await showMigrations(dataSource);
    expect(all.every((m) => m.applied)).toBe(true);
    const reverted: string[] = [];
    // Every migration after the first must be reversible without losing data.
    while ((await showMigrations(dataSource)).filter((m) => m.applied).length > 1) {
      reverted.push((await revertLastMigration(dataSource))!);
    }
    expect(reverted).toEqual(all.slice(1).map((m) => m.name).reverse());
    expect((await showMigrations(dataSource)).filter((m) => !m.applied)).toHaveLength(all.length - 1);

    expect(await runMigrations(dataSource)).toEqual(all.slice(1).map((m) => m.name));
    expect(await snapshot(dataSource)).toEqual(before);
    expect(await pendingSchemaChanges(dataSource)).toEqual({ up: [], down: [] });
  });

  it('keep keys unique and links valid in the database itself', async () => {
    await expect(
      dataSource.query(`INSERT INTO statement (key, kind, title, date, date_precision, topics, version) VALUES ('unga76-c3-xinjiang-france', 'OTHER', 't', '2021-01-01', 'DAY', '{}', 1)`),
    ).rejects.toThrow(/uq_statement_key/);
    await expect(
      dataSource.query(`INSERT INTO statement (key, kind, title, date, date_precision, topics, version) VALUES ('x', 'SPEECH', 't', '2021-01-01', 'DAY', '{}', 1)`),
    ).rejects.toThrow(/ck_statement_kind/);
    await expect(dataSource.query(`DELETE FROM signatory WHERE key = 'fra'`)).rejects.toThrow(/fk_/);
    await expect(
      dataSource.query(
        `INSERT INTO evidence (source_id, statement_id, position, start_offset) SELECT s.id, t.id, 9, 5 FROM source s, statement t LIMIT 1`,
      ),
    ).rejects.toThrow(/ck_evidence_offsets/);
  });
});
