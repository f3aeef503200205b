import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/src/index';
import { testDatabaseUrl } from '../../server/test/support/test-database';
import { BIN, runCli } from './run-cli';

const SEED = 'packages/server/test/fixtures/extract/seed-article.txt';
const dir = mkdtempSync(join(tmpdir(), 'jointly-extract-'));

describe('jointly extract', () => {
  it('drafts the seed article, and `jointly import` takes the draft as it is into a fresh archive (twice: nothing the second time)', async () => {
    const out = join(dir, 'd.json');
    const reportFile = join(dir, 'r.json');
    const extracted = await runCli(['extract', SEED, '--out', out, '--report', reportFile]);
    expect(extracted.code).toBe(0);
    expect(extracted.stdout).toBe('');
    expect(extracted.stderr).toMatch(/^packages\/server\/test\/fixtures\/extract\/seed-article\.txt: 4 statements drafted, \d+ facts with their passages, 2 items to review\n {2}side at /);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { files: { review: { kind: string; text: string }[] }[] };
    expect(report.files[0]!.review.map((r) => [r.kind, r.text.slice(0, 14)])).toEqual([
      ['side', 'On behalf of 6'],
      ['group', 'Gulf countries'],
    ]);

    // The same text gives the same draft (keys from content), here on standard output.
    const again = await runCli(['extract', SEED]);
    expect(again.stdout).toBe(readFileSync(out, 'utf8'));

    const url = await testDatabaseUrl({ empty: true });
    const imported = await runCli(['--database-url', url, 'import', '-q', '--migrate', out]);
    expect(imported.stderr).toMatch(/^applied \d+ migrations/);
    expect(imported.code).toBe(0);
    const twice = await runCli(['--database-url', url, 'import', '-q', out]);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toMatch(/^0 created, 0 updated, \d+ unchanged/);

    const db = await openDatabase({ database: { kind: 'postgres', url }, poolSize: 1, logSql: false });
    try {
      const rows = (await db.dataSource.query(
        `SELECT s.kind, s.date::text AS date, s.forum, s.session, lead.iso3 AS lead, s.claimed_signatory_count AS count, p.name AS reader,
                (SELECT count(*)::int FROM evidence e WHERE e.statement_id = s.id AND e.start_offset IS NOT NULL) AS located
           FROM statement s JOIN signatory lead ON lead.id = s.lead_signatory_id LEFT JOIN person p ON p.id = s.delivered_by_id
          ORDER BY lead.iso3`,
      )) as Record<string, unknown>[];
      const at = { date: '2021-10-21', forum: 'UN General Assembly Third Committee', session: '76' };
      expect(rows).toEqual([
        { kind: 'RIGHT_OF_REPLY', ...at, lead: 'CHN', count: null, reader: 'Zhang Jun', located: 3 },
        { kind: 'JOINT_STATEMENT', ...at, lead: 'CUB', count: 62, reader: null, located: 3 },
        { kind: 'JOINT_STATEMENT', ...at, lead: 'FRA', count: 43, reader: 'Nicolas de Rivière', located: 2 },
        { kind: 'JOINT_STATEMENT', ...at, lead: 'KWT', count: null, reader: null, located: 3 },
      ]);
      const claims = (await db.dataSource.query(`SELECT count::int AS n FROM count_claim ORDER BY n`)) as { n: number }[];
      expect(claims.map((c) => c.n)).toEqual([43, 62, 80]);
    } finally {
      await db.close();
    }
  });

  it('drafts the other test texts (one from standard input) into one bundle that imports as it is', async () => {
    const fixtures = 'packages/server/test/fixtures/extract';
    const out = join(dir, 'texts.json');
    const extracted = await runCli(['extract', `${fixtures}/mission-list.html`, `${fixtures}/press-release.txt`, `${fixtures}/misspelt-list.txt`, '--out', out]);
    expect(extracted.code).toBe(0);
    expect(extracted.stderr).toContain('misspelt-list.txt: 1 statement drafted');
    expect(extracted.stderr).toMatch(/ {2}name at \d+–\d+ \[[^\]]+\]: "the United Stats" names no state: not a signature of the draft \(candidates: United States/);
    const piped = await runCli(['extract', '-', '--published', '2022-06-15', '--url', 'https://example.org/wire'], {}, BIN, readFileSync(`${fixtures}/wire-dateline.txt`, 'utf8'));
    expect(piped.code).toBe(0);
    const wire = JSON.parse(piped.stdout) as { sources: { url: string }[]; statements: unknown[] };
    expect(wire.sources[0]!.url).toBe('https://example.org/wire');
    expect(wire.statements).toHaveLength(2);
    const wireFile = join(dir, 'wire.json');
    writeFileSync(wireFile, piped.stdout);

    const url = await testDatabaseUrl({ empty: true });
    const imported = await runCli(['--database-url', url, 'import', '-q', '--migrate', out, wireFile]);
    expect(imported.stderr).toMatch(/^applied \d+ migrations/);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^\d+ created, 0 updated, 0 unchanged/);
  });

  it('says how it is used when misused (exit 2)', async () => {
    const missing = await runCli(['extract']);
    expect(missing.code).toBe(2);
    const twoSources = await runCli(['extract', SEED, SEED, '--url', 'https://example.org/a']);
    expect(twoSources.code).toBe(2);
    expect(twoSources.stderr).toBe('jointly: --url, --title and --published describe one source: give them with one FILE\n');
    const badDate = await runCli(['extract', SEED, '--published', '2021-02-30']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--published: "2021-02-30" is not a date/);
    const unreadable = await runCli(['extract', join(dir, 'nope.txt')]);
    expect(unreadable.code).toBe(1);
  });
});
