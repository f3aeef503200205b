import type { EntityManager } from 'typeorm';
import { normalizeName } from '../../reference/normalize';
import { nameSimilarity } from './trigram';

interface Actor {
  id: string;
  key: string;
  name: string;
}

export type Resolution = { id: string } | { error: string };

const SUGGESTIONS = 3;
const MIN_SIMILARITY = 0.4;

/**
 * Resolves a SignatoryRef — an ISO 3166-1 alpha-3/alpha-2 code, a signatory key, or a name as a source
 * prints it — to exactly one signatory. Names match through the alias table, ignoring case, accents,
 * punctuation and a leading "the". Nothing is guessed: no match, or several, is an error naming candidates.
 */
export class NameResolver {
  private constructor(
    private readonly actors: Map<string, Actor>,
    private readonly byKey: Map<string, string>,
    private readonly byCode: Map<string, string>,
    private readonly byName: Map<string, Set<string>>,
  ) {}

  /** Loads every signatory and alias (two queries); reload after writing new signatories. */
  static async load(em: EntityManager): Promise<NameResolver> {
    const signatories: (Actor & { iso2: string | null; iso3: string | null })[] = await em.query(
      `SELECT id, key, name, iso2, iso3 FROM signatory WHERE deleted_at IS NULL`,
    );
    const aliases: { signatory_id: string; normalized: string }[] = await em.query(
      `SELECT a.signatory_id, a.normalized FROM signatory_alias a JOIN signatory s ON s.id = a.signatory_id WHERE s.deleted_at IS NULL`,
    );
    const actors = new Map<string, Actor>();
    const byKey = new Map<string, string>();
    const byCode = new Map<string, string>();
    const byName = new Map<string, Set<string>>();
    const addName = (name: string, id: string) => {
      const normalized = normalizeName(name);
      if (!normalized) return;
      let ids = byName.get(normalized);
      if (!ids) byName.set(normalized, (ids = new Set()));
      ids.add(id);
    };
    for (const s of signatories) {
      actors.set(s.id, s);
      byKey.set(s.key, s.id);
      if (s.iso2) byCode.set(s.iso2.toUpperCase(), s.id);
      if (s.iso3) byCode.set(s.iso3.toUpperCase(), s.id);
      addName(s.name, s.id);
    }
    for (const a of aliases) addName(a.normalized, a.signatory_id);
    return new NameResolver(actors, byKey, byCode, byName);
  }

  /** A state by its ISO alpha-3 or alpha-2 code only (no names, no keys). */
  stateByCode(code: string): string | undefined {
    return this.byCode.get(code.trim().toUpperCase());
  }

  resolve(ref: string): Resolution {
    const trimmed = ref.trim();
    const code = /^[A-Za-z]{2,3}$/.test(trimmed) && trimmed === trimmed.toUpperCase() ? this.byCode.get(trimmed) : undefined;
    if (code) return { id: code };
    const key = this.byKey.get(trimmed);
    if (key) return { id: key };
    const ids = this.byName.get(normalizeName(trimmed));
    if (ids?.size === 1) return { id: [...ids][0]! };
    if (ids && ids.size > 1) {
      const names = [...ids].map((id) => this.describe(id)).sort();
      return { error: `"${ref}" matches more than one signatory: ${names.join(', ')}; use a code or key` };
    }
    const suggestions = this.suggest(trimmed);
    return {
      error: `"${ref}" matches no signatory${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`,
    };
  }

  /** The signatories whose names are most alike (trigram or edit similarity), alphabetically. */
  suggest(ref: string): string[] {
    const target = normalizeName(ref);
    const best = new Map<string, number>();
    for (const [name, ids] of this.byName) {
      const score = nameSimilarity(target, name);
      if (score < MIN_SIMILARITY) continue;
      for (const id of ids) best.set(id, Math.max(best.get(id) ?? 0, score));
    }
    return [...best]
      .sort((a, b) => b[1] - a[1] || this.describe(a[0]).localeCompare(this.describe(b[0])))
      .slice(0, SUGGESTIONS)
      .map(([id]) => this.describe(id))
      .sort();
  }

  private describe(id: string): string {
    return this.actors.get(id)?.name ?? id;
  }
}
