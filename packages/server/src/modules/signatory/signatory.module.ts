import type { JointlyModule } from '../kit/module';
import { SignatoryAliasEntity } from './signatory-alias.entity';
import { SignatoryMembershipEntity } from './signatory-membership.entity';
import { SignatoryMutationResolver } from './signatory-mutation.resolver';
import { SignatoryEntity } from './signatory.entity';
import { SignatoryResolver } from './signatory.resolver';

/** Signatories (states, organisations, groups), their aliases and members. */
export const signatoryModule: JointlyModule = {
  name: 'signatory',
  resolvers: [SignatoryResolver, SignatoryMutationResolver],
  entities: [SignatoryEntity, SignatoryAliasEntity, SignatoryMembershipEntity],
};
