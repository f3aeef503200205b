import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { PersonEntity } from './person.entity';
import { PersonRoleEntity } from './person-role.entity';
import { entitiesByColumn, entitiesById, entitiesByUnique } from '../../data/entity-rows';
import type { SeesDeleted } from '../kit/context';

export function personLoaders(em: EntityManager, seesDeleted: SeesDeleted) {
  return {
    personById: new DataLoader<string, PersonEntity | null>(async (ids) => entitiesById(em, PersonEntity, ids, [], await seesDeleted())),
    personByKey: new DataLoader<string, PersonEntity | null>(async (keys) => entitiesByUnique(em, PersonEntity, 'key', keys, [], await seesDeleted())),
    /** Each person's roles, in the order the archive lists them. */
    rolesByPersonId: new DataLoader<string, PersonRoleEntity[]>((ids) => entitiesByColumn(em, PersonRoleEntity, 'personId', ids, 'position')),
  };
}
