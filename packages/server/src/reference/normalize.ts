/** Modifier letters used as apostrophes (ʹ ʺ ʻ ʼ ʽ ʾ ʿ); Unicode counts them as letters, we treat them as punctuation. */
const MODIFIER_APOSTROPHES = /[\u02B9-\u02BF]/g;

/**
 * The comparison key for a name as sources print it: lower-case, accents stripped (NFKD, combining
 * marks removed), `&` read as "and", every run of other non-alphanumeric characters turned into one
 * space, trimmed, and a leading "the" dropped.
 *
 * "the Netherlands" → "netherlands", "Côte d’Ivoire" → "cote d ivoire", "Guinea-Bissau" → "guinea bissau".
 */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/&/g, ' and ')
    .replace(MODIFIER_APOSTROPHES, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '');
}
