import { Arg } from 'type-graphql';
import type { RequestContext } from './context';
import { requireRole } from './mutation';

/** The `includeDeleted` argument of the lookups (statement, source, person, node, nodes). */
export const IncludeDeletedArg = () =>
  Arg('includeDeleted', () => Boolean, {
    defaultValue: false,
    description:
      'Editors: find the record even when it is deleted; in this operation, lookups and relations to one record (respondsTo, a signature\'s statement, an evidence\'s source…) then read deleted records too, while lists, search and counts stay the public archive\'s. Needs a token (UNAUTHENTICATED without one).',
  });

/**
 * Asks, before the first await, that the request read deleted records (so every loader batch of the
 * operation answers the same), then checks the token: deleted records are for editors.
 */
export async function includingDeleted(ctx: RequestContext, includeDeleted: boolean | undefined): Promise<void> {
  if (!includeDeleted) return;
  ctx.includeDeleted();
  await requireRole(ctx, 'editor');
}
