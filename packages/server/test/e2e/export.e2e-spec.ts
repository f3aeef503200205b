import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import {
  CSV_COLUMNS,
  ExportFilterError,
  exportBundle,
  readBundleFile,
  signatureRows,
  toCsv,
  toJson,
  toNdjson,
  type Database,
  type ImportSummary,
} from '../../src/index';
import { importBundle } from '../../src/import/importer/import-bundle';
import { parseBundleText } from '../../src/import/parser/parse-bundle';
import type { Bundle } from '../../src/import/parser/bundle.types';
import { runCli } from '../../../cli/test/run-cli';
import { snapshot } from '../support/snapshot';
import { openTestDatabase, testDatabaseUrl } from '../support/test-database';

/** Runs fn in a transaction that is always rolled back, so that each test leaves its database as it found it. */
async function rolledBack<T>(dataSource: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    return await fn(runner.manager);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

/** Leaves only the built-in states (without aliases from bundles): an archive nothing was imported into. */
async function emptyArchive(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (em) => {
    await em.query(`DELETE FROM statement`);
    await em.query(`DELETE FROM source`);
    await em.query(`DELETE FROM person`);
    await em.query(`DELETE FROM signatory WHERE NOT is_built_in`);
    await em.query(`DELETE FROM signatory_alias WHERE origin LIKE 'bundle:%'`);
  });
}

function expectNothingWritten(summary: ImportSummary): void {
  for (const kind of Object.values(summary)) expect(kind).toMatchObject({ created: 0, updated: 0 });
}

const keys = (records: { key: string }[] | undefined) => (records ?? []).map((r) => r.key);
const statement = (bundle: Bundle, key: string) => bundle.statements!.find((s) => s.key === key)!;

