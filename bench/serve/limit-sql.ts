/**
 * The physical limit: for every benchmark operation, ONE SQL statement that builds the whole JSON
 * response — Jointly's response, field for field — in PostgreSQL (json_build_object / json_agg),
 * returned as text and written to the socket untouched. Same rows, same order, same page sizes as
 * Jointly; only what a GraphQL server adds (parsing, validation, resolvers, serialisation, several
 * round trips) is missing. Prepared (named) statements, so PostgreSQL plans each once.
 */

/** A Jointly PartialDate (YYYY, YYYY-MM or YYYY-MM-DD) from a date and its precision. */
const partialDate = (date: string, precision: string) =>
  `CASE ${precision} WHEN 'YEAR' THEN to_char(${date}, 'YYYY') WHEN 'MONTH' THEN to_char(${date}, 'YYYY-MM') ELSE to_char(${date}, 'YYYY-MM-DD') END`;

export interface LimitQuery {
  name: string;
  text: string;
  values: unknown[];
}

export type LimitHandler = (variables: Record<string, unknown>) => LimitQuery;

/** Cursors of the limit server's own history list: `date|id`. */
export const limitCursor = (date: string, id: string) => `${date}|${id}`;

const Q0 = `SELECT json_build_object('data', json_build_object('statement', (
  SELECT json_build_object('key', s.key, 'title', s.title, 'date', ${partialDate('s.date', 's.date_precision')}, 'kind', s.kind)
  FROM statement s WHERE s.key = $1 AND s.deleted_at IS NULL)))::text AS j`;

const q1 = (after: boolean) => `WITH page AS (
    SELECT s.id, s.key, s.title, s.date, s.date_precision, s.kind, s.forum
    FROM statement s WHERE s.deleted_at IS NULL
      ${after ? 'AND s.date <= $3::date AND (s.date, s.id) < ($3::date, $4::uuid)' : ''}
    ORDER BY s.date DESC, s.id DESC LIMIT $1::int + 1
  ), shown AS (SELECT * FROM page ORDER BY date DESC, id DESC LIMIT $1::int)
  SELECT json_build_object('data', json_build_object('statements', json_build_object(
    'nodes', coalesce((SELECT json_agg(json_build_object(
        'key', s.key, 'title', s.title, 'date', ${partialDate('s.date', 's.date_precision')}, 'kind', s.kind, 'forum', s.forum,
        'signatures', json_build_object('nodes', coalesce((
          SELECT json_agg(json_build_object('position', g.position, 'status', g.status, 'nameAsWritten', g.name_as_written,
                   'signatory', json_build_object('key', y.key, 'name', y.name, 'iso3', y.iso3)) ORDER BY g.position, g.id)
          FROM (SELECT * FROM signature g0 WHERE g0.statement_id = s.id ORDER BY g0.position, g0.id LIMIT $2::int) g
          JOIN signatory y ON y.id = g.signatory_id), '[]'::json)),
        'evidence', coalesce((
          SELECT json_agg(json_build_object('quote', e.quote, 'source', json_build_object('key', o.key, 'title', o.title, 'publisher', o.publisher))
                   ORDER BY e.position, e.id)
          FROM evidence e JOIN source o ON o.id = e.source_id WHERE e.statement_id = s.id), '[]'::json)
      ) ORDER BY s.date DESC, s.id DESC) FROM shown s), '[]'::json),
    'pageInfo', json_build_object(
      'hasNextPage', (SELECT count(*) FROM page) > $1::int,
      'endCursor', (SELECT s.date::text || '|' || s.id FROM shown s ORDER BY s.date, s.id LIMIT 1)))))::text AS j`;

