import { parseBundleText, toPath } from './parse-bundle';

describe('parsing bundles', () => {
  it('turns JSON pointers into readable paths', () => {
    expect(toPath('/statements/3/signatures/12/signatory')).toBe('statements[3].signatures[12].signatory');
  });

  it('reports every problem of a file at once, located', () => {
    const text = JSON.stringify({
      format: 'jointly-bundle/1',
      sources: [{ key: 'Bad Key', kind: 'BLOG', title: 'x' }],
      statements: [{ key: 's', kind: 'JOINT_STATEMENT', title: 't', date: '2019-02-30', signatories: [] }],
    });
    const { bundle, problems } = parseBundleText(text, 'json');
    expect(bundle).toBeUndefined();
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'sources[0].key', message: expect.stringMatching(/pattern/) },
        { path: 'sources[0].kind', message: expect.stringMatching(/must be one of NEWS_ARTICLE/) },
        { path: 'statements[0]', message: 'unknown field "signatories"' },
      ]),
    );
  });

  it('rejects impossible calendar dates the schema lets through', () => {
    const text = JSON.stringify({ format: 'jointly-bundle/1', statements: [{ key: 's', kind: 'OTHER', title: 't', date: '2019-02-30' }] });
    expect(parseBundleText(text, 'json').problems).toEqual([{ path: 'statements[0].date', message: '"2019-02-30" is not a calendar date' }]);
  });

  it('reads NDJSON and locates problems by line', () => {
    const lines = [
      JSON.stringify({ type: 'source', key: 'a', kind: 'OTHER', title: 'A' }),
      JSON.stringify({ type: 'statement', key: 's', kind: 'OTHER', title: 'S', date: '2020' }),
      '{not json',
    ];
    expect(parseBundleText(lines.slice(0, 2).join('\n'), 'ndjson')).toMatchObject({ problems: [], bundle: { sources: [{ key: 'a' }], statements: [{ key: 's' }] } });
    expect(parseBundleText(lines.join('\n'), 'ndjson').problems[0]).toMatchObject({ path: 'line 3' });
    const badField = JSON.stringify({ type: 'statement', key: 's', kind: 'OTHER', title: 'S', date: '2020', colour: 'red' });
    expect(parseBundleText(`${lines[0]}\n${badField}`, 'ndjson').problems).toEqual([{ path: 'line 2', message: 'unknown field "colour"' }]);
  });

  it('says what is wrong with a file that is not JSON', () => {
    expect(parseBundleText('{', 'json').problems[0]!.message).toMatch(/^not valid JSON/);
  });
});
