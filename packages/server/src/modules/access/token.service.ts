import { createHash, randomBytes } from 'node:crypto';
import { IsNull, type EntityManager } from 'typeorm';
import { ApiTokenEntity, ROLES, type Role } from './api-token.entity';

/** Who is writing: the token's name (recorded in the history) and its role. */
export interface Actor {
  name: string;
  role: Role;
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

/** The actor behind an `Authorization: Bearer …` header; null for a missing, unknown or revoked token. */
/** How stale a token's last_used_at may be before a use records it again. */
const LAST_USED_PRECISION_SECONDS = 60;

export async function authenticate(em: EntityManager, authorization: string | undefined): Promise<Actor | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  const rows: { id: string; name: string; role: Role; stale: boolean }[] = await em.query(
    `SELECT id, name, role, (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2)) AS stale
     FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hashToken(match[1]!), LAST_USED_PRECISION_SECONDS],
  );
  const row = rows[0];
  if (!row) return null;
  // Recorded to the minute: a write (and its commit) per authenticated request would double the cost
  // of every mutation, and empty the response cache each time.
  if (row.stale) await em.query(`UPDATE api_token SET last_used_at = now() WHERE id = $1`, [row.id]);
  return { name: row.name, role: row.role };
}
