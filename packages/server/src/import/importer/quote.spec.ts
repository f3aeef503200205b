import { locateQuote } from './quote';

describe('locateQuote', () => {
  const body = 'First paragraph.\n\nThe envoy said:\n“We call on China”   to act.\n\nLast.';

  it('finds a quote with white space folded and returns offsets into the original body and its paragraph', () => {
    const at = locateQuote(body, '“We call on China” to act.')!;
    expect(body.slice(at.start, at.end)).toBe('“We call on China”   to act.');
    expect(at.paragraph).toBe(2);
    expect(locateQuote(body, 'said: “We')).toMatchObject({ paragraph: 2 });
  });

  it('returns null for a quote that is not there or is empty', () => {
    expect(locateQuote(body, 'We call on Russia')).toBeNull();
    expect(locateQuote(body, '   ')).toBeNull();
  });
});
