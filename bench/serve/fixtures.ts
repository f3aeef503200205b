/**
 * The operations' parameters, read from the archive (deterministic for a given archive): keys, the
 * state with the longest signing history and the position 10,000 rows deep in it, a rare and a
 * common search term, the two largest statements, the statements the write mix updates.
 */
import type { Candidate } from './candidates';
import { withClient } from '../environment';
import { jointlyCursor, limitHistoryCursor, POSTGRAPHILE_DOCUMENTS, type Fixtures, type HistoryFixture, type TermFixture } from './queries';

export const DEEP_ROWS = 10_000;

export async function readFixtures(url: string, options: { q1First: number; historyPage: number; searchPage: number }): Promise<Fixtures> {
  return withClient(url, async (client) => {
    const one = async <T>(text: string, values: unknown[] = []): Promise<T> => (await client.query(text, values)).rows[0] as T;
    const all = async <T>(text: string, values: unknown[] = []): Promise<T[]> => (await client.query(text, values)).rows as T[];

    const { n } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM statement WHERE deleted_at IS NULL`);
    const keyAt = async (offset: number) =>
      (await one<{ key: string }>(`SELECT key FROM statement WHERE deleted_at IS NULL ORDER BY key OFFSET $1 LIMIT 1`, [offset])).key;
    const keys = [await keyAt(Math.floor(n / 2)), await keyAt(Math.floor(n / 3)), await keyAt(n - 1)];

    // Signing histories: the longest, and one of median length for the checks.
    const counts = await all<{ id: string; iso3: string; name: string; count: number }>(
      `SELECT y.id, y.iso3, y.name, count(*)::int AS count
       FROM signature g JOIN statement t ON t.id = g.statement_id JOIN signatory y ON y.id = g.signatory_id
       WHERE t.deleted_at IS NULL AND y.iso3 IS NOT NULL GROUP BY y.id, y.iso3, y.name ORDER BY count DESC, y.iso3`,
    );
    const picks = [counts[0]!, counts[Math.floor(counts.length / 2)]!];
    const histories: HistoryFixture[] = [];
    for (const p of picks) {
      const depth = Math.max(1, Math.min(DEEP_ROWS, p.count - options.historyPage));
      const at = await one<{ date: string; id: string }>(
        `SELECT t.date::text AS date, g.id FROM signature g JOIN statement t ON t.id = g.statement_id
         WHERE g.signatory_id = $1 AND t.deleted_at IS NULL ORDER BY t.date DESC, g.id DESC OFFSET $2 LIMIT 1`,
        [p.id, depth - 1],
      );
      const h: HistoryFixture = { iso3: p.iso3, name: p.name, count: p.count, depth, at, cursors: {} };
      h.cursors.limit = limitHistoryCursor(h);
      histories.push(h);
    }

    // Search terms: whole-word lexemes of the statements' vectors that a search for the word finds as is.
    const words = await all<{ word: string; ndoc: number }>(
      `SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM statement WHERE deleted_at IS NULL') WHERE word ~ '^[a-z]{5,}$' ORDER BY ndoc, word`,
    );
    const usable = async (word: string) => (await one<{ q: string }>(`SELECT websearch_to_tsquery('jointly', $1)::text AS q`, [word])).q === `'${word}'`;
    const term = async (candidates: { word: string; ndoc: number }[]): Promise<TermFixture> => {
      for (const w of candidates) {
        if (!(await usable(w.word))) continue;
        const { matches } = await one<{ matches: number }>(
          `SELECT count(*)::int AS matches FROM statement WHERE deleted_at IS NULL AND search_vector @@ websearch_to_tsquery('jointly', $1)`,
          [w.word],
        );
        return { term: w.word, matches };
      }
      throw new Error('no usable search term in the archive');
    };
    const rare = await term(words);
    const common = await term([...words].reverse());

    const largest = await all<{ key: string; signature_count: number }>(
      `SELECT key, signature_count FROM statement WHERE deleted_at IS NULL ORDER BY signature_count DESC, key LIMIT 2`,
    );
    const targets = await all<{ key: string }>(
      `SELECT key FROM statement WHERE deleted_at IS NULL ORDER BY date, id LIMIT $1`,
      [Math.max(10, Math.min(200, Math.floor(n / 4)))],
    );
    // The read mix: keys spread evenly over the archive, every signatory with a history, terms from rare to common.
    const mixKeys = await all<{ key: string }>(
      `SELECT key FROM (SELECT key, row_number() OVER (ORDER BY key) AS i FROM statement WHERE deleted_at IS NULL) k
       WHERE i % greatest(1, $1::int / 1000) = 0 ORDER BY key LIMIT 1000`,
      [n],
    );
    const mixTerms = await all<{ word: string }>(
      `SELECT word FROM (
         SELECT word, ndoc, row_number() OVER (ORDER BY ndoc, word) AS i, count(*) OVER () AS total
         FROM ts_stat('SELECT search_vector FROM statement WHERE deleted_at IS NULL')
         WHERE word ~ '^[a-z]{4,}$' AND websearch_to_tsquery('jointly', word)::text = '''' || word || ''''
       ) w WHERE i % greatest(1, total / 400) = 0 ORDER BY ndoc, word LIMIT 400`,
    );
    return {
      keys,
      q1First: options.q1First,
      q1FirstVariants: [10, 100],
      q1Signatures: 100,
      histories,
      historyPage: options.historyPage,
      terms: { rare, common },
      searchPage: options.searchPage,
      compare: { a: largest[0]!.key, b: largest[1]!.key, aSignatures: largest[0]!.signature_count, bSignatures: largest[1]!.signature_count },
      writeTargets: targets.map((t) => t.key),
      q6: { first: 20, signatures: 10, others: 10 },
      mix: {
        keys: mixKeys.map((k) => k.key),
        q1: { first: 10, signatures: 20, pages: Math.max(1, Math.min(100, Math.floor(n / 10) - 1)) },
        q2: { iso3: counts.map((c) => c.iso3), first: 20, deepSignatories: Math.min(20, counts.length), pages: 4 },
        q3: { terms: mixTerms.map((t) => t.word), first: 20 },
      },
    };
  });
}

