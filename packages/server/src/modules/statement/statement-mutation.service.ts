import { findRecord, signatoryRef } from '../kit/record-lookup';
import { importRecord } from '../kit/record-import';
import type { RequestContext } from '../kit/context';
import { given, MutationFailed, updateVersioned, userError, write, type UserError } from '../kit/mutation';
import { parsePartialDate } from '../../common/partial-date';
import { locateQuote } from '../../import/importer/quote';
import { SignatureEntity } from './signature.entity';
import { StatementEntity } from './statement.entity';
import type { SignatureRow } from './statement.loaders';
import type {
  AddSignatureInput,
  CreateStatementInput,
  EvidenceInput,
  UpdateStatementInput,
  VersionedRefInput,
  WithdrawSignatureInput,
} from './statement-mutation.input';
import { toSignature, toStatement, type Signature, type Statement } from './statement.type';
import { idOfGlobalId } from '../../common/global-id';
import { replyCycles } from '../../import/importer/cycles';


interface Result<T> {
  result?: T;
  errors: UserError[];
}

/** Writes to statements and signatures: one transaction each, recorded in the history with the token's name. */
export class StatementMutations {
  create(ctx: RequestContext, input: CreateStatementInput): Promise<Result<Statement>> {
    return write(ctx, 'editor', 'createStatement', input, async (tx) => {
      const taken = await tx.em.getRepository(StatementEntity).findOne({ where: { key: input.key }, withDeleted: true });
      if (taken) {
        const why = taken.deletedAt ? 'a deleted statement has this key; restore it with restoreStatement' : 'a statement has this key already';
        throw new MutationFailed([userError('CONFLICT', ['input', 'key'], why)]);
      }
      await importRecord(tx.em, 'statements', input);
      return toStatement((await tx.em.getRepository(StatementEntity).findOneByOrFail({ key: input.key })));
    });
  }

  update(ctx: RequestContext, input: UpdateStatementInput): Promise<Result<Statement>> {
    return write(ctx, 'editor', 'updateStatement', input, async (tx) => {
      const errors: UserError[] = [];
      const required = (field: 'title' | 'kind' | 'date') => {
        if (input[field] === null) errors.push(userError('BAD_USER_INPUT', ['input', field], `${field} cannot be cleared`));
      };
      required('title');
      required('kind');
      required('date');
      const set: Partial<StatementEntity> = given(input, ['forum', 'session', 'agendaItem', 'unSymbol', 'text', 'claimedSignatoryCount', 'listStatus']);
      if (input.title != null) set.title = input.title;
      if (input.kind != null) set.kind = input.kind;
      if (input.date != null) {
        const d = parsePartialDate(input.date);
        set.date = d.date;
        set.datePrecision = d.precision;
      }
      if (input.topics !== undefined) set.topics = input.topics ?? [];
      // References are looked up only when given: a change of plain fields is the update alone.
      if (input.leadSignatory !== undefined) {
        set.leadSignatoryId = input.leadSignatory === null ? null : await signatoryRef(tx, input.leadSignatory, ['input', 'leadSignatory'], errors);
      }
      if (input.deliveredBy !== undefined) {
        if (input.deliveredBy === null) set.deliveredById = null;
        else {
          const [person] = await tx.em.query(`SELECT id FROM person WHERE key = $1 AND deleted_at IS NULL`, [input.deliveredBy]);
          if (!person) errors.push(userError('INVALID_REFERENCE', ['input', 'deliveredBy'], `no person has the key "${input.deliveredBy}"`));
          set.deliveredById = person?.id ?? null;
        }
      }
      if (input.respondsTo !== undefined) {
        const id = (await findRecord(tx, StatementEntity, 'Statement', input.id, ['input', 'id'])).id;
        set.respondsToId = input.respondsTo === null ? null : (await findRecord(tx, StatementEntity, 'Statement', input.respondsTo, ['input', 'respondsTo'], { code: 'INVALID_REFERENCE' })).id;
        if (set.respondsToId === id) errors.push(userError('BAD_USER_INPUT', ['input', 'respondsTo'], 'a statement cannot respond to itself'));
        else if (set.respondsToId !== null) {
          const rows: { id: string; key: string }[] = await tx.em.query(`SELECT id, key FROM statement WHERE id = ANY($1)`, [[id, set.respondsToId]]);
          const key = new Map(rows.map((r) => [r.id, r.key]));
          const self = key.get(id)!;
          for (const cycle of await replyCycles(tx.em, new Set([self]), [{ from: self, to: key.get(set.respondsToId)!, at: ['input', 'respondsTo'] }])) {
            errors.push(userError('BAD_USER_INPUT', cycle.at, cycle.message));
          }
        }
      }
      if (errors.length) throw new MutationFailed(errors);
      return toStatement(await updateVersioned(tx.em, StatementEntity, { ref: input.id, type: 'Statement' }, input.expectedVersion, set));
    });
  }

