import type { DataSource, EntityManager } from 'typeorm';
import { authenticate, type Actor } from '../modules/access/token.service';
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
  /** The token's holder, looked up once and only when a write asks (reads are public). */
  actor(): Promise<Actor | null>;
}

/** Built once per request, so DataLoader caches never outlive it. */
export function createRequestContext(dataSource: DataSource, authorization?: string): RequestContext {
  const em = dataSource.manager;
  let actor: Promise<Actor | null> | undefined;
  return { em, loaders: createLoaders(em), actor: () => (actor ??= authenticate(em, authorization)) };
}
