/**
 * MIX: a varied read mix, for measuring a response cache with traffic that is not one repeated
 * request. Its pool of distinct requests is drawn from the archive (serve/fixtures.ts):
 *
 * - Q0: one statement by key, for up to 1,000 keys spread over the archive;
 * - Q1 pages: statements(first: 10) with their signatures, evidence and sources, page after page
 *   from the newest (each server followed by its own endCursor);
 * - Q2 pages: page 1 of every signatory's signing history, and pages 2… of the 20 longest
 *   (each server followed by its own endCursor);
 * - Q3: full-text search for up to 400 terms, from rare to common.
 *
 * Every request of the pool is asked of every server that is checked (all but Jointly with its
 * response cache, so that its cache starts empty) and their answers compared before anything is
 * measured. Under load, each request picks a kind by MIX_WEIGHTS and then an item of that kind by a
 * Zipf law (exponent MIX_ZIPF: the item of rank r is asked in proportion to 1/r): pages near the
 * first and popular items are asked more often, the tail rarely. Keys and terms are ranked in a
 * seeded random order, pages by their depth and, for Q2, signatories by the length of their history.
 * The sequence is deterministic (seed MIX_SEED) and every server gets the same one from its start.
 */
import type { CandidateName, Dialect } from './candidates';
import { CANONICAL_FORMS, q0Bodies, q1, q2Page, q3Bodies, type Fixtures, type GraphQLBody } from './queries';

export type MixKind = 'Q0' | 'Q1' | 'Q2' | 'Q3';
export const MIX_KINDS: MixKind[] = ['Q0', 'Q1', 'Q2', 'Q3'];
export const MIX_WEIGHTS: Record<MixKind, number> = { Q0: 0.35, Q1: 0.2, Q2: 0.25, Q3: 0.2 };
export const MIX_ZIPF = 1;
export const MIX_SEED = 14;

export interface MixItem {
  kind: MixKind;
  label: string;
  bodies: Record<Dialect, GraphQLBody>;
  /** The bodies as sent (JSON), by dialect. */
  json: Record<Dialect, string>;
}

export type MixPool = Record<MixKind, MixItem[]>;

/** What the results record of the mix. */
export interface MixDescription {
  distinct: Record<MixKind, number>;
  weights: Record<MixKind, number>;
  zipf: number;
  seed: number;
  /** Requests of the pool checked for equal answers, per server checked. */
  checked: number;
  checkedOn: CandidateName[];
}

/** Asks one server; the answer parsed. */
export type Ask = (c: CandidateName, body: GraphQLBody) => Promise<unknown>;
/** Throws when the canonical answers of the servers differ. */
export type Compare = (label: string, answers: Partial<Record<CandidateName, unknown>>) => void;

const item = (kind: MixKind, label: string, bodies: Record<Dialect, GraphQLBody>): MixItem => ({
  kind,
  label,
  bodies,
  json: { jointly: JSON.stringify(bodies.jointly), postgraphile: JSON.stringify(bodies.postgraphile), limit: JSON.stringify(bodies.limit) },
});

/** A small seeded generator (mulberry32): the same numbers for the same seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(values: T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const get = (o: unknown, key: string): unknown => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined);

/** The pageInfo of a Q1 or Q2 answer in a dialect. */
function pageInfo(kind: 'Q1' | 'Q2', d: Dialect, response: unknown): { hasNextPage: boolean; endCursor?: string } {
  const data = get(response, 'data');
  const conn =
    kind === 'Q1'
      ? get(data, d === 'postgraphile' ? 'allStatements' : 'statements')
      : get(get(data, d === 'postgraphile' ? 'signatoryByIso3' : 'signatory'), d === 'postgraphile' ? 'signaturesBySignatoryId' : 'signatures');
  const info = get(conn, 'pageInfo');
  return { hasNextPage: get(info, 'hasNextPage') === true, endCursor: (get(info, 'endCursor') as string | null) ?? undefined };
}

/**
 * Builds the pool, asking every request of it of the servers in `checkOn` (one per dialect at
 * least) and comparing their answers; pages are walked with each dialect's own cursors.
 */
