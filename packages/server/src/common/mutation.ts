import { validate } from 'class-validator';
import { GraphQLError } from 'graphql';
import { Field, ObjectType } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import type { Role } from '../modules/access/api-token.entity';
import type { Actor } from '../modules/access/token.service';
import { createLoaders, type RequestContext } from './context';
import { AppError } from './errors';

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
 * HTTP 401. Every mutation needs one (the role each needs is checked when it runs).
 */
export async function requireWriter(ctx: RequestContext): Promise<void> {
  if (await ctx.actor()) return;
  throw new GraphQLError(NO_TOKEN, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } } });
}

/**
 * Runs a write in one transaction with who (the token's name) and how (the mutation) set for the
 * history triggers, and fresh loaders on the transaction. A MutationFailed rolls it back and
 * becomes the payload's errors.
 */
export async function write<T>(
  ctx: RequestContext,
  role: Role,
  via: string,
  fn: (tx: RequestContext) => Promise<T>,
): Promise<{ result?: T; errors: UserError[] }> {
  const actor = await requireRole(ctx, role);
  // The writer sees what it writes, a deleted record included, in the transaction and in the payload.
  ctx.includeDeleted();
  try {
    const result = await ctx.em.transaction(async (em) => {
      await setWriter(em, actor.name, via);
      return fn({ em, loaders: createLoaders(em, () => Promise.resolve(true)), actor: ctx.actor, includeDeleted: () => undefined });
    });
    return { result, errors: [] };
  } catch (error) {
    if (error instanceof MutationFailed) return { errors: error.errors };
    throw error;
  }
}

/** Who and how, for the revision triggers, for the rest of the current transaction. */
export async function setWriter(em: EntityManager, actor: string, via: string): Promise<void> {
  await em.query(`SELECT set_config('jointly.actor', $1, true), set_config('jointly.via', $2, true)`, [actor, via]);
}

/** Checks a class-validator input; problems become BAD_USER_INPUT errors at their path. */
export async function validateInput(input: object, path: string[] = ['input']): Promise<void> {
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

/**
 * `UPDATE … SET … WHERE id = $1 AND version = $expected` (TypeORM's save() does not check versions);
 * the version steps by trigger (migration WriteConcurrency), as for every write. One statement, so
 * that of writers racing at one version exactly one succeeds. No row: NOT_FOUND, or CONFLICT naming
 * the current version. `restore` writes a deleted record only (one that is not is a CONFLICT);
 * otherwise only a live one.
 */
export async function updateVersioned(
  em: EntityManager,
  table: string,
  id: string,
  expectedVersion: number,
  set: Record<string, unknown>,
  path: string[] = ['input'],
  options: { restore?: boolean } = {},
): Promise<void> {
  const columns = Object.keys(set);
  const assignments = columns.map((c, i) => `"${c}" = $${i + 3}`);
  const softDeleted = table !== 'signature';
  const live = !softDeleted ? '' : options.restore ? 'AND deleted_at IS NOT NULL' : 'AND deleted_at IS NULL';
  // The update and the look at the row are two statements: between them a concurrent writer can
  // commit the very version this request expected (it asked for v + 1 while the row was at v). Then
  // the update is tried again, conditional as before; a record that keeps moving is a CONFLICT.
  let row: { version: number; deleted: boolean } | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const rows: { version: number }[] = await em.query(
      `WITH changed AS (
         UPDATE "${table}" SET ${[...assignments, '"updated_at" = now()'].join(', ')}
         WHERE id = $1 AND version = $2 ${live} RETURNING version)
       SELECT version FROM changed`,
      [id, expectedVersion, ...columns.map((c) => set[c])],
    );
    if (rows.length) return;
    const current: { version: number; deleted: boolean }[] = await em.query(
      `SELECT version, ${softDeleted ? 'deleted_at IS NOT NULL' : 'false'} AS deleted FROM "${table}" WHERE id = $1`,
      [id],
    );
    row = current[0];
    if (!row) throw new MutationFailed([userError('NOT_FOUND', [...path, 'id'], `no ${table} has this id`)]);
    // The wrong state whatever the version: a restore of a live record, or a change to a deleted one.
    if (softDeleted && options.restore && !row.deleted) throw new MutationFailed([userError('CONFLICT', [...path, 'id'], `the ${table} is not deleted`)]);
    if (softDeleted && !options.restore && row.deleted) throw new MutationFailed([userError('NOT_FOUND', [...path, 'id'], `no ${table} has this id`)]);
    if (row.version !== expectedVersion) break;
  }
  throw new MutationFailed([
    userError(
      'CONFLICT',
      [...path, 'expectedVersion'],
      `the ${table} is at version ${row!.version}, not ${expectedVersion}: someone changed it since you read it; read it again and reapply your change`,
    ),
  ]);
}