async function post(url: string, body: unknown): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (!res.ok || json.errors?.length) throw new Error(`${url}: ${res.status} ${JSON.stringify(json.errors ?? json).slice(0, 500)}`);
  return json;
}

/**
 * The deep cursors as clients get them. Jointly: by paging (first: 100, then the rest) to row
 * `depth`, checked against the cursor constructed from the row's keyset position. PostGraphile: one
 * request for the first `depth` rows (it has no page-size limit), its endCursor.
 */
export async function fetchDeepCursors(f: Fixtures, jointly: Candidate, postgraphile: Candidate): Promise<{ jointlyPages: number }> {
  let jointlyPages = 0;
  for (const h of f.histories) {
    let after: string | null = null;
    let read = 0;
    while (read < h.depth) {
      const first = Math.min(100, h.depth - read);
      const json = await post(jointly.url, {
        query: `query Page($ref: String!, $first: Int!, $after: String) { signatory(ref: $ref) { signatures(first: $first, after: $after) { edges { cursor } pageInfo { endCursor } } } }`,
        operationName: 'Page',
        variables: { ref: h.iso3, first, after },
      });
      jointlyPages++;
      const conn = (json.data!.signatory as { signatures: { edges: unknown[]; pageInfo: { endCursor: string | null } } }).signatures;
      if (conn.edges.length !== first || !conn.pageInfo.endCursor) throw new Error(`Jointly: short page while paging ${h.iso3}'s history`);
      after = conn.pageInfo.endCursor;
      read += first;
    }
    const constructed = jointlyCursor([h.at.date, h.at.id]);
    if (after !== constructed) throw new Error(`Jointly's cursor after ${h.depth} rows of ${h.iso3} is ${after}, expected ${constructed}`);
    h.cursors.jointly = after;
    const pg = await post(postgraphile.url, { query: POSTGRAPHILE_DOCUMENTS.Q2Cursor, operationName: 'Q2Cursor', variables: { iso3: h.iso3, first: h.depth } });
    const cursor = (pg.data!.signatoryByIso3 as { signaturesBySignatoryId: { pageInfo: { endCursor: string | null } } }).signaturesBySignatoryId.pageInfo.endCursor;
    if (!cursor) throw new Error(`PostGraphile gave no cursor after ${h.depth} rows of ${h.iso3}`);
    h.cursors.postgraphile = cursor;
  }
  return { jointlyPages };
}
