import type { GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from '../../common/context';
import { selectsOnNodes } from '../../common/selection';
import type { SignatureRow } from './statement.loaders';

/** The records a page of signatures leads to that the client asked for. */
export interface SignatureRelations {
  signatory: boolean;
  statement: boolean;
}

/** What a signature connection's selection will read of each signature's relations. */
export function selectedSignatureRelations(info: GraphQLResolveInfo): SignatureRelations {
  return { signatory: selectsOnNodes(info, 'signatory'), statement: selectsOnNodes(info, 'statement') };
}

/**
 * Loads the signatories and statements of a page's signatures before the page resolves, through the
 * request's loaders: every page resolved at the same time joins one batch, the same SQL statement
 * Signature.signatory / .statement would have issued, and those field resolvers then answer without
 * a promise per row (PeekableLoader).
 */
export async function preloadSignatureRelations(ctx: RequestContext, rows: readonly SignatureRow[], relations: SignatureRelations): Promise<void> {
  if (rows.length === 0) return;
  await Promise.all([
    relations.signatory ? ctx.loaders.signatoryById.ensure(keysOf(rows, (r) => r.signatoryId)) : undefined,
    relations.statement ? ctx.loaders.statementById.ensure(keysOf(rows, (r) => r.statementId)) : undefined,
  ]);
}

function* keysOf<T>(rows: readonly T[], key: (row: T) => string): Iterable<string> {
  for (const row of rows) yield key(row);
}
