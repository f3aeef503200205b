import type { JointlyModule } from '../kit/module';
import { CountClaimEntity } from './count-claim.entity';
import { EvidenceEntity } from './evidence.entity';
import { CountClaimResolver, EvidenceResolver } from './evidence.resolver';

/** Provenance: the passages that say who signed, and the counts sources claim. */
export const evidenceModule: JointlyModule = { name: 'evidence', resolvers: [EvidenceResolver, CountClaimResolver], entities: [CountClaimEntity, EvidenceEntity] };
