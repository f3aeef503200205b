import { formatLsn, parseLsn } from './replicas';

describe('WAL positions (Jointly-WAL-Position)', () => {
  it('reads PostgreSQL’s X/Y form as one 64-bit offset, and writes it back', () => {
    expect(parseLsn('0/3000148')).toBe(0x3000148n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
    expect(parseLsn(' 16/b374d848 ')).toBe((0x16n << 32n) + 0xb374d848n);
    expect(formatLsn(parseLsn('16/B374D848')!)).toBe('16/B374D848');
    expect(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!).toBe(true);
  });

  it('takes nothing else: a header is the client’s to write', () => {
    for (const text of [undefined, null, '', '16', '16/', '/1', 'G/1', '123456789/1', '1/123456789', '1/2/3', '0x1/2', '1 /2']) expect(parseLsn(text)).toBeUndefined();
  });
});
