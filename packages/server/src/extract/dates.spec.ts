import { absoluteDate, bundleDate, daysIn } from './dates';

const passage = (text: string) => ({ text, start: 10, end: 10 + text.length });

describe('dates', () => {
  it('resolves a weekday against the publication date, to the last such day on or before it', () => {
    expect(daysIn(passage('During a meeting held on Thursday, several'), '2021-10-22')).toEqual([
      { date: '2021-10-21', relative: true, passage: { text: 'on Thursday', start: 10 + 22, end: 10 + 33 } },
    ]);
    expect(daysIn(passage('on Tuesday'), '2021-10-22')).toMatchObject([{ date: '2021-10-19' }]);
  });

  it('places a day without a year before the publication date, and calls it ambiguous without one', () => {
    expect(daysIn(passage('GENEVA, Oct 5 (Wire) - A group'), '2022-10-06')).toMatchObject([{ date: '2022-10-05' }]);
    expect(daysIn(passage('GENEVA, Dec 30 (Wire)'), '2023-01-02')).toMatchObject([{ date: '2022-12-30' }]);
    expect(daysIn(passage('GENEVA, Oct 5 (Wire)'), undefined)).toMatchObject([{ ambiguous: 'Oct 5' }]);
    expect(daysIn(passage('on 21 October 2021'), undefined)).toMatchObject([{ date: '2021-10-21' }]);
  });

  it('skips months and years that name no day', () => {
    expect(daysIn(passage('since September 2018 in order to'), '2021-10-22')).toEqual([]);
  });

  it('reads date lines and checks bundle dates', () => {
    expect(absoluteDate('October 22, 2021')).toBe('2021-10-22');
    expect(absoluteDate('October 2021')).toBeNull();
    expect(bundleDate('2021-02-30')).toBeNull();
    expect(bundleDate('2021-10')).toBe('2021-10');
  });
});
