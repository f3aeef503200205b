import { ApiTokenEntity } from '../modules/access/api-token.entity';
import { RevisionEntity } from '../modules/history/revision.entity';
import { EvidenceEntity } from '../modules/evidence/evidence.entity';
import { PersonRoleEntity } from '../modules/person/person-role.entity';
import { PersonEntity } from '../modules/person/person.entity';
import { SignatoryAliasEntity } from '../modules/signatory/signatory-alias.entity';
import { SignatoryMembershipEntity } from '../modules/signatory/signatory-membership.entity';
import { SignatoryEntity } from '../modules/signatory/signatory.entity';
import { SourceEntity } from '../modules/source/source.entity';
import { CountClaimEntity } from '../modules/evidence/count-claim.entity';
import { SignatureEntity } from '../modules/statement/signature.entity';
import { StatementEntity } from '../modules/statement/statement.entity';

/** Every table of the archive. Adding an entity: list it here, then `jointly migrate generate <Name>`. */
export const ENTITIES = [
  SourceEntity,
  PersonEntity,
  PersonRoleEntity,
  SignatoryEntity,
  SignatoryAliasEntity,
  SignatoryMembershipEntity,
  StatementEntity,
  SignatureEntity,
  CountClaimEntity,
  EvidenceEntity,
  ApiTokenEntity,
  RevisionEntity,
];
