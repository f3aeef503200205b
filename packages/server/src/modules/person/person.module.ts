import type { JointlyModule } from '../kit/module';
import { PersonMutationResolver } from './person-mutation.resolver';
import { PersonRoleEntity } from './person-role.entity';
import { PersonEntity } from './person.entity';
import { PersonResolver, PersonRoleResolver } from './person.resolver';

/** People who deliver statements, and their roles. */
export const personModule: JointlyModule = {
  name: 'person',
  resolvers: [PersonResolver, PersonRoleResolver, PersonMutationResolver],
  entities: [PersonEntity, PersonRoleEntity],
};
