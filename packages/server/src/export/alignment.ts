import type { EntityManager } from 'typeorm';
import { contextOn } from '../modules/kit/context';
import type { SignatureStatus } from '../common/enums';
import { AppError } from '../common/errors';
import { ComparisonService } from '../modules/statement/comparison.service';
import { ExportFilterError } from './export-filter';

/** One signatory across the aligned statements. */
export interface AlignmentRow {
  signatoryName: string;
  /** ISO alpha-3 for a state; null for organisations, groups and NGOs. */
  signatoryIso3: string | null;
  /** Its signature's status on each statement, in the order asked; null where it is not on the list. */
  statuses: (SignatureStatus | null)[];
  /** On how many of them it stands as SIGNED. */
  signedCount: number;
}

export interface Alignment {
  /** The statements' keys, in the order asked: the table's columns. */
  statementKeys: string[];
  /** Most statements signed first, then by name. */
  rows: AlignmentRow[];
}

const comparisons = new ComparisonService();

/**
 * The alignment table of the GraphQL query `signatoryAlignment`, computed by the same service, read
 * through `em` (a REPEATABLE READ transaction gives one snapshot). Unknown statements, or more than
 * MAX_ALIGNED_STATEMENTS, are an ExportFilterError whose problem names `name` (the CLI passes
 * `--alignment`) and every unknown key.
 */
export async function exportAlignment(em: EntityManager, refs: string[], name = 'statements'): Promise<Alignment> {
  const ctx = contextOn(em);
  try {
    const alignment = await comparisons.align(ctx, refs);
    return {
      statementKeys: alignment.statements.map((s) => s.key),
      rows: alignment.rows.map((row) => ({
        signatoryName: row.signatory.name,
        signatoryIso3: row.signatory.iso3,
        statuses: row.signatures.map((g) => g?.status ?? null),
        signedCount: row.signedCount,
      })),
    };
  } catch (error) {
    if (!(error instanceof AppError) || (error.code !== 'NOT_FOUND' && error.code !== 'BAD_USER_INPUT')) throw error;
    const unknown = error.details.unknown;
    if (Array.isArray(unknown)) {
      const keys = unknown.map((k) => `"${String(k)}"`).join(', ');
      throw new ExportFilterError([`${name}: no statement has the ${unknown.length === 1 ? 'key' : 'keys'} ${keys}`]);
    }
    throw new ExportFilterError([`${name}: ${error.message}`]);
  }
}
