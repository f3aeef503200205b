import { articleFreeName } from '../../reference/normalize';
import { builtInStates } from '../../reference/states';
import { NameResolver, type NamedSignatory } from './name-resolver';

/** A resolver over the built-in states (ids are their iso3), as the archive has them. */
function statesResolver(extra: NamedSignatory[] = [], extraAliases: { signatoryId: string; name: string }[] = []): NameResolver {
  const states = builtInStates();
  return NameResolver.from(
    [...states.map((s) => ({ id: s.iso3, key: s.key, name: s.name, iso2: s.iso2, iso3: s.iso3 })), ...extra],
    [...states.flatMap((s) => s.aliases.map((a) => ({ signatoryId: s.iso3, name: a.name }))), ...extraAliases],
  );
}

describe('articleFreeName', () => {
  it.each([
    ['Republic of the Gambia', 'republic of gambia'],
    ['the Republic of Gambia', 'republic of gambia'],
    ['Saint Vincent and the Grenadines', 'saint vincent and grenadines'],
    ['Theland', 'theland'],
  ])('%j → %j', (input, expected) => expect(articleFreeName(input)).toBe(expected));
});

describe('NameResolver', () => {
  const resolver = statesResolver();

  it.each([
    ['Republic of Gambia', 'GMB'],
    ['the Republic of Gambia', 'GMB'],
    ['Republic of Philippines', 'PHL'],
    ['the Philippines', 'PHL'],
    ['Republic of Sudan', 'SDN'],
    ['Kingdom of Netherlands', 'NLD'],
    ['Saint Vincent and Grenadines', 'VCT'],
    ['Union of Comoros', 'COM'],
  ])('resolves an official name written without its article: %j → %s', (ref, iso3) => {
    expect(resolver.resolve(ref)).toEqual({ id: iso3 });
  });

  it('resolves every name of every built-in state, with its articles dropped or added', () => {
    for (const state of builtInStates()) {
      for (const alias of state.aliases) {
        const without = alias.name.replace(/\bthe\b/gi, ' ');
        expect({ ref: without, found: resolver.match(without) }).toEqual({ ref: without, found: [state.iso3] });
        expect({ ref: `the ${alias.name}`, found: resolver.match(`the ${alias.name}`) }).toEqual({ ref: `the ${alias.name}`, found: [state.iso3] });
      }
    }
  });

  it('never guesses: a name two signatories share once articles are dropped is an error naming both', () => {
    const withGroups = statesResolver([
      { id: 'g1', key: 'gulf-council', name: 'Council of the States of the Gulf', iso2: null, iso3: null },
      { id: 'g2', key: 'gulf-states', name: 'Council of States of the Gulf', iso2: null, iso3: null },
    ]);
    expect(withGroups.resolve('Council of States of Gulf')).toEqual({
      error: '"Council of States of Gulf" matches more than one signatory: Council of States of the Gulf, Council of the States of the Gulf; use a code or key',
    });
    // A name that matches as written is not looked up without its articles.
    expect(withGroups.resolve('Council of the States of the Gulf')).toEqual({ id: 'g1' });
    expect(withGroups.resolve('gulf-states')).toEqual({ id: 'g2' });
  });

  it('suggests the most alike names first, at most three', () => {
    expect(resolver.resolve('Frnace')).toEqual({ error: '"Frnace" matches no signatory; did you mean France, Greece, Monaco?' });
    expect(resolver.suggest('Republc of Philipines')[0]).toBe('Philippines');
    expect(resolver.suggest('Swtzerland')[0]).toBe('Switzerland');
    expect(resolver.suggest('Atlantis').length).toBeLessThanOrEqual(3);
  });

  it('bounds the work of suggestions', () => {
    expect(resolver.suggest(`Fr${'a'.repeat(300)}nce`)).toEqual([]);
    // Over the SignatoryRef limit, a reference matches nothing, however it would normalise.
    expect(resolver.match(`France${'!'.repeat(300)}`)).toEqual([]);
    expect(resolver.match(`  France${' '.repeat(300)}`)).toEqual(['FRA']);
    const fresh = NameResolver.from([{ id: 'fra', key: 'fra', name: 'France', iso2: 'FR', iso3: 'FRA' }], []);
    for (let i = 0; i < 100; i++) fresh.suggest(`Frnace ${i}`);
    expect(fresh.suggest('Frnace')).toEqual([]);
    expect(fresh.suggest('Frnace 7')).not.toEqual([]);
  });
});