describe('exporting the archive', () => {
  let db: Database;
  let sample: DataSource;
  let empty: Database;
  let full: Bundle;
  beforeAll(async () => {
    [db, empty] = await Promise.all([openTestDatabase(), openTestDatabase()]);
    sample = db.dataSource;
    await emptyArchive(empty.dataSource);
    full = await exportBundle(sample.manager);
  });
  afterAll(async () => {
    await db?.close();
    await empty?.close();
  });

  it('holds every fact of the sample archive, in a stable order, with no null or empty field', async () => {
    expect(keys(full.statements)).toHaveLength(11);
    expect(keys(full.sources)).toHaveLength(12);
    expect(keys(full.people)).toEqual(['christoph-heusgen', 'michelle-bachelet', 'nicolas-de-riviere', 'zhang-jun']);
    for (const list of [full.sources, full.people, full.signatories, full.statements]) expect(keys(list)).toEqual([...keys(list)].sort());

    const counter = statement(full, 'hrc41-xinjiang-counter-letter');
    expect(counter.signatures).toHaveLength(51);
    expect(counter.respondsTo).toBe('hrc41-xinjiang-letter-22');
    expect(counter.countClaims?.map((c) => [c.count, c.source])).toEqual([
      [37, 'suaramuslim-2019-qatar'],
      [50, 'hrc41-g17'],
    ]);
    expect(counter.signatures!.find((g) => g.signatory === 'Qatar')).toEqual({
      signatory: 'Qatar',
      status: 'WITHDRAWN',
      joinedOn: '2019-07-12',
      withdrawnOn: '2019-07-18',
      evidence: [{ source: 'suaramuslim-2019-qatar' }, { source: 'yahoo-2019-qatar-withdraws' }],
    });
    expect(counter.signatures!.map((g) => g.signatory)).toContain('DR Congo');
    expect(statement(full, 'unga74-c3-xinjiang-belarus').signatures!.map((g) => g.signatory)).toEqual(expect.arrayContaining(['DRC', 'CAR', 'Guinea Bissau']));

    const france = statement(full, 'unga76-c3-xinjiang-france');
    expect(france).toMatchObject({ date: '2021-10-21', leadSignatory: 'FRA', deliveredBy: 'nicolas-de-riviere', topics: ['Xinjiang'] });
    expect(statement(full, 'unga76-c3-xinjiang-cuba').topics).toEqual(['Xinjiang', 'Hong Kong', 'Xizang']);
    expect(full.people!.find((p) => p.key === 'christoph-heusgen')!.roles).toEqual([
      { title: 'Permanent Representative of Germany to the United Nations', signatory: 'DEU', from: '2017', to: '2021' },
    ]);
    expect(full.people!.find((p) => p.key === 'michelle-bachelet')).toMatchObject({ aliases: ['Michele Bachelet'], roles: [{ from: '2018-09' }] });

    expect(full.signatories).toEqual([
      {
        key: 'gcc',
        kind: 'ORGANIZATION',
        name: 'Gulf Cooperation Council',
        aliases: ['GCC', 'Gulf countries'],
        members: ['ARE', 'BHR', 'KWT', 'OMN', 'QAT', 'SAU'],
      },
    ]);

    const json = toJson(full);
    expect(json).not.toMatch(/null|\[\]/);
    expect(parseBundleText(json, 'json').problems).toEqual([]);
    expect(parseBundleText(toNdjson(full), 'ndjson').problems).toEqual([]);
  });

  it('reads with a constant number of SQL statements', async () => {
    const all = await db.sql.measure(() => exportBundle(sample.manager));
    const some = await db.sql.measure(() => exportBundle(sample.manager, { topic: 'Tibet' }));
    expect(all.statements).toBe(10);
    expect(some.statements).toBe(10);
    expect((await db.sql.measure(() => signatureRows(sample.manager))).statements).toBe(1);
  });

  it('round-trips: export, import into an empty archive, export again gives the same bytes', async () => {
    const json = toJson(full);
    const ndjson = toNdjson(full);
    await rolledBack(empty.dataSource, async (em) => {
      const summary = await importBundle(em, full);
      expect(summary.statements.created).toBe(11);
      expect(summary.signatures.created).toBe(214);
      const again = await exportBundle(em);
      expect(toJson(again)).toBe(json);
      expect(toNdjson(again)).toBe(ndjson);
      // Both files read back into the same bundle, and importing it once more writes nothing.
      const fromNdjson = parseBundleText(ndjson, 'ndjson').bundle!;
      expect(toJson(fromNdjson)).toBe(json);
      expect(toJson(parseBundleText(json, 'json').bundle!)).toBe(json);
      expectNothingWritten(await importBundle(em, fromNdjson));
    });
  });

  it('writes nothing when its export is imported back into the archive it came from', async () => {
    const before = await snapshot(sample);
    const summary = await sample.transaction((em) => importBundle(em, full));
    expectNothingWritten(summary);
    expect(await snapshot(sample)).toEqual(before);
  });

  it('exports an empty archive as empty collections', async () => {
    const bundle = await exportBundle(empty.dataSource.manager);
    expect(bundle).toEqual({ format: 'jointly-bundle/1', sources: [], people: [], signatories: [], statements: [] });
    expect(toNdjson(bundle)).toBe('');
    expect(toCsv(await signatureRows(empty.dataSource.manager))).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });

  describe('with filters', () => {
    /** A filtered export imports on its own into an empty archive, which then exports to the same bytes. */
    async function expectSelfContained(bundle: Bundle): Promise<void> {
      await rolledBack(empty.dataSource, async (em) => {
        await importBundle(em, bundle);
        expect(toJson(await exportBundle(em))).toBe(toJson(bundle));
      });
    }

    /** Imported back into the sample archive it came from, a filtered export writes nothing. */
    async function expectNothingWrittenBack(bundle: Bundle): Promise<void> {
      const before = await snapshot(sample);
      expectNothingWritten(await sample.transaction((em) => importBundle(em, bundle)));
      expect(await snapshot(sample)).toEqual(before);
    }

    it('exports the statements of a topic with exactly the sources, people and signatories they reference', async () => {
      const tibet = await exportBundle(sample.manager, { topic: 'Tibet' });
      expect(keys(tibet.statements)).toEqual(['unga75-c3-xinjiang-germany']);
      expect(keys(tibet.sources)).toEqual(['appledaily-2020-10-07', 'defencepk-2020-full-list']);
      expect(keys(tibet.people)).toEqual(['christoph-heusgen']);
      expect(tibet.signatories).toEqual([]);
      expect(tibet.statements![0]).toEqual(statement(full, 'unga75-c3-xinjiang-germany'));
      await expectSelfContained(tibet);
      await expectNothingWrittenBack(tibet);
    });

    it('reads from and to as the start and the end of their period', async () => {
      const of2021 = await exportBundle(sample.manager, { from: '2021' });
      expect(keys(of2021.statements)).toEqual([
        'unga76-c3-xinjiang-china-reply',
        'unga76-c3-xinjiang-cuba',
        'unga76-c3-xinjiang-france',
        'unga76-c3-xinjiang-kuwait-gulf',
      ]);
      expect(keys(of2021.sources)).toEqual(['seed-article-2021-10-22']);
      expect(keys(of2021.people)).toEqual(['nicolas-de-riviere', 'zhang-jun']);
      await expectSelfContained(of2021);
      await expectNothingWrittenBack(of2021);

      expect(keys((await exportBundle(sample.manager, { to: '2019' })).statements)).toHaveLength(4);
      expect(keys((await exportBundle(sample.manager, { from: '2020-10', to: '2020-10' })).statements)).toEqual([
        'unga75-c3-xinjiang-cuba',
        'unga75-c3-xinjiang-germany',
        'unga75-c3-xinjiang-kuwait-gulf',
      ]);
      const hrc = await exportBundle(sample.manager, { forum: 'UN Human Rights Council', to: '2019-07-08' });
      expect(keys(hrc.statements)).toEqual(['hrc41-xinjiang-letter-22']);
    });

    it('keeps a reply\'s respondsTo when the statement it answers is outside the selection', async () => {
      const reply = await exportBundle(sample.manager, { from: '2019-07-09', to: '2019-07' });
      expect(keys(reply.statements)).toEqual(['hrc41-xinjiang-counter-letter']);
      expect(reply.statements![0]!.respondsTo).toBe('hrc41-xinjiang-letter-22');
      expect(keys(reply.sources)).toEqual(['hrc41-g17', 'suaramuslim-2019-qatar', 'tashkenttimes-2019-uzbekistan', 'yahoo-2019-qatar-withdraws']);
      // It reads back into the archive it came from, where the answered statement is.
      await expectNothingWrittenBack(reply);
    });

    it('brings the group a statement references along with its members, and the state records carrying names it uses', async () => {
      await rolledBack(sample, async (em) => {
        await importBundle(em, {
          format: 'jointly-bundle/1',
          signatories: [
            { key: 'test-turkish-names', kind: 'STATE', name: 'Turkey', iso3: 'TUR', aliases: ['Turkish Republic as printed'] },
            { key: 'test-friends', kind: 'GROUP', name: 'Test friends', members: ['gcc', 'FRA'] },
          ],
          statements: [
            {
              key: 'test-friends-statement',
              kind: 'JOINT_STATEMENT',
              title: 'A test statement',
              date: '2022',
              forum: 'Test forum',
              leadSignatory: 'test-friends',
              signatures: [{ signatory: 'Test friends' }, { signatory: 'Turkish Republic as printed' }],
            },
          ],
        });
        const bundle = await exportBundle(em, { forum: 'Test forum' });
        expect(bundle.signatories).toEqual([
          { key: 'gcc', kind: 'ORGANIZATION', name: 'Gulf Cooperation Council', aliases: ['GCC', 'Gulf countries'], members: ['ARE', 'BHR', 'KWT', 'OMN', 'QAT', 'SAU'] },
          { key: 'test-friends', kind: 'GROUP', name: 'Test friends', members: ['FRA', 'gcc'] },
          { key: 'test-turkish-names', kind: 'STATE', name: expect.any(String), iso3: 'TUR', aliases: ['Turkish Republic as printed'] },
        ]);
        expect(bundle.statements![0]).toMatchObject({ leadSignatory: 'test-friends', signatures: [{ signatory: 'Test friends' }, { signatory: 'Turkish Republic as printed' }] });
        await expectSelfContained(bundle);
        expectNothingWritten(await importBundle(em, bundle));
        // Unfiltered, the state record is there too, and the whole archive still round-trips.
        const all = await exportBundle(em);
        expect(keys(all.signatories)).toEqual(['gcc', 'test-friends', 'test-turkish-names']);
        await expectSelfContained(all);
      });
    });

    it('refuses a date that is not YYYY, YYYY-MM or YYYY-MM-DD', async () => {
      await expect(exportBundle(sample.manager, { from: '2021-13' })).rejects.toThrow(ExportFilterError);
      await expect(signatureRows(sample.manager, { to: '21' })).rejects.toThrow(/to "21" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD/);
    });
  });

  it('leaves out soft-deleted records and the links to them, and still imports', async () => {
    await rolledBack(sample, async (em) => {
      await em.query(`UPDATE source SET deleted_at = now() WHERE key = 'hrc41-g17'`);
      await em.query(`UPDATE statement SET deleted_at = now() WHERE key = 'unga74-c3-xinjiang-uk'`);
      await em.query(`UPDATE person SET deleted_at = now() WHERE key = 'zhang-jun'`);
      await em.query(`UPDATE signatory SET deleted_at = now() WHERE key = 'gcc'`);
      const bundle = await exportBundle(em);
      expect(keys(bundle.statements)).not.toContain('unga74-c3-xinjiang-uk');
      expect(keys(bundle.sources)).not.toContain('hrc41-g17');
      expect(keys(bundle.people)).not.toContain('zhang-jun');
      expect(bundle.signatories).toEqual([]);
      expect(statement(bundle, 'unga74-c3-xinjiang-belarus').respondsTo).toBeUndefined();
      expect(statement(bundle, 'unga76-c3-xinjiang-china-reply').deliveredBy).toBeUndefined();
      const counter = statement(bundle, 'hrc41-xinjiang-counter-letter');
      expect(counter.evidence).toBeUndefined();
      expect(counter.countClaims).toEqual([{ count: 37, source: 'suaramuslim-2019-qatar' }]);
      expect(counter.signatures!.find((g) => g.signatory === 'Yemen')).toEqual({ signatory: 'Yemen' });
      expect(toJson(bundle)).not.toContain('hrc41-g17');
      await rolledBack(empty.dataSource, (target) => importBundle(target, bundle));
    });
  });

  describe('as CSV', () => {
    const header = 'statement_key,statement_date,forum,session,signatory_iso3,signatory_name,name_as_written,status,joined_on,withdrawn_on';

    it('has one row per signature, statements by date then key, signatures by position', async () => {
      const csv = toCsv(await signatureRows(sample.manager));
      expect(csv.endsWith('\r\n')).toBe(true);
      expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      const lines = csv.slice(0, -2).split('\r\n');
      expect(lines[0]).toBe(header);
      const [{ total }] = await sample.query(`SELECT count(*)::int AS total FROM signature`);
      expect(lines).toHaveLength(1 + total);
      expect(lines).toContain('hrc41-xinjiang-counter-letter,2019-07-12,UN Human Rights Council,HRC41,QAT,Qatar,Qatar,WITHDRAWN,2019-07-12,2019-07-18');
      expect(lines).toContain('unga74-c3-xinjiang-belarus,2019-10-29,UN General Assembly Third Committee,74,COD,DR Congo,DRC,SIGNED,,');
      expect(lines).toContain('unga76-c3-xinjiang-kuwait-gulf,2021-10-21,UN General Assembly Third Committee,76,KWT,Kuwait,Kuwait,SIGNED,,');

      const order = lines.slice(1).map((l) => l.split(',').slice(0, 2).reverse().join(' '));
      expect(order).toEqual([...order].sort());
      const counter = lines.filter((l) => l.startsWith('hrc41-xinjiang-counter-letter,')).map((l) => l.split(',')[6]);
      expect(counter).toEqual(statement(full, 'hrc41-xinjiang-counter-letter').signatures!.map((g) => g.signatory));
    });

    it('quotes a field holding a comma or a double quote (RFC 4180)', async () => {
      await rolledBack(sample, async (em) => {
        await importBundle(em, {
          format: 'jointly-bundle/1',
          statements: [
            {
              key: 'test-comma',
              kind: 'JOINT_STATEMENT',
              title: 'A test statement',
              date: '2019-09',
              forum: 'Human Rights Council, 42nd session',
              session: 'HRC "42"',
              signatures: [{ signatory: 'France' }, { signatory: 'Türkiye', joinedOn: '2019' }],
            },
          ],
        });
        const csv = toCsv(await signatureRows(em, { forum: 'Human Rights Council, 42nd session' }));
        expect(csv).toBe(
          `${header}\r\n` +
            'test-comma,2019-09,"Human Rights Council, 42nd session","HRC ""42""",FRA,France,France,SIGNED,,\r\n' +
            `test-comma,2019-09,"Human Rights Council, 42nd session","HRC ""42""",TUR,${(await em.query(`SELECT name FROM signatory WHERE iso3 = 'TUR'`))[0].name},Türkiye,SIGNED,2019,\r\n`,
        );
      });
    });
  });
});

