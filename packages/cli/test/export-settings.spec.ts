import { exportSettings } from '../src/export-command';

describe('exportSettings', () => {
  it('takes the format from --format, else from the extension of --out, else json (csv for --alignment)', () => {
    expect(exportSettings({}, false)).toEqual({ format: 'json', filter: {} });
    expect(exportSettings({ out: 'archive.xlsx' }, false)).toMatchObject({ format: 'xlsx', out: 'archive.xlsx' });
    expect(exportSettings({ out: 'Archive.JSONL' }, false)).toMatchObject({ format: 'ndjson' });
    expect(exportSettings({ out: 'archive', format: 'CSV' }, false)).toMatchObject({ format: 'csv', out: 'archive' });
    expect(exportSettings({ alignment: 'a, b' }, false)).toEqual({ format: 'csv', filter: {}, alignment: ['a', 'b'] });
    expect(exportSettings({ alignment: 'a', out: 'table.xlsx' }, false)).toMatchObject({ format: 'xlsx', alignment: ['a'] });
  });

  it('reads --out - as standard output', () => {
    expect(exportSettings({ out: '-', format: 'csv' }, false)).toEqual({ format: 'csv', filter: {} });
  });

  it('refuses to write a workbook to a terminal unless asked with --out -', () => {
    expect(() => exportSettings({ format: 'xlsx' }, true)).toThrow('a workbook is binary: give --out FILE.xlsx, or --out - to write it to the terminal anyway');
    expect(() => exportSettings({ alignment: 'a', format: 'xlsx' }, true)).toThrow(/a workbook is binary/);
    expect(exportSettings({ format: 'xlsx', out: '-' }, true)).toEqual({ format: 'xlsx', filter: {} });
    expect(exportSettings({ format: 'xlsx' }, false)).toEqual({ format: 'xlsx', filter: {} });
    expect(exportSettings({ format: 'csv' }, true)).toEqual({ format: 'csv', filter: {} });
  });
});
