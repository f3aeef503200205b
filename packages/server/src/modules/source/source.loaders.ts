import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { SourceEntity } from './source.entity';

export function sourceLoaders(em: EntityManager) {
  return {
    sourceById: new DataLoader<string, SourceEntity | null>(async (ids) => {
      const rows = await em.getRepository(SourceEntity).findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
