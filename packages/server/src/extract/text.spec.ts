import { paragraphs, sentences, slug } from './text';

describe('sentences', () => {
  it('cuts sentences at full stops followed by a capital, keeps offsets, ignores abbreviations and ellipses', () => {
    const body = 'First one. “Quoted.” Mr. Smith said so.\n\nWill not work...You see? Yes.\nAlbania\nAndorra';
    const found = sentences(body);
    expect(found.map((s) => s.text)).toEqual(['First one.', '“Quoted.”', 'Mr. Smith said so.', 'Will not work...You see?', 'Yes.', 'Albania', 'Andorra']);
    for (const s of found) expect(body.slice(s.start, s.end)).toBe(s.text);
    expect(found.map((s) => s.paragraph)).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect(paragraphs(body)).toHaveLength(2);
  });

  it('slugs names for keys', () => {
    expect(slug('Nicolas de Rivière')).toBe('nicolas-de-riviere');
    expect(slug('  China Rejects: Accusations! ')).toBe('china-rejects-accusations');
  });
});
