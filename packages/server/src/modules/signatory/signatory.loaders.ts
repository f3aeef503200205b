import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { SqlBinder } from '../../common/pagination';
import { periodEnd, periodStart } from '../../common/partial-date-range';
import { forumCondition, topicCondition } from '../statement/statement-conditions';
import { groupsFor } from '../../common/group-by';
import { entitiesByColumn, entitiesById, entityColumns } from '../../data/entity-rows';
import { MAX_REF_LENGTH } from '../../import/importer/name-resolver';
import { articleFreeSql, normalizeName, withoutArticles } from '../../reference/normalize';
import type { SeesDeleted } from '../kit/context';
import { SignatoryAliasEntity } from './signatory-alias.entity';
import { SignatoryEntity } from './signatory.entity';
import type { SignatureHistoryFilter } from './signatory.input';

/**
 * The signatories each reference (trimmed) matches by NameResolver's rule, in one SQL statement for all
 * of them: an exact code (any case) or key, else every signatory with that normalised name; only for
 * a reference that matches nothing so, the names compared without articles. Deleted signatories are
 * left out. Each list is by name; when the exact code or key picks one signatory among several, only it.
 */
async function signatoriesByRef(em: EntityManager, refs: readonly string[]): Promise<SignatoryEntity[][]> {
  // A reference over the SignatoryRef limit matches nothing: it is not even normalised.
  const distinct = [...new Set(refs)].filter((ref) => ref.length <= MAX_REF_LENGTH);
  if (distinct.length === 0) return refs.map(() => []);
  const rows: (SignatoryEntity & { ord: number })[] = await em.query(
    `SELECT m.ord::int AS ord, ${entityColumns(em, SignatoryEntity, 's')}
     FROM (${refMatchesSql('$1', '$2', '$3')}) m JOIN signatory s ON s.id = m.id
     ORDER BY m.ord, s.name, s.id`,
    refMatchesValues(distinct),
  );
  const byRef = new Map<string, SignatoryEntity[]>();
  for (const { ord, ...row } of rows) {
    const ref = distinct[ord - 1]!;
    let list = byRef.get(ref);
    if (!list) byRef.set(ref, (list = []));
    list.push(row as SignatoryEntity);
  }
  return refs.map((ref) => byRef.get(ref) ?? []);
}

/** The three text[] values refMatchesSql's placeholders take for these (trimmed) references. */
export function refMatchesValues(refs: readonly string[]): [string[], string[], string[]] {
  const normalized = refs.map(normalizeName);
  return [[...refs], normalized, normalized.map(withoutArticles)];
}

/**
 * The SQL of the signatories each reference matches (`ord`, its 1-based place in the list, and `id`)
 * by NameResolver's rule: an exact code (any case) or key, else every signatory with that normalised
 * name, else with that name without its articles; when an exact code or key picks one signatory
 * among them, only it (the names without articles are compared only for references nothing else
 * matched). The placeholders hold refMatchesValues's three lists. The one description of
 * the rule: the loaders and the read engine (`signatory(ref:)`) both run it.
 */
export function refMatchesSql(refs: string, normalized: string, articleFree: string): string {
  return `WITH r AS (SELECT * FROM unnest(${refs}::text[], ${normalized}::text[], ${articleFree}::text[]) WITH ORDINALITY AS r(ref, normalized, article_free, ord)),
     matched AS (
       SELECT r.ord, s.id FROM r JOIN signatory s ON s.iso3 = upper(r.ref) AND s.deleted_at IS NULL
       UNION SELECT r.ord, s.id FROM r JOIN signatory s ON s.iso2 = upper(r.ref) AND s.deleted_at IS NULL
       UNION SELECT r.ord, s.id FROM r JOIN signatory s ON s.key = r.ref AND s.deleted_at IS NULL
       UNION SELECT r.ord, s.id FROM r JOIN signatory_alias a ON a.normalized = r.normalized
         JOIN signatory s ON s.id = a.signatory_id AND s.deleted_at IS NULL),
     unmatched AS MATERIALIZED (SELECT * FROM r WHERE r.article_free <> '' AND NOT EXISTS (SELECT 1 FROM matched m WHERE m.ord = r.ord)),
     loose AS (
       SELECT DISTINCT r.ord, a.signatory_id AS id
       FROM unmatched r JOIN signatory_alias a ON ${articleFreeSql('a.normalized')} = r.article_free
       JOIN signatory s ON s.id = a.signatory_id AND s.deleted_at IS NULL),
     found AS (
       SELECT m.ord, m.id, (s.iso3 = upper(r.ref) OR s.iso2 = upper(r.ref) OR s.key = r.ref) AS exact
       FROM (SELECT * FROM matched UNION ALL SELECT * FROM loose) m JOIN r ON r.ord = m.ord JOIN signatory s ON s.id = m.id)
     SELECT f.ord, f.id FROM found f
     WHERE f.exact OR (SELECT count(*) FROM found x WHERE x.ord = f.ord AND x.exact) <> 1`;
}

/** SQL conditions on statement `t` (its alias) for a history filter; values are appended to params. */
export function historyConditions(filter: SignatureHistoryFilter, params: SqlBinder, t = 't'): string[] {
  const where: string[] = [];
  if (filter.topic) where.push(topicCondition(t, params.add(filter.topic)));
  if (filter.forum) where.push(forumCondition(t, params.add(filter.forum)));
  if (filter.dateFrom) where.push(`${t}.date >= ${params.add(periodStart(filter.dateFrom))}`);
  if (filter.dateTo) where.push(`${t}.date <= ${params.add(periodEnd(filter.dateTo))}`);
  return where;
}

export function signatoryLoaders(em: EntityManager, seesDeleted: SeesDeleted) {
  /** The groups (`column` member_id) or the members (`column` group_id) of each signatory that stand, by name then id. */
  const relatives = (column: 'group_id' | 'member_id', other: 'group_id' | 'member_id') =>
    new DataLoader<string, SignatoryEntity[]>(async (ids) => {
      const rows: (SignatoryEntity & { owner: string })[] = await em.query(
        `SELECT m.${column} AS "owner", ${entityColumns(em, SignatoryEntity, 's')}
         FROM signatory_membership m JOIN signatory s ON s.id = m.${other}
         WHERE m.${column} = ANY($1::uuid[]) AND s.deleted_at IS NULL ORDER BY s.name, s.id`,
        [[...ids]],
      );
      return groupsFor(rows, (r) => r.owner, ids).map((group) => group.map(({ owner: _owner, ...signatory }) => signatory));
    });
  return {
    /**
     * The signatories a trimmed reference matches (several: ambiguous): every reference asked in one
     * tick — a filter's lists, aliases of `signatory(ref:)` — in one SQL statement, each distinct one
     * once. Not cached, so that a mutation sees the signatories it has just written.
     */
    signatoriesByRef: new DataLoader<string, SignatoryEntity[]>((refs) => signatoriesByRef(em, refs), { cache: false }),
    signatoryById: new DataLoader<string, SignatoryEntity | null>(async (ids) => entitiesById(em, SignatoryEntity, ids, [], await seesDeleted())),
    /** Every name of each signatory, by normalised name. */
    aliasesBySignatoryId: new DataLoader<string, SignatoryAliasEntity[]>((ids) => entitiesByColumn(em, SignatoryAliasEntity, 'signatoryId', ids, 'normalized')),
    membersByGroupId: relatives('group_id', 'member_id'),
    groupsByMemberId: relatives('member_id', 'group_id'),
  };
}
