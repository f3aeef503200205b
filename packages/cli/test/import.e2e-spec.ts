import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../server/src/index';
import { snapshot } from '../../server/test/support/snapshot';
import { testDatabaseUrl } from '../../server/test/support/test-database';
import { BIN, runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'jointly-import-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const bundle = (rest: Record<string, unknown>) => ({ format: 'jointly-bundle/1', ...rest });
const statement = (extra: Record<string, unknown> = {}) => ({ key: 's-1', kind: 'OTHER', title: 'T', date: '2020', ...extra });

/** Each broken bundle, and the exact lines `jointly import` must print for it. */
const BROKEN: [name: string, content: unknown, lines: (string | RegExp)[]][] = [
  ['bad.json', '{"format": "jointly-bundle/1", ', ['bad.json: line 1, column 32: not valid JSON: the text ends before the object is closed: a "}" is missing']],
  ['unknown-field.json', bundle({ statements: [statement({ colour: 'red' })] }), ['unknown-field.json: statements[0] (key "s-1"), field colour: unknown field "colour"']],
  ['bad-kind.json', bundle({ statements: [statement({ kind: 'SPEECH' })] }), [/^bad-kind\.json: statements\[0\] \(key "s-1"\), field kind: must be one of JOINT_STATEMENT, /]],
  ['bad-date.json', bundle({ statements: [statement({ date: '2019-02-30' })] }), ['bad-date.json: statements[0] (key "s-1"), field date: "2019-02-30" is not a calendar date']],
  [
    'unknown-name.json',
    bundle({ statements: [statement({ signatures: [{ signatory: 'France' }, { signatory: 'Liebia' }] })] }),
    ['unknown-name.json: statements[0] (key "s-1"), field signatures[1].signatory: "Liebia" matches no signatory; did you mean Liberia, Libya, Algeria?'],
  ],
  [
    'ambiguous-name.json',
    bundle({
      signatories: [
        { key: 'union-a', kind: 'ORGANIZATION', name: 'African Union', aliases: ['The Union'] },
        { key: 'union-b', kind: 'ORGANIZATION', name: 'European Union', aliases: ['Union'] },
      ],
      statements: [statement({ signatures: [{ signatory: 'the union' }] })],
    }),
    ['ambiguous-name.json: statements[0] (key "s-1"), field signatures[0].signatory: "the union" matches more than one signatory: African Union, European Union; use a code or key'],
  ],
  [
    'dangling.json',
    bundle({ statements: [statement({ respondsTo: 'nope', deliveredBy: 'nobody', evidence: [{ source: 'nowhere' }] })] }),
    [
      'dangling.json: statements[0] (key "s-1"), field deliveredBy: no person has the key "nobody"',
      'dangling.json: statements[0] (key "s-1"), field respondsTo: no statement has the key "nope"',
      'dangling.json: statements[0] (key "s-1"), field evidence[0].source: no source has the key "nowhere"',
    ],
  ],
  [
    'quote.json',
    bundle({
      sources: [{ key: 'src', kind: 'OTHER', title: 'S', body: 'France read it.' }],
      statements: [statement({ evidence: [{ source: 'src', quote: 'Germany read it' }] })],
    }),
    ['quote.json: statements[0] (key "s-1"), field evidence[0].quote: the quote does not occur in the body of source "src"'],
  ],
  ['duplicate.json', bundle({ statements: [statement(), statement()] }), ['duplicate.json: statements[1] (key "s-1"), field key: "s-1" is also the key of statements[0]']],
  [
    'repeated-field.json',
    '{"format": "jointly-bundle/1",\n "statements": [{"key": "s-1", "kind": "OTHER", "title": "a", "date": "2020", "title": "b"}]}',
    ['repeated-field.json: line 2 (statement "s-1"), field title: the field "title" is given twice in one object (only the last would be kept)'],
  ],
  [
    'repeated-field.ndjson',
    [JSON.stringify({ type: 'source', key: 'a', kind: 'OTHER', title: 'A' }), '{"type": "statement", "key": "s-1", "kind": "OTHER", "title": "T", "date": "2020", "signatures": [{"signatory": "FRA", "signatory": "DEU"}]}'].join('\n'),
    ['repeated-field.ndjson: line 2 (statement "s-1"), field signatures[0].signatory: the field "signatory" is given twice in one object (only the last would be kept)'],
  ],
  [
    'member-cycle.json',
    bundle({
      signatories: [
        { key: 'g-a', kind: 'GROUP', name: 'Group Alpha', members: ['FRA', 'g-b'] },
        { key: 'g-b', kind: 'GROUP', name: 'Group Beta', members: ['g-a'] },
      ],
    }),
    ['member-cycle.json: signatories[0] (key "g-a"), field members[1]: a group would be a member of itself: "Group Alpha" has member "Group Beta", "Group Beta" has member "Group Alpha"'],
  ],
  [
    'reply-cycle.json',
    bundle({ statements: [statement({ respondsTo: 's-2' }), statement({ key: 's-2', respondsTo: 's-3' }), statement({ key: 's-3', respondsTo: 's-1' })] }),
    ['reply-cycle.json: statements[0] (key "s-1"), field respondsTo: a statement would respond to itself through replies: "s-1" responds to "s-2" responds to "s-3" responds to "s-1"'],
  ],
  [
    'broken.ndjson',
    [JSON.stringify({ type: 'source', key: 'a', kind: 'OTHER', title: 'A' }), JSON.stringify({ type: 'speech', key: 'b' })].join('\n'),
    ['broken.ndjson: line 2, field type: must be one of source, person, signatory, statement'],
  ],
];

describe('jointly import', () => {
  let url: string;
  let db: Database;
  beforeAll(async () => {
    url = await testDatabaseUrl();
    db = await openDatabase({ database: { kind: 'postgres', url }, poolSize: 1, logSql: false });
  });
  afterAll(async () => {
    await db.close();
  });

  it('re-importing the sample bundles writes nothing and says so', async () => {
    const before = await snapshot(db.dataSource);
    const result = await runCli(['--database-url', url, 'import', '-q', 'packages/server/data/seed.bundle.json', 'packages/server/data/xinjiang-2019-2020.bundle.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^0 created, 0 updated, 242 unchanged \(wrote 2 files in [\d.]+ s\)\n$/);
    expect(await snapshot(db.dataSource)).toEqual(before);
  });

  it.each(BROKEN)('%s: reports exactly its problems, exits 1 and writes nothing', async (name, content, lines) => {
    const before = await snapshot(db.dataSource);
    const result = await runCli(['--database-url', url, 'import', '-q', file(name, content)], {});
    expect(result.code).toBe(1);
    const printed = result.stderr.trim().split('\n').map((l) => l.replace(`${dir}/`, ''));
    expect(printed.pop()).toMatch(/^jointly: \d+ problems?; nothing was written$/);
    expect(printed).toHaveLength(lines.length);
    lines.forEach((line, i) => (typeof line === 'string' ? expect(printed[i]).toBe(line) : expect(printed[i]).toMatch(line)));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await snapshot(db.dataSource)).toEqual(before);
  });

  it('reports the problems of every file at once', async () => {
    const result = await runCli(['--database-url', url, 'import', '-q', file('a.json', BROKEN[1]![1]), file('b.json', BROKEN[8]![1])]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/a\.json: statements\[0\] \(key "s-1"\), field colour: unknown field "colour"/);
    expect(result.stderr).toMatch(/b\.json: statements\[1\] \(key "s-1"\), field key: "s-1" is also the key/);
    // problems found against the archive too: every file is tried before the transaction rolls back
    const both = await runCli(['--database-url', url, 'import', '-q', file('c.json', BROKEN[4]![1]), file('d.json', BROKEN[6]![1])]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/c\.json: statements\[0\] \(key "s-1"\), field signatures\[1\]\.signatory: "Liebia" matches no signatory/);
    expect(both.stderr).toMatch(/d\.json: statements\[0\] \(key "s-1"\), field respondsTo: no statement has the key "nope"/);
    expect(both.stderr).toMatch(/jointly: 4 problems; nothing was written/);
  });

  /** A bundle with a format error, an unknown state, a misquote and an unknown field, each in its own record. */
  const mixed = bundle({
    sources: [{ key: 'mixed-src', kind: 'OTHER', title: 'S', body: 'On behalf of 3 countries, France read it.' }],
    statements: [
      statement({ key: 'mixed-1', date: '12 July 2019', signatures: [{ signatory: 'Republic of Gambia' }, { signatory: 'Frnace' }] }),
      statement({ key: 'mixed-2', signatures: [{ signatory: 'Atlantis' }] }),
      statement({ key: 'mixed-3', evidence: [{ source: 'mixed-src', quote: 'On behalf of 4 countries' }] }),
      statement({ key: 'mixed-4', colour: 'red', signatures: [{ signatory: 'Republic of Philippines' }] }),
    ],
  });

  it('reports a format error, an unknown name, a misquote and an unknown field together, and writes nothing', async () => {
    const before = await snapshot(db.dataSource);
    const result = await runCli(['--database-url', url, 'import', '-q', file('mixed.json', mixed)]);
    expect(result.code).toBe(1);
    expect(result.stderr.replaceAll(`${dir}/`, '').trim().split('\n')).toEqual([
      'mixed.json: statements[0] (key "mixed-1"), field date: date must be YYYY, YYYY-MM or YYYY-MM-DD',
      'mixed.json: statements[0] (key "mixed-1"), field signatures[1].signatory: "Frnace" matches no signatory; did you mean France, Greece, Monaco?',
      'mixed.json: statements[1] (key "mixed-2"), field signatures[0].signatory: "Atlantis" matches no signatory; did you mean Albania, Argentina, Vatican City?',
      'mixed.json: statements[2] (key "mixed-3"), field evidence[0].quote: the quote does not occur in the body of source "mixed-src"',
      'mixed.json: statements[3] (key "mixed-4"), field colour: unknown field "colour"',
      'jointly: 5 problems; nothing was written',
    ]);
    expect(await snapshot(db.dataSource)).toEqual(before);
  });

  it('locates the problems of an NDJSON file by line, a syntax error by line and column', async () => {
    const lines = [
      JSON.stringify({ type: 'statement', ...statement({ key: 'nd-1', date: '2020-02-30', signatures: [{ signatory: 'Liebia' }] }) }),
      '{"type": "statement", "key": "nd-2",',
      JSON.stringify({ type: 'statement', ...statement({ key: 'nd-3', signatures: [{ signatory: 'the Republic of Gambia' }] }) }),
    ];
    const result = await runCli(['--database-url', url, 'import', '-q', file('lines.ndjson', lines.join('\n'))]);
    expect(result.code).toBe(1);
    expect(result.stderr.replaceAll(`${dir}/`, '').trim().split('\n')).toEqual([
      'lines.ndjson: line 1 (statement "nd-1"), field date: "2020-02-30" is not a calendar date',
      'lines.ndjson: line 1 (statement "nd-1"), field signatures[0].signatory: "Liebia" matches no signatory; did you mean Liberia, Libya, Algeria?',
      'lines.ndjson: line 2, column 37: not valid JSON: the text ends before the object is closed: a "}" is missing',
      'jointly: 3 problems; nothing was written',
    ]);
  });

  it('--json: prints the problems, or the summary, as one JSON object on standard output', async () => {
    const before = await snapshot(db.dataSource);
    const failed = await runCli(['--database-url', url, 'import', '-q', '--json', file('mixed.json', mixed), file('bad.json', BROKEN[0]![1])]);
    expect(failed.code).toBe(1);
    const report = JSON.parse(failed.stdout) as { problems: { file: string }[] };
    report.problems.forEach((p) => (p.file = p.file.replace(`${dir}/`, '')));
    expect(report).toEqual({
      dryRun: false,
      written: false,
      files: [
        { file: join(dir, 'mixed.json'), counts: null, problems: 5 },
        { file: join(dir, 'bad.json'), counts: null, problems: 1 },
      ],
      total: null,
      problems: expect.arrayContaining([
        { file: 'mixed.json', record: 'statements[0]', key: 'mixed-1', line: null, column: null, field: 'date', message: 'date must be YYYY, YYYY-MM or YYYY-MM-DD' },
        { file: 'mixed.json', record: 'statements[3]', key: 'mixed-4', line: null, column: null, field: 'colour', message: 'unknown field "colour"' },
        { file: 'bad.json', record: null, key: null, line: 1, column: 32, field: null, message: expect.stringMatching(/^not valid JSON: /) },
      ]),
    });
    expect(report.problems).toHaveLength(6);
    expect(failed.stderr).toBe('');
    expect(await snapshot(db.dataSource)).toEqual(before);

    const path = file('json-ok.json', bundle({ statements: [statement({ key: 'json-1', signatures: [{ signatory: 'Republic of Gambia' }] })] }));
    const dry = await runCli(['--database-url', url, 'import', '-q', '--json', '--dry-run', path]);
    expect(dry.code).toBe(0);
    const counts = (statements: number, signatures: number) => ({
      sources: { created: 0, updated: 0, unchanged: 0 },
      people: { created: 0, updated: 0, unchanged: 0 },
      signatories: { created: 0, updated: 0, unchanged: 0 },
      statements: { created: statements, updated: 0, unchanged: 0 },
      signatures: { created: signatures, updated: 0, unchanged: 0 },
    });
    expect(JSON.parse(dry.stdout)).toEqual({ dryRun: true, written: false, files: [{ file: path, counts: counts(1, 1), problems: 0 }], total: counts(1, 1), problems: [] });
    expect(await snapshot(db.dataSource)).toEqual(before);
  });

  it('dry-runs: says what would change and writes nothing', async () => {
    const before = await snapshot(db.dataSource);
    const path = file('new.json', bundle({ statements: [statement({ key: 'dry-run-1', signatures: [{ signatory: 'Japan' }] })] }));
    const result = await runCli(['--database-url', url, 'import', '--dry-run', path]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/new\.json: 2 created, 0 updated, 0 unchanged \(0 sources, 0 people, 0 signatories, 1 statement, 1 signature\)/);
    expect(result.stdout).toMatch(/^dry run, nothing written: 2 created/m);
    expect(await snapshot(db.dataSource)).toEqual(before);
  });

  it('reads standard input, and says how it is used when misused (exit 2)', async () => {
    const usage = await runCli(['--database-url', url, 'import']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/missing required argument/);
    const unreachable = await runCli(['--database-url', 'postgres://nobody@127.0.0.1:1/x', 'import', file('ok.json', bundle({}))]);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr.trim()).toMatch(/^jointly: cannot connect to the database/);
  });

  it('leaves the database as it was when the import is killed mid-way (SIGKILL)', async () => {
    const statements = Array.from({ length: 3000 }, (_, i) => ({
      key: `killed-${i}`,
      kind: 'JOINT_STATEMENT',
      title: `Statement ${i}`,
      date: '2021',
      signatures: ['France', 'Germany', 'Japan', 'Brazil', 'India', 'Kenya', 'Peru', 'Chile', 'Ghana', 'Nepal'].map((signatory) => ({ signatory })),
    }));
    const path = file('big.json', bundle({ statements }));
    const before = await snapshot(db.dataSource);
    const child = spawn(process.execPath, [BIN, '--database-url', url, 'import', path], { env: { ...process.env, DATABASE_URL: '' } });
    let stderr = '';
    const killedWhile = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const writing = /: (statements|signatures|evidence)\n/.exec(stderr);
        if (writing) {
          child.kill('SIGKILL');
          resolve(writing[1]!);
        }
      });
      child.on('exit', () => reject(new Error(`import finished before it could be killed: ${stderr}`)));
    });
    expect(['statements', 'signatures', 'evidence']).toContain(killedWhile);
    await new Promise((resolve) => child.once('exit', resolve));
    // The server rolls the open transaction back when the connection drops.
    let after = await snapshot(db.dataSource);
    for (let i = 0; i < 20 && JSON.stringify(after) !== JSON.stringify(before); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await snapshot(db.dataSource);
    }
    expect(after).toEqual(before);
  });

  it('never changes the schema unasked: pending migrations stop it (exit 2, nothing written); --migrate applies them', async () => {
    const blank = await testDatabaseUrl({ empty: true });
    const path = file('one.json', bundle({ statements: [statement({ key: 'migrated-then-imported', signatures: [{ signatory: 'France' }] })] }));
    const tables = async () => {
      const other = await openDatabase({ database: { kind: 'postgres', url: blank }, poolSize: 1, logSql: false });
      try {
        return ((await other.dataSource.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`)) as { n: number }[])[0]!.n;
      } finally {
        await other.close();
      }
    };
    const refused = await runCli(['--database-url', blank, 'import', '-q', path]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^jointly: \d+ migrations pending on the database at .+: run `jointly migrate run` first, or import with --migrate\n$/);
    expect(await tables()).toBe(0);
    const dry = await runCli(['--database-url', blank, 'import', '-q', '--dry-run', path]);
    expect(dry.code).toBe(2);
    expect(await tables()).toBe(0);
    const migrated = await runCli(['--database-url', blank, 'import', '-q', '--migrate', path]);
    expect(migrated.code).toBe(0);
    expect(migrated.stderr).toMatch(/^applied \d+ migrations: /);
    expect(migrated.stdout).toMatch(/^2 created, 0 updated, 0 unchanged/);
  });

  it('a dry run writes nothing, the built-in states included; a real import syncs them in its own transaction', async () => {
    await db.dataSource.query(`UPDATE signatory SET name = 'Francia' WHERE iso3 = 'FRA' AND is_built_in`);
    const before = await snapshot(db.dataSource);
    const path = file('dry.json', bundle({ statements: [statement({ key: 'dry-run-only', signatures: [{ signatory: 'France' }] })] }));
    const dry = await runCli(['--database-url', url, 'import', '-q', '--dry-run', path]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^dry run, nothing written: 2 created/);
    expect(await snapshot(db.dataSource)).toEqual(before);
    const real = await runCli(['--database-url', url, 'import', '-q', path]);
    expect(real.code).toBe(0);
    const [france] = (await db.dataSource.query(`SELECT name FROM signatory WHERE iso3 = 'FRA'`)) as { name: string }[];
    expect(france!.name).toBe('France');
  });
});
