import type { GraphQLObjectType } from 'graphql';
import { fromGlobalId, type NodeType } from '../common/global-id';
import { pageRequest, positions, type PageArgs } from '../common/pagination';
import { normalizeName } from '../reference/normalize';
import { SignatoryService } from '../modules/signatory/signatory.service';
import { historyConditions } from '../modules/signatory/signatory.loaders';
import { publishedRange } from '../modules/source/source.service';
import { checkOrderBy, orderingKeys, StatementService, statementOrdering } from '../modules/statement/statement.service';
import { StatementOrderBy, type StatementFilter } from '../modules/statement/statement.input';
import type { SignatoryFilter, SignatureHistoryFilter } from '../modules/signatory/signatory.input';
import type { SourceFilter } from '../modules/source/source.input';
import type { PersonFilter } from '../modules/person/person.input';
import { children, column, connectionOf, globalId, partialDate, recordRules, toOne, visible } from './builders';
import { floatJson } from './json-sql';
import { NotPlanned, type FieldCall, type FieldRule, type Planner, type Row, type TypeRules } from './planner';

const statements = new StatementService();
const signatories = new SignatoryService();

/** Page arguments checked as the resolvers check them (a refusal is answered by graphql-js, with its path). */
const page = (call: FieldCall, isPosition: (p: unknown[]) => boolean) => pageRequest(call.args as PageArgs, isPosition);

const parentId = (p: Planner, row: Row | null, call: FieldCall) => {
  if (!row) throw new NotPlanned(`${call.name} needs a parent row`);
  return p.column(row, 'id');
};

/** A page of statements, newest first by (date, id), among those `membership` (SQL over statement `x`) selects. */
function statementPage(p: Planner, call: FieldCall, membership: (x: string) => string): Promise<string> {
  const target = p.rowOf('Statement');
  const x = target.alias;
  return connectionOf(p, call, {
    target,
    from: `statement ${x}`,
    where: [`${x}.deleted_at IS NULL`, membership(x)],
    keys: [`${x}.date`, `${x}.id`],
    direction: 'DESC',
    request: page(call, positions.dateAndId),
  });
}

/** One record of `type` by id or key (exactly one of them), public records only. */
async function lookup(p: Planner, call: FieldCall, type: NodeType): Promise<string> {
  const { id, key } = call.args as { id?: string | null; key?: string | null };
  if ((id == null) === (key == null)) throw new NotPlanned('give exactly one of id and key');
  const target = p.rowOf(type);
  const where = id != null ? `${target.alias}.id = ${p.bind(fromGlobalId(id, type).id)}` : `${target.alias}.key = ${p.bind(key)}`;
  return recordById(p, call, target, where, p.schema.getType(type) as GraphQLObjectType);
}

function recordById(p: Planner, call: FieldCall, target: Row, where: string, type: GraphQLObjectType): Promise<string> {
  return p
    .object(type, call.nodes, target)
    .then((object) => `coalesce((SELECT ${object} FROM "${target.table.name}" ${target.alias} WHERE ${[where, ...visible(p, target)].join(' AND ')}), 'null')`);
}

/** node(id:) and nodes(ids:): the type is in the id, so each is a lookup of that type. */
async function nodeById(p: Planner, call: FieldCall, globalIdValue: string): Promise<string> {
  const { type, id } = fromGlobalId(globalIdValue);
  const target = p.rowOf(type);
  const objectType = p.schema.getType(type) as GraphQLObjectType;
  if (type !== 'Signature') return recordById(p, call, target, `${target.alias}.id = ${p.bind(id)}`, objectType);
  // A signature of a deleted statement is gone with it.
  const object = await p.object(objectType, call.nodes, target);
  const x = target.alias;
  const statementLive = p.seesDeleted ? '' : ` AND EXISTS (SELECT 1 FROM statement ${x}s WHERE ${x}s.id = ${x}.statement_id AND ${x}s.deleted_at IS NULL)`;
  return `coalesce((SELECT ${object} FROM signature ${x} WHERE ${x}.id = ${p.bind(id)}${statementLive}), 'null')`;
}

