import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { CountClaimEntity } from './count-claim.entity';
import { EvidenceEntity } from './evidence.entity';
import { entitiesByColumn } from '../../data/entity-rows';

export function evidenceLoaders(em: EntityManager) {
  return {
    evidenceByStatementId: new DataLoader<string, EvidenceEntity[]>((ids) => entitiesByColumn(em, EvidenceEntity, 'statementId', ids, 'position')),
    evidenceBySignatureId: new DataLoader<string, EvidenceEntity[]>((ids) => entitiesByColumn(em, EvidenceEntity, 'signatureId', ids, 'position')),
    countClaimsByStatementId: new DataLoader<string, CountClaimEntity[]>((ids) => entitiesByColumn(em, CountClaimEntity, 'statementId', ids, 'position')),
  };
}
