import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { SourceEntity } from './source.entity';
import { entitiesById, entitiesByUnique } from '../../data/entity-rows';
import type { SeesDeleted } from '../kit/context';

export function sourceLoaders(em: EntityManager, seesDeleted: SeesDeleted) {
  return {
    /** Sources without their `body` (undefined): see sourceBodyById. */
    sourceById: new DataLoader<string, SourceEntity | null>(async (ids) => entitiesById(em, SourceEntity, ids, ['body'], await seesDeleted())),
    sourceByKey: new DataLoader<string, SourceEntity | null>(async (keys) => entitiesByUnique(em, SourceEntity, 'key', keys, ['body'], await seesDeleted())),
    /** The full texts, for the sources whose `body` is asked for. */
    sourceBodyById: new DataLoader<string, string | null>(async (ids) => {
      const live = (await seesDeleted()) ? '' : ' AND "deleted_at" IS NULL';
      const rows: { id: string; body: string | null }[] = await em.query(`SELECT "id", "body" FROM "source" WHERE "id" = ANY($1::uuid[])${live}`, [[...ids]]);
      const byId = new Map(rows.map((r) => [r.id, r.body]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
