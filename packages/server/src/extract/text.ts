/** A passage of the cleaned body: its text and offsets (`body.slice(start, end) === text`). */
export interface Passage {
  text: string;
  start: number;
  end: number;
}

/** A sentence, with the 0-based index of its paragraph. */
export interface Sentence extends Passage {
  paragraph: number;
}

/** Words whose full stop ends no sentence. */
const ABBREVIATIONS = /\b(?:Mr|Mrs|Ms|Dr|St|Amb|Gen|No|Nos|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.N|U\.K|e\.g|i\.e|vs|Jr|Sr|Prof)\.$/;

/** The paragraphs of a body (separated by blank lines), as passages. */
export function paragraphs(body: string): Passage[] {
  const out: Passage[] = [];
  for (const m of body.matchAll(/[^\n]+(?:\n[^\n]+)*/g)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * The sentences of a body: a paragraph's lines, each cut after ., ! or ? (and closing quotes) that a
 * space and a capital or an opening quote follow, unless the word is an abbreviation.
 */
export function sentences(body: string): Sentence[] {
  const out: Sentence[] = [];
  paragraphs(body).forEach((paragraph, index) => {
    for (const line of paragraph.text.matchAll(/[^\n]+/g)) {
      const text = line[0];
      const base = paragraph.start + line.index;
      let from = 0;
      for (const end of text.matchAll(/[.!?]+[”"’)]*(?=\s+[“"‘(]?[\p{Lu}\d])/gu)) {
        const to = end.index + end[0].length;
        if (ABBREVIATIONS.test(text.slice(Math.max(0, to - 6), to))) continue;
        push(out, text, base, from, to, index);
        from = to;
      }
      push(out, text, base, from, text.length, index);
    }
  });
  return out;
}

function push(out: Sentence[], text: string, base: number, from: number, to: number, paragraph: number): void {
  const piece = text.slice(from, to);
  const lead = piece.length - piece.trimStart().length;
  const trimmed = piece.trim();
  if (trimmed === '') return;
  out.push({ text: trimmed, start: base + from + lead, end: base + from + lead + trimmed.length, paragraph });
}

/** A passage inside another, by a match's index and length. */
export function within(outer: Passage, index: number, length: number): Passage {
  return { text: outer.text.slice(index, index + length), start: outer.start + index, end: outer.start + index + length };
}

/** A key-safe slug: lower-case ASCII letters, digits and hyphens. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
