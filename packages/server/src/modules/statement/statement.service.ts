import type { RequestContext } from '../../common/context';
import { badInput } from '../../common/errors';
import { fromGlobalId } from '../../common/global-id';
import { pageInfo, pageRequest, positions, toPage, type ForwardPageArgs } from '../../common/pagination';
import { StatementEntity } from './statement.entity';
import { SignatureConnection, StatementConnection, toSignature, toStatement, type Statement } from './statement.type';

/** Reads statements and their signatures. Takes the request context first; reaches the database only through it. */
export class StatementService {
  /** Newest first; keyset-paginated on (date, id), so pages stay stable while rows are added. */
  async list(ctx: RequestContext, args: ForwardPageArgs): Promise<StatementConnection> {
    const request = pageRequest(args, positions.dateAndId);
    const qb = ctx.em.getRepository(StatementEntity).createQueryBuilder('s');
    if (request.after) {
      const [date, id] = request.after as [string, string];
      qb.where('(s.date, s.id) < (:date, :id)', { date, id });
    }
    const rows = await qb.orderBy('s.date', 'DESC').addOrderBy('s.id', 'DESC').limit(request.limit + 1).getMany();
    const page = toPage(rows, request, (r) => [r.date, r.id]);
    return new StatementConnection(
      page.items.map((row, i) => ({ cursor: page.cursors[i]!, node: toStatement(row) })),
      pageInfo(page),
      () => ctx.em.getRepository(StatementEntity).count(),
    );
  }

  /** By global id or by bundle key; exactly one of them. */
  async find(ctx: RequestContext, id: string | null | undefined, key: string | null | undefined): Promise<Statement | null> {
    if ((id == null) === (key == null)) throw badInput('give exactly one of id and key');
    const where = id != null ? { id: fromGlobalId(id, 'Statement').id } : { key: key! };
    const row = await ctx.em.getRepository(StatementEntity).findOneBy(where);
    return row && toStatement(row);
  }

  async signatures(ctx: RequestContext, statement: Statement, args: ForwardPageArgs): Promise<SignatureConnection> {
    const request = pageRequest(args, positions.orderAndId);
    const rows = await ctx.loaders.signaturesByStatementId(request).load(statement.dbId);
    const page = toPage(rows, request, (r) => [r.position, r.id]);
    return new SignatureConnection(
      page.items.map((row, i) => ({ cursor: page.cursors[i]!, node: toSignature(row) })),
      pageInfo(page),
      () => ctx.loaders.signatureCountByStatementId.load(statement.dbId),
    );
  }
}