export async function buildMixPool(f: Fixtures, checkOn: CandidateName[], dialect: (c: CandidateName) => Dialect, ask: Ask, compare: Compare): Promise<{ pool: MixPool; description: MixDescription }> {
  const random = seeded(MIX_SEED);
  let checked = 0;
  /** Asks every server, compares, and returns one answer per dialect. */
  const run = async (kind: MixKind, label: string, bodies: Record<Dialect, GraphQLBody>): Promise<Partial<Record<Dialect, unknown>>> => {
    const raw: Partial<Record<Dialect, unknown>> = {};
    const answers: Partial<Record<CandidateName, unknown>> = {};
    for (const c of checkOn) {
      const response = await ask(c, bodies[dialect(c)]);
      raw[dialect(c)] = response;
      answers[c] = CANONICAL_FORMS[kind](c, response);
    }
    compare(`MIX ${label}`, answers);
    checked++;
    return raw;
  };
  const pool: MixPool = { Q0: [], Q1: [], Q2: [], Q3: [] };
  const m = f.mix;

  for (const key of shuffled(m.keys, random)) {
    const bodies = q0Bodies(key);
    await run('Q0', `Q0 ${key}`, bodies);
    pool.Q0.push(item('Q0', `Q0 ${key}`, bodies));
  }

  let after: Partial<Record<Dialect, string>> | undefined;
  for (let page = 1; page <= m.q1.pages; page++) {
    const bodies = q1(m.q1.first, m.q1.signatures, after);
    const raw = await run('Q1', `Q1 page ${page}`, bodies);
    pool.Q1.push(item('Q1', `Q1 page ${page}`, bodies));
    const infos = Object.entries(raw).map(([d, r]) => [d, pageInfo('Q1', d as Dialect, r)] as const);
    if (!infos.every(([, i]) => i.hasNextPage && i.endCursor)) break;
    after = Object.fromEntries(infos.map(([d, i]) => [d, i.endCursor!]));
  }

  // Q2: every signatory's page 1 (longest history first), then the next pages of the longest ones.
  const pages: MixItem[][] = [[]];
  for (const [rank, iso3] of m.q2.iso3.entries()) {
    let cursor: Partial<Record<Dialect, string>> | undefined;
    const deepest = rank < m.q2.deepSignatories ? m.q2.pages : 1;
    for (let page = 1; page <= deepest; page++) {
      const bodies = q2Page(iso3, m.q2.first, cursor);
      const label = `Q2 ${iso3} page ${page}`;
      const raw = await run('Q2', label, bodies);
      (pages[page - 1] ??= []).push(item('Q2', label, bodies));
      const infos = Object.entries(raw).map(([d, r]) => [d, pageInfo('Q2', d as Dialect, r)] as const);
      if (!infos.every(([, i]) => i.hasNextPage && i.endCursor)) break;
      cursor = Object.fromEntries(infos.map(([d, i]) => [d, i.endCursor!]));
    }
  }
  pool.Q2 = pages.flat();

  for (const term of shuffled(m.q3.terms, random)) {
    const bodies = q3Bodies(term, m.q3.first);
    await run('Q3', `Q3 "${term}"`, bodies);
    pool.Q3.push(item('Q3', `Q3 "${term}"`, bodies));
  }

  for (const kind of MIX_KINDS) if (pool[kind].length === 0) throw new Error(`the read mix has no ${kind} request`);
  return {
    pool,
    description: {
      distinct: { Q0: pool.Q0.length, Q1: pool.Q1.length, Q2: pool.Q2.length, Q3: pool.Q3.length },
      weights: MIX_WEIGHTS,
      zipf: MIX_ZIPF,
      seed: MIX_SEED,
      checked,
      checkedOn: checkOn,
    },
  };
}

/** The mix's requests in order, the same sequence for every server that starts one. */
export class MixSequence {
  private readonly random = seeded(MIX_SEED + 1);
  private readonly cumulative: Record<MixKind, Float64Array>;
  /** Requests handed out so far, and the distinct ones among them. */
  sent = 0;
  private readonly seen = new Set<MixItem>();

  constructor(private readonly pool: MixPool) {
    this.cumulative = {} as Record<MixKind, Float64Array>;
    for (const kind of MIX_KINDS) {
      const n = pool[kind].length;
      const c = new Float64Array(n);
      let sum = 0;
      for (let r = 0; r < n; r++) c[r] = sum += 1 / (r + 1) ** MIX_ZIPF;
      for (let r = 0; r < n; r++) c[r]! /= sum;
      this.cumulative[kind] = c;
    }
  }

  get distinct(): number {
    return this.seen.size;
  }

  next(): MixItem {
    let u = this.random();
    let kind: MixKind = MIX_KINDS[MIX_KINDS.length - 1]!;
    for (const k of MIX_KINDS) {
      if (u < MIX_WEIGHTS[k]) {
        kind = k;
        break;
      }
      u -= MIX_WEIGHTS[k];
    }
    const c = this.cumulative[kind];
    const v = this.random();
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    const chosen = this.pool[kind][lo]!;
    this.sent++;
    this.seen.add(chosen);
    return chosen;
  }
}