const q2 = (after: boolean) => `WITH y AS (SELECT id, key, name FROM signatory WHERE iso3 = $1),
  page AS (
    SELECT g.id, g.position, g.status, g.name_as_written, t.key AS skey, t.title AS stitle, t.date AS sdate, t.date_precision AS sprec
    FROM signature g JOIN statement t ON t.id = g.statement_id
    WHERE g.signatory_id = (SELECT id FROM y) AND t.deleted_at IS NULL
      ${after ? 'AND t.date <= $3::date AND (t.date, g.id) < ($3::date, $4::uuid)' : ''}
    ORDER BY t.date DESC, g.id DESC LIMIT $2::int + 1
  ), shown AS (SELECT * FROM page ORDER BY sdate DESC, id DESC LIMIT $2::int)
  SELECT json_build_object('data', json_build_object('signatory', (
    SELECT json_build_object('key', y.key, 'name', y.name, 'signatures', json_build_object(
      'edges', coalesce((SELECT json_agg(json_build_object(
          'cursor', p.sdate::text || '|' || p.id,
          'node', json_build_object('position', p.position, 'status', p.status, 'nameAsWritten', p.name_as_written,
            'statement', json_build_object('key', p.skey, 'title', p.stitle, 'date', ${partialDate('p.sdate', 'p.sprec')})))
        ORDER BY p.sdate DESC, p.id DESC) FROM shown p), '[]'::json),
      'pageInfo', json_build_object(
        'hasNextPage', (SELECT count(*) FROM page) > $2::int,
        'endCursor', (SELECT p.sdate::text || '|' || p.id FROM shown p ORDER BY p.sdate, p.id LIMIT 1))))
    FROM y)))::text AS j`;

const Q3 = `WITH page AS (
    SELECT s.id, s.key, s.title, s.date, s.date_precision FROM statement s
    WHERE s.deleted_at IS NULL AND s.search_vector @@ websearch_to_tsquery('jointly', $1)
    ORDER BY s.date DESC, s.id DESC LIMIT $2::int + 1
  )
  SELECT json_build_object('data', json_build_object('statements', json_build_object(
    'nodes', coalesce((SELECT json_agg(json_build_object('key', p.key, 'title', p.title, 'date', ${partialDate('p.date', 'p.date_precision')})
                         ORDER BY p.date DESC, p.id DESC)
                       FROM (SELECT * FROM page ORDER BY date DESC, id DESC LIMIT $2::int) p), '[]'::json),
    'pageInfo', json_build_object('hasNextPage', (SELECT count(*) FROM page) > $2::int))))::text AS j`;

const Q4 = `WITH a AS (SELECT id, key FROM statement WHERE key = $1 AND deleted_at IS NULL),
  b AS (SELECT id, key FROM statement WHERE key = $2 AND deleted_at IS NULL),
  sa AS (SELECT signatory_id FROM signature WHERE statement_id = (SELECT id FROM a) AND status = 'SIGNED'),
  sb AS (SELECT signatory_id FROM signature WHERE statement_id = (SELECT id FROM b) AND status = 'SIGNED'),
  u AS (
    SELECT y.id, y.key, y.iso3, y.name, y.id IN (SELECT signatory_id FROM sa) AS in_a, y.id IN (SELECT signatory_id FROM sb) AS in_b
    FROM signatory y WHERE y.id IN (SELECT signatory_id FROM sa UNION SELECT signatory_id FROM sb)
  )
  SELECT json_build_object('data', json_build_object('compareStatements', json_build_object(
    'a', (SELECT json_build_object('key', key) FROM a),
    'b', (SELECT json_build_object('key', key) FROM b),
    'both', coalesce((SELECT json_agg(json_build_object('key', key, 'iso3', iso3) ORDER BY name, id) FROM u WHERE in_a AND in_b), '[]'::json),
    'onlyA', coalesce((SELECT json_agg(json_build_object('key', key, 'iso3', iso3) ORDER BY name, id) FROM u WHERE in_a AND NOT in_b), '[]'::json),
    'onlyB', coalesce((SELECT json_agg(json_build_object('key', key, 'iso3', iso3) ORDER BY name, id) FROM u WHERE in_b AND NOT in_a), '[]'::json))))::text AS j`;

const Q5R = `SELECT json_build_object('data', json_build_object('statement', (
  SELECT json_build_object('key', s.key, 'version', s.version, 'agendaItem', s.agenda_item, 'title', s.title)
  FROM statement s WHERE s.key = $1 AND s.deleted_at IS NULL)))::text AS j`;