describe('jointly export', () => {
  let url: string;
  let dir: string;
  beforeAll(async () => {
    url = await testDatabaseUrl();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointly-export-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a CSV file and says what it wrote on standard error', async () => {
    const file = path.join(dir, 'signatures.csv');
    const result = await runCli(['--database-url', url, 'export', '--format', 'csv', '--out', file]);
    expect(result.stderr).toBe(`exported 214 signatures of 11 statements to ${file}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const csv = fs.readFileSync(file, 'utf8');
    expect(csv.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv.split('\r\n')).toHaveLength(1 + 214 + 1);
  });

  it('takes the format from the extension, and writes a bundle the importer reads back', async () => {
    const file = path.join(dir, 'archive.ndjson');
    const result = await runCli(['--database-url', url, 'export', '--out', file]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`exported 11 statements, 12 sources, 4 people, 1 signatory to ${file}\n`);
    const bundle = readBundleFile(file);
    expect(keys(bundle.statements)).toHaveLength(11);
    expect(fs.readFileSync(file, 'utf8')).toBe(toNdjson(bundle));
  });

  it('writes JSON to standard output by default, filtered', async () => {
    const result = await runCli(['--database-url', url, 'export', '--topic', 'Tibet', '--from', '2020', '--to', '2020-10-06']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const bundle = JSON.parse(result.stdout) as Bundle;
    expect(keys(bundle.statements)).toEqual(['unga75-c3-xinjiang-germany']);
    expect(result.stdout).toBe(toJson(bundle));
  });

  it.each([
    [['--format', 'xml'], 'jointly: --format must be one of json, ndjson, csv, got "xml"'],
    [['--from', '2021-13'], 'jointly: --from "2021-13" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD'],
    [['--from', '2022', '--to', '2021'], 'jointly: --from "2022" is after --to "2021"'],
    [['--format', 'ndjson', '--out', 'x.json'], 'jointly: --format ndjson does not match the extension of --out x.json (json)'],
    [['--topic'], "jointly: option '--topic <topic>' argument missing"],
  ])('exits 2 with one line and no stack trace for a usage error: %j', async (args, message) => {
    const result = await runCli(['--database-url', 'postgres://nobody@127.0.0.1:1/none', 'export', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${message}\n`);
    expect(result.stdout).toBe('');
  });
});
