import { resolveActor, resolveDemonym, resolveStateName } from './names';

describe('the name resolver of drafts', () => {
  it('resolves names as sources print them through the archive alias data', () => {
    expect(resolveStateName('France')).toMatchObject({ kind: 'state', iso3: 'FRA' });
    expect(resolveStateName('the Netherlands')).toMatchObject({ kind: 'state', iso3: 'NLD' });
    expect(resolveStateName('Türkiye')).toMatchObject({ kind: 'state', iso3: 'TUR' });
  });

  it('resolves demonyms', () => {
    expect(resolveDemonym('French')).toMatchObject({ kind: 'state', iso3: 'FRA' });
    expect(resolveDemonym('Cuban')).toMatchObject({ kind: 'state', iso3: 'CUB' });
    expect(resolveDemonym('Kuwaiti')).toMatchObject({ kind: 'state', iso3: 'KWT' });
    expect(resolveActor('Chinese')).toMatchObject({ kind: 'state', iso3: 'CHN' });
  });

  it('never guesses: a misspelt name is unknown, with the names most alike', () => {
    const result = resolveStateName('Liechtenstien');
    expect(result.kind).toBe('unknown');
    expect(result.kind === 'unknown' && result.candidates).toContain('Liechtenstein');
  });
});
