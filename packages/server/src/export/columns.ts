import type { Alignment, AlignmentRow } from './alignment';
import type { SignatureRow, SpreadsheetRows, StatementRow } from './spreadsheet-rows';
import { listCell, toTable, type Column, type Table } from './table';

/** The statement's own columns, shared by the statements sheet and every signature row. */
const statement = {
  key: { header: 'statement_key', cell: (s) => s.key },
  title: { header: 'statement_title', cell: (s) => s.title },
  date: { header: 'statement_date', cell: (s) => s.date },
  kind: { header: 'statement_kind', cell: (s) => s.kind },
  forum: { header: 'forum', cell: (s) => s.forum },
  session: { header: 'session', cell: (s) => s.session },
  agendaItem: { header: 'agenda_item', cell: (s) => s.agendaItem },
  unSymbol: { header: 'un_symbol', cell: (s) => s.unSymbol },
  topics: { header: 'topics', cell: (s) => listCell(s.topics) },
  claimed: { header: 'claimed_signatory_count', cell: (s) => s.claimedSignatoryCount },
  listed: { header: 'listed_signatory_count', cell: (s) => s.listedSignatoryCount },
  listStatus: { header: 'list_status', cell: (s) => s.listStatus },
  respondsTo: { header: 'responds_to', cell: (s) => s.respondsTo },
  sourceUrls: { header: 'source_urls', cell: (s) => listCell(s.sourceUrls) },
} satisfies Record<string, Column<StatementRow>>;

const ofStatement = (column: Column<StatementRow>): Column<SignatureRow> => ({ header: column.header, cell: (g) => column.cell(g.statement) });

/** The statements sheet: one row per statement. */
export const STATEMENT_COLUMNS: readonly Column<StatementRow>[] = [
  statement.key,
  statement.title,
  statement.date,
  statement.kind,
  statement.forum,
  statement.session,
  statement.agendaItem,
  statement.unSymbol,
  statement.topics,
  statement.claimed,
  statement.listed,
  statement.listStatus,
  statement.respondsTo,
  statement.sourceUrls,
];

/**
 * The CSV (and the signatures sheet): one row per signature. The first ten columns are the CSV's
 * since its first version, in that order, so that scripts reading them by position keep working;
 * the statement's other facts follow.
 */
export const SIGNATURE_COLUMNS: readonly Column<SignatureRow>[] = [
  ofStatement(statement.key),
  ofStatement(statement.date),
  ofStatement(statement.forum),
  ofStatement(statement.session),
  { header: 'signatory_iso3', cell: (g) => g.signatoryIso3 },
  { header: 'signatory_name', cell: (g) => g.signatoryName },
  { header: 'name_as_written', cell: (g) => g.nameAsWritten },
  { header: 'status', cell: (g) => g.status },
  { header: 'joined_on', cell: (g) => g.joinedOn },
  { header: 'withdrawn_on', cell: (g) => g.withdrawnOn },
  ofStatement(statement.title),
  ofStatement(statement.kind),
  ofStatement(statement.claimed),
  ofStatement(statement.listed),
  ofStatement(statement.listStatus),
  ofStatement(statement.topics),
  ofStatement(statement.sourceUrls),
];

/** The CSV's header. */
export const CSV_COLUMNS: readonly string[] = SIGNATURE_COLUMNS.map((c) => c.header);

/** The signatures table (the CSV), and the statements table beside it in a workbook. */
export function spreadsheetTables(rows: SpreadsheetRows): { statements: Table; signatures: Table } {
  return {
    statements: toTable('statements', STATEMENT_COLUMNS, rows.statements),
    signatures: toTable('signatures', SIGNATURE_COLUMNS, rows.signatures),
  };
}

/** The alignment table: signatory_name, signatory_iso3, one column per statement key (its signature's status), signed_count. */
export function alignmentTable(alignment: Alignment): Table {
  const columns: Column<AlignmentRow>[] = [
    { header: 'signatory_name', cell: (r) => r.signatoryName },
    { header: 'signatory_iso3', cell: (r) => r.signatoryIso3 },
    ...alignment.statementKeys.map((key, i): Column<AlignmentRow> => ({ header: key, cell: (r) => r.statuses[i] ?? null })),
    { header: 'signed_count', cell: (r) => r.signedCount },
  ];
  return { ...toTable('alignment', columns, alignment.rows), frozenColumns: 1 };
}
