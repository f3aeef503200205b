import type { EntityManager } from 'typeorm';
import { entityColumns } from '../data/entity-rows';
import type { SignatoryEntity } from '../modules/signatory/signatory.entity';
import { SignatureEntity } from '../modules/statement/signature.entity';
import { StatementEntity } from '../modules/statement/statement.entity';
import type { ListStatus, SignatureStatus, StatementKind } from '../common/enums';
import { formatPartialDate } from '../common/partial-date';
import type { StatementTableRow } from './export-bundle';
import { compareText, statementConditions, type ExportFilter } from './export-filter';

/** One statement, flattened for a spreadsheet. Dates keep their precision. */
export interface StatementRow {
  key: string;
  title: string;
  kind: StatementKind;
  date: string;
  forum: string | null;
  session: string | null;
  agendaItem: string | null;
  unSymbol: string | null;
  topics: string[];
  /** The count the statement claims ("on behalf of 43 countries") … */
  claimedSignatoryCount: number | null;
  /** … and how many signatures with status SIGNED the archived list holds (the API's listedSignatoryCount). */
  listedSignatoryCount: number;
  listStatus: ListStatus | null;
  /** The key of the statement it answers. */
  respondsTo: string | null;
  /**
   * The URLs of the sources that report it (through its evidence, its count claims or its signatures'
   * evidence, as `Source.statements` counts them), by source key; deleted sources and sources without
   * a URL left out.
   */
  sourceUrls: string[];
}

/** One signature next to its statement: the CSV export's row. */
export interface SignatureRow {
  statement: StatementRow;
  /** The resolved signatory's ISO alpha-3 code; null for organisations, groups and NGOs. */
  signatoryIso3: string | null;
  /** The resolved signatory's name, e.g. "Democratic Republic of the Congo" … */
  signatoryName: string;
  /** … and the name as the source printed it, e.g. "DR Congo". */
  nameAsWritten: string;
  status: SignatureStatus;
  joinedOn: string | null;
  withdrawnOn: string | null;
}

export interface SpreadsheetRows {
  /** Statements by date, then key. */
  statements: StatementRow[];
  /** Their signatures, statement by statement, by position in the list. */
  signatures: SignatureRow[];
}

type StatementQueryRow = StatementTableRow & { sourceUrls: string[] };

type SignatureQueryRow = SignatureEntity & { signatory: Pick<SignatoryEntity, 'iso3' | 'isBuiltIn' | 'name'> };

/**
 * The statements `filter` selects and their signatures, for the CSV and XLSX exports: two SQL
 * statements whatever the archive's size. Soft-deleted statements, signatories and sources are left
 * out, as in exportBundle. Run it in a REPEATABLE READ transaction for a consistent snapshot.
 */
export async function spreadsheetRows(em: EntityManager, filter: ExportFilter = {}): Promise<SpreadsheetRows> {
  const params: unknown[] = [];
  const where = statementConditions(filter, 's', params);
  const statementRows: StatementQueryRow[] = await em.query(
    `WITH selected AS (SELECT * FROM statement s WHERE ${where}),
     cited AS (
       SELECT e.statement_id, e.source_id FROM evidence e JOIN selected s ON s.id = e.statement_id
       UNION
       SELECT g.statement_id, e.source_id FROM evidence e JOIN signature g ON g.id = e.signature_id JOIN selected s ON s.id = g.statement_id
       UNION
       SELECT c.statement_id, c.source_id FROM count_claim c JOIN selected s ON s.id = c.statement_id),
     urls AS (
       SELECT c.statement_id, array_agg(src.url ORDER BY src.key COLLATE "C") AS source_urls
       FROM cited c JOIN source src ON src.id = c.source_id AND src.deleted_at IS NULL AND src.url IS NOT NULL
       GROUP BY c.statement_id)
     SELECT ${entityColumns(em, StatementEntity, 's', ['text', 'createdAt', 'updatedAt', 'deletedAt', 'version'])}, r.key AS "respondsToKey",
            coalesce(u.source_urls, '{}') AS "sourceUrls"
     FROM selected s
     LEFT JOIN statement r ON r.id = s.responds_to_id AND r.deleted_at IS NULL
     LEFT JOIN urls u ON u.statement_id = s.id`,
    params,
  );
  const signatureRows: SignatureQueryRow[] = await em.query(
    `SELECT ${entityColumns(em, SignatureEntity, 'g', ['createdAt', 'updatedAt', 'version'])},
            json_build_object('iso3', sg.iso3, 'isBuiltIn', sg.is_built_in, 'name', sg.name) AS signatory
     FROM signature g JOIN signatory sg ON sg.id = g.signatory_id AND sg.deleted_at IS NULL
     WHERE g.statement_id = ANY($1::uuid[])`,
    [statementRows.map((s) => s.id)],
  );

  const statements = new Map<string, StatementRow>();
  for (const s of statementRows.sort((a, b) => compareText(a.date, b.date) || compareText(a.key, b.key))) {
    statements.set(s.id, {
      key: s.key,
      title: s.title,
      kind: s.kind,
      date: formatPartialDate(s.date, s.datePrecision)!,
      forum: s.forum,
      session: s.session,
      agendaItem: s.agendaItem,
      unSymbol: s.unSymbol,
      topics: s.topics,
      claimedSignatoryCount: s.claimedSignatoryCount,
      listedSignatoryCount: s.signatureCount,
      listStatus: s.listStatus,
      respondsTo: s.respondsToKey,
      sourceUrls: [...new Set(s.sourceUrls)],
    });
  }
  const order = new Map([...statements.keys()].map((id, i) => [id, i]));
  const signatures = signatureRows
    .sort(
      (a, b) =>
        order.get(a.statementId)! - order.get(b.statementId)! ||
        a.position - b.position ||
        compareText(a.nameAsWritten, b.nameAsWritten),
    )
    .map((r) => ({
      statement: statements.get(r.statementId)!,
      signatoryIso3: r.signatory.isBuiltIn && r.signatory.iso3 !== null ? r.signatory.iso3.trim() : null,
      signatoryName: r.signatory.name,
      nameAsWritten: r.nameAsWritten,
      status: r.status,
      joinedOn: formatPartialDate(r.joinedOn, r.joinedOnPrecision),
      withdrawnOn: formatPartialDate(r.withdrawnOn, r.withdrawnOnPrecision),
    }));
  return { statements: [...statements.values()], signatures };
}
