import type { GraphQLObjectType } from 'graphql';
import { pageRequest } from '../common/pagination';
import type { ColumnDescription, TableDescription } from '../data/tables';
import type { SearchArgs } from '../modules/search/search.args';
import { checkQuery, headlineOf, isSearchPosition, matchesOf, SEARCHABLE, selectedTypes, snippetSql, tsqueryOf } from '../modules/search/search.service';
import { SEARCH_TYPES, type SearchType } from '../modules/search/search.type';
import { connectionOf } from './builders';
import { floatJson, json, UNANSWERED } from './json-sql';
import { NotPlanned, type FieldCall, type FieldRule, type Row, type TypeRules } from './planner';

/** The object type of each kind of hit. */
const NODE_TYPES: Record<SearchType, string> = { STATEMENT: 'Statement', SOURCE: 'Source', PERSON: 'Person', SIGNATORY: 'Signatory' };

const hitColumn = (name: string, type: string): ColumnDescription => ({ property: name, name, type, nullable: false, array: false, selected: true, recordType: type });
const HIT_COLUMNS = [hitColumn('type', 'text'), hitColumn('id', 'uuid'), hitColumn('rank', 'real'), hitColumn('query', 'tsquery')];

/**
 * The hits of a search (the matches of every searched table, each with the parsed query), described
 * as a table so that a hit's fields read them as the columns of a row.
 */
const HITS: TableDescription = {
  name: 'search_hit',
  columns: HIT_COLUMNS,
  primaryKey: ['type', 'id'],
  naturalKey: null,
  softDelete: null,
  version: null,
  relations: [],
  orderings: [],
  archive: false,
  column(property) {
    const column = HIT_COLUMNS.find((c) => c.property === property);
    if (!column) throw new Error(`a search hit has no column "${property}"`);
    return column;
  },
  columnNamed(name) {
    return this.column(name);
  },
};

const hitRow = (row: Row | null, call: FieldCall): Row => {
  if (row?.table !== HITS) throw new NotPlanned(`${call.name} needs a search hit`);
  return row;
};

/**
 * search(query, types, first, after): one page of the hits, best first (rank descending, then type
 * and id), as SearchService finds it; the cursor's rank written as JavaScript writes it. A query
 * without a searchable word is UNANSWERED, for graphql-js to report it.
 */
const searchRoot: FieldRule = async (p, call) => {
  const args = call.args as unknown as SearchArgs;
  const query = checkQuery(args.query);
  const request = pageRequest({ first: args.first, after: args.after }, isSearchPosition);
  const tsquery = tsqueryOf(p.bind(query));
  const matches = selectedTypes(args.types).map((type) => matchesOf(type, tsquery)).join(' UNION ALL ');
  const target: Row = { alias: p.alias(), table: HITS };
  const x = target.alias;
  const where: string[] = [];
  if (request.after) {
    const [rank, type, id] = request.after as [number, SearchType, string];
    const r = p.bind(rank);
    // rank descends while (type, id) ascends, so the position is spelt out rather than one tuple comparison.
    where.push(`(${x}.rank < ${r}::real OR (${x}.rank = ${r}::real AND (${x}.type, ${x}.id) > (${p.bind(type)}::text, ${p.bind(id)}::uuid)))`);
  }
  const connection = await connectionOf(p, call, {
    target,
    from: `(SELECT h.*, q.query FROM (${matches}) h, (SELECT ${tsquery} AS query) q) ${x}`,
    where: [],
    keys: [`${x}.rank`, `${x}.type`, `${x}.id`],
    direction: 'DESC',
    keyJson: [floatJson],
    page: { where, orderBy: `${x}.rank DESC, ${x}.type, ${x}.id` },
    request,
  });
  return `(CASE WHEN numnode(${tsquery}) = 0 THEN ${UNANSWERED} ELSE ${connection} END)`;
};

const SearchHit: TypeRules = {
  fields: {
    rank: (p, call, row) => floatJson(p.column(hitRow(row, call), 'rank')),
    type: (p, call, row) => json(p.column(hitRow(row, call), 'type'), false),
    snippet: (p, call, row) => {
      const hit = hitRow(row, call);
      const branches = SEARCH_TYPES.map((type) => {
        const { table, alias, document } = SEARCHABLE[type];
        return `WHEN '${type}' THEN (SELECT ${headlineOf(document, p.column(hit, 'query'))} FROM "${table}" ${alias} WHERE ${alias}.id = ${p.column(hit, 'id')})`;
      });
      return json(snippetSql(`CASE ${p.column(hit, 'type')} ${branches.join(' ')} END`), false);
    },
    // The record of the hit's type, built as that type under the field's selection.
    node: async (p, call, row) => {
      const hit = hitRow(row, call);
      const branches: string[] = [];
      for (const type of SEARCH_TYPES) {
        const record = p.rowOf(NODE_TYPES[type]);
        const object = await p.object(p.schema.getType(NODE_TYPES[type]) as GraphQLObjectType, call.nodes, record);
        branches.push(`WHEN '${type}' THEN coalesce((SELECT ${object} FROM "${record.table.name}" ${record.alias} WHERE ${record.alias}.id = ${p.column(hit, 'id')}), ${UNANSWERED})`);
      }
      return `(CASE ${p.column(hit, 'type')} ${branches.join(' ')} ELSE ${UNANSWERED} END)`;
    },
  },
};

/** Full-text search: the hits, and the record each is of, built as its own type. */
export const SEARCH_RULES: Readonly<Record<string, TypeRules>> = { Query: { fields: { search: searchRoot } }, SearchHit };
