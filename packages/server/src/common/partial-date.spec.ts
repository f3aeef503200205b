import { formatPartialDate, isPartialDate, parsePartialDate } from './partial-date';

describe('partial dates', () => {
  it('keep their precision through storage', () => {
    for (const value of ['2019', '2019-07', '2019-07-12']) {
      const stored = parsePartialDate(value);
      expect(formatPartialDate(stored.date, stored.precision)).toBe(value);
    }
    expect(parsePartialDate('2019-07')).toEqual({ date: '2019-07-01', precision: 'MONTH' });
    expect(parsePartialDate('2019')).toEqual({ date: '2019-01-01', precision: 'YEAR' });
  });

  it('reject impossible and malformed dates', () => {
    expect(isPartialDate('2019-02-29')).toBe(false);
    expect(isPartialDate('2020-02-29')).toBe(true);
    expect(isPartialDate('2019-13')).toBe(false);
    expect(isPartialDate('19-07-12')).toBe(false);
    expect(() => parsePartialDate('2019-02-30')).toThrow(/not a date of the form/);
  });
});