const statementsRoot: FieldRule = async (p, call) => {
  const filter = call.args.filter as StatementFilter | null | undefined;
  const orderBy = call.args.orderBy as StatementOrderBy;
  checkOrderBy(orderBy, filter);
  const order = statementOrdering(orderBy);
  const request = page(call, order.isPosition);
  const target = { alias: 's', table: p.table('statement') };
  const { where, search } = await statements.conditions(p.ctx, filter, p.params);
  // A relevance cursor holds the rank, a real, as JavaScript writes the number read from it.
  const keyJson = orderBy === StatementOrderBy.RELEVANCE ? [floatJson] : undefined;
  return connectionOf(p, call, { target, from: 'statement s', where, keys: orderingKeys(order, search), direction: order.direction, keyJson, request });
};

const signatoriesRoot: FieldRule = async (p, call) => {
  const filter = call.args.filter as SignatoryFilter | null | undefined;
  const request = page(call, positions.textAndId);
  const target = p.rowOf('Signatory');
  const x = target.alias;
  const where = [`${x}.deleted_at IS NULL`];
  if (filter?.kind) where.push(`${x}.kind = ${p.bind(filter.kind)}`);
  if (filter?.search != null) {
    const search = normalizeName(filter.search);
    if (!search) throw new NotPlanned('empty search');
    where.push(
      `${x}.id IN (SELECT a.signatory_id FROM signatory_alias a WHERE a.normalized % ${p.bind(search)} OR a.normalized LIKE ${p.bind(`${search.replace(/[%_\\]/g, '')}%`)})`,
    );
  }
  if (filter?.memberOf) {
    const group = await signatories.idOf(p.ctx, filter.memberOf, 'filter.memberOf');
    where.push(`${x}.id IN (SELECT m.member_id FROM signatory_membership m WHERE m.group_id = ${p.bind(group)})`);
  }
  return connectionOf(p, call, { target, from: `signatory ${x}`, where, keys: [`${x}.name`, `${x}.id`], direction: 'ASC', request });
};

/** Where undated sources sort: after every dated one, newest first (as the cursors have it). */
const UNDATED = '0001-01-01';

const sourcesRoot: FieldRule = (p, call) => {
  const filter = call.args.filter as SourceFilter | null | undefined;
  const request = page(call, positions.dateAndId);
  const target = p.rowOf('Source');
  const x = target.alias;
  const where = [`${x}.deleted_at IS NULL`];
  if (filter?.kind != null) where.push(`${x}.kind = ${p.bind(filter.kind)}`);
  if (filter?.publisher != null) where.push(`${x}.publisher = ${p.bind(filter.publisher)}`);
  const { from, to } = publishedRange(filter);
  if (from !== null) where.push(`${x}.published_on >= ${p.bind(from)}`);
  if (to !== null) where.push(`${x}.published_on <= ${p.bind(to)}`);
  const search = filter?.search?.trim();
  if (search) where.push(`${x}.search_vector @@ websearch_to_tsquery('jointly', ${p.bind(search)})`);
  return connectionOf(p, call, { target, from: `source ${x}`, where, keys: [`coalesce(${x}.published_on, DATE '${UNDATED}')`, `${x}.id`], direction: 'DESC', request });
};

