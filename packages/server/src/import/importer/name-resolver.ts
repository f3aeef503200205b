import type { EntityManager } from 'typeorm';
import { articleFreeName, normalizeName } from '../../reference/normalize';
import { comparable, nameSimilarity, type ComparableName } from './trigram';

/** A signatory as the resolver needs it. */
export interface NamedSignatory {
  id: string;
  key: string;
  name: string;
  iso2: string | null;
  iso3: string | null;
}

export type Resolution = { id: string } | { error: string };

const SUGGESTIONS = 3;
/** How alike a name must be to be suggested (trigram or edit similarity). */
export const MIN_SIMILARITY = 0.4;
/** The longest SignatoryRef (the bundle format's limit): a longer one (trimmed) matches nothing, and gets no suggestion. */
export const MAX_REF_LENGTH = 200;
/** Suggestions are worked out for this many different unknown names per resolver; later ones get none. */
const MAX_SUGGESTED = 100;

/**
 * The name a reference's suggestions are worked out for (articles ignored), or null when it gets none:
 * a reference longer than MAX_REF_LENGTH is refused before it is even normalised, so that its length
 * cannot buy work.
 */
export function suggestionTarget(ref: string): string | null {
  if (ref.length > MAX_REF_LENGTH) return null;
  return articleFreeName(ref) || null;
}

/** A known name that may be suggested: the signatory, the name (article-free) and how it is shown. */
export interface SuggestionCandidate {
  id: string;
  name: string | ComparableName;
  label: string;
}

/**
 * The "did you mean" rule, for the import and the read API alike: the signatories whose names are most
 * alike the target (trigram or edit similarity, at least MIN_SIMILARITY), best first, then by label,
 * at most three.
 */
export function mostAlike(target: string, candidates: readonly SuggestionCandidate[]): string[] {
  const wanted = comparable(target);
  const best = new Map<string, { score: number; label: string }>();
  for (const candidate of candidates) {
    const score = nameSimilarity(wanted, candidate.name, MIN_SIMILARITY);
    if (score < MIN_SIMILARITY) continue;
    const seen = best.get(candidate.id);
    if (!seen || score > seen.score) best.set(candidate.id, { score, label: candidate.label });
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || a.label.localeCompare(b.label))
    .slice(0, SUGGESTIONS)
    .map((s) => s.label);
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  if (!key) return;
  let ids = index.get(key);
  if (!ids) index.set(key, (ids = new Set()));
  ids.add(id);
}

/**
 * Resolves a SignatoryRef — an ISO 3166-1 alpha-3/alpha-2 code, a signatory key, or a name as a source
 * prints it — to exactly one signatory. This is the one name-matching rule: the import, the mutations
 * and the read API (`signatory(ref:)`, `signedBy`, `leadSignatory`, `memberOf`) all resolve through it.
 *
 * 1. an upper-case code, then a key;
 * 2. a known name (alias table) compared by `normalizeName` (case, accents, punctuation, a leading "the");
 * 3. only if no name matches: compared by `articleFreeName`, so "Republic of Gambia" finds
 *    "Republic of the Gambia".
 *
 * The first step that matches anything decides. A reference over MAX_REF_LENGTH characters matches
 * nothing (it is not even normalised). Nothing is guessed: no match, or several, is an error
 * naming the candidates (or the names most alike, best first).
 */
export class NameResolver {
  private readonly suggested = new Map<string, string[]>();
  private comparables?: [ComparableName, Set<string>][];

  private constructor(
    private readonly actors: Map<string, NamedSignatory>,
    private readonly byKey: Map<string, string>,
    private readonly byCode: Map<string, string>,
    private readonly byName: Map<string, Set<string>>,
    private readonly byArticleFreeName: Map<string, Set<string>>,
  ) {}

