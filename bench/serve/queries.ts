/**
 * The benchmark operations: the same question asked of each server in its own dialect — Jointly's
 * schema (the limit server takes Jointly's bodies and answers in Jointly's shape) and PostGraphile's
 * generated schema — and a canonical form of each answer, so that the harness can check that all
 * three return the same data before it measures anything.
 */
import type { CandidateName, Dialect } from './candidates';
import { limitCursor } from './limit-sql';

export interface GraphQLBody {
  query: string;
  variables: Record<string, unknown>;
  operationName: string;
}

/** What the harness reads from the archive to parametrise the operations (serve/fixtures.ts). */
export interface Fixtures {
  /** Q0: a key in the middle of the archive, and two more for the checks. */
  keys: string[];
  /** Q1: statements per page (measured), the other page sizes whose SQL is counted, signatures per statement. */
  q1First: number;
  q1FirstVariants: number[];
  q1Signatures: number;
  /** Q2: the state with the longest signing history (and another one, for the checks). */
  histories: HistoryFixture[];
  historyPage: number;
  /** Q3: a rare and a common term (lexemes of the statements' search vectors). */
  terms: { rare: TermFixture; common: TermFixture };
  searchPage: number;
  /** Q4: the two statements with the most signatures. */
  compare: { a: string; b: string; aSignatures: number; bSignatures: number };
  /** Q5: statements the write mix reads and updates (the oldest ones; no other operation reads them). */
  writeTargets: string[];
  /** Q6: statements per page, signatures per statement, signatures per signatory. */
  q6: { first: number; signatures: number; others: number };
  /** MIX: what its requests are drawn from (serve/mix.ts). */
  mix: MixFixture;
}

export interface MixFixture {
  /** Q0: statement keys (evenly spread over the archive). */
  keys: string[];
  /** Q1 pages: page size, signatures per statement, pages walked from the newest. */
  q1: { first: number; signatures: number; pages: number };
  /** Q2: signatories (iso3) whose page 1 is asked; the first `deepSignatories` are paged `pages` deep. */
  q2: { iso3: string[]; first: number; deepSignatories: number; pages: number };
  /** Q3: search terms (whole-word lexemes of the archive, rare to common). */
  q3: { terms: string[]; first: number };
}

export interface HistoryFixture {
  iso3: string;
  name: string;
  /** Signatures in its history. */
  count: number;
  /** Rows before the deep page: min(10,000, count − page size). */
  depth: number;
  /** The position of row `depth` in the history order (statement date desc, signature id desc). */
  at: { date: string; id: string };
  /** The cursor of row `depth` for each server; PostGraphile's is fetched from it (serve/fixtures.ts). */
  cursors: Partial<Record<Dialect, string>>;
}

export interface TermFixture {
  term: string;
  /** Statements it matches. */
  matches: number;
}

/** A Jointly cursor: the base64url JSON of the row's keyset position (packages/server/src/common/pagination.ts). */
export const jointlyCursor = (position: unknown[]) => Buffer.from(JSON.stringify(position)).toString('base64url');

