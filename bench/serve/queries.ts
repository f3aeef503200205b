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
  Q1: `query Q1($first: Int!, $signatures: Int!) {
  statements(first: $first) {
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
  Q5W: `mutation Q5W($input: UpdateStatementInput!) { updateStatement(input: $input) { statement { key version agendaItem } errors { code message } } }`,
};

const POSTGRAPHILE = {
  Q0: `query Q0($key: String!) { statementByKey(key: $key) { key title date kind } }`,
  Q1: `query Q1($first: Int!, $signatures: Int!) {
  allStatements(first: $first, orderBy: [DATE_DESC, PRIMARY_KEY_DESC]) {
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
};

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
  /** Q5: built per request by serve/write-mix.ts. */
  writeMix?: true;
  /** Extra SQL counts: label → bodies (e.g. Q1 at first:10 and first:100). */
  sqlVariants?: { label: string; bodies: Record<Dialect, GraphQLBody> }[];
}

export const GROUP_TITLES: Record<string, string> = {
  Q0: 'Q0 — one statement by key',
  Q1: 'Q1 — the nested list: newest statements with signatures, signatories and evidence sources',
  Q2: "Q2 — a state's signing history (keyset pages)",
  Q3: 'Q3 — full-text search over statements',
  Q4: 'Q4 — compare the signatory lists of two large statements',
  Q5: 'Q5 — write mix: 95% reads, 5% versioned updates',
};

function q0(key: string): Record<Dialect, GraphQLBody> {
  const j = both('Q0', { key });
  return { jointly: j, limit: j, postgraphile: body(POSTGRAPHILE.Q0, 'Q0', { key }) };
}

function q1(first: number, signatures: number): Record<Dialect, GraphQLBody> {
  const j = both('Q1', { first, signatures });
  return { jointly: j, limit: j, postgraphile: body(POSTGRAPHILE.Q1, 'Q1', { first, signatures }) };
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
      id: 'Q0',
      group: 'Q0',
      title: `statement(key: "${f.keys[0]}")`,
      bodies: q0(f.keys[0]!),
      checks: f.keys.map((k) => check(`key ${k}`, q0(k), CANONICAL.Q0)).concat({ ...check('unknown key', q0('no-such-statement'), CANONICAL.Q0), expectEmpty: true }),
    },
    {
      id: 'Q1',
      group: 'Q1',
      title: `statements(first: ${f.q1First}) × signatures(first: ${f.q1Signatures}) × signatory, evidence × source`,
      bodies: q1(f.q1First, f.q1Signatures),
      checks: [f.q1First, ...f.q1FirstVariants].map((n) => check(`first ${n}`, q1(n, f.q1Signatures), CANONICAL.Q1)),
      sqlVariants: f.q1FirstVariants.map((n) => ({ label: `first: ${n}`, bodies: q1(n, f.q1Signatures) })),
    },
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
