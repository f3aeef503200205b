import type { RequestContext } from '../kit/context';
import { MutationFailed, userError, write } from '../kit/mutation';
import { importParsed, ImportProblemsError, type ImportSummary } from '../../import/importer/import-bundle';
import { prepareBundle } from '../../import/parser/parse-bundle';
import { bundleProblemsToErrors } from '../kit/bundle-errors';
import { ImportPayload } from './curation.type';

export const MAX_BUNDLE_BYTES = 5_000_000;

/** Rolls a dry run back after counting. */
class DryRun extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

export class CurationService {
  async importBundle(ctx: RequestContext, bundle: unknown, dryRun: boolean): Promise<ImportPayload> {
    const payload = (summary: ImportSummary | null, errors: ImportPayload['errors']) => Object.assign(new ImportPayload(), { dryRun, summary, errors });
    const size = Buffer.byteLength(JSON.stringify(bundle ?? null));
    const { result, errors } = await write(ctx, 'admin', dryRun ? 'importBundle (dry run)' : 'importBundle', null, async (tx) => {
      if (size > MAX_BUNDLE_BYTES) {
        throw new MutationFailed([userError('BAD_USER_INPUT', ['bundle'], `the bundle is ${size} bytes; at most ${MAX_BUNDLE_BYTES} go through the API — use \`jointly import\` for larger ones`)]);
      }
      // The same checks as `jointly import`, every problem at once: schema problems do not hide the names, references and quotes.
      const summary = await importParsed(tx.em, prepareBundle(bundle)).catch((error: unknown) => {
        throw error instanceof ImportProblemsError ? new MutationFailed(bundleProblemsToErrors(error.problems)) : error;
      });
      if (dryRun) throw new DryRun(summary);
      return summary;
    }).catch((error: unknown) => {
      if (error instanceof DryRun) return { result: error.summary, errors: [] };
      throw error;
    });
    return payload(result ?? null, errors);
  }
}
