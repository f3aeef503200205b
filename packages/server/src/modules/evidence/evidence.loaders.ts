import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { CountClaimEntity } from '../statement/count-claim.entity';
import { EvidenceEntity } from './evidence.entity';
import { groupsFor } from '../../common/group-by';

export function evidenceLoaders(em: EntityManager) {
  const evidence = em.getRepository(EvidenceEntity);
  return {
    evidenceByStatementId: new DataLoader<string, EvidenceEntity[]>(async (ids) =>
      groupsFor(await evidence.find({ where: { statementId: In([...ids]) }, order: { position: 'ASC' } }), (r) => r.statementId, ids),
    ),
    evidenceBySignatureId: new DataLoader<string, EvidenceEntity[]>(async (ids) =>
      groupsFor(await evidence.find({ where: { signatureId: In([...ids]) }, order: { position: 'ASC' } }), (r) => r.signatureId, ids),
    ),
    countClaimsByStatementId: new DataLoader<string, CountClaimEntity[]>(async (ids) =>
      groupsFor(
        await em.getRepository(CountClaimEntity).find({ where: { statementId: In([...ids]) }, order: { position: 'ASC' } }),
        (r) => r.statementId,
        ids,
      ),
    ),
  };
}
