import type { EntityManager } from 'typeorm';
import { MutationFailed } from './mutation';
import { importParsed, ImportProblemsError } from '../../import/importer/import-bundle';
import { prepareBundle } from '../../import/parser/parse-bundle';
import { BUNDLE_FORMAT } from '../../import/parser/bundle.types';
import { bundleProblemsToErrors } from './bundle-errors';

/** Drops null and undefined fields, so a GraphQL input becomes a bundle record. */
export function defined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v === null ? undefined : v))) as T;
}

/**
 * Writes one record the way `jointly import` would — same schema checks, name resolution,
 * references and quotes — so a create mutation and an import can never disagree. Problems become
 * the mutation's payload errors, located in its input.
 */
export async function importRecord(em: EntityManager, collection: 'sources' | 'people' | 'signatories' | 'statements', record: object): Promise<void> {
  try {
    await importParsed(em, prepareBundle({ format: BUNDLE_FORMAT, [collection]: [defined(record)] }));
  } catch (error) {
    if (error instanceof ImportProblemsError) throw new MutationFailed(bundleProblemsToErrors(error.problems, collection));
    throw error;
  }
}
