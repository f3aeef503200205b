import { SqlParams } from '../common/pagination';
import { MAX_REF_LENGTH } from '../import/importer/name-resolver';
import { refMatchesSql, refMatchesValues } from '../modules/signatory/signatory.loaders';
import { ComparisonService } from '../modules/statement/comparison.service';
import { FACETS, facetLimit, facetSql, type FacetQuery } from '../modules/statement/statement-facets.service';
import type { StatementFilter } from '../modules/statement/statement.input';
import { StatementService, statementRef } from '../modules/statement/statement.service';
import { listOf, live } from './builders';
import { json, objectJson, UNANSWERED } from './json-sql';
import { NotPlanned, typenameJson, type FieldCall, type FieldRule, type Planner, type Row, type TypeRules } from './planner';

/**
 * The signatory lookup by reference, and the answers built over several statements: a comparison
 * of two, an alignment of many, the facets of a filter. `signatory(ref:)` resolves its reference in
 * the statement itself (the loaders' SQL); the references of the others (signatories, statements)
 * are resolved while planning by the services' own code, so that an unknown or ambiguous one is
 * refused there and reported by graphql-js; the SQL then reads the records by id.
 */

const comparisons = new ComparisonService();
const statements = new StatementService();

/** A member of a wrapper object: its field's SQL, from what planning found out. */
type Member = (field: FieldCall) => string | Promise<string>;

/**
 * An object of a type without a table (a comparison, an alignment and its rows, facets) for a
 * field's selection: each selected field by its member, `__typename` as a literal.
 */
async function wrapper(p: Planner, call: FieldCall, members: Record<string, Member>): Promise<string> {
  const type = p.objectType(call);
  const values: { key: string; value: string }[] = [];
  for (const field of p.fields(type, call.nodes)) {
    if (field.name === '__typename') {
      values.push({ key: field.key, value: typenameJson(type) });
      continue;
    }
    const member = members[field.name];
    if (!member) throw new NotPlanned(`${type.name}.${field.name} has no rule`);
    values.push({ key: field.key, value: await member(field) });
  }
  return objectJson(values);
}

/**
 * A value's placeholder, bound when a field first reads it: PostgreSQL refuses a statement with a
 * placeholder no SQL uses (it has no type), as when a wrapper's selection is `__typename` alone.
 */
function bindOnUse(p: Planner, value: unknown): () => string {
  let placeholder: string | undefined;
  return () => (placeholder ??= p.bind(value));
}

/** The JSON text of a non-null value; a NULL, which graphql-js reports as an error, is left to it. */
const required = (expression: string) => `coalesce(to_json(${expression})::text, ${UNANSWERED})`;

/** The record of `type` whose id is `id` (SQL), deleted ones left out; `missing` when there is none. */
async function recordOf(p: Planner, call: FieldCall, type: string, id: string, missing: string): Promise<string> {
  const target = p.rowOf(type);
  const object = await p.objectOf(call, target);
  const where = [`${target.alias}.id = ${id}`, ...live(target)];
  return `coalesce((SELECT ${object} FROM "${target.table.name}" ${target.alias} WHERE ${where.join(' AND ')}), ${missing})`;
}

/**
 * A JSON array with one item per id of `ids` (a uuid[] placeholder), in its order: the object of
 * the row of `target` that the condition `on(id)` joins to it, `none` where there is no such row.
 */
async function perId(p: Planner, call: FieldCall, ids: string, target: Row, on: (id: string) => string, none: string): Promise<string> {
  const c = p.alias();
  const item = await p.objectOf(call, target);
  // 1 to MAX_ALIGNED_STATEMENTS ids: the aggregate has a row.
  return `(SELECT '[' || string_agg(CASE WHEN ${target.alias}.id IS NULL THEN ${none} ELSE ${item} END, ',' ORDER BY ${c}.ord) || ']'
    FROM unnest(${ids}::uuid[]) WITH ORDINALITY ${c}(id, ord) LEFT JOIN "${target.table.name}" ${target.alias} ON ${on(`${c}.id`)})`;
}

/** Who signed the two statements (signatures with status SIGNED), deleted signatories included, as the service reads them. */
const compareStatements: FieldRule = async (p, call) => {
  const [idA, idB] = [statementIdOf(p, call.args.a as string, 'a'), statementIdOf(p, call.args.b as string, 'b')];
  const signers = (id: string) => `SELECT g.signatory_id FROM signature g WHERE g.statement_id = ${id} AND g.status = 'SIGNED'`;
  /** The signatories that did (or did not) sign each, by name. */
  const list =
    (onA: boolean, onB: boolean): Member =>
    (field) => {
      const target = p.rowOf('Signatory');
      const x = target.alias;
      const where = [`${x}.id ${onA ? 'IN' : 'NOT IN'} (${signers(idA)})`, `${x}.id ${onB ? 'IN' : 'NOT IN'} (${signers(idB)})`];
      return listOf(p, field, target, `signatory ${x}`, where, [`${x}.name`, `${x}.id`]);
    };
  const answer = await wrapper(p, call, {
    a: (field) => recordOf(p, field, 'Statement', idA, UNANSWERED),
    b: (field) => recordOf(p, field, 'Statement', idB, UNANSWERED),
    both: list(true, true),
    onlyA: list(true, false),
    onlyB: list(false, true),
  });
  // An unknown or deleted statement is the service's NOT_FOUND (or BAD_USER_INPUT), which graphql-js reports.
  const known = (id: string) => `EXISTS (SELECT 1 FROM statement e WHERE e.id = ${id} AND e.deleted_at IS NULL)`;
  return `CASE WHEN ${known(idA)} AND ${known(idB)} THEN ${answer} ELSE ${UNANSWERED} END`;
};

