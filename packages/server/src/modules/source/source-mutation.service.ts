import { findRecord } from '../kit/record-lookup';
import { defined, importRecord } from '../kit/record-import';
import type { RequestContext } from '../kit/context';
import { given, MutationFailed, updateVersioned, userError, write, type UserError } from '../kit/mutation';
import { parsePartialDate } from '../../common/partial-date';
import { locateQuote } from '../../import/importer/quote';
import { validateBundle } from '../../import/parser/parse-bundle';
import { BUNDLE_FORMAT, type SourceRecord } from '../../import/parser/bundle.types';
import { bundleProblemsToErrors } from '../kit/bundle-errors';
import type { VersionedRefInput } from '../statement/statement-mutation.input';
import { SourceEntity } from './source.entity';
import type { CreateSourceInput, UpdateSourceInput } from './source-mutation.input';
import { toSource, type Source } from './source.type';


/** At most this many statement keys are named in a refusal. */
const NAMED = 5;

const quoted = (keys: string[]) => keys.map((k) => `"${k}"`).join(', ');
const someOf = (keys: string[]) => `${quoted(keys.slice(0, NAMED))}${keys.length > NAMED ? ` and ${keys.length - NAMED} more` : ''}`;

interface Result<T> {
  result?: T;
  errors: UserError[];
}

/** A quote that cites a source: statement or signature evidence, or a count claim. */
interface CitedQuote {
  table: 'evidence' | 'count_claim';
  id: string;
  quote: string;
  paragraph: number | null;
  start_offset: number | null;
  end_offset: number | null;
  key: string;
  deleted: boolean;
}

/** Writes to sources: one transaction each, recorded in the history with the token's name. */
export class SourceMutations {
  create(ctx: RequestContext, input: CreateSourceInput): Promise<Result<Source>> {
    return write(ctx, 'editor', 'createSource', input, async (tx) => {
      const taken = await tx.em.getRepository(SourceEntity).findOne({ where: { key: input.key }, withDeleted: true });
      if (taken) {
        const why = taken.deletedAt ? 'a deleted source has this key; restore it with restoreSource' : 'a source has this key already';
        throw new MutationFailed([userError('CONFLICT', ['input', 'key'], why)]);
      }
      await importRecord(tx.em, 'sources', input);
      return toSource(await tx.em.getRepository(SourceEntity).findOneByOrFail({ key: input.key }));
    });
  }

  /** A new body locates every quote cited from the source again; one that no longer occurs fails the update. */
  update(ctx: RequestContext, input: UpdateSourceInput): Promise<Result<Source>> {
    return write(ctx, 'editor', 'updateSource', input, async (tx) => {
      const current = await findRecord(tx, SourceEntity, 'Source', input.id, ['input', 'id']);
      const errors: UserError[] = [];
      for (const field of ['kind', 'title'] as const) {
        if (input[field] === null) errors.push(userError('BAD_USER_INPUT', ['input', field], `${field} cannot be cleared`));
      }
      // The fields given pass the same checks as in an import (URL, language tag, dates…).
      const record = defined({
        key: current.key,
        kind: input.kind ?? current.kind,
        title: input.title ?? current.title,
        url: input.url,
        publisher: input.publisher,
        authors: input.authors,
        publishedOn: input.publishedOn,
        language: input.language,
        unSymbol: input.unSymbol,
        summary: input.summary,
        body: input.body,
      }) as SourceRecord;
      errors.push(...bundleProblemsToErrors(validateBundle({ format: BUNDLE_FORMAT, sources: [record] }), 'sources'));
      if (errors.length) throw new MutationFailed(errors);

      const set: Partial<SourceEntity> = given(input, ['url', 'publisher', 'language', 'unSymbol', 'summary', 'body']);
      if (input.kind != null) set.kind = input.kind;
      if (input.title != null) set.title = input.title;
      if (input.authors !== undefined) set.authors = input.authors ?? [];
      if (input.publishedOn !== undefined) {
        const published = input.publishedOn === null ? { date: null, precision: null } : parsePartialDate(input.publishedOn);
        set.publishedOn = published.date;
        set.publishedOnPrecision = published.precision;
      }
      const updated = await updateVersioned(tx.em, SourceEntity, { id: current.id }, input.expectedVersion, set);
      if (input.body !== undefined && input.body !== current.body) await this.relocateQuotes(tx, current.id, input.body);
      return toSource(updated);
    });
  }

