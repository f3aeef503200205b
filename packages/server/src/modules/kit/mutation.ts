import { validate } from 'class-validator';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import { Field, ObjectType } from 'type-graphql';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { describeTables, type TableDescription } from '../../data/tables';
import { entityColumns } from '../../data/entity-rows';
import { idOfGlobalId, type NodeType } from '../../common/global-id';
import type { Role } from '../access/api-token.entity';
import type { Actor } from '../access/token.service';
import { inTransaction, type RequestContext } from './context';
import { AppError } from '../../common/errors';

/** The codes of expected mutation failures, returned in payloads (not thrown). */
export type UserErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'INVALID_REFERENCE' | 'AMBIGUOUS_NAME';

@ObjectType({ description: 'Why a mutation wrote nothing: a stable code, where in the input, and what to do.' })
export class UserError {
  @Field(() => String, { description: 'BAD_USER_INPUT, NOT_FOUND, CONFLICT, INVALID_REFERENCE or AMBIGUOUS_NAME.' })
  code!: UserErrorCode;

  @Field(() => [String], { description: 'The input field at fault, e.g. ["input", "signatures", "3", "signatory"].' })
  path!: string[];

  @Field(() => String, { description: 'What is wrong, for a person.' })
  message!: string;
}

export const userError = (code: UserErrorCode, path: string[], message: string): UserError => Object.assign(new UserError(), { code, path, message });

/** Thrown inside a write to roll it back and answer with these errors in the payload. */
export class MutationFailed extends Error {
  override readonly name = 'MutationFailed';
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => `${e.path.join('.')}: ${e.message}`).join('; '));
  }
}

const RANK: Record<Role, number> = { editor: 1, admin: 2 };

const NO_TOKEN = 'writing needs a valid token: send Authorization: Bearer <token> (see `jointly token create`)';

/** The writer, or UNAUTHENTICATED (no or bad token) / FORBIDDEN (role too low). Tokens never appear in messages. */
export async function requireRole(ctx: RequestContext, role: Role): Promise<Actor> {
  const actor = await ctx.actor();
  if (!actor) throw new AppError('UNAUTHENTICATED', NO_TOKEN);
  if (RANK[actor.role] < RANK[role]) throw new AppError('FORBIDDEN', `this needs the ${role} role; the token "${actor.name}" is ${actor.role}`);
  return actor;
}

/**
 * Refuses a mutation without a valid token before its input is even looked at: UNAUTHENTICATED,
 * HTTP 401. Every mutation needs one (the role each needs is checked when it runs). Begins the
 * request's write transaction: the token is looked up in it, the writer named for the history
 * triggers (`via`: the operation's first mutation field).
 */
export async function requireWriter(ctx: RequestContext, operation: OperationDefinitionNode): Promise<void> {
  const selections = operation.selectionSet.selections;
  const first = selections[0];
  const via = first?.kind === Kind.FIELD ? first.name.value : 'mutation';
  // A fragment may hold several fields: then each runs in a savepoint, as with several fields.
  const fields = selections.length === 1 && first?.kind === Kind.FIELD ? 1 : Math.max(2, selections.length);
  if (await ctx.writes.begin(via, fields)) return;
  throw new GraphQLError(NO_TOKEN, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } } });
}

/**
 * Runs a write in the request's transaction with who (the token's name) and how (the mutation) set
 * for the history triggers, and fresh loaders on the transaction. Every mutation's input is checked
 * here, the same way (its class-validator rules; problems are BAD_USER_INPUT payload errors at their
 * path), before `fn` runs. A MutationFailed rolls it back and becomes the payload's errors.
 */
export async function write<T>(
  ctx: RequestContext,
  role: Role,
  via: string,
  input: object | null,
  fn: (tx: RequestContext) => Promise<T>,
): Promise<{ result?: T; errors: UserError[] }> {
  const actor = await requireRole(ctx, role);
  // The writer sees what it writes, a deleted record included, in the transaction and in the payload.
  ctx.includeDeleted();
  try {
    const result = await ctx.writes.run(actor, via, async (em) => {
      if (input) await validateInput(input);
      return fn(inTransaction(ctx, em));
    });
    return { result, errors: [] };
  } catch (error) {
    if (error instanceof MutationFailed) return { errors: error.errors };
    throw error;
  }
}

/** Checks a class-validator input; problems become BAD_USER_INPUT errors at their path. */
async function validateInput(input: object, path: string[] = ['input']): Promise<void> {
  const problems = await validate(input, { forbidUnknownValues: false });
  const errors: UserError[] = [];
  const walk = (list: typeof problems, at: string[]) => {
    for (const p of list) {
      const here = [...at, p.property];
      for (const message of Object.values(p.constraints ?? {})) errors.push(userError('BAD_USER_INPUT', here, message));
      walk(p.children ?? [], here);
    }
  };
  walk(problems, path);
  if (errors.length) throw new MutationFailed(errors);
}

