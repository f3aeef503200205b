import { readFileSync } from 'node:fs';
import path from 'node:path';
import { locateQuote } from '../import/importer/quote';
import type { Draft } from './draft.types';
import { extractDraft } from './extract';

const fixture = (name: string) => readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'extract', name), 'utf8');

/** Every quote of the draft occurs in its source's body, as the importer checks. */
function expectQuotesInBody(draft: Draft) {
  const body = draft.bundle.sources[0]!.body;
  const quotes = draft.bundle.statements.flatMap((s) => [
    ...s.evidence.map((e) => e.quote),
    ...(s.countClaims ?? []).map((c) => c.quote),
    ...s.signatures.flatMap((g) => g.evidence.map((e) => e.quote)),
  ]);
  for (const quote of quotes) expect(locateQuote(body, quote)).not.toBeNull();
  for (const f of draft.report.facts) expect(body.slice(f.start, f.end)).toBe(f.quote);
  for (const r of draft.report.review) expect(body.slice(r.start, r.end)).toBe(r.text);
}

describe('extractDraft on the seed article', () => {
  const draft = extractDraft({ text: fixture('seed-article.txt') });
  const [france, china, cuba, kuwait] = draft.bundle.statements;

  it('cleans the source: title, publication date, body without the tag remnant', () => {
    const source = draft.bundle.sources[0]!;
    expect(source).toMatchObject({ kind: 'NEWS_ARTICLE', title: 'China Rejects Accusations Over Xinjiang at UNGA Meeting', publishedOn: '2021-10-22' });
    expect(source.body).not.toMatch(/gtag|Google tag/);
    expect(source.body).toContain('During a meeting held on Thursday');
  });

  it('finds four statements at the UNGA 76 Third Committee on 2021-10-21', () => {
    expect(draft.bundle.statements).toHaveLength(4);
    for (const s of draft.bundle.statements) expect(s).toMatchObject({ forum: 'UN General Assembly Third Committee', session: '76', date: '2021-10-21' });
  });

  it('France for 43, read by Ambassador Nicolas de Rivière, on Xinjiang', () => {
    expect(france).toMatchObject({ kind: 'JOINT_STATEMENT', leadSignatory: 'FRA', claimedSignatoryCount: 43, listStatus: 'PARTIAL', topics: ['Xinjiang'] });
    const person = draft.bundle.people.find((p) => p.key === france!.deliveredBy)!;
    expect(person).toMatchObject({ name: 'Nicolas de Rivière', roles: [{ title: 'Ambassador', signatory: 'FRA' }] });
    expect(france!.countClaims).toEqual([{ count: 43, source: draft.bundle.sources[0]!.key, quote: expect.stringContaining('43 countries voiced concern') }]);
  });

  it("China's reply, by Zhang Jun, answering France, with the 80 countries Global Times counts", () => {
    expect(china).toMatchObject({ kind: 'RIGHT_OF_REPLY', leadSignatory: 'CHN', respondsTo: france!.key });
    expect(draft.bundle.people.find((p) => p.key === china!.deliveredBy)).toMatchObject({ name: 'Zhang Jun', roles: [{ signatory: 'CHN' }] });
    expect(china!.countClaims).toEqual([{ count: 80, source: expect.any(String), quote: 'According to Chinese state-owned media house Global Times, 80 other member countries supported China’s stance' }]);
  });

  it('Cuba for 62 (its side sent to review), Kuwait for the Gulf countries (the group sent to review)', () => {
    expect(cuba).toMatchObject({ kind: 'JOINT_STATEMENT', leadSignatory: 'CUB', claimedSignatoryCount: 62, topics: ['Xinjiang', 'Hong Kong', 'Xizang'] });
    expect(cuba!.respondsTo).toBeUndefined();
    expect(kuwait).toMatchObject({ kind: 'JOINT_STATEMENT', leadSignatory: 'KWT', respondsTo: france!.key });
    expect(kuwait!.claimedSignatoryCount).toBeUndefined();
    expect(draft.report.review.map((r) => [r.kind, r.text.slice(0, 40), r.statement])).toEqual([
      ['side', 'On behalf of 62 countries, the Cuban env', cuba!.key],
      ['group', 'Gulf countries', kuwait!.key],
    ]);
  });

  it('quotes every value from the body, and gives the same draft twice', () => {
    expectQuotesInBody(draft);
    expect(extractDraft({ text: fixture('seed-article.txt') })).toEqual(draft);
  });
});