const JOINTLY = {
  Q0: `query Q0($key: String!) { statement(key: $key) { key title date kind } }`,
  Q1: `query Q1($first: Int!, $signatures: Int!, $after: String) {
  statements(first: $first, after: $after) {
    nodes {
      key title date kind forum
      signatures(first: $signatures) { nodes { position status nameAsWritten signatory { key name iso3 } } }
      evidence { quote source { key title publisher } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
  Q2: `query Q2($ref: String!, $first: Int!, $after: String) {
  signatory(ref: $ref) {
    key name
    signatures(first: $first, after: $after) {
      edges { cursor node { position status nameAsWritten statement { key title date } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,
  Q3: `query Q3($q: String!, $first: Int!) { statements(first: $first, filter: { search: $q }) { nodes { key title date } pageInfo { hasNextPage } } }`,
  Q4: `query Q4($a: ID!, $b: ID!) { compareStatements(a: $a, b: $b) { a { key } b { key } both { key iso3 } onlyA { key iso3 } onlyB { key iso3 } } }`,
  Q5R: `query Q5R($key: String!) { statement(key: $key) { key version agendaItem title } }`,
  Q6: `query Q6($first: Int!, $signatures: Int!, $others: Int!) {
  statements(first: $first) {
    nodes {
      key title
      signatures(first: $signatures) {
        nodes { position status signatory { key name signatures(first: $others) { nodes { position status statement { key title date } } } } }
      }
    }
    pageInfo { hasNextPage }
  }
}`,
  Q5W: `mutation Q5W($input: UpdateStatementInput!) { updateStatement(input: $input) { statement { key version agendaItem } errors { code message } } }`,
};

const POSTGRAPHILE = {
  Q0: `query Q0($key: String!) { statementByKey(key: $key) { key title date kind } }`,
  Q1: `query Q1($first: Int!, $signatures: Int!, $after: Cursor) {
  allStatements(first: $first, after: $after, orderBy: [DATE_DESC, PRIMARY_KEY_DESC]) {
    nodes {
      key title date kind forum
      signaturesByStatementId(first: $signatures, orderBy: [POSITION_ASC, PRIMARY_KEY_ASC]) {
        nodes { position status nameAsWritten signatoryBySignatoryId { key name iso3 } }
      }
      evidencesByStatementId(orderBy: [POSITION_ASC, PRIMARY_KEY_ASC]) { nodes { quote sourceBySourceId { key title publisher } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
  Q2: `query Q2($iso3: String!, $first: Int!, $after: Cursor) {
  signatoryByIso3(iso3: $iso3) {
    key name
    signaturesBySignatoryId(first: $first, after: $after, orderBy: [STATEMENT_DATE_DESC, PRIMARY_KEY_DESC]) {
      edges { cursor node { position status nameAsWritten statementByStatementId { key title date } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,
  /** Only to fetch the deep cursor once, before the benchmark. */
  Q2Cursor: `query Q2Cursor($iso3: String!, $first: Int!) {
  signatoryByIso3(iso3: $iso3) { signaturesBySignatoryId(first: $first, orderBy: [STATEMENT_DATE_DESC, PRIMARY_KEY_DESC]) { pageInfo { endCursor } } }
}`,
  Q3: `query Q3($q: String!, $first: Int!) { searchStatements(query: $q, first: $first) { nodes { key title date } pageInfo { hasNextPage } } }`,
  Q4: `query Q4($a: String!, $b: String!) {
  a: statementByKey(key: $a) { key signaturesByStatementId { nodes { status signatoryBySignatoryId { key iso3 name } } } }
  b: statementByKey(key: $b) { key signaturesByStatementId { nodes { status signatoryBySignatoryId { key iso3 name } } } }
}`,
  Q5R: `query Q5R($key: String!) { statementByKey(key: $key) { key version agendaItem title } }`,
  Q6: `query Q6($first: Int!, $signatures: Int!, $others: Int!) {
  allStatements(first: $first, orderBy: [DATE_DESC, PRIMARY_KEY_DESC]) {
    nodes {
      key title
      signaturesByStatementId(first: $signatures, orderBy: [POSITION_ASC, PRIMARY_KEY_ASC]) {
        nodes {
          position status
          signatoryBySignatoryId {
            key name
            signaturesBySignatoryId(first: $others, orderBy: [STATEMENT_DATE_DESC, PRIMARY_KEY_DESC]) { nodes { position status statementByStatementId { key title date } } }
          }
        }
      }
    }
    pageInfo { hasNextPage }
  }
}`,
  Q5W: `mutation Q5W($key: String!, $patch: StatementPatch!) { updateStatementByKey(input: { key: $key, statementPatch: $patch }) { statement { key version agendaItem } } }`,
};

export const POSTGRAPHILE_DOCUMENTS = POSTGRAPHILE;
export const JOINTLY_DOCUMENTS = JOINTLY;

const body = (query: string, operationName: string, variables: Record<string, unknown>): GraphQLBody => ({ query, operationName, variables });

/** Jointly's body, which the limit server takes too. */
const both = (name: keyof typeof JOINTLY, variables: Record<string, unknown>) => body(JOINTLY[name], name, variables);

// ---- canonical forms ---------------------------------------------------------------------------

type Json = Record<string, unknown>;

export class ResponseError extends Error {}

function data(candidate: CandidateName, response: unknown): Json {
  const r = response as { data?: Json; errors?: unknown[] };
  if (r?.errors?.length) throw new ResponseError(`${candidate} answered with errors: ${JSON.stringify(r.errors).slice(0, 600)}`);
  if (!r?.data) throw new ResponseError(`${candidate} answered without data: ${JSON.stringify(response).slice(0, 600)}`);
  return r.data;
}

/** A Jointly PartialDate as the full date PostgreSQL stores (the first day of the period). */
export const fullDate = (d: unknown): string | null => {
  if (typeof d !== 'string') return null;
  if (/^\d{4}$/.test(d)) return `${d}-01-01`;
  if (/^\d{4}-\d{2}$/.test(d)) return `${d}-01`;
  return d;
};

const get = (o: unknown, key: string): unknown => (o && typeof o === 'object' ? (o as Json)[key] : undefined);
const list = (o: unknown): unknown[] => (Array.isArray(o) ? o : []);

function canonicalStatementLite(s: unknown) {
  return { key: get(s, 'key'), title: get(s, 'title'), date: fullDate(get(s, 'date')) };
}

const CANONICAL = {
  Q0(c: CandidateName, response: unknown) {
    const s = c === 'postgraphile' ? data(c, response).statementByKey : data(c, response).statement;
    return s ? { ...canonicalStatementLite(s), kind: get(s, 'kind') } : null;
  },
  Q1(c: CandidateName, response: unknown) {
    const conn = c === 'postgraphile' ? data(c, response).allStatements : data(c, response).statements;
    return {
      hasNextPage: get(get(conn, 'pageInfo'), 'hasNextPage'),
      statements: list(get(conn, 'nodes')).map((s) => ({
        ...canonicalStatementLite(s),
        kind: get(s, 'kind'),
        forum: get(s, 'forum'),
        signatures: list(get(get(s, c === 'postgraphile' ? 'signaturesByStatementId' : 'signatures'), 'nodes')).map((g) => [
          get(g, 'position'),
          get(g, 'status'),
          get(g, 'nameAsWritten'),
          get(get(g, c === 'postgraphile' ? 'signatoryBySignatoryId' : 'signatory'), 'key'),
        ]),
        evidence: (c === 'postgraphile' ? list(get(get(s, 'evidencesByStatementId'), 'nodes')) : list(get(s, 'evidence'))).map((e) => [
          get(e, 'quote'),
          get(get(e, c === 'postgraphile' ? 'sourceBySourceId' : 'source'), 'key'),
        ]),
      })),
    };
  },
  Q2(c: CandidateName, response: unknown) {
    const y = c === 'postgraphile' ? data(c, response).signatoryByIso3 : data(c, response).signatory;
    const conn = get(y, c === 'postgraphile' ? 'signaturesBySignatoryId' : 'signatures');
    return {
      key: get(y, 'key'),
      hasNextPage: get(get(conn, 'pageInfo'), 'hasNextPage'),
      signatures: list(get(conn, 'edges')).map((e) => {
        const g = get(e, 'node');
        const s = get(g, c === 'postgraphile' ? 'statementByStatementId' : 'statement');
        return [get(s, 'key'), fullDate(get(s, 'date')), get(g, 'position'), get(g, 'status')];
      }),
    };
  },
  Q3(c: CandidateName, response: unknown) {
    const conn = c === 'postgraphile' ? data(c, response).searchStatements : data(c, response).statements;
    return { hasNextPage: get(get(conn, 'pageInfo'), 'hasNextPage'), statements: list(get(conn, 'nodes')).map(canonicalStatementLite) };
  },
  Q4(c: CandidateName, response: unknown) {
    const d = data(c, response);
    const keys = (l: unknown) => list(l).map((y) => String(get(y, 'key'))).sort();
    if (c !== 'postgraphile') {
      const r = d.compareStatements;
      return { a: get(get(r, 'a'), 'key'), b: get(get(r, 'b'), 'key'), both: keys(get(r, 'both')), onlyA: keys(get(r, 'onlyA')), onlyB: keys(get(r, 'onlyB')) };
    }
    // PostGraphile has no set operations: the same answer, computed from the two lists it returns.
    const signed = (s: unknown) =>
      new Set(
        list(get(get(s, 'signaturesByStatementId'), 'nodes'))
          .filter((g) => get(g, 'status') === 'SIGNED')
          .map((g) => String(get(get(g, 'signatoryBySignatoryId'), 'key'))),
      );
    const a = signed(d.a);
    const b = signed(d.b);
    return {
      a: get(d.a, 'key'),
      b: get(d.b, 'key'),
      both: [...a].filter((k) => b.has(k)).sort(),
      onlyA: [...a].filter((k) => !b.has(k)).sort(),
      onlyB: [...b].filter((k) => !a.has(k)).sort(),
    };
  },
  Q6(c: CandidateName, response: unknown) {
    const pgl = c === 'postgraphile';
    const conn = pgl ? data(c, response).allStatements : data(c, response).statements;
    return {
      hasNextPage: get(get(conn, 'pageInfo'), 'hasNextPage'),
      statements: list(get(conn, 'nodes')).map((s) => ({
        key: get(s, 'key'),
        title: get(s, 'title'),
        signatures: list(get(get(s, pgl ? 'signaturesByStatementId' : 'signatures'), 'nodes')).map((g) => {
          const y = get(g, pgl ? 'signatoryBySignatoryId' : 'signatory');
          return {
            position: get(g, 'position'),
            status: get(g, 'status'),
            signatory: get(y, 'key'),
            name: get(y, 'name'),
            signatures: list(get(get(y, pgl ? 'signaturesBySignatoryId' : 'signatures'), 'nodes')).map((o) => {
              const t = get(o, pgl ? 'statementByStatementId' : 'statement');
              return [get(o, 'position'), get(o, 'status'), get(t, 'key'), get(t, 'title'), fullDate(get(t, 'date'))];
            }),
          };
        }),
      })),
    };
  },
};

export const CANONICAL_FORMS = CANONICAL;

// ---- workloads ---------------------------------------------------------------------------------

export interface Check {
  label: string;
  /** The answer is expected to be empty (e.g. an unknown key). */
  expectEmpty?: boolean;
  bodies: Record<Dialect, GraphQLBody>;
  canonical: (c: CandidateName, response: unknown) => unknown;
}

export interface Workload {
  id: string;
  /** Q0…Q5: the group in the report. */
  group: string;
  title: string;
  /** The measured request of each server (static), except for the write mix. */
  bodies?: Record<Dialect, GraphQLBody>;
  /** Variable sets checked for equality before measuring. */
  checks: Check[];
  /** Q5: built per request by serve/load.ts (runWriteMix). */
  writeMix?: true;
  /** MIX: requests drawn from a pool built and checked beforehand (serve/mix.ts). */
  mix?: true;
}

export const GROUP_TITLES: Record<string, string> = {
  Q0: 'Q0 — one statement by key',
  Q1: 'Q1 — the nested list: newest statements with signatures, signatories and evidence sources',
  Q2: "Q2 — a state's signing history (keyset pages)",
  Q3: 'Q3 — full-text search over statements',
  Q4: 'Q4 — compare the signatory lists of two large statements',
  Q5: 'Q5 — write mix: 95% reads, 5% versioned updates',
  Q6: 'Q6 — the deeper list: statements → signatures → signatory → its latest signatures → their statements',
  MIX: 'MIX — a varied read mix drawn from the archive (for the response cache)',
};

/**
 * Where PostGraphile does not answer the same question by itself, why (by group; each claim points at
 * the harness code that makes up for it): the ratio to PostGraphile is then kept out of the headline.
 */
export const NOT_LIKE_FOR_LIKE: Record<string, string> = {
  Q2:
    'PostGraphile cannot order signatures by the signed statement’s date by itself: the order STATEMENT_DATE_DESC is written by the harness ' +
    '(graphile-utils addPgTableOrderBy, a correlated subquery; serve/postgraphile-server.ts)',
  Q4:
    'PostGraphile has no set operations: it returns every signature of both statements and the harness computes both/onlyA/onlyB ' +
    '(serve/queries.ts, CANONICAL.Q4), so its response is larger and part of the answer is computed outside it',
  Q5:
    'PostGraphile has no optimistic locking: its update writes version + 1 unchecked (serve/queries.ts, writeMixBody), so a stale write succeeds ' +
    'where Jointly and the limit answer CONFLICT',
  Q6: 'the signatory’s signatures are ordered for PostGraphile with the same harness-written STATEMENT_DATE_DESC order as in Q2',
  MIX: 'a quarter of its requests are Q2 pages, ordered for PostGraphile with the harness-written STATEMENT_DATE_DESC order as in Q2',
};

function q0(key: string): Record<Dialect, GraphQLBody> {
  const j = both('Q0', { key });
  return { jointly: j, limit: j, postgraphile: body(POSTGRAPHILE.Q0, 'Q0', { key }) };
}

export function q0Bodies(key: string): Record<Dialect, GraphQLBody> {
  return q0(key);
}

/** Q1 at page size `first`, after a cursor of each dialect (page 1 when absent). */
export function q1(first: number, signatures: number, after?: Partial<Record<Dialect, string>>): Record<Dialect, GraphQLBody> {
  const v = (d: Dialect) => ({ first, signatures, after: after?.[d] ?? null });
  return { jointly: both('Q1', v('jointly')), limit: both('Q1', v('limit')), postgraphile: body(POSTGRAPHILE.Q1, 'Q1', v('postgraphile')) };
}

/** Q2 page `first` of a signatory's history (by iso3), after a cursor of each dialect (page 1 when absent). */
export function q2Page(iso3: string, first: number, after?: Partial<Record<Dialect, string>>): Record<Dialect, GraphQLBody> {
  return {
    jointly: both('Q2', { ref: iso3, first, after: after?.jointly ?? null }),
    limit: both('Q2', { ref: iso3, first, after: after?.limit ?? null }),
    postgraphile: body(POSTGRAPHILE.Q2, 'Q2', { iso3, first, after: after?.postgraphile ?? null }),
  };
}

export function q3Bodies(term: string, first: number): Record<Dialect, GraphQLBody> {
  return q3(term, first);
}

function q6(first: number, signatures: number, others: number): Record<Dialect, GraphQLBody> {
  const v = { first, signatures, others };
  const j = both('Q6', v);
  return { jointly: j, limit: j, postgraphile: body(POSTGRAPHILE.Q6, 'Q6', v) };
}

function q2(h: HistoryFixture, first: number, deep: boolean): Record<Dialect, GraphQLBody> {
  const cursor = (c: Dialect) => {
    if (!deep) return null;
    const value = h.cursors[c];
    if (!value) throw new Error(`no deep cursor of ${c} for ${h.iso3}`);
    return value;
  };
  return {
    jointly: both('Q2', { ref: h.iso3, first, after: cursor('jointly') }),
    limit: both('Q2', { ref: h.iso3, first, after: cursor('limit') }),
    postgraphile: body(POSTGRAPHILE.Q2, 'Q2', { iso3: h.iso3, first, after: cursor('postgraphile') }),
  };
}

function q3(term: string, first: number): Record<Dialect, GraphQLBody> {
  const j = both('Q3', { q: term, first });
  return { jointly: j, limit: j, postgraphile: body(POSTGRAPHILE.Q3, 'Q3', { q: term, first }) };
}

function q4(a: string, b: string): Record<Dialect, GraphQLBody> {
  const j = both('Q4', { a, b });
  return { jointly: j, limit: j, postgraphile: body(POSTGRAPHILE.Q4, 'Q4', { a, b }) };
}

export function limitHistoryCursor(h: HistoryFixture): string {
  return limitCursor(h.at.date, h.at.id);
}

export function workloads(f: Fixtures): Workload[] {
  const [history, otherHistory] = f.histories;
  if (!history) throw new Error('no signing history to page through');
  const check = (label: string, bodies: Record<Dialect, GraphQLBody>, canonical: Check['canonical']): Check => ({ label, bodies, canonical });
  return [
    {
      id: 'MIX',
      group: 'MIX',
      title: `a read mix of Q0, Q1 pages, Q2 pages and Q3 searches drawn from the archive (serve/mix.ts)`,
      checks: [],
      mix: true,
    },
    {
      id: 'Q0',
      group: 'Q0',
      title: `statement(key: "${f.keys[0]}")`,
      bodies: q0(f.keys[0]!),
      checks: f.keys.map((k) => check(`key ${k}`, q0(k), CANONICAL.Q0)).concat({ ...check('unknown key', q0('no-such-statement'), CANONICAL.Q0), expectEmpty: true }),
    },
    ...[f.q1FirstVariants[0]!, f.q1First, ...f.q1FirstVariants.slice(1)].map((n) => ({
      id: n === f.q1First ? 'Q1' : `Q1-${n}`,
      group: 'Q1',
      title: `statements(first: ${n}) × signatures(first: ${f.q1Signatures}) × signatory, evidence × source`,
      bodies: q1(n, f.q1Signatures),
      checks: [check(`first ${n}`, q1(n, f.q1Signatures), CANONICAL.Q1)],
    })),
    {
      id: 'Q2-page1',
      group: 'Q2',
      title: `${history.iso3} (${history.count.toLocaleString('en-US')} signatures): page 1, first ${f.historyPage}`,
      bodies: q2(history, f.historyPage, false),
      checks: [history, ...(otherHistory ? [otherHistory] : [])].map((h) => check(`${h.iso3} page 1`, q2(h, f.historyPage, false), CANONICAL.Q2)),
    },
    {
      id: 'Q2-deep',
      group: 'Q2',
      title: `${history.iso3}: the page after row ${history.depth.toLocaleString('en-US')} (a cursor obtained beforehand)`,
      bodies: q2(history, f.historyPage, true),
      checks: [history, ...(otherHistory ? [otherHistory] : [])].map((h) => check(`${h.iso3} after row ${h.depth}`, q2(h, f.historyPage, true), CANONICAL.Q2)),
    },
    {
      id: 'Q3-rare',
      group: 'Q3',
      title: `"${f.terms.rare.term}" (rare: ${f.terms.rare.matches} statements), first ${f.searchPage}`,
      bodies: q3(f.terms.rare.term, f.searchPage),
      checks: [check(`"${f.terms.rare.term}"`, q3(f.terms.rare.term, f.searchPage), CANONICAL.Q3)],
    },
    {
      id: 'Q3-common',
      group: 'Q3',
      title: `"${f.terms.common.term}" (common: ${f.terms.common.matches.toLocaleString('en-US')} statements), first ${f.searchPage}`,
      bodies: q3(f.terms.common.term, f.searchPage),
      checks: [check(`"${f.terms.common.term}"`, q3(f.terms.common.term, f.searchPage), CANONICAL.Q3)],
    },
    {
      id: 'Q4',
      group: 'Q4',
      title: `compareStatements("${f.compare.a}" (${f.compare.aSignatures} signed), "${f.compare.b}" (${f.compare.bSignatures} signed))`,
      bodies: q4(f.compare.a, f.compare.b),
      checks: [check('the two largest', q4(f.compare.a, f.compare.b), CANONICAL.Q4), check('two keys', q4(f.keys[0]!, f.keys[1]!), CANONICAL.Q4)],
    },
    {
      id: 'Q5',
      group: 'Q5',
      title: `19 reads of a statement for 1 updateStatement (agendaItem, at the version read), over ${f.writeTargets.length} statements`,
      checks: [],
      writeMix: true,
    },
    {
      id: 'Q6',
      group: 'Q6',
      title: `statements(first: ${f.q6.first}) × signatures(first: ${f.q6.signatures}) × signatory × its signatures(first: ${f.q6.others}) × statement`,
      bodies: q6(f.q6.first, f.q6.signatures, f.q6.others),
      checks: [
        check(`first ${f.q6.first}`, q6(f.q6.first, f.q6.signatures, f.q6.others), CANONICAL.Q6),
        check('first 3, larger inner pages', q6(3, 30, 30), CANONICAL.Q6),
      ],
    },
  ];
}

/** The write mix's requests: a read of `key`, or an update of it at `version`. */
export function writeMixBody(c: CandidateName, kind: 'read' | 'write', key: string, version: number, agendaItem: string): GraphQLBody {
  if (kind === 'read') return c === 'postgraphile' ? body(POSTGRAPHILE.Q5R, 'Q5R', { key }) : both('Q5R', { key });
  if (c === 'postgraphile') {
    // No optimistic locking in PostGraphile: the version is written as read + 1, unchecked.
    return body(POSTGRAPHILE.Q5W, 'Q5W', { key, patch: { agendaItem, version: version + 1, updatedAt: new Date().toISOString() } });
  }
  return both('Q5W', { input: { id: key, expectedVersion: version, agendaItem } });
}

/** The statement a write-mix response is about: its key, version and agenda item; and whether it reports an error. */
export function writeMixResult(c: CandidateName, kind: 'read' | 'write', response: unknown): { key?: string; version?: number; agendaItem?: string | null; error?: string } {
  const r = response as { data?: Json; errors?: { message?: string; extensions?: { code?: string } }[] };
  if (r?.errors?.length) return { error: r.errors[0]?.extensions?.code ?? r.errors[0]?.message ?? 'error' };
  const d = r?.data ?? {};
  let s: unknown;
  if (kind === 'read') s = c === 'postgraphile' ? d.statementByKey : d.statement;
  else {
    const payload = c === 'postgraphile' ? d.updateStatementByKey : d.updateStatement;
    const errors = list(get(payload, 'errors'));
    if (errors.length) return { error: String(get(errors[0], 'code') ?? 'error') };
    s = get(payload, 'statement');
  }
  if (!s) return { error: 'no statement' };
  return { key: get(s, 'key') as string, version: get(s, 'version') as number, agendaItem: get(s, 'agendaItem') as string | null };
}