/** `LIKE` pattern text matching itself only. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const peopleRoot: FieldRule = (p, call) => {
  const filter = call.args.filter as PersonFilter | null | undefined;
  const request = page(call, positions.textAndId);
  const target = p.rowOf('Person');
  const x = target.alias;
  const where = [`${x}.deleted_at IS NULL`];
  const search = filter?.search?.trim();
  if (search) {
    // Full text (stemmed, accent-insensitive), or the start of any word of the name or an alias.
    where.push(
      `(${x}.search_vector @@ websearch_to_tsquery('jointly', ${p.bind(search)})
        OR (' ' || translate(lower(unaccent(concat_ws(' ', ${x}.name, array_to_string(${x}.aliases, ' ')))), '-', ' '))
           LIKE ('% ' || lower(unaccent(${p.bind(likeLiteral(search))})) || '%'))`,
    );
  }
  return connectionOf(p, call, { target, from: `person ${x}`, where, keys: [`${x}.name`, `${x}.id`], direction: 'ASC', request });
};

const Query: TypeRules = {
  fields: {
    statements: statementsRoot,
    statement: (p, call) => lookup(p, call, 'Statement'),
    source: (p, call) => lookup(p, call, 'Source'),
    person: (p, call) => lookup(p, call, 'Person'),
    sources: sourcesRoot,
    people: peopleRoot,
    signatories: signatoriesRoot,
    node: (p, call) => nodeById(p, call, call.args.id as string),
    nodes: async (p, call) => {
      const ids = call.args.ids as string[];
      if (ids.length > 100) throw new NotPlanned('too many ids');
      const items: string[] = [];
      for (const id of ids) items.push(await nodeById(p, call, id));
      return items.length ? `('[' || ${items.join(` || ',' || `)} || ']')` : `'[]'`;
    },
  },
};

const Statement: TypeRules = {
  table: 'statement',
  fields: {
    ...recordRules('Statement'),
    key: column('key'),
    kind: column('kind'),
    title: column('title'),
    date: partialDate('date', 'datePrecision'),
    forum: column('forum'),
    session: column('session'),
    agendaItem: column('agendaItem'),
    unSymbol: column('unSymbol'),
    topics: column('topics'),
    text: column('text'),
    claimedSignatoryCount: column('claimedSignatoryCount'),
    listedSignatoryCount: column('signatureCount'),
    listStatus: column('listStatus'),
    respondsTo: toOne('Statement', 'respondsToId'),
    leadSignatory: toOne('Signatory', 'leadSignatoryId'),
    deliveredBy: toOne('Person', 'deliveredById'),
    responses: children('Statement', 'respondsToId', ['date']),
    evidence: children('Evidence', 'statementId', ['position']),
    countClaims: children('CountClaim', 'statementId', ['position']),
    signatures: (p, call, row) => {
      const target = p.rowOf('Signature');
      const x = target.alias;
      return connectionOf(p, call, {
        target,
        from: `signature ${x}`,
        where: [`${x}.statement_id = ${parentId(p, row, call)}`],
        keys: [`${x}.position`, `${x}.id`],
        direction: 'ASC',
        request: page(call, positions.orderAndId),
      });
    },
  },
};

const Signature: TypeRules = {
  table: 'signature',
  fields: {
    id: globalId('Signature'),
    status: column('status'),
    nameAsWritten: column('nameAsWritten'),
    position: column('position'),
    joinedOn: partialDate('joinedOn', 'joinedOnPrecision'),
    withdrawnOn: partialDate('withdrawnOn', 'withdrawnOnPrecision'),
    version: column('version'),
    signatory: toOne('Signatory', 'signatoryId'),
    statement: toOne('Statement', 'statementId'),
    evidence: children('Evidence', 'signatureId', ['position']),
  },
};

const Signatory: TypeRules = {
  table: 'signatory',
  fields: {
    ...recordRules('Signatory'),
    key: column('key'),
    kind: column('kind'),
    name: column('name'),
    officialName: column('officialName'),
    iso2: column('iso2'),
    iso3: column('iso3'),
    m49: column('m49'),
    unStatus: column('unStatus'),
    isBuiltIn: column('isBuiltIn'),
    aliases: children('SignatoryAlias', 'signatoryId', ['normalized']),
    memberOf: (p, call, row) => relatives(p, call, row, 'member_id', 'group_id'),
    members: (p, call, row) => relatives(p, call, row, 'group_id', 'member_id'),
    signatures: (p, call, row) => {
      const filter = (call.args.filter ?? {}) as SignatureHistoryFilter;
      const target = p.rowOf('Signature');
      const x = target.alias;
      const t = `${x}t`;
      const where = [`${t}.deleted_at IS NULL`, `${x}.signatory_id = ${parentId(p, row, call)}`, ...historyConditions(filter, p.params, t)];
      const request = page(call, positions.dateAndId);
      // The cursor's date alone bounds the statements too, so that a scan of statement(date) starts
      // at the cursor for a state with thousands of signatures, not at the newest statement.
      const bounds = [
        ...(request.after ? [`${t}.date <= ${p.bind(request.after[0])}`] : []),
        ...(request.before ? [`${t}.date >= ${p.bind(request.before[0])}`] : []),
      ];
      return connectionOf(p, call, {
        target,
        from: `signature ${x} JOIN statement ${t} ON ${t}.id = ${x}.statement_id`,
        where,
        bounds,
        keys: [`${t}.date`, `${x}.id`],
        direction: 'DESC',
        request,
      });
    },
  },
};

/** A signatory's groups or members that stand, by name. */
function relatives(p: Planner, call: FieldCall, row: Row | null, own: string, other: string): Promise<string> {
  const id = parentId(p, row, call);
  const target = p.rowOf('Signatory');
  const x = target.alias;
  return p
    .objectOf(call, target)
    .then(
      (object) =>
        `coalesce((SELECT '[' || string_agg(${object}, ',' ORDER BY ${x}.name, ${x}.id) || ']' FROM signatory ${x} WHERE ${x}.deleted_at IS NULL AND ${x}.id IN (SELECT m.${other} FROM signatory_membership m WHERE m.${own} = ${id})), '[]')`,
    );
}

