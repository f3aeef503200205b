import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { PersonEntity } from './person.entity';
import { PersonRoleEntity } from './person-role.entity';

export function personLoaders(em: EntityManager) {
  return {
    personById: new DataLoader<string, PersonEntity | null>(async (ids) => {
      const rows = await em.getRepository(PersonEntity).find({ where: { id: In([...ids]) }, withDeleted: true });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    rolesByPersonId: new DataLoader<string, PersonRoleEntity[]>(async (ids) => {
      const rows = await em.getRepository(PersonRoleEntity).find({ where: { personId: In([...ids]) }, order: { position: 'ASC' } });
      return ids.map((id) => rows.filter((r) => r.personId === id));
    }),
  };
}
