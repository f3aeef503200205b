import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { PageRequest } from '../../common/pagination';
import type { SignatureEntity } from './signature.entity';

export type SignatureRow = Omit<SignatureEntity, 'statement' | 'signatory'>;

const SIGNATURE_COLUMNS = `id, statement_id AS "statementId", signatory_id AS "signatoryId", position,
  name_as_written AS "nameAsWritten", status, joined_on AS "joinedOn", joined_on_precision AS "joinedOnPrecision",
  withdrawn_on AS "withdrawnOn", withdrawn_on_precision AS "withdrawnOnPrecision",
  created_at AS "createdAt", updated_at AS "updatedAt", version`;

/** One loader per distinct page request, so `signatures(first: 5)` and `(first: 50)` batch separately. */
function perPage<V>(make: (page: PageRequest) => DataLoader<string, V>) {
  const loaders = new Map<string, DataLoader<string, V>>();
  return (page: PageRequest) => {
    const key = JSON.stringify(page);
    let loader = loaders.get(key);
    if (!loader) loaders.set(key, (loader = make(page)));
    return loader;
  };
}

export function statementLoaders(em: EntityManager) {
  return {
    /** A page of each statement's signatures, in list order: one SQL statement for every parent. */
    signaturesByStatementId: perPage(
      (page) =>
        new DataLoader<string, SignatureRow[]>(async (statementIds) => {
          const after = page.after;
          const params: unknown[] = [[...statementIds], page.limit + 1];
          let keyset = '';
          if (after) {
            params.push(after[0], after[1]);
            keyset = 'AND (s.position, s.id) > ($3, $4)';
          }
          const rows: SignatureRow[] = await em.query(
            `SELECT ${SIGNATURE_COLUMNS} FROM (
               SELECT s.*, row_number() OVER (PARTITION BY s.statement_id ORDER BY s.position, s.id) AS rn
               FROM signature s WHERE s.statement_id = ANY($1) ${keyset}
             ) t WHERE t.rn <= $2 ORDER BY t.statement_id, t.position, t.id`,
            params,
          );
          const byStatement = new Map<string, SignatureRow[]>();
          for (const row of rows) byStatement.set(row.statementId, [...(byStatement.get(row.statementId) ?? []), row]);
          return statementIds.map((id) => byStatement.get(id) ?? []);
        }),
    ),
    signatureCountByStatementId: new DataLoader<string, number>(async (statementIds) => {
      const rows: { statement_id: string; count: number }[] = await em.query(
        `SELECT statement_id, count(*)::int AS count FROM signature WHERE statement_id = ANY($1) GROUP BY statement_id`,
        [[...statementIds]],
      );
      const byId = new Map(rows.map((r) => [r.statement_id, r.count]));
      return statementIds.map((id) => byId.get(id) ?? 0);
    }),
  };
}
