import type { DataSource } from 'typeorm';
import { ImportProblemsError, SAMPLE_BUNDLES, importBundles, type Database } from '../../src/index';
import { importBundle } from '../../src/import/importer/import-bundle';
import type { Bundle } from '../../src/import/parser/bundle.types';
import { snapshot } from '../support/snapshot';
import { openTestDatabase } from '../support/test-database';

const source = {
  key: 'test-article',
  kind: 'NEWS_ARTICLE' as const,
  title: 'A test article',
  body: 'First paragraph.\n\nOn behalf of 3 countries,   France read a statement.\n\nLast paragraph.',
};

function bundle(overrides: Partial<Bundle> = {}): Bundle {
  return {
    format: 'jointly-bundle/1',
    sources: [source],
    statements: [
      {
        key: 'test-statement',
        kind: 'JOINT_STATEMENT',
        title: 'A test statement',
        date: '2022-06',
        signatures: [{ signatory: 'France' }, { signatory: 'Türkiye' }, { signatory: 'the Gambia' }],
        evidence: [{ source: 'test-article', quote: 'On behalf of 3 countries, France read' }],
      },
    ],
    ...overrides,
  };
}

describe('loading bundles', () => {
  let db: Database;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
    dataSource = db.dataSource;
  });
  afterAll(async () => {
    await db.close();
  });

  const load = (b: Bundle) => dataSource.transaction((em) => importBundle(em, b));

  it('writes nothing the second time the sample bundles are loaded', async () => {
    const before = await snapshot(dataSource);
    const summaries = await importBundles(dataSource, SAMPLE_BUNDLES);
    for (const s of summaries) {
      for (const kind of Object.values(s)) expect(kind).toMatchObject({ created: 0, updated: 0 });
    }
    expect(summaries[1]!.statements.unchanged).toBe(7);
    expect(await snapshot(dataSource)).toEqual(before);
  });

  it('reports every unknown or ambiguous name with its location and candidates, and writes nothing', async () => {
    const before = await snapshot(dataSource);
    const bad = bundle();
    bad.statements![0]!.signatures = [{ signatory: 'France' }, { signatory: 'Liebia' }, { signatory: 'Atlantis' }];
    bad.statements![0]!.leadSignatory = 'Narnia';
    const error = await load(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportProblemsError);
    const problems = (error as ImportProblemsError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'statements[0].signatures[1].signatory', message: expect.stringMatching(/"Liebia" matches no signatory; did you mean .*Liberia.*Libya/) },
        { path: 'statements[0].signatures[2].signatory', message: expect.stringMatching(/"Atlantis" matches no signatory/) },
        { path: 'statements[0].leadSignatory', message: expect.stringMatching(/"Narnia" matches no signatory/) },
      ]),
    );
    expect(await snapshot(dataSource)).toEqual(before);
  });

  it('checks evidence quotes against the source body and stores where they are', async () => {
    const wrong = bundle();
    wrong.statements![0]!.evidence = [{ source: 'test-article', quote: 'words the article never printed' }];
    await expect(load(wrong)).rejects.toThrow(/statements\[0\]\.evidence\[0\]\.quote: the quote does not occur in the body of source "test-article"/);

    const summary = await load(bundle());
    expect(summary.statements.created).toBe(1);
    expect(summary.signatures.created).toBe(3);
    const [evidence] = await dataSource.query(
      `SELECT e.paragraph, e.start_offset, e.end_offset FROM evidence e JOIN statement s ON s.id = e.statement_id WHERE s.key = 'test-statement'`,
    );
    expect(evidence.paragraph).toBe(2);
    expect(source.body.slice(evidence.start_offset, evidence.end_offset)).toBe('On behalf of 3 countries,   France read');
    const [stmt] = await dataSource.query(`SELECT date, date_precision FROM statement WHERE key = 'test-statement'`);
    expect(stmt).toEqual({ date: '2022-06-01', date_precision: 'MONTH' });

    // A changed record is updated (its version goes up); an unchanged one is not written.
    const changed = bundle();
    changed.statements![0]!.title = 'A retitled test statement';
    const second = await load(changed);
    expect(second.statements).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(second.sources).toEqual({ created: 0, updated: 0, unchanged: 1 });
    const [row] = await dataSource.query(`SELECT version, title FROM statement WHERE key = 'test-statement'`);
    expect(row).toEqual({ version: 2, title: 'A retitled test statement' });
  });

  it('refuses a bundle signatory that takes the key of a built-in state', async () => {
    const hijack = bundle({ signatories: [{ key: 'fra', kind: 'ORGANIZATION', name: 'Not France' }, { key: 'names-x', kind: 'STATE', name: 'Atlantis' }] });
    hijack.statements![0]!.signatures = [{ signatory: 'fra' }, { signatory: 'Frnace' }];
    // Every problem at once: the taken key does not hide the unknown names after it.
    const error = (await load(hijack).catch((e: unknown) => e)) as ImportProblemsError;
    expect(error.problems).toEqual([
      { path: 'signatories[0].key', message: '"fra" is the key of a built-in state; choose another key' },
      { path: 'signatories[1].name', message: '"Atlantis" matches no signatory; did you mean Albania, Argentina, Vatican City?' },
      { path: 'statements[0].signatures[1].signatory', message: '"Frnace" matches no signatory; did you mean France, Greece, Monaco?' },
    ]);
    const [france] = await dataSource.query(`SELECT kind, name FROM signatory WHERE key = 'fra'`);
    expect(france).toEqual({ kind: 'STATE', name: 'France' });
  });

  it('refuses one signatory listed twice under two names', async () => {
    const twice = bundle();
    twice.statements![0]!.signatures = [{ signatory: 'Netherlands' }, { signatory: 'the Netherlands' }];
    await expect(load(twice)).rejects.toThrow(/signatures\[1\]\.signatory: "the Netherlands" is the same signatory as signatures\[0\]/);
  });
});

