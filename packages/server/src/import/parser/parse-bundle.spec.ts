import { parseBundleText, prepareBundle, toPath, validateBundle } from './parse-bundle';

const statement = (extra: Record<string, unknown> = {}) => ({ key: 's', kind: 'OTHER', title: 'T', date: '2020', ...extra });
const json = (rest: Record<string, unknown>) => JSON.stringify({ format: 'jointly-bundle/1', ...rest }, null, 2);

describe('parsing bundles', () => {
  it('turns JSON pointers into readable paths', () => {
    expect(toPath('/statements/3/signatures/12/signatory')).toBe('statements[3].signatures[12].signatory');
  });

  it('reports every problem of a file at once, in words, at the field it is about', () => {
    const text = json({
      sources: [{ key: 'Bad Key', kind: 'BLOG', title: 'x', url: 'ftp://example.org', language: 'english' }],
      statements: [statement({ date: '12 July 2019', claimedSignatoryCount: 2.5, signatories: [] }), { key: 't', kind: 'OTHER', date: '2020', topics: 'Xinjiang' }],
      people: [{ key: 'p', name: '' }],
    });
    const { bundle, problems } = parseBundleText(text, 'json');
    expect(bundle).toBeUndefined();
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'sources[0].key', message: 'must be a key: lower-case letters, digits, ".", "_" and "-", starting with a letter or a digit' },
        { path: 'sources[0].kind', message: 'must be one of NEWS_ARTICLE, UN_DOCUMENT, GOVERNMENT_PAGE, NGO_PAGE, PRESS_RELEASE, TRANSCRIPT, OTHER' },
        { path: 'sources[0].url', message: 'must be a web address starting with http:// or https://' },
        { path: 'sources[0].language', message: 'must be a language tag such as "en" or "pt-BR"' },
        { path: 'statements[0].date', message: 'date must be YYYY, YYYY-MM or YYYY-MM-DD' },
        { path: 'statements[0].claimedSignatoryCount', message: 'must be a whole number' },
        { path: 'statements[0].signatories', message: 'unknown field "signatories"; did you mean "signatures"?' },
        { path: 'statements[1].title', message: 'missing field "title"' },
        { path: 'statements[1].topics', message: 'must be a list (a JSON array)' },
        { path: 'people[0].name', message: 'must not be empty' },
      ]),
    );
    // One problem per field, and no regular expression or Ajv wording anywhere.
    expect(new Set(problems.map((p) => p.path)).size).toBe(problems.length);
    for (const p of problems) expect(p.message).not.toMatch(/\^|\$|\\d|must match|must NOT|property/);
  });

  it('suggests a field only when one is close', () => {
    const problems = validateBundle({ format: 'jointly-bundle/1', sources: [{ key: 'a', kind: 'OTHER', title: 'A', published_on: '2020', colour: 'red' }] });
    expect(problems).toEqual([
      { path: 'sources[0].published_on', message: 'unknown field "published_on"; did you mean "publishedOn"?' },
      { path: 'sources[0].colour', message: 'unknown field "colour"' },
    ]);
  });

  it('names the format a bundle must declare', () => {
    expect(validateBundle({ format: 'jointly/2' })).toEqual([{ path: 'format', message: 'must be "jointly-bundle/1"' }]);
    expect(validateBundle({})).toEqual([{ path: 'format', message: 'missing field "format"' }]);
    expect(validateBundle([])).toEqual([{ path: '', message: 'must be an object' }]);
  });

  it('rejects impossible calendar dates the schema lets through', () => {
    const text = JSON.stringify({ format: 'jointly-bundle/1', statements: [{ key: 's', kind: 'OTHER', title: 't', date: '2019-02-30' }] });
    expect(parseBundleText(text, 'json').problems).toEqual([{ path: 'statements[0].date', message: '"2019-02-30" is not a calendar date' }]);
  });

  it('locates a JSON syntax error by line and column, in words', () => {
    const text = '{\n  "format": "jointly-bundle/1",\n  "statements": [\n    { "key": "s" "kind": "OTHER" }\n  ]\n}\n';
    expect(parseBundleText(text, 'json')).toEqual({
      problems: [{ path: '', line: 4, column: 18, message: `not valid JSON: expected "," or "}" after a field's value, found '"'` }],
      checkable: null,
    });
    expect(parseBundleText('{"format": "jointly-bundle/1", ', 'json').problems).toEqual([
      { path: '', line: 1, column: 32, message: 'not valid JSON: the text ends before the object is closed: a "}" is missing' },
    ]);
  });

  it('reads NDJSON: a bad line loses only its record, and problems carry their line', () => {
    const lines = [
      JSON.stringify({ type: 'source', key: 'a', kind: 'OTHER', title: 'A' }),
      JSON.stringify({ type: 'statement', key: 's', kind: 'OTHER', title: 'S', date: '2020' }),
    ];
    expect(parseBundleText(lines.join('\n'), 'ndjson')).toMatchObject({ problems: [], bundle: { sources: [{ key: 'a' }], statements: [{ key: 's' }] } });

    const broken = [
      lines[0],
      '{"type": "statement", "key": "t",, "kind": "OTHER"}',
      JSON.stringify({ type: 'speech', key: 'b' }),
      JSON.stringify({ type: 'statement', key: 'u', kind: 'OTHER', title: 'U', date: '2020', colour: 'red', signatures: [{ signatory: 'Liebia' }] }),
    ].join('\n');
    const parsed = parseBundleText(broken, 'ndjson');
    expect(parsed.problems).toEqual([
      { path: '', line: 2, column: 34, message: 'not valid JSON: expected a field name in double quotes, found ","' },
      { path: 'type', line: 3, message: 'must be one of source, person, signatory, statement' },
      { path: 'statements[0].colour', message: 'unknown field "colour"' },
    ]);
    expect(parsed.lines).toEqual({ sources: [1], statements: [4] });
    // The statement on line 4 is still checked against the archive, without its unknown field.
    expect(parsed.checkable?.bundle.statements).toEqual([{ key: 'u', kind: 'OTHER', title: 'U', date: '2020', signatures: [{ signatory: 'Liebia' }] }]);
  });
});

