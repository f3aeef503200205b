import { createHash, randomBytes } from 'node:crypto';
import { IsNull, type EntityManager } from 'typeorm';
import { ApiTokenEntity, ROLES, type Role } from './api-token.entity';

/** Who is writing: the token's name (recorded in the history) and its role. */
export interface Actor {
  name: string;
  role: Role;
  /** Whether this authentication recorded the token's use (a write rolled back loses it: recordUse). */
  recorded?: boolean;
}

export class TokenError extends Error {
  override readonly name = 'TokenError';
}

const PREFIX = 'jly_';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a token; the plain token is returned once and only its SHA-256 is stored. */
export async function createToken(em: EntityManager, name: string, role: string): Promise<{ token: string; entity: ApiTokenEntity }> {
  if (!/^[\w.@-]{1,120}$/.test(name)) throw new TokenError(`a token name is 1 to 120 letters, digits, . _ - or @; got "${name}"`);
  if (!ROLES.includes(role as Role)) throw new TokenError(`role must be ${ROLES.join(' or ')}; got "${role}"`);
  const repo = em.getRepository(ApiTokenEntity);
  if (await repo.existsBy({ name })) throw new TokenError(`a token named "${name}" exists; revoke it first or choose another name`);
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const entity = await repo.save(repo.create({ name, role: role as Role, tokenHash: hashToken(token), prefix: token.slice(0, 10) }));
  return { token, entity };
}

export async function listTokens(em: EntityManager): Promise<ApiTokenEntity[]> {
  return em.getRepository(ApiTokenEntity).find({ order: { createdAt: 'ASC' } });
}

/** Revokes a token by name; its name stays taken so the history keeps meaning one holder. */
export async function revokeToken(em: EntityManager, name: string): Promise<void> {
  const result = await em.getRepository(ApiTokenEntity).update({ name, revokedAt: IsNull() }, { revokedAt: new Date() });
  if (!result.affected) {
    const exists = await em.getRepository(ApiTokenEntity).existsBy({ name });
    throw new TokenError(exists ? `the token "${name}" is already revoked` : `no token is named "${name}"`);
  }
}

/** How stale a token's last_used_at may be before a use records it again. */
const LAST_USED_PRECISION_SECONDS = 60;

/**
 * The actor behind an `Authorization: Bearer …` header; null for a missing, unknown or revoked token.
 * One statement: the lookup; the use, recorded to the minute (a write per request would double the
 * cost of every mutation and empty the response cache each time), skipped rather than waited for
 * when a concurrent request of the same token is recording it; and, for a write (`via` given), who
 * and how for the history triggers, for the rest of the transaction.
 */
export async function authenticate(em: EntityManager, authorization: string | undefined, via?: string): Promise<Actor | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  const rows: { name: string; role: Role; recorded: boolean }[] = await em.query(
    `WITH t AS (
       SELECT id, name, role, (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2)) AS stale
       FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL),
     used AS (
       UPDATE api_token SET last_used_at = now()
       WHERE id IN (SELECT a.id FROM api_token a JOIN t ON t.id = a.id AND t.stale FOR UPDATE OF a SKIP LOCKED)
       RETURNING id)
     SELECT name, role, EXISTS (SELECT 1 FROM used) AS recorded${via === undefined ? '' : `, set_config('jointly.actor', name, true), set_config('jointly.via', $3, true)`} FROM t`,
    via === undefined ? [hashToken(match[1]!), LAST_USED_PRECISION_SECONDS] : [hashToken(match[1]!), LAST_USED_PRECISION_SECONDS, via],
  );
  const row = rows[0];
  return row ? { name: row.name, role: row.role, recorded: row.recorded } : null;
}

/** Records a token's use again after the transaction that recorded it was rolled back. */
export async function recordUse(em: EntityManager, name: string): Promise<void> {
  await em.query(`UPDATE api_token SET last_used_at = now() WHERE name = $1 AND revoked_at IS NULL`, [name]);
}
