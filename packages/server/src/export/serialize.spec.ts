import { toCsv } from './serialize';
import { toTable, type Cell, type Column } from './table';

describe('toCsv', () => {
  const columns: Column<Cell[]>[] = [
    { header: 'a', cell: (r) => r[0] ?? null },
    { header: 'b', cell: (r) => r[1] ?? null },
  ];
  const csv = (...rows: Cell[][]) => toCsv(toTable('t', columns, rows));

  it('ends every record with CRLF and quotes only the fields that need it (RFC 4180)', () => {
    expect(csv()).toBe('a,b\r\n');
    expect(csv(['plain', 'with, comma'], ['say "hi"', 'two\nlines'], ['cr\r', null])).toBe(
      'a,b\r\nplain,"with, comma"\r\n"say ""hi""","two\nlines"\r\n"cr\r",\r\n',
    );
  });

  it('writes numbers as they are, and empty cells as nothing', () => {
    expect(csv([0, null], [43, ''])).toBe('a,b\r\n0,\r\n43,\r\n');
  });

  it('puts an apostrophe before text a spreadsheet would run as a formula, and quotes that field (OWASP)', () => {
    expect(csv(['=1+1', '+1'], ['-2', '@SUM(A1)'], ['\tx', 'a=b'], ['\r=1', "'=already"])).toBe(
      `a,b\r\n"'=1+1","'+1"\r\n"'-2","'@SUM(A1)"\r\n"'\tx",a=b\r\n"'\r=1","'=already"\r\n`,
    );
    expect(csv(['=A1,B1', null])).toBe(`a,b\r\n"'=A1,B1",\r\n`);
    expect(csv([`=cmd|' /C calc'!A0`, '-2+3'])).toBe(`a,b\r\n"'=cmd|' /C calc'!A0","'-2+3"\r\n`);
  });

  it('keeps negative numbers as numbers, and text that only looks like one inert', () => {
    expect(csv([-2, '-2'])).toBe(`a,b\r\n-2,"'-2"\r\n`);
  });
});
