import DataLoader from 'dataloader';
import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../kit/context';
import { pageInfo, pageRequest, toPage, type PageArgs, type PageRequest } from '../../common/pagination';
import { entityColumns } from '../../data/entity-rows';
import { RevisionEntity } from './revision.entity';
import { RevisionConnection, toRevision, type Revision } from './revision.type';

/** A revision's cursor position: its number, as a string of digits. */
export const isRevisionPosition = (p: unknown[]) => p.length === 1 && typeof p[0] === 'string' && /^\d+$/.test(p[0]);

const loaders = new WeakMap<RequestContext, Map<string, DataLoader<string, RevisionEntity[]>>>();

/** A page of every record's revisions in one SQL statement (window function), per request and page. */
function pageLoader(ctx: RequestContext, request: PageRequest): DataLoader<string, RevisionEntity[]> {
  let byPage = loaders.get(ctx);
  if (!byPage) loaders.set(ctx, (byPage = new Map()));
  const key = JSON.stringify(request);
  let loader = byPage.get(key);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const params: unknown[] = [[...ids], request.limit + 1];
      const where: string[] = [];
      if (request.after) where.push(`r.id < $${params.push(request.after[0])}::bigint`);
      if (request.before) where.push(`r.id > $${params.push(request.before[0])}::bigint`);
      const order = request.backward ? 'ASC' : 'DESC';
      const rows: (RevisionEntity & { subject: string })[] = await ctx.em.query(
        `SELECT ${entityColumns(ctx.em, RevisionEntity, 't')}, subject FROM (
           SELECT r.*, s.subject, row_number() OVER (PARTITION BY s.subject ORDER BY r.id ${order}) AS rn
           FROM unnest($1::uuid[]) AS s(subject)
           JOIN revision r ON r.record_id = s.subject OR r.row_id = s.subject
           ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ) t WHERE t.rn <= $2 ORDER BY subject, t.rn`,
        params,
      );
      return ids.map((id) => rows.filter((r) => r.subject === id));
    });
    byPage.set(key, loader);
  }
  return loader;
}

/** The history of a record (its own row and the rows that belong to it), newest first. */
export async function revisionsOf(ctx: RequestContext, recordId: string, args: PageArgs): Promise<ConnectionShape<Revision>> {
  const request = pageRequest(args, isRevisionPosition);
  const rows = await pageLoader(ctx, request).load(recordId);
  const page = toPage(rows, request, (r) => [String(r.id)]);
  return new RevisionConnection(
    page.connect((row) => toRevision(row)),
    pageInfo(page),
    async () => {
      const [{ count }] = await ctx.em.query(`SELECT count(*)::int AS count FROM revision WHERE record_id = $1 OR row_id = $1`, [recordId]);
      return count as number;
    },
  );
}
