import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { SignatoryEntity } from './signatory.entity';

export function signatoryLoaders(em: EntityManager) {
  return {
    signatoryById: new DataLoader<string, SignatoryEntity | null>(async (ids) => {
      const rows = await em.getRepository(SignatoryEntity).findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