describe('bundle aliases for states', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });
  const load = (b: Bundle) => db.dataSource.transaction((em) => importBundle(em, b));
  const aliasesOf = async (iso3: string) =>
    (
      await db.dataSource.query(
        `SELECT a.name, a.origin FROM signatory_alias a JOIN signatory s ON s.id = a.signatory_id WHERE s.iso3 = $1 AND a.origin LIKE 'bundle:%' ORDER BY a.name`,
        [iso3],
      )
    )
      .map((r: { name: string; origin: string }) => `${r.origin}=${r.name}`)
      .sort();

  it('keep each bundle record’s own aliases, skip names the state already has, and accept only real ISO codes', async () => {
    await load({ format: 'jointly-bundle/1', signatories: [{ key: 'names-a', kind: 'STATE', name: 'Turkey', iso3: 'TUR', aliases: ['Turkish Republic'] }] });
    await load({
      format: 'jointly-bundle/1',
      signatories: [{ key: 'names-b', kind: 'STATE', name: 'Turkey', iso3: 'TUR', aliases: ['Anatolian Republic', 'Türkiye Cumhuriyeti'] }],
    });
    expect(await aliasesOf('TUR')).toEqual(['bundle:names-a=Turkish Republic', 'bundle:names-b=Anatolian Republic']);
    const resolved = await load({
      format: 'jointly-bundle/1',
      statements: [{ key: 'alias-use', kind: 'OTHER', title: 't', date: '2020', signatures: [{ signatory: 'Anatolian Republic' }, { signatory: 'Turkish Republic ' }] }],
    }).catch((e: unknown) => e);
    expect(resolved).toBeInstanceOf(ImportProblemsError);
    expect((resolved as ImportProblemsError).problems[0]!.message).toMatch(/is the same signatory as signatures\[0\]/);
    await expect(
      load({ format: 'jointly-bundle/1', signatories: [{ key: 'not-a-state', kind: 'STATE', name: 'Gulf', iso3: 'GCC', aliases: ['Gulf'] }] }),
    ).rejects.toThrow(/signatories\[0\]\.iso3: "GCC" is not the ISO alpha-3 code of a built-in state/);
  });
});
