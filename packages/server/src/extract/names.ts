import countries from 'world-countries';
import { mostAlike, type SuggestionCandidate } from '../import/importer/name-resolver';
import { articleFreeName, normalizeName } from '../reference/normalize';
import { aliasIndex, builtInStates } from '../reference/states';

/** What a name as written resolves to: one state, several (ambiguous), or none (with the names most alike). */
export type NameResolution =
  | { kind: 'state'; iso3: string; name: string }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'unknown'; candidates: string[] };

interface Index {
  byName: Map<string, string>;
  byArticleFree: Map<string, Set<string>>;
  byDemonym: Map<string, Set<string>>;
  names: Map<string, string>;
  suggestions: SuggestionCandidate[];
}

let cache: Index | undefined;

/** The archive's own names for the built-in states (aliases.json, world-countries) and their English demonyms. */
function index(): Index {
  if (cache) return cache;
  const states = builtInStates();
  const byName = aliasIndex(states);
  const byArticleFree = new Map<string, Set<string>>();
  const names = new Map<string, string>();
  const suggestions: SuggestionCandidate[] = [];
  for (const state of states) {
    names.set(state.iso3, state.name);
    for (const alias of state.aliases) {
      const key = articleFreeName(alias.name);
      byArticleFree.set(key, (byArticleFree.get(key) ?? new Set<string>()).add(state.iso3));
      if (alias.kind !== 'CODE') suggestions.push({ id: state.iso3, name: key, label: state.name });
    }
  }
  const byDemonym = new Map<string, Set<string>>();
  for (const country of countries) {
    if (!names.has(country.cca3)) continue;
    const english = country.demonyms?.eng;
    for (const word of english ? [english.m, english.f] : []) {
      const key = normalizeName(word);
      if (key) byDemonym.set(key, (byDemonym.get(key) ?? new Set<string>()).add(country.cca3));
    }
  }
  cache = { byName, byArticleFree, byDemonym, names, suggestions };
  return cache;
}

/** The state a name as written names ("Türkiye", "the Sudan", "DPRK"), by the archive's alias rule: never a guess. */
export function resolveStateName(written: string): NameResolution {
  const { byName, byArticleFree, names, suggestions } = index();
  const exact = byName.get(normalizeName(written));
  if (exact) return { kind: 'state', iso3: exact, name: names.get(exact)! };
  const loose = byArticleFree.get(articleFreeName(written));
  if (loose?.size === 1) {
    const [iso3] = [...loose];
    return { kind: 'state', iso3: iso3!, name: names.get(iso3!)! };
  }
  if (loose && loose.size > 1) return { kind: 'ambiguous', candidates: [...loose].map((iso3) => names.get(iso3)!).sort() };
  const target = articleFreeName(written);
  return { kind: 'unknown', candidates: target && target.length <= 200 ? mostAlike(target, suggestions) : [] };
}

/** The state an adjective of nationality names ("French", "Cuban", "Kuwaiti"); shared demonyms are ambiguous. */
export function resolveDemonym(written: string): NameResolution {
  const { byDemonym, names } = index();
  const found = byDemonym.get(normalizeName(written));
  if (!found) return { kind: 'unknown', candidates: [] };
  if (found.size > 1) return { kind: 'ambiguous', candidates: [...found].map((iso3) => names.get(iso3)!).sort() };
  const [iso3] = [...found];
  return { kind: 'state', iso3: iso3!, name: names.get(iso3!)! };
}

/** A state's name or its demonym, whichever the words are. */
export function resolveActor(written: string): NameResolution {
  const asName = resolveStateName(written);
  if (asName.kind === 'state') return asName;
  const asDemonym = resolveDemonym(written);
  return asDemonym.kind === 'unknown' ? asName : asDemonym;
}
