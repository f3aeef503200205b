import { COUNT_SOURCE, parseCount } from './numbers';

describe('parseCount', () => {
  it('reads digits and number words', () => {
    expect(parseCount('62')).toBe(62);
    expect(parseCount('sixty-two')).toBe(62);
    expect(parseCount('Forty three')).toBe(43);
    expect(parseCount('a hundred and one')).toBe(101);
    expect(parseCount('twelve')).toBe(12);
    expect(parseCount('many')).toBeNull();
  });

  it('COUNT_SOURCE matches the same counts whole', () => {
    const whole = new RegExp(`^${COUNT_SOURCE}$`, 'i');
    for (const text of ['43', 'sixty-two', 'forty three', 'one hundred and two', 'eleven']) expect(whole.test(text)).toBe(true);
    expect(whole.test('several')).toBe(false);
  });
});
