import { pageRequest, type PageArgs } from '../common/pagination';
import { changedFieldsSql, changeKeys, ENDED_BEFORE, isChangePosition, recordKeySql, recordStandsSql, recordTypeSql } from '../modules/history/change-sql';
import { isRevisionPosition } from '../modules/history/revision.service';
import { column, connectionOf, timestamp } from './builders';
import { base64url, json, UNANSWERED } from './json-sql';
import { NotPlanned, type FieldCall, type FieldRule, type Planner, type Row, type TypeRules } from './planner';

/** The largest revision number (a bigint): a cursor past it fails the resolver's query, and is left to it. */
const MAX_REVISION = 9_223_372_036_854_775_807n;

const needRow = (row: Row | null, call: FieldCall): Row => {
  if (!row) throw new NotPlanned(`${call.name} needs a parent row`);
  return row;
};

/**
 * A JSON scalar of a jsonb value `v` as JSON.stringify writes what JSON.parse read of it: strings,
 * booleans and null as jsonb writes them (the same escapes), whole numbers JavaScript holds exactly
 * as they are; any other number, and a nested object or list, is not answered here.
 */
const scalarJson = (v: string) =>
  `CASE WHEN jsonb_typeof(${v}) IN ('object', 'array') OR (jsonb_typeof(${v}) = 'number' AND ${v}::text !~ '^-?[0-9]{1,15}$') THEN ${UNANSWERED} ELSE ${v}::text END`;

/** A member of a row: a scalar, or a list of scalars (an array column), without jsonb's spaces. */
function valueJson(p: Planner, v: string): string {
  const a = p.alias();
  const list = `coalesce((SELECT '[' || string_agg(${scalarJson(`${a}.e`)}, ',' ORDER BY ${a}.i) || ']' FROM jsonb_array_elements(${v}) WITH ORDINALITY AS ${a}(e, i)), '[]')`;
  return `CASE WHEN jsonb_typeof(${v}) = 'array' THEN ${list} ELSE ${scalarJson(v)} END`;
}

/**
 * A row recorded as jsonb, as JSON.stringify writes the object JSON.parse makes of jsonb's text:
 * the members in jsonb's order, except that JavaScript puts array-index keys first, in numeric
 * order (which jsonb's order, by length then bytes, already is among them).
 */
const rowJson =
  (property: string): FieldRule =>
  (p, call, row) => {
    const value = p.column(needRow(row, call), property);
    const o = p.alias();
    const index = `(${o}.k ~ '^(0|[1-9][0-9]*)$' AND (length(${o}.k) < 10 OR (length(${o}.k) = 10 AND ${o}.k <= '4294967294')))`;
    const members =
      `coalesce((SELECT '{' || string_agg(to_json(${o}.k)::text || ':' || ${valueJson(p, `${o}.v`)}, ',' ORDER BY ${index} DESC, ${o}.i) || '}' ` +
      `FROM jsonb_each(${value}) WITH ORDINALITY AS ${o}(k, v, i)), '{}')`;
    // JSONObject refuses anything but an object; graphql-js reports that.
    return `CASE WHEN ${value} IS NULL THEN 'null' WHEN jsonb_typeof(${value}) = 'object' THEN ${members} ELSE ${UNANSWERED} END`;
  };

/** The history of a record, its own row's changes and those of the rows that belong to it, newest first (revisionsOf). */
const revisions: FieldRule = (p, call, row) => {
  const id = p.column(needRow(row, call), 'id');
  const request = pageRequest(call.args as PageArgs, isRevisionPosition);
  for (const position of [request.after, request.before]) {
    if (position && BigInt(position[0] as string) > MAX_REVISION) throw new NotPlanned('revision cursor out of range');
  }
  const target = p.rowOf('Revision');
  const x = target.alias;
  return connectionOf(p, call, {
    target,
    from: `revision ${x}`,
    where: [`(${x}.record_id = ${id} OR ${x}.row_id = ${id})`],
    keys: [`${x}.id`],
    direction: 'DESC',
    request,
    position: [`${x}.id::text`],
  });
};

/** The change feed: the revisions of ended transactions, in commit order (changesPage). */
const changes: FieldRule = (p, call) => {
  const request = pageRequest(call.args as PageArgs, isChangePosition);
  const target = p.rowOf('Change');
  const x = target.alias;
  return connectionOf(p, call, {
    target,
    from: `revision ${x}`,
    where: [`${x}.txid < ${ENDED_BEFORE}`],
    keys: changeKeys(x),
    direction: 'ASC',
    request,
    position: [`${p.column(target, 'txid')}::text`, `${x}.id::text`],
  });
};

/** A field of a change computed from its revision row (the columns it reads are named, so a page's subquery carries them). */
const fromRevision =
  (columns: string[], expression: (r: string, p: Planner) => string, nullable: boolean): FieldRule =>
  (p, call, row) => {
    const r = needRow(row, call);
    for (const property of columns) p.column(r, property);
    return json(expression(r.alias, p), nullable);
  };

const RECORD_COLUMNS = ['tableName', 'recordId', 'before', 'after'];

const Change: TypeRules = {
  table: 'revision',
  fields: {
    id: (p, call, row) => json(`${p.column(needRow(row, call), 'id')}::text`, false),
    at: timestamp('at'),
    recordType: fromRevision(RECORD_COLUMNS, (r) => recordTypeSql(r), false),
    recordId: fromRevision(RECORD_COLUMNS, (r) => base64url(`${recordTypeSql(r)} || ':v1:' || ${r}.record_id::text`), false),
    recordKey: fromRevision(RECORD_COLUMNS, (r) => recordKeySql(r), true),
    recordDeleted: fromRevision(RECORD_COLUMNS, (r) => `NOT ${recordStandsSql(r)}`, false),
    table: column('tableName'),
    action: column('action'),
    fields: fromRevision(['action', 'before', 'after'], (r, p) => changedFieldsSql(r, p.tables), false),
  },
};

const Revision: TypeRules = {
  table: 'revision',
  fields: {
    // A bigint, written as a string.
    id: (p, call, row) => json(`${p.column(needRow(row, call), 'id')}::text`, false),
    at: timestamp('at'),
    actor: column('actor'),
    via: column('via'),
    action: column('action'),
    table: column('tableName'),
    before: rowJson('before'),
    after: rowJson('after'),
  },
};

/** Revisions, and the records' histories. */
export const HISTORY_RULES: Readonly<Record<string, TypeRules>> = {
  Query: { fields: { changes } },
  Change,
  Revision,
  Statement: { fields: { revisions } },
  Signature: { fields: { revisions } },
  Signatory: { fields: { revisions } },
  Source: { fields: { revisions } },
  Person: { fields: { revisions } },
};
