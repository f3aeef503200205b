import type { EntityManager } from 'typeorm';
import { syncChildren, upsertByKey } from './importer/bulk';
import { normalizeName } from '../reference/normalize';
import { builtInStates } from '../reference/states';

/**
 * Brings the built-in states (every UN member and observer state, with codes, names and the alias
 * table) into the database. Idempotent: when nothing changed it reads and writes nothing but compares.
 */
export async function syncBuiltInStates(em: EntityManager): Promise<{ created: number; updated: number }> {
  const states = builtInStates();
  const result = await upsertByKey(
    em,
    'signatory',
    states.map((s) => ({
      key: s.key,
      kind: 'STATE',
      name: s.name,
      official_name: s.officialName,
      iso2: s.iso2,
      iso3: s.iso3,
      m49: s.m49,
      un_status: s.unStatus,
      is_built_in: true,
    })),
  );
  const ids = states.map((s) => result.ids.get(s.key)!);
  await syncChildren(
    em,
    {
      table: 'signatory_alias',
      parent: 'signatory_id',
      scope: `"origin" NOT LIKE 'bundle:%'`,
    },
    ids,
    states.flatMap((s, i) =>
      s.aliases.map((a) => ({ signatory_id: ids[i], name: a.name, normalized: normalizeName(a.name), kind: a.kind, origin: a.origin })),
    ),
  );
  return { created: result.created, updated: result.updated };
}