describe('what the database checks still see of a bundle with problems', () => {
  it('keeps the signatures of a statement with a bad date, and drops only what is unusable', () => {
    const parsed = prepareBundle({
      format: 'jointly-bundle/1',
      sources: [
        { key: 'Bad Key', kind: 'OTHER', title: 'A' },
        { key: 'b', kind: 'BLOG', title: 'B', publishedOn: 'yesterday', body: 'France read it.' },
      ],
      statements: [
        statement({ key: 's-1', date: '2019-13', signatures: [{ signatory: 'France', joinedOn: 'soon' }, { status: 'SIGNED' }, { signatory: 'Frnace' }] }),
        statement({ key: 's-2', colour: 'red', evidence: [{ source: 'b', quote: 'Germany read it' }] }),
        'not a record',
        statement({ key: 's-4', respondsTo: 'Bad Key' }),
      ],
    });
    expect(parsed.bundle).toBeUndefined();
    const checkable = parsed.checkable!;
    expect(checkable.bundle).toEqual({
      format: 'jointly-bundle/1',
      sources: [{ key: 'b', kind: 'OTHER', title: 'B', body: 'France read it.' }],
      statements: [
        { key: 's-1', kind: 'OTHER', title: 'T', date: '1000', signatures: [{ signatory: 'France' }, { signatory: 'Frnace' }] },
        { key: 's-2', kind: 'OTHER', title: 'T', date: '2020', evidence: [{ source: 'b', quote: 'Germany read it' }] },
        { key: 's-4', kind: 'OTHER', title: 'T', date: '2020' },
      ],
    });
    // Problems the checks find are put back where they were in the bundle as given.
    expect(checkable.originalPath('statements[0].signatures[1].signatory')).toBe('statements[0].signatures[2].signatory');
    expect(checkable.originalPath('statements[2].respondsTo')).toBe('statements[3].respondsTo');
    expect(checkable.originalPath('sources[0].body')).toBe('sources[1].body');
    expect(checkable.unchecked.sources).toEqual(new Set(['Bad Key']));
  });

  it('checks nothing of a value that is not a bundle object', () => {
    expect(prepareBundle('text').checkable).toBeNull();
    expect(prepareBundle([{ format: 'jointly-bundle/1' }]).checkable).toBeNull();
  });
});