/** A versioned update: written only at the expected version, else a CONFLICT, like Jointly's. */
const Q5W = `WITH u AS (
    UPDATE statement SET agenda_item = $2, version = version + 1, updated_at = now()
    WHERE key = $1 AND version = $3::int AND deleted_at IS NULL
    RETURNING key, version, agenda_item
  )
  SELECT json_build_object('data', json_build_object('updateStatement', CASE WHEN EXISTS (SELECT 1 FROM u)
    THEN json_build_object('statement', (SELECT json_build_object('key', key, 'version', version, 'agendaItem', agenda_item) FROM u), 'errors', '[]'::json)
    ELSE json_build_object('statement', NULL, 'errors', json_build_array(json_build_object('code', 'CONFLICT', 'message', 'the version read is stale')))
    END))::text AS j`;

/** Q6: statements → signatures → signatory → its latest signatures (history order) → their statements. */
const Q6 = `WITH page AS (
    SELECT s.id, s.key, s.title, s.date FROM statement s WHERE s.deleted_at IS NULL
    ORDER BY s.date DESC, s.id DESC LIMIT $1::int + 1
  )
  SELECT json_build_object('data', json_build_object('statements', json_build_object(
    'nodes', coalesce((SELECT json_agg(json_build_object(
        'key', s.key, 'title', s.title,
        'signatures', json_build_object('nodes', coalesce((
          SELECT json_agg(json_build_object('position', g.position, 'status', g.status,
                   'signatory', json_build_object('key', y.key, 'name', y.name, 'signatures', json_build_object('nodes', coalesce((
                     SELECT json_agg(json_build_object('position', h.position, 'status', h.status,
                              'statement', json_build_object('key', h.tkey, 'title', h.ttitle, 'date', ${partialDate('h.tdate', 'h.tprec')}))
                            ORDER BY h.tdate DESC, h.id DESC)
                     FROM (SELECT o.id, o.position, o.status, t.key AS tkey, t.title AS ttitle, t.date AS tdate, t.date_precision AS tprec
                           FROM signature o JOIN statement t ON t.id = o.statement_id
                           WHERE o.signatory_id = y.id AND t.deleted_at IS NULL
                           ORDER BY t.date DESC, o.id DESC LIMIT $3::int) h), '[]'::json))))
                 ORDER BY g.position, g.id)
          FROM (SELECT * FROM signature g0 WHERE g0.statement_id = s.id ORDER BY g0.position, g0.id LIMIT $2::int) g
          JOIN signatory y ON y.id = g.signatory_id), '[]'::json))
      ) ORDER BY s.date DESC, s.id DESC) FROM (SELECT * FROM page ORDER BY date DESC, id DESC LIMIT $1::int) s), '[]'::json),
    'pageInfo', json_build_object('hasNextPage', (SELECT count(*) FROM page) > $1::int))))::text AS j`;

const str = (v: unknown) => (v === undefined || v === null ? null : String(v));

/** Handlers by operation name; variables as Jointly's documents take them. */
export const LIMIT_HANDLERS: Record<string, LimitHandler> = {
  Q0: (v) => ({ name: 'q0', text: Q0, values: [str(v.key)] }),
  Q1: (v) => {
    const after = str(v.after);
    if (!after) return { name: 'q1', text: q1(false), values: [v.first ?? 20, v.signatures ?? 100] };
    const [date, id] = after.split('|');
    return { name: 'q1after', text: q1(true), values: [v.first ?? 20, v.signatures ?? 100, date, id] };
  },
  Q2: (v) => {
    const after = str(v.after);
    if (!after) return { name: 'q2', text: q2(false), values: [str(v.ref), v.first ?? 20] };
    const [date, id] = after.split('|');
    return { name: 'q2after', text: q2(true), values: [str(v.ref), v.first ?? 20, date, id] };
  },
  Q3: (v) => ({ name: 'q3', text: Q3, values: [str(v.q), v.first ?? 20] }),
  Q4: (v) => ({ name: 'q4', text: Q4, values: [str(v.a), str(v.b)] }),
  Q6: (v) => ({ name: 'q6', text: Q6, values: [v.first ?? 20, v.signatures ?? 10, v.others ?? 10] }),
  Q5R: (v) => ({ name: 'q5r', text: Q5R, values: [str(v.key)] }),
  Q5W: (v) => {
    const input = (v.input ?? {}) as Record<string, unknown>;
    return { name: 'q5w', text: Q5W, values: [str(input.id), str(input.agendaItem), input.expectedVersion] };
  },
};
