import worldCountriesPackage from 'world-countries/package.json';
import aliasFile from './aliases.json';
import { normalizeName } from './normalize';
import { WORLD_COUNTRIES_ORIGIN, aliasIndex, builtInStates } from './states';

describe('normalizeName', () => {
  it.each([
    ['the Netherlands', 'netherlands'],
    ['The Gambia', 'gambia'],
    ['Côte d’Ivoire', 'cote d ivoire'],
    ["Cote d'Ivoire", 'cote d ivoire'],
    ['Côte dʼIvoire', 'cote d ivoire'],
    ['Guinea-Bissau', 'guinea bissau'],
    ['Guinea Bissau', 'guinea bissau'],
    ['U.A.E.', 'u a e'],
    ['Türkiye', 'turkiye'],
    ['São Tomé and Príncipe', 'sao tome and principe'],
    ['St Kitts & Nevis', 'st kitts and nevis'],
    ['  Bolivia (Plurinational State of) ', 'bolivia plurinational state of'],
    ['Theland', 'theland'],
    ['FRA', 'fra'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });
});

describe('builtInStates', () => {
  const states = builtInStates();
  const index = aliasIndex(states);
  const resolve = (name: string): string | undefined => index.get(normalizeName(name));

  it('has the 193 UN members and the 2 observer states, sorted by iso3', () => {
    expect(states).toHaveLength(195);
    expect(states.filter((s) => s.unStatus === 'MEMBER')).toHaveLength(193);
    expect(states.filter((s) => s.unStatus === 'OBSERVER').map((s) => s.iso3)).toEqual(['PSE', 'VAT']);
    expect(states.map((s) => s.iso3)).toEqual([...states.map((s) => s.iso3)].sort());
    expect(builtInStates()).toBe(states);
  });

  it('has well-formed codes', () => {
    const fra = states.find((s) => s.iso3 === 'FRA');
    expect(fra).toMatchObject({ key: 'fra', iso2: 'FR', m49: '250', unStatus: 'MEMBER' });
    for (const s of states) {
      expect(s.key).toBe(s.iso3.toLowerCase());
      expect(s.iso2).toMatch(/^[A-Z]{2}$/);
      expect(s.m49).toMatch(/^\d{3}$/);
    }
    expect(new Set(states.map((s) => s.m49)).size).toBe(195);
  });

  it('gives every normalised alias to exactly one state, once', () => {
    const owners = new Map<string, Set<string>>();
    for (const s of states) {
      const keys = s.aliases.map((a) => normalizeName(a.name));
      expect(new Set(keys).size).toBe(keys.length);
      for (const key of keys) {
        expect(key.length).toBeGreaterThanOrEqual(2);
        owners.set(key, (owners.get(key) ?? new Set<string>()).add(s.iso3));
      }
    }
    expect([...owners].filter(([, isos]) => isos.size > 1)).toEqual([]);
  });

  it('includes names and codes from world-countries', () => {
    const fra = states.find((s) => s.iso3 === 'FRA');
    expect(fra?.aliases).toEqual(
      expect.arrayContaining([
        { name: 'France', kind: 'COMMON', origin: WORLD_COUNTRIES_ORIGIN },
        { name: 'French Republic', kind: 'OFFICIAL', origin: WORLD_COUNTRIES_ORIGIN },
        { name: 'FR', kind: 'CODE', origin: WORLD_COUNTRIES_ORIGIN },
        { name: 'FRA', kind: 'CODE', origin: WORLD_COUNTRIES_ORIGIN },
      ]),
    );
  });

  it('is built from the installed world-countries version', () => {
    expect(WORLD_COUNTRIES_ORIGIN).toBe(`world-countries@${worldCountriesPackage.version}`);
  });

  it('resolves every aliases.json entry to its own state', () => {
    const iso3s = new Set(states.map((s) => s.iso3));
    for (const entry of aliasFile.aliases) {
      expect(iso3s.has(entry.iso3)).toBe(true);
      expect([entry.name, resolve(entry.name)]).toEqual([entry.name, entry.iso3]);
    }
  });

  it.each([
    ['DR Congo', 'COD'],
    ['DRC', 'COD'],
    ['Congo', 'COG'],
    ['UAE', 'ARE'],
    ['CAR', 'CAF'],
    ['Central African Republic', 'CAF'],
    ['Laos', 'LAO'],
    ['North Korea', 'PRK'],
    ['the Netherlands', 'NLD'],
    ['Netherlands', 'NLD'],
    ['State of Palestine', 'PSE'],
    ['Guinea Bissau', 'GNB'],
    ['Guinea-Bissau', 'GNB'],
    ['Guinea', 'GIN'],
    ['Equatorial Guinea', 'GNQ'],
    ['Sudan', 'SDN'],
    ['South Sudan', 'SSD'],
    ['Niger', 'NER'],
    ['Nigeria', 'NGA'],
    ['Türkiye', 'TUR'],
    ['Turkey', 'TUR'],
    ['Swaziland', 'SWZ'],
    ['Czech Republic', 'CZE'],
    ['Macedonia', 'MKD'],
    ['North Macedonia', 'MKD'],
    ['United States of America', 'USA'],
    ['United States', 'USA'],
    ['United Kingdom', 'GBR'],
    ['Russia', 'RUS'],
    ['Syria', 'SYR'],
    ['Iran', 'IRN'],
    ['Tanzania', 'TZA'],
    ['Bolivia', 'BOL'],
    ['Venezuela', 'VEN'],
    ['Dominica', 'DMA'],
    ['Dominican Republic', 'DOM'],
    ['Bosnia and Herzegovina', 'BIH'],
    ['Marshall Islands', 'MHL'],
    ["Côte d'Ivoire", 'CIV'],
    ['FRA', 'FRA'],
    ['fr', 'FRA'],
  ])('resolves %j to %s', (name, iso3) => {
    expect(resolve(name)).toBe(iso3);
  });

  const signatories = `Algeria Angola Bahrain Bangladesh Belarus Burkina_Faso Burundi Cambodia Cameroon Comoros Cuba
    Djibouti Egypt Eritrea Gabon Iraq Kuwait Mozambique Myanmar Nepal Oman Pakistan Philippines Qatar Saudi_Arabia
    Serbia Somalia Sri_Lanka Tajikistan Togo Turkmenistan Uganda Uzbekistan Yemen Zambia Zimbabwe Chad Mauritania
    Sierra_Leone Albania Australia Austria Belgium Bulgaria Canada Croatia Denmark Estonia Finland France Germany
    Haiti Honduras Iceland Ireland Italy Japan Latvia Liechtenstein Lithuania Luxembourg Monaco Nauru New_Zealand
    Norway Palau Poland Slovakia Slovenia Spain Sweden Switzerland China Grenada Kiribati Madagascar Morocco
    Nicaragua Kuwait`
    .split(/\s+/)
    .map((n) => n.replace(/_/g, ' '));

  it.each(signatories)('resolves the signatory name %j', (name) => {
    expect(resolve(name)).toBeDefined();
  });
});