  /** Loads every signatory and alias (two queries); reload after writing new signatories. */
  static async load(em: EntityManager): Promise<NameResolver> {
    const signatories: NamedSignatory[] = await em.query(`SELECT id, key, name, iso2, iso3 FROM signatory WHERE deleted_at IS NULL`);
    const aliases: { signatory_id: string; normalized: string }[] = await em.query(
      `SELECT a.signatory_id, a.normalized FROM signatory_alias a JOIN signatory s ON s.id = a.signatory_id WHERE s.deleted_at IS NULL`,
    );
    return NameResolver.from(signatories, aliases.map((a) => ({ signatoryId: a.signatory_id, name: a.normalized })));
  }

  /** A resolver over given signatories and their other names (each signatory's own name counts too). */
  static from(signatories: readonly NamedSignatory[], aliases: readonly { signatoryId: string; name: string }[]): NameResolver {
    const actors = new Map<string, NamedSignatory>();
    const byKey = new Map<string, string>();
    const byCode = new Map<string, string>();
    const byName = new Map<string, Set<string>>();
    const byArticleFreeName = new Map<string, Set<string>>();
    const addName = (name: string, id: string) => {
      addTo(byName, normalizeName(name), id);
      addTo(byArticleFreeName, articleFreeName(name), id);
    };
    for (const s of signatories) {
      actors.set(s.id, s);
      byKey.set(s.key, s.id);
      if (s.iso2) byCode.set(s.iso2.toUpperCase(), s.id);
      if (s.iso3) byCode.set(s.iso3.toUpperCase(), s.id);
      addName(s.name, s.id);
    }
    for (const a of aliases) addName(a.name, a.signatoryId);
    return new NameResolver(actors, byKey, byCode, byName, byArticleFreeName);
  }

  /** A state by its ISO alpha-3 or alpha-2 code only (no names, no keys). */
  stateByCode(code: string): string | undefined {
    return this.byCode.get(code.trim().toUpperCase());
  }

  /** The ids a reference matches by the rule above: one, several (ambiguous) or none. */
  match(ref: string): string[] {
    const trimmed = ref.trim();
    if (trimmed.length > MAX_REF_LENGTH) return [];
    const code = /^[A-Za-z]{2,3}$/.test(trimmed) && trimmed === trimmed.toUpperCase() ? this.byCode.get(trimmed) : undefined;
    if (code) return [code];
    const key = this.byKey.get(trimmed);
    if (key) return [key];
    const named = this.byName.get(normalizeName(trimmed)) ?? this.byArticleFreeName.get(articleFreeName(trimmed));
    return named ? [...named] : [];
  }

  resolve(ref: string): Resolution {
    const ids = this.match(ref);
    if (ids.length === 1) return { id: ids[0]! };
    if (ids.length > 1) {
      const names = ids.map((id) => this.describe(id)).sort();
      return { error: `"${ref}" matches more than one signatory: ${names.join(', ')}; use a code or key` };
    }
    const suggestions = this.suggest(ref);
    return {
      error: `"${ref}" matches no signatory${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`,
    };
  }

  /**
   * The signatories whose names are most alike (see `mostAlike`), best first, at most three. Bounded:
   * none for a reference over MAX_REF_LENGTH, and worked out for at most MAX_SUGGESTED different
   * references per resolver.
   */
  suggest(ref: string): string[] {
    const target = suggestionTarget(ref);
    if (!target) return [];
    const known = this.suggested.get(target);
    if (known) return known;
    if (this.suggested.size >= MAX_SUGGESTED) return [];
    this.comparables ??= [...this.byArticleFreeName].map(([name, ids]) => [comparable(name), ids]);
    const suggestions = mostAlike(
      target,
      this.comparables.flatMap(([name, ids]) => [...ids].map((id) => ({ id, name, label: this.describe(id) }))),
    );
    this.suggested.set(target, suggestions);
    return suggestions;
  }

  private describe(id: string): string {
    return this.actors.get(id)?.name ?? id;
  }
}
