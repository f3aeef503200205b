import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ImportFailed, ImportProblemsError, SAMPLE_BUNDLES, importBundles, importFiles, type Database } from '../../src/index';
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

describe('importing an NDJSON file in batches', () => {
  let db: Database;
  let dataSource: DataSource;
  const dir = mkdtempSync(join(tmpdir(), 'jointly-batches-'));
  beforeAll(async () => {
    db = await openTestDatabase();
    dataSource = db.dataSource;
  });
  afterAll(async () => {
    await db.close();
  });

  const records = (prefix: string, lastSignatory = 'Chile') => [
    { type: 'source', ...source, key: `${prefix}-article` },
    { type: 'signatory', key: `${prefix}-group`, kind: 'GROUP', name: `${prefix} group`, members: ['FRA', 'DEU'] },
    // A reply to a statement of a later batch, and one to a statement of an earlier batch.
    { type: 'statement', key: `${prefix}-1`, kind: 'OTHER', title: 'One', date: '2021', respondsTo: `${prefix}-3`, signatures: [{ signatory: 'France' }, { signatory: 'Türkiye' }] },
    {
      type: 'statement',
      key: `${prefix}-2`,
      kind: 'OTHER',
      title: 'Two',
      date: '2021-05',
      signatures: [{ signatory: 'the Gambia', evidence: [{ source: `${prefix}-article`, quote: 'France read' }] }, { signatory: 'Peru' }, { signatory: 'Chad' }],
      evidence: [{ source: `${prefix}-article`, quote: 'On behalf of 3 countries' }],
    },
    { type: 'statement', key: `${prefix}-3`, kind: 'OTHER', title: 'Three', date: '2022', respondsTo: `${prefix}-2`, signatures: [{ signatory: lastSignatory }] },
  ];
  const write = (name: string, lines: object[]) => {
    const file = join(dir, name);
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    return file;
  };
  const stored = (prefix: string) =>
    dataSource.query(
      `SELECT s.key, r.key AS responds_to, array_agg(sg.name_as_written || ':' || sg.position ORDER BY sg.position) AS signatures,
              (SELECT count(*)::int FROM evidence e WHERE e.statement_id = s.id OR e.signature_id IN (SELECT id FROM signature WHERE statement_id = s.id)) AS evidence
       FROM statement s LEFT JOIN statement r ON r.id = s.responds_to_id LEFT JOIN signature sg ON sg.statement_id = s.id
       WHERE s.key LIKE $1 GROUP BY s.id, r.key ORDER BY s.key`,
      [`${prefix}-%`],
    );

  it('writes the same as one batch: statements, signatures, evidence and replies across batches', async () => {
    const batched = await importFiles(dataSource, [write('batched.ndjson', records('batched'))], { batchSignatures: 2 });
    expect(batched[0]!.summary.statements).toEqual({ created: 3, updated: 0, unchanged: 0 });
    expect(batched[0]!.summary.signatures).toEqual({ created: 6, updated: 0, unchanged: 0 });
    await importFiles(dataSource, [write('whole.ndjson', records('whole'))]);
    const normalise = (rows: { key: string; responds_to: string | null }[], prefix: string) =>
      rows.map((r) => ({ ...r, key: r.key.replace(prefix, 'x'), responds_to: r.responds_to?.replace(prefix, 'x') ?? null }));
    const result = normalise(await stored('batched'), 'batched');
    expect(result).toEqual(normalise(await stored('whole'), 'whole'));
    expect(result).toEqual([
      { key: 'x-1', responds_to: 'x-3', signatures: ['France:0', 'Türkiye:1'], evidence: 0 },
      { key: 'x-2', responds_to: null, signatures: ['the Gambia:0', 'Peru:1', 'Chad:2'], evidence: 2 },
      { key: 'x-3', responds_to: 'x-2', signatures: ['Chile:0'], evidence: 0 },
    ]);
    // Batch by batch again, nothing changes.
    const again = await importFiles(dataSource, [join(dir, 'batched.ndjson')], { batchSignatures: 1 });
    expect(again[0]!.summary.statements).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(again[0]!.summary.signatures).toEqual({ created: 0, updated: 0, unchanged: 6 });
  });

  it('writes nothing, not even the earlier batches, when a record of the last batch has a problem', async () => {
    const before = await snapshot(dataSource);
    const file = write('late-problem.ndjson', records('late', 'Atlantis'));
    const failure = await importFiles(dataSource, [file], { batchSignatures: 2 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportFailed);
    expect((failure as ImportFailed).files[0]!.problems).toEqual([
      { file, record: 'statements[2]', key: 'late-3', line: 5, column: null, field: 'signatures[0].signatory', message: expect.stringMatching(/^"Atlantis" matches no signatory/) },
    ]);
    expect(await snapshot(dataSource)).toEqual(before);
  });
});