/**
 * The id of the live statement a reference names, as SQL (NULL when none): the statement of that
 * key, else that global id (statementRef's rule); a reference that can be neither is refused here.
 */
function statementIdOf(p: Planner, ref: string, argument: string): string {
  const { key, id } = statementRef(ref, argument);
  const byKey = key === null ? null : `(SELECT k.id FROM statement k WHERE k.key = ${p.bind(key)} AND k.deleted_at IS NULL)`;
  const byId = id === null ? null : `${p.bind(id)}::uuid`;
  return byKey && byId ? `coalesce(${byKey}, ${byId})` : (byKey ?? byId)!;
}

/**
 * Per signatory listed on any of the statements (deleted signatories left out): its signature on
 * each, in the order asked (a statement asked twice is two columns), most signed first, then by name.
 */
const signatoryAlignment: FieldRule = async (p, call) => {
  const columns = await comparisons.columns(p.ctx, call.args.statements as string[]);
  const ids = bindOnUse(p, columns.map((c) => c.dbId));
  const rows: Member = async (field) => {
    // The signatory's row, with how many of the columns it stands on as SIGNED.
    const x = p.alias();
    const signatory: Row = { alias: x, table: p.table('signatory') };
    const object = await wrapper(p, field, {
      signatory: (inner) => p.objectOf(inner, signatory),
      signatures: (inner) => {
        const target = p.rowOf('Signature');
        return perId(p, inner, ids(), target, (id) => `${target.alias}.statement_id = ${id} AND ${target.alias}.signatory_id = ${x}.id`, `'null'`);
      },
      signedCount: () => `${x}.signed_count::text`,
    });
    const signed = `SELECT count(*)::int FROM unnest(${ids()}::uuid[]) ${x}c(id) JOIN signature ${x}g ON ${x}g.statement_id = ${x}c.id AND ${x}g.signatory_id = ${x}s.id AND ${x}g.status = 'SIGNED'`;
    const listed = `SELECT ${x}s.*, (${signed}) AS signed_count FROM signatory ${x}s
      WHERE ${x}s.deleted_at IS NULL AND ${x}s.id IN (SELECT ${x}l.signatory_id FROM signature ${x}l WHERE ${x}l.statement_id = ANY(${ids()}::uuid[]))`;
    return `coalesce((SELECT '[' || string_agg(${object}, ',' ORDER BY ${x}.signed_count DESC, ${x}.name, ${x}.id) || ']' FROM (${listed}) ${x}), '[]')`;
  };
  return wrapper(p, call, {
    statements: (field) => {
      const target = p.rowOf('Statement');
      return perId(p, field, ids(), target, (id) => `${target.alias}.id = ${id} AND ${target.alias}.deleted_at IS NULL`, UNANSWERED);
    },
    rows,
  });
};

/** The topics, forums and sessions of the statements matching the filter, each list by the service's own SQL. */
const statementFacets: FieldRule = async (p, call) => {
  // The filter is checked whatever is selected; its values are bound only when a list reads them (see bindOnUse).
  const counted = p.fields(p.objectType(call), call.nodes).some((field) => field.name !== '__typename' && facetLimit(field.args.first as number | null | undefined) > 0);
  const { where } = await statements.conditions(p.ctx, call.args.filter as StatementFilter | null | undefined, counted ? p.params : new SqlParams());
  const list =
    (facet: FacetQuery): Member =>
    async (field) => {
      const limit = facetLimit(field.args.first as number | null | undefined);
      if (limit === 0) return `'[]'`;
      const f = p.alias();
      const object = await wrapper(p, field, {
        value: () => required(`${f}."value"`),
        forum: () => json(`${f}."forum"`),
        session: () => required(`${f}."session"`),
        count: () => `${f}."count"::text`,
      });
      const order = facet.order.replace(/"(\w+)"/g, `${f}."$1"`);
      return `coalesce((SELECT '[' || string_agg(${object}, ',' ORDER BY ${order}) || ']' FROM (${facetSql(facet, where.join(' AND '), limit)}) ${f}), '[]')`;
    };
  return wrapper(p, call, { topics: list(FACETS.topics), forums: list(FACETS.forums), sessions: list(FACETS.sessions) });
};

/** The lookup of a signatory by reference, the comparisons of statements, and the facets. */
export const COMPARE_RULES: Readonly<Record<string, TypeRules>> = {
  Query: {
    fields: {
      signatory: async (p, call) => {
        // NameResolver's rule in SQL (the loaders' own): one match is the answer, none null, several
        // an AMBIGUOUS_REFERENCE that graphql-js reports (UNANSWERED sends the operation there).
        const ref = (call.args.ref as string).trim();
        if (ref.length > MAX_REF_LENGTH) return `'null'`;
        const [refs, normalized, articleFree] = refMatchesValues([ref]).map((values) => p.bind(values));
        const m = p.alias();
        // One pass over the matches: several is UNANSWERED, none null (no row has the id NULL).
        const record = await recordOf(p, call, 'Signatory', `(array_agg(${m}.id))[1]`, `'null'`);
        return `(SELECT CASE WHEN count(*) > 1 THEN ${UNANSWERED} ELSE ${record} END FROM (${refMatchesSql(refs!, normalized!, articleFree!)}) ${m})`;
      },
      compareStatements,
      signatoryAlignment,
      statementFacets,
    },
  },
};
