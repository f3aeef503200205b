/** Number words as sources write counts ("sixty-two", "forty three", "a hundred"), to their value. */
const UNITS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

/** A regular-expression source matching one count: digits, or number words up to 199. */
export const COUNT_SOURCE = `(?:\\d{1,3}|(?:(?:a|one) hundred(?:[ -]and)?[ -])?(?:(?:${Object.keys(TENS).join('|')})(?:[ -](?:${Object.keys(UNITS).slice(0, 9).join('|')}))?|${Object.keys(UNITS).join('|')})|(?:a|one) hundred)`;

/** The value of a count as written ("62", "sixty-two", "Forty three"), or null when it is none. */
export function parseCount(text: string): number | null {
  const words = text.trim().toLowerCase();
  if (/^\d+$/.test(words)) return Number(words);
  let total = 0;
  let seen = false;
  for (const word of words.split(/[\s-]+/)) {
    if (word === 'and' || word === 'a') continue;
    if (word === 'hundred') total = (total || 1) * 100;
    else if (UNITS[word] !== undefined) total += UNITS[word];
    else if (TENS[word] !== undefined) total += TENS[word];
    else return null;
    seen = true;
  }
  return seen ? total : null;
}
