import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import { CountClaimEntity } from '../statement/count-claim.entity';
import { EvidenceEntity } from './evidence.entity';

function grouped<T>(rows: T[], key: (row: T) => string | null, ids: readonly string[]): T[][] {
  const byId = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k !== null) byId.set(k, [...(byId.get(k) ?? []), row]);
  }
  return ids.map((id) => byId.get(id) ?? []);
}

export function evidenceLoaders(em: EntityManager) {
  const evidence = em.getRepository(EvidenceEntity);
  return {
    evidenceByStatementId: new DataLoader<string, EvidenceEntity[]>(async (ids) =>
      grouped(await evidence.find({ where: { statementId: In([...ids]) }, order: { position: 'ASC' } }), (r) => r.statementId, ids),
    ),
    evidenceBySignatureId: new DataLoader<string, EvidenceEntity[]>(async (ids) =>
      grouped(await evidence.find({ where: { signatureId: In([...ids]) }, order: { position: 'ASC' } }), (r) => r.signatureId, ids),
    ),
    countClaimsByStatementId: new DataLoader<string, CountClaimEntity[]>(async (ids) =>
      grouped(
        await em.getRepository(CountClaimEntity).find({ where: { statementId: In([...ids]) }, order: { position: 'ASC' } }),
        (r) => r.statementId,
        ids,
      ),
    ),
  };
}
