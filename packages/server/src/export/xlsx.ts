import { PassThrough } from 'node:stream';
import type { Table } from './table';

const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

/** A column as wide as its longest cell (in characters), within MIN_WIDTH and MAX_WIDTH. */
function columnWidth(table: Table, column: number): number {
  let longest = table.header[column]!.length;
  for (const row of table.rows) {
    const cell = row[column];
    if (cell !== null && cell !== undefined) longest = Math.max(longest, String(cell).length);
  }
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2));
}

/**
 * A workbook (.xlsx) with one sheet per table: the header row bold, frozen and with filter buttons,
 * columns sized to their content. Text cells are text (never formulas; text that would start one
 * carries the apostrophe table.ts gives it), numbers are numbers, and dates are text in their partial form. Written with
 * exceljs's streaming writer, row by row: its in-memory workbook took ten times the memory.
 */
export async function toXlsx(tables: Table[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  // Loaded when a workbook is written: exceljs costs a server that never exports some 27 MB.
  const { stream } = (await import('exceljs')).default;
  const workbook = new stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true, creator: 'Jointly' } as object);
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name, {
      views: [{ state: 'frozen', xSplit: table.frozenColumns ?? 0, ySplit: 1 }],
    });
    sheet.columns = table.header.map((_, i) => ({ width: columnWidth(table, i) }));
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } };
    const header = sheet.addRow(table.header);
    header.font = { bold: true };
    header.commit();
    for (const row of table.rows) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
  return Buffer.concat(chunks);
}