/** The fields of `input` among `properties` that were given (null included: a value to clear). */
export function given<I extends object, K extends keyof I & string>(input: I, properties: readonly K[]): { [P in K]?: I[P] } {
  const set: { [P in K]?: I[P] } = {};
  for (const property of properties) if (input[property] !== undefined) set[property] = input[property];
  return set;
}

/** Which record a write names: its id, or what an argument says (a bundle key or a global id). */
export type RecordRef = { id: string } | { ref: string; type: NodeType };

/**
 * The one rule for finding a record by what an argument says, as SQL over `alias`: the record whose
 * key it is, else the one whose global id it is (of `type`). `values` are appended to `params`.
 */
export function recordRefSql(table: TableDescription, alias: string, record: RecordRef, params: unknown[]): string {
  if ('id' in record) {
    params.push(record.id);
    return `${alias}.id = $${params.length}::uuid`;
  }
  params.push(idOfGlobalId(record.ref, record.type));
  const byId = `$${params.length}::uuid`;
  if (!table.naturalKey) return `${alias}.id = ${byId}`;
  params.push(record.ref);
  return `${alias}.id = coalesce((SELECT k.id FROM "${table.name}" k WHERE k."${table.naturalKey}" = $${params.length}), ${byId})`;
}

/**
 * `UPDATE … SET … WHERE <the record> AND version = $expected RETURNING` the row, shaped as the entity
 * (TypeORM's save() does not check versions, and a re-read would be one more round trip). `set` is by
 * the entity's properties; the columns come from the table description. The version steps by trigger
 * (migration WriteConcurrency), as for every write. One statement, so that of writers racing at one
 * version exactly one succeeds. No row: NOT_FOUND, or CONFLICT naming the current version. `restore`
 * writes a deleted record only (one that is not is a CONFLICT); otherwise only a live one.
 */
export async function updateVersioned<E extends ObjectLiteral & { id: string }>(
  em: EntityManager,
  entity: EntityTarget<E>,
  record: RecordRef,
  expectedVersion: number,
  set: { [P in keyof E]?: E[P] | null },
  options: { path?: string[]; restore?: boolean } = {},
): Promise<E> {
  const table = describeTables(em.connection).of(entity);
  const path = options.path ?? ['input'];
  const softDeleted = table.softDelete !== null;
  const live = !softDeleted ? '' : options.restore ? `AND t."${table.softDelete}" IS NOT NULL` : `AND t."${table.softDelete}" IS NULL`;
  const what = table.name;
  // The update and the look at the row are two statements: between them a concurrent writer can
  // commit the very version this request expected (it asked for v + 1 while the row was at v). Then
  // the update is tried again, conditional as before; a record that keeps moving is a CONFLICT.
  let row: { version: number; deleted: boolean } | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const params: unknown[] = [expectedVersion];
    const assignments = Object.entries(set).map(([property, value]) => {
      params.push(value);
      return `"${table.column(property).name}" = $${params.length}`;
    });
    const which = recordRefSql(table, 't', record, params);
    const rows: E[] = await em.query(
      `WITH changed AS (
         UPDATE "${table.name}" t SET ${[...assignments, '"updated_at" = now()'].join(', ')}
         WHERE ${which} AND t.version = $1 ${live} RETURNING ${entityColumns(em, entity, 't')})
       SELECT * FROM changed`,
      params,
    );
    if (rows[0]) return rows[0];
    const lookup: unknown[] = [];
    const current: { version: number; deleted: boolean }[] = await em.query(
      `SELECT t.version, ${softDeleted ? `t."${table.softDelete}" IS NOT NULL` : 'false'} AS deleted FROM "${table.name}" t WHERE ${recordRefSql(table, 't', record, lookup)}`,
      lookup,
    );
    row = current[0];
    const named = 'ref' in record ? ` the ${table.naturalKey ? 'id or key' : 'id'} "${record.ref}"` : ' this id';
    const missing = () => new MutationFailed([userError('NOT_FOUND', [...path, 'id'], `no ${what} has${named}`)]);
    if (!row) throw missing();
    // The wrong state whatever the version: a restore of a live record, or a change to a deleted one.
    if (softDeleted && options.restore && !row.deleted) throw new MutationFailed([userError('CONFLICT', [...path, 'id'], `the ${what} is not deleted`)]);
    if (softDeleted && !options.restore && row.deleted) throw missing();
    if (row.version !== expectedVersion) break;
  }
  throw new MutationFailed([
    userError(
      'CONFLICT',
      [...path, 'expectedVersion'],
      `the ${what} is at version ${row!.version}, not ${expectedVersion}: someone changed it since you read it; read it again and reapply your change`,
    ),
  ]);
}
