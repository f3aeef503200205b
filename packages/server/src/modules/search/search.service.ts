import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../kit/context';
import { badInput } from '../../common/errors';
import { isRank, pageInfo, pageRequest, toPage, type PageRequest } from '../../common/pagination';
import { toPerson } from '../person/person.type';
import { toSignatory } from '../signatory/signatory.type';
import { toSource } from '../source/source.type';
import { toStatement } from '../statement/statement.type';
import type { SearchArgs } from './search.args';
import { SEARCH_TYPES, SearchHitConnection, type SearchHit, type SearchNode, type SearchType } from './search.type';

/** The parsed query, written out where it is used so the planner sees a constant and uses the GIN indexes. */
export const tsqueryOf = (query: string) => `websearch_to_tsquery('jointly', ${query})`;
const TSQUERY = tsqueryOf('$1');

/** Per type: its table and the text the snippet is cut from (the columns its search_vector holds, in weight order). */
export const SEARCHABLE: Record<SearchType, { table: string; alias: string; document: string }> = {
  STATEMENT: { table: 'statement', alias: 'st', document: `concat_ws(' — ', st.title, st.text)` },
  SOURCE: { table: 'source', alias: 'so', document: `concat_ws(' — ', so.title, so.summary, so.body)` },
  PERSON: { table: 'person', alias: 'pe', document: `concat_ws(' — ', pe.name, nullif(array_to_string(pe.aliases, ', '), ''))` },
  SIGNATORY: { table: 'signatory', alias: 'sg', document: `concat_ws(' — ', sg.name, sg.official_name)` },
};

/**
 * ts_headline marks matches with two private-use characters, so the text around them can be
 * HTML-escaped before the marks become <mark></mark>; the characters are removed from the text first.
 */
const START = '\uE000';
const STOP = '\uE001';
const HEADLINE_OPTIONS = `StartSel="${START}", StopSel="${STOP}", MaxFragments=2, MaxWords=30, MinWords=10, FragmentDelimiter=" … "`;

/** The headline of a document (SQL text) for a parsed query, the marks' characters taken out of the text first. */
export const headlineOf = (document: string, tsquery: string) => `ts_headline('jointly', translate(${document}, '${START}${STOP}', ''), ${tsquery}, '${HEADLINE_OPTIONS}')`;

/** The live records of a type a parsed query matches: type, id and rank. */
export const matchesOf = (type: SearchType, tsquery: string) =>
  `SELECT '${type}'::text AS type, id, ts_rank_cd(search_vector, ${tsquery}) AS rank FROM "${SEARCHABLE[type].table}" WHERE deleted_at IS NULL AND search_vector @@ ${tsquery}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A search cursor is the hit's position in the order: [rank, type, id]. */
export const isSearchPosition = (p: unknown[]) =>
  p.length === 3 &&
  isRank(p[0]) &&
  (SEARCH_TYPES as readonly unknown[]).includes(p[1]) &&
  typeof p[2] === 'string' &&
  UUID.test(p[2]);

interface HitRow {
  /** How many nodes the parsed query has; 0 when the query held no searchable word. */
  nodes: number;
  type: SearchType | null;
  id: string | null;
  rank: number | null;
  snippet: string | null;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The headline as one line of HTML: escaped text, matches in <mark></mark>. */
export function toSnippet(headline: string | null): string {
  return (headline ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replaceAll(START, '<mark>')
    .replaceAll(STOP, '</mark>');
}

/** What JavaScript's \s matches, as a regular expression bracket of PostgreSQL's. */
const JS_SPACE = String.raw`[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]`;

/** toSnippet in SQL, of a headline expression (for the read engine): the same steps, `&` escaped first so that no entity is escaped again. */
export function snippetSql(headline: string): string {
  let html = `btrim(regexp_replace(coalesce(${headline}, ''), '${JS_SPACE}+', ' ', 'g'), ' ')`;
  for (const [c, entity] of Object.entries(ESCAPES)) html = `replace(${html}, '${c.replace(/'/g, "''")}', '${entity}')`;
  return `replace(replace(${html}, '${START}', '<mark>'), '${STOP}', '</mark>')`;
}

