import type { ConnectionShape } from '../../common/connection';
import { toGlobalId, type NodeType } from '../../common/global-id';
import { pageInfo, pageRequest, toPage, type PageArgs } from '../../common/pagination';
import { countRows, keysetRows, type ListSql } from '../../data/entity-rows';
import { describeTables } from '../../data/tables';
import type { RequestContext } from '../kit/context';
import { Change, ChangeConnection } from './change.type';
import { changedFieldsSql, changeKeys, ENDED_BEFORE, isChangePosition, recordKeySql, recordStandsSql, recordTypeSql } from './change-sql';

interface ChangeRow {
  id: string;
  txid: string;
  at: Date;
  record_type: NodeType;
  record_id: string;
  record_key: string | null;
  stands: boolean;
  table_name: string;
  action: string;
  fields: string[];
}

/** The committed changes: the revisions of the transactions that have all ended, in commit order. */
const FEED: ListSql = { from: 'revision r', where: [`r.txid < ${ENDED_BEFORE}`], values: [] };

/** A page of the change feed (changes after `after`, oldest first). */
export async function changesPage(ctx: RequestContext, args: PageArgs): Promise<ConnectionShape<Change>> {
  const request = pageRequest(args, isChangePosition);
  const tables = describeTables(ctx.em.connection);
  const select = [
    'r.id::text AS id',
    'r.txid::text AS txid',
    'r.at',
    `${recordTypeSql('r')} AS record_type`,
    'r.record_id',
    `${recordKeySql('r')} AS record_key`,
    `${recordStandsSql('r')} AS stands`,
    'r.table_name',
    'r.action',
    `${changedFieldsSql('r', tables)} AS fields`,
  ].join(', ');
  const rows = await keysetRows<ChangeRow>(ctx.em, FEED, select, changeKeys('r'), 'ASC', request);
  const page = toPage(rows, request, (row) => [row.txid, row.id]);
  return new ChangeConnection(
    page.connect((row) =>
      Object.assign(new Change(), {
        id: row.id,
        at: row.at,
        recordType: row.record_type,
        recordId: toGlobalId(row.record_type, row.record_id),
        recordKey: row.record_key,
        recordDeleted: !row.stands,
        table: row.table_name,
        action: row.action,
        fields: row.fields,
      }),
    ),
    pageInfo(page),
    () => countRows(ctx.em, FEED),
  );
}
