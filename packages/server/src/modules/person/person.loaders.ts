import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { PersonEntity } from './person.entity';
import { PersonRoleEntity } from './person-role.entity';
import { entitiesById, entitiesByUnique } from '../../database/entity-rows';
import type { SeesDeleted } from '../../common/context';

export function personLoaders(em: EntityManager, seesDeleted: SeesDeleted) {
  return {
    personById: new DataLoader<string, PersonEntity | null>(async (ids) => entitiesById(em, PersonEntity, ids, [], await seesDeleted())),
    personByKey: new DataLoader<string, PersonEntity | null>(async (keys) => entitiesByUnique(em, PersonEntity, 'key', keys, [], await seesDeleted())),
    rolesByPersonId: new DataLoader<string, PersonRoleEntity[]>(async (ids) => {
      const rows = await em.getRepository(PersonRoleEntity).find({ where: { personId: In([...ids]) }, order: { position: 'ASC' } });
      return ids.map((id) => rows.filter((r) => r.personId === id));
    }),
  };
}