  /** Soft; refused while live statements cite the source (evidence or count claims). */
  delete(ctx: RequestContext, input: VersionedRefInput): Promise<Result<Source>> {
    return write(ctx, 'admin', 'deleteSource', input, async (tx) => {
      const current = await findRecord(tx, SourceEntity, 'Source', input.id, ['input', 'id']);
      const citing: { key: string; n: number }[] = await tx.em.query(
        `SELECT st.key, count(*)::int AS n FROM (
           SELECT coalesce(e.statement_id, g.statement_id) AS statement_id
           FROM evidence e LEFT JOIN signature g ON g.id = e.signature_id WHERE e.source_id = $1
           UNION ALL
           SELECT c.statement_id FROM count_claim c WHERE c.source_id = $1
         ) t JOIN statement st ON st.id = t.statement_id
         WHERE st.deleted_at IS NULL GROUP BY st.key ORDER BY st.key`,
        [current.id],
      );
      if (citing.length) {
        const total = citing.reduce((n, c) => n + c.n, 0);
        const keys = citing.map((c) => c.key);
        throw new MutationFailed([
          userError(
            'CONFLICT',
            ['input', 'id'],
            `${citing.length} live statement${citing.length === 1 ? ' cites' : 's cite'} this source (${total} evidence or count claim${total === 1 ? '' : 's'}): ` +
              `${someOf(keys)}; remove those citations or delete the statements first`,
          ),
        ]);
      }
      return toSource(await updateVersioned(tx.em, SourceEntity, { id: current.id }, input.expectedVersion, { deletedAt: new Date() }));
    });
  }

  restore(ctx: RequestContext, input: VersionedRefInput): Promise<Result<Source>> {
    return write(ctx, 'admin', 'restoreSource', input, async (tx) => {
      return toSource(await updateVersioned(tx.em, SourceEntity, { ref: input.id, type: 'Source' }, input.expectedVersion, { deletedAt: null }, { restore: true }));
    });
  }

  /**
   * Every quote cited from the source (those of deleted statements too: they can be restored) must occur in
   * the new body; evidence gets its new paragraph and offsets. A cleared body locates nothing (as in imports).
   */
  private async relocateQuotes(tx: RequestContext, sourceId: string, body: string | null): Promise<void> {
    const cited: CitedQuote[] = await tx.em.query(
      `SELECT 'evidence' AS "table", e.id, e.quote, e.paragraph, e.start_offset, e.end_offset, st.key, st.deleted_at IS NOT NULL AS deleted
       FROM evidence e LEFT JOIN signature g ON g.id = e.signature_id
       JOIN statement st ON st.id = coalesce(e.statement_id, g.statement_id)
       WHERE e.source_id = $1 AND e.quote IS NOT NULL
       UNION ALL
       SELECT 'count_claim', c.id, c.quote, NULL, NULL, NULL, st.key, st.deleted_at IS NOT NULL
       FROM count_claim c JOIN statement st ON st.id = c.statement_id
       WHERE c.source_id = $1 AND c.quote IS NOT NULL`,
      [sourceId],
    );
    const lost = new Map<string, boolean>();
    const moved: { id: string; paragraph: number | null; start_offset: number | null; end_offset: number | null }[] = [];
    for (const c of cited) {
      const at = body === null ? null : locateQuote(body, c.quote);
      if (body !== null && !at) {
        lost.set(c.key, c.deleted);
        continue;
      }
      if (c.table !== 'evidence') continue;
      const now = { id: c.id, paragraph: at?.paragraph ?? null, start_offset: at?.start ?? null, end_offset: at?.end ?? null };
      if (now.paragraph !== c.paragraph || now.start_offset !== c.start_offset || now.end_offset !== c.end_offset) moved.push(now);
    }
    if (lost.size) {
      const keys = [...lost.keys()].sort();
      const named = keys.map((k) => `"${k}"${lost.get(k) ? ' (deleted)' : ''}`).join(', ');
      throw new MutationFailed([
        userError(
          'BAD_USER_INPUT',
          ['input', 'body'],
          `the new body no longer contains quotes cited by ${keys.length === 1 ? 'the statement' : `${keys.length} statements`} ${named}; keep those passages or change the quotes first`,
        ),
      ]);
    }
    if (moved.length) {
      await tx.em.query(
        `UPDATE evidence e SET paragraph = r.paragraph, start_offset = r.start_offset, end_offset = r.end_offset, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, paragraph integer, start_offset integer, end_offset integer)
         WHERE e.id = r.id`,
        [JSON.stringify(moved)],
      );
    }
  }


}
