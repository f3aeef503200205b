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

/**
 * The looser comparison key, tried only when no name matches by `normalizeName`: the normalised name
 * without any article, so that an official name written with its article dropped, added or moved
 * still finds the one state it names ("Republic of Gambia" and "the Republic of Gambia" →
 * "republic of gambia", as "Republic of the Gambia"). A name it matches for several signatories is
 * ambiguous, never a guess.
 */
export function articleFreeName(name: string): string {
  return withoutArticles(normalizeName(name));
}

/** `articleFreeName` of a name already normalised. */
export function withoutArticles(normalized: string): string {
  return normalized
    .split(' ')
    .filter((word) => word !== 'the')
    .join(' ');
}

/** `articleFreeName` in SQL, of a column holding a name already normalised (`signatory_alias.normalized`). */
export function articleFreeSql(column: string): string {
  return `CASE WHEN ${column} LIKE '%the%' THEN btrim(regexp_replace(' ' || ${column} || ' ', '( the)+ ', ' ', 'g')) ELSE ${column} END`;
}
