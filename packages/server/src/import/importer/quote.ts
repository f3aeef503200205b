/** Where a quote sits in a source body: character offsets into the body and its 1-based paragraph. */
export interface QuoteLocation {
  start: number;
  end: number;
  paragraph: number;
}

/** Folds runs of white space to one space, remembering where each folded character came from. */
function fold(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let inSpace = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (!inSpace && folded.length > 0) {
        folded += ' ';
        origin.push(i);
      }
      inSpace = true;
    } else {
      folded += ch;
      origin.push(i);
      inSpace = false;
    }
  }
  return { folded, origin };
}

/**
 * Finds a quote in a body, white space folded on both sides (as the bundle format specifies).
 * Paragraphs are separated by blank lines. Returns null when the quote does not occur.
 */
export function locateQuote(body: string, quote: string): QuoteLocation | null {
  const needle = fold(quote).folded.trim();
  if (needle === '') return null;
  const { folded, origin } = fold(body);
  const at = folded.indexOf(needle);
  if (at < 0) return null;
  const start = origin[at]!;
  const end = origin[at + needle.length - 1]! + 1;
  const paragraph = body.slice(0, start).split(/\n\s*\n/).length;
  return { start, end, paragraph };
}
