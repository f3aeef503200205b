import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { SourceEntity } from './source.entity';

export function sourceLoaders(em: EntityManager) {
  return {
    sourceById: new DataLoader<string, SourceEntity | null>(async (ids) => {
      const rows = await em.getRepository(SourceEntity).find({ where: { id: In([...ids]) }, withDeleted: true });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