/** Ranked full-text search over statements, sources, people and signatories. */
export class SearchService {
  /**
   * One SQL statement finds the page: the matches of every selected table (each through its GIN
   * index), ranked, ordered by (rank DESC, type, id) and cut once; the snippets are computed for
   * the page's rows only. The nodes then come from the per-request loaders (one query per type on
   * the page), so the number of statements does not grow with `first`.
   */
  async search(ctx: RequestContext, args: SearchArgs): Promise<ConnectionShape<SearchHit>> {
    const query = checkQuery(args.query);
    const request = pageRequest({ first: args.first, after: args.after }, isSearchPosition);
    const types = selectedTypes(args.types);

    const rows = await this.page(ctx, query, types, request);
    if (Number(rows[0]?.nodes ?? 0) === 0) {
      throw badInput(
        `the query "${query}" holds no searchable word (only stop words such as "the" or punctuation); send at least one word to look for, e.g. "unfettered access"`,
        { argument: 'query' },
      );
    }
    const hits = rows.filter((r): r is HitRow & { type: SearchType; id: string; rank: number } => r.id !== null);
    const page = toPage(hits, request, (r) => [r.rank, r.type, r.id]);
    const nodes = await Promise.all(page.items.map((r) => this.load(ctx, r.type, r.id)));
    const edges = page.items.flatMap((r, i) => {
      const node = nodes[i];
      // A record deleted between the search and the load is left out rather than returned as null.
      if (!node) return [];
      const hit: SearchHit = { rank: r.rank, snippet: toSnippet(r.snippet), type: r.type, node };
      return [{ cursor: page.cursor(i), node: hit }];
    });
    return new SearchHitConnection(edges, pageInfo(page), () => this.count(ctx, query, types));
  }

  private async page(ctx: RequestContext, query: string, types: SearchType[], request: PageRequest): Promise<HitRow[]> {
    const params: unknown[] = [query, request.limit + 1];
    const matches = types.map((type) => matchesOf(type, TSQUERY)).join('\n UNION ALL\n');
    let after = '';
    if (request.after) {
      const [rank, type, id] = request.after as [number, SearchType, string];
      params.push(rank, type, id);
      // rank descends while (type, id) ascends, so the position is spelt out rather than one tuple comparison.
      after = `WHERE hit.rank < $3::real OR (hit.rank = $3::real AND (hit.type, hit.id) > ($4::text, $5::uuid))`;
    }
    const joins = types
      .map((type) => {
        const { table, alias } = SEARCHABLE[type];
        return `LEFT JOIN "${table}" ${alias} ON page.type = '${type}' AND ${alias}.id = page.id`;
      })
      .join('\n ');
    const document = `CASE page.type ${types.map((type) => `WHEN '${type}' THEN ${SEARCHABLE[type].document}`).join(' ')} END`;
    const sql = `
      WITH hit AS (${matches}),
      page AS (SELECT hit.type, hit.id, hit.rank FROM hit ${after} ORDER BY hit.rank DESC, hit.type, hit.id LIMIT $2)
      SELECT q.nodes, p.type, p.id, p.rank, p.snippet
      FROM (SELECT numnode(${TSQUERY}) AS nodes) q
      LEFT JOIN (
        SELECT page.type, page.id, page.rank,
               ${headlineOf(document, TSQUERY)} AS snippet
        FROM page
        ${joins}
      ) p ON true
      ORDER BY p.rank DESC, p.type, p.id`;
    return ctx.em.query(sql, params);
  }

  private async count(ctx: RequestContext, query: string, types: SearchType[]): Promise<number> {
    const counts = types.map((type) => `(SELECT count(*) FROM "${SEARCHABLE[type].table}" WHERE deleted_at IS NULL AND search_vector @@ ${TSQUERY})`);
    const rows: { count: number | string }[] = await ctx.em.query(`SELECT (${counts.join(' + ')})::int AS count`, [query]);
    return Number(rows[0]!.count);
  }

  private async load(ctx: RequestContext, type: SearchType, id: string): Promise<SearchNode | null> {
    switch (type) {
      case 'STATEMENT': {
        const row = await ctx.loaders.statementById.load(id);
        return row && toStatement(row);
      }
      case 'SOURCE': {
        const row = await ctx.loaders.sourceById.load(id);
        return row && toSource(row);
      }
      case 'PERSON': {
        const row = await ctx.loaders.personById.load(id);
        return row && toPerson(row);
      }
      case 'SIGNATORY': {
        const row = await ctx.loaders.signatoryById.load(id);
        return row && toSignatory(row);
      }
    }
  }
}

export function checkQuery(raw: string): string {
  const query = raw.trim();
  if (!query) {
    throw badInput('query is empty; send words to look for, e.g. "unfettered access" or Xinjiang -Cuba', { argument: 'query' });
  }
  return query;
}

/** The tables to search, in a fixed order: all when none are named. */
export function selectedTypes(types: readonly SearchType[] | null | undefined): SearchType[] {
  if (!types?.length) return [...SEARCH_TYPES];
  return SEARCH_TYPES.filter((t) => types.includes(t));
}
