import { toCsv } from './serialize';

describe('toCsv', () => {
  const csv = (...rows: (string | number | null)[][]) => toCsv({ name: 't', header: ['a', 'b'], rows });

  it('ends every record with CRLF and quotes only the fields that need it (RFC 4180)', () => {
    expect(csv()).toBe('a,b\r\n');
    expect(csv(['plain', 'with, comma'], ['say "hi"', 'two\nlines'], ['cr\r', null])).toBe(
      'a,b\r\nplain,"with, comma"\r\n"say ""hi""","two\nlines"\r\n"cr\r",\r\n',
    );
  });

  it('writes numbers as they are, and empty cells as nothing', () => {
    expect(csv([0, null], [43, ''])).toBe('a,b\r\n0,\r\n43,\r\n');
  });

  it('puts an apostrophe before text a spreadsheet would run as a formula', () => {
    expect(csv(['=1+1', '+1'], ['-2', '@SUM(A1)'], ['\tx', 'a=b'])).toBe("a,b\r\n'=1+1,'+1\r\n'-2,'@SUM(A1)\r\n'\tx,a=b\r\n");
    expect(csv(['=A1,B1', null])).toBe(`a,b\r\n"'=A1,B1",\r\n`);
  });
});
