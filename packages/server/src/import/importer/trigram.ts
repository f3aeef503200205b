/** Name similarity for "did you mean" suggestions: pg_trgm's trigram similarity, and edit distance. */

/** A name prepared once to be compared with many: its text and its trigrams. */
export interface ComparableName {
  text: string;
  trigrams: ReadonlySet<string>;
}

export function comparable(text: string): ComparableName {
  const trigrams = new Set<string>();
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) trigrams.add(padded.slice(i, i + 3));
  }
  return { text, trigrams };
}

function trigramSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

export function similarity(a: string, b: string): number {
  return trigramSimilarity(comparable(a).trigrams, comparable(b).trigrams);
}

/**
 * 1 − Levenshtein distance / longer length: catches typos that share few trigrams ("Liebia" → "Libya").
 * Returns 0 as soon as the result is known to stay below `floor` (by the lengths alone, or row by row).
 */
export function editSimilarity(a: string, b: string, floor = 0): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  const most = Math.floor((1 - floor) * longer);
  if (Math.abs(a.length - b.length) > most) return 0;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current[j] = value;
      if (value < best) best = value;
    }
    if (best > most) return 0;
    [previous, current] = [current, previous];
  }
  return 1 - previous[b.length]! / longer;
}

/** How alike two normalised names are, 0 to 1: the better of trigram and edit similarity (0 when below `floor`). */
export function nameSimilarity(a: string | ComparableName, b: string | ComparableName, floor = 0): number {
  const x = typeof a === 'string' ? comparable(a) : a;
  const y = typeof b === 'string' ? comparable(b) : b;
  const score = Math.max(trigramSimilarity(x.trigrams, y.trigrams), editSimilarity(x.text, y.text, floor));
  return score >= floor ? score : 0;
}