  delete(ctx: RequestContext, input: VersionedRefInput): Promise<Result<Statement>> {
    return write(ctx, 'admin', 'deleteStatement', input, async (tx) => {
      return toStatement(await updateVersioned(tx.em, StatementEntity, { ref: input.id, type: 'Statement' }, input.expectedVersion, { deletedAt: new Date() }));
    });
  }

  restore(ctx: RequestContext, input: VersionedRefInput): Promise<Result<Statement>> {
    return write(ctx, 'admin', 'restoreStatement', input, async (tx) => {
      const id = (await findRecord(tx, StatementEntity, 'Statement', input.id, ['input', 'id'], { code: 'NOT_FOUND', deleted: true })).id;
      await this.refuseDeletedReferences(tx, id);
      return toStatement(await updateVersioned(tx.em, StatementEntity, { id }, input.expectedVersion, { deletedAt: null }, { restore: true }));
    });
  }

  /**
   * A restored statement may not name records deleted since (its signatories, lead, reader, cited
   * sources): the public would read it with those relations gone. They are restored first.
   */
  private async refuseDeletedReferences(tx: RequestContext, id: string): Promise<void> {
    const named: { kind: string; key: string }[] = await tx.em.query(
      `SELECT DISTINCT kind, key FROM (
         SELECT 'signatory' AS kind, sg.key, sg.deleted_at FROM signature g JOIN signatory sg ON sg.id = g.signatory_id WHERE g.statement_id = $1
         UNION ALL SELECT 'signatory', sg.key, sg.deleted_at FROM statement st JOIN signatory sg ON sg.id = st.lead_signatory_id WHERE st.id = $1
         UNION ALL SELECT 'person', p.key, p.deleted_at FROM statement st JOIN person p ON p.id = st.delivered_by_id WHERE st.id = $1
         UNION ALL SELECT 'source', src.key, src.deleted_at FROM evidence e LEFT JOIN signature g ON g.id = e.signature_id
           JOIN source src ON src.id = e.source_id WHERE coalesce(e.statement_id, g.statement_id) = $1
         UNION ALL SELECT 'source', src.key, src.deleted_at FROM count_claim c JOIN source src ON src.id = c.source_id WHERE c.statement_id = $1
       ) t WHERE t.deleted_at IS NOT NULL ORDER BY kind, key`,
      [id],
    );
    if (named.length === 0) return;
    const shown = named.slice(0, 10).map((n) => `${n.kind} "${n.key}"`).join(', ');
    throw new MutationFailed([
      userError(
        'CONFLICT',
        ['input', 'id'],
        `the statement names ${named.length} deleted record${named.length === 1 ? '' : 's'}: ${shown}${named.length > 10 ? ` and ${named.length - 10} more` : ''}; restore ${named.length === 1 ? 'it' : 'them'} first`,
      ),
    ]);
  }

