import type { EntityManager } from 'typeorm';

/** Who and how, for the revision triggers, for the rest of the current transaction. */
export async function setWriter(em: EntityManager, actor: string, via: string): Promise<void> {
  await em.query(`SELECT set_config('jointly.actor', $1, true), set_config('jointly.via', $2, true)`, [actor, via]);
}
