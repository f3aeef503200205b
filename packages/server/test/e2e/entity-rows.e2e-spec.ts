import { In, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { entitiesByColumn, entitiesById } from '../../src/data/entity-rows';
import { EvidenceEntity } from '../../src/modules/evidence/evidence.entity';
import { SignatoryEntity } from '../../src/modules/signatory/signatory.entity';
import { SourceEntity } from '../../src/modules/source/source.entity';
import { CountClaimEntity } from '../../src/modules/evidence/count-claim.entity';
import { StatementEntity } from '../../src/modules/statement/statement.entity';
import type { RunningServer } from '../../src/index';
import { startTestServer } from '../support/test-database';

/**
 * The per-request loaders read entities with plain SQL (database/entity-rows.ts) instead of
 * TypeORM's find: every column, under its property name, with the values TypeORM would hand back.
 */
describe('entity rows read without TypeORM hydration', () => {
  let server: RunningServer;
  let em: EntityManager;

  beforeAll(async () => {
    server = await startTestServer();
    em = server.database.dataSource.manager;
  });
  afterAll(() => server?.stop());

  async function sameAsFind<E extends ObjectLiteral & { id: string }>(entity: EntityTarget<E>, except: (keyof E & string)[] = []) {
    const found = await em.getRepository(entity).find({ withDeleted: true, take: 200, order: { id: 'ASC' } as never });
    expect(found.length).toBeGreaterThan(0);
    const ids = [...found.map((e) => e.id), '00000000-0000-4000-8000-000000000000'];
    const rows = await entitiesById(em, entity, ids, except, true);
    expect(rows.at(-1)).toBeNull();
    found.forEach((e, i) => {
      const expected: Record<string, unknown> = { ...e };
      for (const name of except) delete expected[name];
      expect(rows[i]).toEqual(expected);
      for (const [key, value] of Object.entries(expected)) expect(typeof rows[i]![key]).toBe(typeof value);
    });
  }

  it('reads statements, signatories and sources as find does (dates, timestamps, arrays, nulls)', async () => {
    await sameAsFind(StatementEntity);
    await sameAsFind(SignatoryEntity);
    await sameAsFind(SourceEntity, ['body']);
    await sameAsFind(EvidenceEntity);
    await sameAsFind(CountClaimEntity);
  });

  it('groups rows by a column, in the order of the batch, ordered within each group', async () => {
    const statements = await em.getRepository(StatementEntity).find({ take: 20, order: { id: 'ASC' } });
    const ids = statements.map((s) => s.id).reverse();
    const groups = await entitiesByColumn(em, EvidenceEntity, 'statementId', ids, 'position');
    expect(groups).toHaveLength(ids.length);
    const expected = await em.getRepository(EvidenceEntity).find({ where: { statementId: In(ids) } });
    expect(groups.flat()).toHaveLength(expected.length);
    expect(expected.length).toBeGreaterThan(0);
    groups.forEach((group, i) => {
      for (const row of group) expect(row.statementId).toBe(ids[i]);
      const positions = group.map((r) => r.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    });
  });
});
