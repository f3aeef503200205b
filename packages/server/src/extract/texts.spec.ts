import { readFileSync } from 'node:fs';
import path from 'node:path';
import { locateQuote } from '../import/importer/quote';
import type { Draft, DraftStatement } from './draft.types';
import { extractDraft } from './extract';

/**
 * Test texts in the styles drafts come from. For each, the facts a careful reader writes down, and
 * what the draft must hold: each fact is either right in the draft or sent to review, never wrong.
 */
const fixture = (name: string) => readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'extract', name), 'utf8');

type Expected = Partial<Omit<DraftStatement, 'signatures' | 'evidence' | 'countClaims'>> & { signatures?: string[]; reader?: string; role?: string };

/** Counts the expected facts that the draft holds, and checks that none is wrong. */
function tally(draft: Draft, expected: Expected[]) {
  let facts = 0;
  let right = 0;
  expected.forEach((want, i) => {
    const got = draft.bundle.statements[i];
    for (const [field, value] of Object.entries(want)) {
      if (field === 'signatures') {
        for (const iso3 of value as string[]) {
          facts++;
          if (got?.signatures.some((s) => s.signatory === iso3)) right++;
        }
        continue;
      }
      facts++;
      const person = got?.deliveredBy ? draft.bundle.people.find((p) => p.key === got.deliveredBy) : undefined;
      const actual = field === 'reader' ? person?.name : field === 'role' ? person?.roles[0]?.title : got?.[field as keyof DraftStatement];
      if (actual === undefined) continue; // not in the draft: must be in review (checked by the caller)
      expect([field, actual]).toEqual([field, value]);
      right++;
    }
  });
  return { facts, right, review: draft.report.review.length };
}

function expectQuotesInBody(draft: Draft) {
  const body = draft.bundle.sources[0]!.body;
  for (const s of draft.bundle.statements) {
    for (const q of [...s.evidence, ...(s.countClaims ?? []), ...s.signatures.flatMap((g) => g.evidence)]) expect(locateQuote(body, q.quote)).not.toBeNull();
  }
  for (const r of draft.report.review) expect(body.slice(r.start, r.end)).toBe(r.text);
}

describe('drafts of test texts', () => {
  it('a wire story with a dateline and no year: with --published every fact is right; without it the statements are held back for review', () => {
    const draft = extractDraft({ text: fixture('wire-dateline.txt'), published: '2022-06-15' });
    const at = { date: '2022-06-14', forum: 'UN Human Rights Council', session: 'HRC50', topics: ['Xinjiang'] };
    const expected: Expected[] = [
      { kind: 'JOINT_STATEMENT', leadSignatory: 'NLD', claimedSignatoryCount: 47, reader: 'Paul Bekkers', role: 'Ambassador', ...at },
      { kind: 'RIGHT_OF_REPLY', leadSignatory: 'CHN', reader: 'Chen Xu', respondsTo: draft.bundle.statements[0]?.key, ...at },
    ];
    expect(draft.bundle.statements).toHaveLength(2);
    expect(tally(draft, expected)).toEqual({ facts: 17, right: 17, review: 0 });
    expectQuotesInBody(draft);

    const undated = extractDraft({ text: fixture('wire-dateline.txt') });
    expect(undated.bundle.statements).toEqual([]);
    expect(undated.report.review.map((r) => [r.kind, r.text])).toEqual([
      ['date', ''],
      ['date', 'June 14'],
      ['date', 'June 14'],
      ['statement', 'read by Dutch Ambassador Paul Bekkers'],
      ['statement', 'China\'s envoy Chen Xu'],
    ]);
  });

  it('a mission page (HTML) with a bare list under the statement: the list is complete', () => {
    const draft = extractDraft({ text: fixture('mission-list.html') });
    expect(draft.bundle.sources[0]).toMatchObject({ kind: 'GOVERNMENT_PAGE', publishedOn: '2020-10-06', title: 'Joint statement on the human rights situation in Hong Kong' });
    expect(draft.bundle.sources[0]!.body).not.toMatch(/dataLayer|Subscribe|Share this|Statements/);
    const expected: Expected[] = [
      {
        kind: 'JOINT_STATEMENT',
        leadSignatory: 'CAN',
        claimedSignatoryCount: 6,
        date: '2020-10-06',
        forum: 'UN General Assembly Third Committee',
        session: '75',
        topics: ['Hong Kong'],
        listStatus: 'COMPLETE',
        signatures: ['CAN', 'AUS', 'JPN', 'NZL', 'GBR', 'USA'],
      },
    ];
    expect(tally(draft, expected)).toEqual({ facts: 14, right: 14, review: 0 });
    expectQuotesInBody(draft);
  });

  it('a press release with "Among the 39 countries were …": a partial list, "Bosnia and Herzegovina" kept whole', () => {
    const draft = extractDraft({ text: fixture('press-release.txt') });
    expect(draft.bundle.sources[0]).toMatchObject({ kind: 'PRESS_RELEASE', title: '39 countries call on China to respect human rights in Xinjiang, Hong Kong and Tibet' });
    const expected: Expected[] = [
      {
        kind: 'JOINT_STATEMENT',
        leadSignatory: 'DEU',
        claimedSignatoryCount: 39,
        date: '2020-10-06',
        forum: 'UN General Assembly Third Committee',
        session: '75',
        topics: ['Xinjiang', 'Hong Kong', 'Tibet'],
        listStatus: 'PARTIAL',
        reader: 'Christoph Heusgen',
        role: 'Ambassador',
        signatures: ['DEU', 'ALB', 'AUS', 'AUT', 'BEL', 'BIH', 'CAN'],
      },
    ];
    expect(draft.bundle.statements).toHaveLength(1);
    expect(tally(draft, expected)).toEqual({ facts: 17, right: 17, review: 1 });
    // The release has no date line: its publication date is for a person to give.
    expect(draft.report.review).toEqual([expect.objectContaining({ kind: 'date', message: 'the publication date is unknown: give --published' })]);
    expectQuotesInBody(draft);
  });

  it('a list with a misspelt name: the name goes to review with its candidates, not into the signatures', () => {
    const draft = extractDraft({ text: fixture('misspelt-list.txt') });
    const listed = ['AUS', 'AUT', 'BEL', 'CAN', 'DNK', 'EST', 'FIN', 'FRA', 'DEU', 'ISL', 'IRL', 'JPN', 'LVA', 'LTU', 'LUX', 'NLD', 'NZL', 'NOR', 'ESP', 'SWE', 'CHE', 'GBR'];
    const expected: Expected[] = [
      {
        kind: 'JOINT_STATEMENT',
        leadSignatory: 'GBR',
        claimedSignatoryCount: 23,
        date: '2019-10-29',
        forum: 'UN General Assembly Third Committee',
        session: '74',
        topics: ['Xinjiang'],
        listStatus: 'PARTIAL',
        signatures: [...listed, 'USA'],
      },
    ];
    expect(tally(draft, expected)).toEqual({ facts: 31, right: 30, review: 1 });
    expect(draft.bundle.statements[0]!.signatures.map((s) => s.signatory)).not.toContain('USA');
    expect(draft.report.review).toEqual([
      expect.objectContaining({ kind: 'name', text: 'the United Stats', candidates: expect.arrayContaining(['United States']), statement: draft.bundle.statements[0]!.key }),
    ]);
    expectQuotesInBody(draft);
  });
});