  addSignature(ctx: RequestContext, input: AddSignatureInput): Promise<Result<Signature>> {
    return write(ctx, 'editor', 'addSignature', input, async (tx) => {
      const errors: UserError[] = [];
      const statementId = (await findRecord(tx, StatementEntity, 'Statement', input.statement, ['input', 'statement'])).id;
      const signatoryId = await signatoryRef(tx, input.signatory, ['input', 'signatory'], errors);
      const evidence = await this.evidenceRows(tx, input.evidence ?? [], ['input', 'evidence'], errors);
      if (errors.length) throw new MutationFailed(errors);
      const joined = input.joinedOn ? parsePartialDate(input.joinedOn) : { date: null, precision: null };
      // Signatures added to one statement at once queue here, so that each takes the next position.
      await tx.em.query(`SELECT 1 FROM statement WHERE id = $1 FOR NO KEY UPDATE`, [statementId]);
      const inserted: SignatureRow[] = await tx.em.query(
        `WITH added AS (
           INSERT INTO signature (statement_id, signatory_id, position, name_as_written, status, joined_on, joined_on_precision, version)
           SELECT $1, $2, coalesce(max(position) + 1, 0), $3, 'SIGNED', $4, $5, 1 FROM signature WHERE statement_id = $1
           ON CONFLICT (statement_id, signatory_id) DO NOTHING
           RETURNING id)
         SELECT id FROM added`,
        [statementId, signatoryId, input.signatory, joined.date, joined.precision],
      );
      const signatureId = inserted[0]?.id;
      if (!signatureId) throw new MutationFailed([userError('CONFLICT', ['input', 'signatory'], `"${input.signatory}" is already on this statement's list`)]);
      for (const [position, row] of evidence.entries()) {
        await tx.em.query(
          `INSERT INTO evidence (signature_id, source_id, position, quote, paragraph, start_offset, end_offset) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [signatureId, row.sourceId, position, row.quote, row.paragraph, row.start, row.end],
        );
      }
      return this.reloadSignature(tx, signatureId);
    });
  }

  withdrawSignature(ctx: RequestContext, input: WithdrawSignatureInput): Promise<Result<Signature>> {
    return write(ctx, 'editor', 'withdrawSignature', input, async (tx) => {
      const withdrawn = input.withdrawnOn ? parsePartialDate(input.withdrawnOn) : { date: null, precision: null };
      const updated = await updateVersioned(tx.em, SignatureEntity, { ref: input.id, type: 'Signature' }, input.expectedVersion, {
        status: 'WITHDRAWN',
        withdrawnOn: withdrawn.date,
        withdrawnOnPrecision: withdrawn.precision,
      });
      return toSignature(updated);
    });
  }

  /** Takes a signature off the list; the history keeps the row as it was. */
  removeSignature(ctx: RequestContext, input: VersionedRefInput): Promise<Result<Signature>> {
    return write(ctx, 'editor', 'removeSignature', input, async (tx) => {
      const id = idOfGlobalId(input.id, 'Signature');
      const before = await this.reloadSignature(tx, id);
      const removed: unknown[] = await tx.em.query(`WITH gone AS (DELETE FROM signature WHERE id = $1 AND version = $2 RETURNING id) SELECT id FROM gone`, [
        id,
        input.expectedVersion,
      ]);
      if (!removed.length) {
        throw new MutationFailed([userError('CONFLICT', ['input', 'expectedVersion'], `the signature is at version ${before.version}, not ${input.expectedVersion}`)]);
      }
      return before;
    });
  }

  private async evidenceRows(tx: RequestContext, evidence: EvidenceInput[], path: string[], errors: UserError[]) {
    const rows = [];
    for (const [i, e] of evidence.entries()) {
      const [source]: { id: string; body: string | null }[] = await tx.em.query(`SELECT id, body FROM source WHERE key = $1 AND deleted_at IS NULL`, [e.source]);
      if (!source) {
        errors.push(userError('INVALID_REFERENCE', [...path, String(i), 'source'], `no source has the key "${e.source}"`));
        continue;
      }
      const at = e.quote && source.body !== null ? locateQuote(source.body, e.quote) : null;
      if (e.quote && source.body !== null && !at) {
        errors.push(userError('BAD_USER_INPUT', [...path, String(i), 'quote'], `the quote does not occur in the body of source "${e.source}"`));
        continue;
      }
      rows.push({ sourceId: source.id, quote: e.quote ?? null, paragraph: at?.paragraph ?? null, start: at?.start ?? null, end: at?.end ?? null });
    }
    return rows;
  }

  private async reloadSignature(tx: RequestContext, id: string | null): Promise<Signature> {
    const row = id === null ? null : await tx.loaders.signatureById.load(id);
    if (!row) throw new MutationFailed([userError('NOT_FOUND', ['input', 'id'], 'no signature has this id')]);
    return toSignature(row);
  }
}
