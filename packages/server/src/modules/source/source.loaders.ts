import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { SourceEntity } from './source.entity';
import { PeekableLoader } from '../../common/peekable-loader';
import { entitiesById } from '../../database/entity-rows';

export function sourceLoaders(em: EntityManager) {
  return {
    /** Sources without their `body` (undefined): see sourceBodyById. */
    sourceById: new PeekableLoader<string, SourceEntity | null>((ids) => entitiesById(em, SourceEntity, ids, ['body'])),
    /** The full texts, for the sources whose `body` is asked for. */
    sourceBodyById: new DataLoader<string, string | null>(async (ids) => {
      const rows: { id: string; body: string | null }[] = await em.query('SELECT "id", "body" FROM "source" WHERE "id" = ANY($1::uuid[])', [[...ids]]);
      const byId = new Map(rows.map((r) => [r.id, r.body]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
