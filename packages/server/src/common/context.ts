import type { DataSource, EntityManager } from 'typeorm';
import { evidenceLoaders } from '../modules/evidence/evidence.loaders';
import { personLoaders } from '../modules/person/person.loaders';
import { signatoryLoaders } from '../modules/signatory/signatory.loaders';
import { sourceLoaders } from '../modules/source/source.loaders';
import { statementLoaders } from '../modules/statement/statement.loaders';

/** Every per-request DataLoader, named <things>By<Key>. */
export function createLoaders(em: EntityManager) {
  return {
    ...statementLoaders(em),
    ...signatoryLoaders(em),
    ...sourceLoaders(em),
    ...personLoaders(em),
    ...evidenceLoaders(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What every resolver and service receives: the database (only through `em`) and this request's loaders. */
export interface RequestContext {
  em: EntityManager;
  loaders: Loaders;
}

/** Built once per request, so DataLoader caches never outlive it. */
export function createRequestContext(dataSource: DataSource): RequestContext {
  const em = dataSource.manager;
  return { em, loaders: createLoaders(em) };
}
