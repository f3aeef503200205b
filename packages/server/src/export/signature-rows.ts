import type { EntityManager } from 'typeorm';
import type { SignatureStatus } from '../common/enums';
import { formatPartialDate, type DatePrecision } from '../common/partial-date';
import { compareText, statementConditions, type ExportFilter } from './export-filter';

/** One signature, flattened for a spreadsheet: the CSV export's row. Dates keep their precision. */
export interface SignatureRow {
  statementKey: string;
  statementDate: string;
  forum: string | null;
  session: string | null;
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

interface Row {
  key: string;
  date: string;
  date_precision: DatePrecision;
  forum: string | null;
  session: string | null;
  iso3: string | null;
  is_built_in: boolean;
  name: string;
  position: number;
  name_as_written: string;
  status: SignatureStatus;
  joined_on: string | null;
  joined_on_precision: DatePrecision | null;
  withdrawn_on: string | null;
  withdrawn_on_precision: DatePrecision | null;
}

/**
 * Every signature of the statements `filter` selects (one SQL statement), statements by date then
 * key, signatures by position. Soft-deleted statements and signatories are left out, as in exportBundle.
 */
export async function signatureRows(em: EntityManager, filter: ExportFilter = {}): Promise<SignatureRow[]> {
  const params: unknown[] = [];
  const where = statementConditions(filter, 's', params);
  const rows: Row[] = await em.query(
    `SELECT s.key, s.date, s.date_precision, s.forum, s.session, sg.iso3, sg.is_built_in, sg.name,
            g.position, g.name_as_written, g.status, g.joined_on, g.joined_on_precision, g.withdrawn_on, g.withdrawn_on_precision
     FROM signature g
     JOIN statement s ON s.id = g.statement_id
     JOIN signatory sg ON sg.id = g.signatory_id AND sg.deleted_at IS NULL
     WHERE ${where}`,
    params,
  );
  return rows
    .sort(
      (a, b) =>
        compareText(a.date, b.date) ||
        compareText(a.key, b.key) ||
        a.position - b.position ||
        compareText(a.name_as_written, b.name_as_written),
    )
    .map((r) => ({
      statementKey: r.key,
      statementDate: formatPartialDate(r.date, r.date_precision)!,
      forum: r.forum,
      session: r.session,
      signatoryIso3: r.is_built_in && r.iso3 !== null ? r.iso3.trim() : null,
      signatoryName: r.name,
      nameAsWritten: r.name_as_written,
      status: r.status,
      joinedOn: formatPartialDate(r.joined_on, r.joined_on_precision),
      withdrawnOn: formatPartialDate(r.withdrawn_on, r.withdrawn_on_precision),
    }));
}