const SignatoryAlias: TypeRules = {
  table: 'signatory_alias',
  fields: { name: column('name'), kind: column('kind'), origin: column('origin') },
};

const Evidence: TypeRules = {
  table: 'evidence',
  fields: {
    quote: column('quote'),
    paragraph: column('paragraph'),
    start: column('startOffset'),
    end: column('endOffset'),
    source: toOne('Source', 'sourceId'),
  },
};

const CountClaim: TypeRules = {
  table: 'count_claim',
  fields: { count: column('count'), quote: column('quote'), source: toOne('Source', 'sourceId') },
};

const Source: TypeRules = {
  table: 'source',
  fields: {
    ...recordRules('Source'),
    key: column('key'),
    kind: column('kind'),
    title: column('title'),
    url: column('url'),
    publisher: column('publisher'),
    authors: column('authors'),
    publishedOn: partialDate('publishedOn', 'publishedOnPrecision'),
    language: column('language'),
    unSymbol: column('unSymbol'),
    summary: column('summary'),
    body: column('body'),
    statements: (p, call, row) => {
      const id = parentId(p, row, call);
      return statementPage(
        p,
        call,
        (x) =>
          `${x}.id IN (SELECT e.statement_id FROM evidence e WHERE e.source_id = ${id} AND e.statement_id IS NOT NULL
            UNION SELECT g.statement_id FROM evidence e JOIN signature g ON g.id = e.signature_id WHERE e.source_id = ${id}
            UNION SELECT c.statement_id FROM count_claim c WHERE c.source_id = ${id})`,
      );
    },
  },
};

const Person: TypeRules = {
  table: 'person',
  fields: {
    ...recordRules('Person'),
    key: column('key'),
    name: column('name'),
    aliases: column('aliases'),
    roles: children('PersonRole', 'personId', ['position']),
    statements: (p, call, row) => {
      const id = parentId(p, row, call);
      return statementPage(p, call, (x) => `${x}.delivered_by_id = ${id}`);
    },
  },
};

const PersonRole: TypeRules = {
  table: 'person_role',
  fields: {
    title: column('title'),
    organization: column('organization'),
    from: partialDate('fromDate', 'fromPrecision'),
    to: partialDate('toDate', 'toPrecision'),
    signatory: toOne('Signatory', 'signatoryId'),
  },
};

/** The records' own types and the lists and lookups of them. */
export const RECORD_RULES: Readonly<Record<string, TypeRules>> = {
  Query,
  Statement,
  Signature,
  Signatory,
  SignatoryAlias,
  Evidence,
  CountClaim,
  Source,
  Person,
  PersonRole,
};

/** Rule sets into one: a type's fields from every set, its table from the set that names one. */
export function mergeRules(...sets: Readonly<Record<string, TypeRules>>[]): Readonly<Record<string, TypeRules>> {
  const merged: Record<string, TypeRules> = {};
  for (const set of sets) {
    for (const [type, rules] of Object.entries(set)) {
      const into = (merged[type] ??= { fields: {} });
      if (rules.table) into.table = rules.table;
      Object.assign(into.fields, rules.fields);
    }
  }
  return merged;
}
