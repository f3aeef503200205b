import countries from 'world-countries';
import type { Country } from 'world-countries';
import type { AliasKind } from '../common/enums';
import aliasFile from './aliases.json';
import { normalizeName } from './normalize';

/** Where an alias came from. */
export const WORLD_COUNTRIES_ORIGIN = 'world-countries@5.1.0';
export const ALIAS_FILE_ORIGIN = 'aliases.json';

export interface StateAlias {
  name: string;
  kind: AliasKind;
  /** `WORLD_COUNTRIES_ORIGIN` or `ALIAS_FILE_ORIGIN`. */
  origin: string;
}

/** A state shipped with the archive: the 193 UN members and the 2 non-member observer states. */
export interface BuiltInState {
  /** Lower-case ISO 3166-1 alpha-3, e.g. 'fra'. */
  key: string;
  iso2: string;
  iso3: string;
  /** UN M49 numeric code, zero-padded to 3 digits, e.g. '250'. */
  m49: string;
  name: string;
  officialName: string;
  unStatus: 'MEMBER' | 'OBSERVER';
  /** Common, official, codes, aliases.json entries and useful altSpellings; unique by normalizeName within the state. */
  aliases: StateAlias[];
}

/** The non-member observer states (world-countries wrongly flags the Holy See as a member). */
const OBSERVERS: ReadonlySet<string> = new Set(['VAT', 'PSE']);

/** Kinds an aliases.json entry may carry. */
const FILE_KINDS: readonly AliasKind[] = ['COMMON', 'SHORT', 'FORMER', 'ABBREVIATION', 'VARIANT'];

/** An altSpelling is kept only if its normalised form is Latin script (after accent stripping) and 2+ characters. */
const USEFUL_SPELLING = /^[a-z0-9 ]{2,}$/;

/**
 * Normalised altSpellings that are words rather than names ("Island", "Prathet" = "country", demonyms,
 * a fragment of Brunei's official name) or that name more than the state ("Timor" is shared with Indonesia).
 */
const JUNK_SPELLINGS: ReadonlySet<string> = new Set([
  'island',
  'prathet',
  'thai',
  'mexicanos',
  'portuguesa',
  'togolese',
  'abode of peace',
  'timor',
]);

interface AliasFileEntry {
  iso3: string;
  name: string;
  kind: string;
  note?: string;
}

let cache: readonly BuiltInState[] | undefined;

/** The built-in states, sorted by iso3 (built once, then memoised). */
export function builtInStates(): readonly BuiltInState[] {
  cache ??= buildStates();
  return cache;
}

/** Normalised alias → iso3 over `states`; throws if one alias would name two states. */
export function aliasIndex(states: readonly BuiltInState[] = builtInStates()): Map<string, string> {
  const index = new Map<string, string>();
  for (const state of states) {
    for (const alias of state.aliases) claim(index, normalizeName(alias.name), state.iso3, alias.name);
  }
  return index;
}

function buildStates(): readonly BuiltInState[] {
  const picked = countries
    .filter((c) => c.unMember || OBSERVERS.has(c.cca3))
    .sort((a, b) => a.cca3.localeCompare(b.cca3));
  const fileAliases = readAliasFile(new Set(picked.map((c) => c.cca3)));

  // Names, codes and aliases.json entries are authoritative: any collision between states is a data error.
  const core = new Map<string, StateAlias[]>();
  const owners = new Map<string, string>();
  for (const c of picked) {
    const list = [
      fromWorld(c.name.common, 'COMMON'),
      fromWorld(c.name.official, 'OFFICIAL'),
      fromWorld(c.cca2, 'CODE'),
      fromWorld(c.cca3, 'CODE'),
      ...(fileAliases.get(c.cca3) ?? []),
    ];
    for (const alias of list) claim(owners, normalizeName(alias.name), c.cca3, alias.name);
    core.set(c.cca3, list);
  }

  // altSpellings are kept only where unambiguous: not claimed by another state, nor listed for two states.
  const spellers = new Map<string, Set<string>>();
  for (const c of picked) {
    for (const spelling of usefulSpellings(c)) {
      const key = normalizeName(spelling);
      spellers.set(key, (spellers.get(key) ?? new Set<string>()).add(c.cca3));
    }
  }
  const unambiguous = (key: string, iso3: string): boolean =>
    (owners.get(key) ?? iso3) === iso3 && spellers.get(key)?.size === 1;

  const states = picked.map((c): BuiltInState => {
    const variants = usefulSpellings(c)
      .filter((s) => unambiguous(normalizeName(s), c.cca3))
      .map((s) => fromWorld(s, 'VARIANT'));
    return {
      key: c.cca3.toLowerCase(),
      iso2: c.cca2,
      iso3: c.cca3,
      m49: m49(c),
      name: c.name.common,
      officialName: c.name.official,
      unStatus: OBSERVERS.has(c.cca3) ? 'OBSERVER' : 'MEMBER',
      aliases: uniqueByKey([...(core.get(c.cca3) ?? []), ...variants]),
    };
  });
  return Object.freeze(states);
}

/** aliases.json entries grouped by iso3, validated against the built-in states and the allowed kinds. */
function readAliasFile(iso3s: ReadonlySet<string>): Map<string, StateAlias[]> {
  const entries: readonly AliasFileEntry[] = aliasFile.aliases;
  const byIso3 = new Map<string, StateAlias[]>();
  for (const entry of entries) {
    if (!iso3s.has(entry.iso3)) throw new Error(`aliases.json: "${entry.name}" names unknown state ${entry.iso3}`);
    const kind = FILE_KINDS.find((k) => k === entry.kind);
    if (kind === undefined) throw new Error(`aliases.json: "${entry.name}" has invalid kind ${entry.kind}`);
    if (normalizeName(entry.name) === '') throw new Error(`aliases.json: empty name for ${entry.iso3}`);
    const list = byIso3.get(entry.iso3) ?? [];
    list.push({ name: entry.name, kind, origin: ALIAS_FILE_ORIGIN });
    byIso3.set(entry.iso3, list);
  }
  return byIso3;
}

function usefulSpellings(c: Country): string[] {
  return c.altSpellings.filter((s) => {
    const key = normalizeName(s);
    return USEFUL_SPELLING.test(key) && !JUNK_SPELLINGS.has(key);
  });
}

function fromWorld(name: string, kind: AliasKind): StateAlias {
  return { name, kind, origin: WORLD_COUNTRIES_ORIGIN };
}

function m49(c: Country): string {
  const code = c.ccn3.padStart(3, '0');
  if (!/^\d{3}$/.test(code)) throw new Error(`world-countries: ${c.cca3} has no M49 code`);
  return code;
}

/** Record that `key` names `iso3`; throws if it already names another state. */
function claim(owners: Map<string, string>, key: string, iso3: string, name: string): void {
  const owner = owners.get(key);
  if (owner !== undefined && owner !== iso3) throw new Error(`Alias "${name}" would name both ${owner} and ${iso3}`);
  owners.set(key, iso3);
}

/** Keeps the first alias for each normalised form. */
function uniqueByKey(aliases: readonly StateAlias[]): StateAlias[] {
  const seen = new Set<string>();
  return aliases.filter((a) => {
    const key = normalizeName(a.name);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
