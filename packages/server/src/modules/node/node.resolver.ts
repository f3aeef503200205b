import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../kit/context';
import { IncludeDeletedArg, includingDeleted } from '../kit/include-deleted';
import { fromGlobalId } from '../../common/global-id';
import { Node } from '../../common/node.type';
import { NodeService } from './node.service';

/** The most ids `nodes` takes (the argument bounds read it). */
export const MAX_NODES = 100;
const nodes = new NodeService();

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when no object has that id.' })
  async node(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'A global id returned by any field `id`.' }) id: string,
    @IncludeDeletedArg() includeDeleted?: boolean,
  ): Promise<Node | null> {
    await includingDeleted(ctx, includeDeleted);
    return nodes.load(ctx, fromGlobalId(id));
  }

  @Query(() => [Node], { nullable: 'items', description: `Objects by global ids (at most ${MAX_NODES}), in the order asked; null for unknown ids.` })
  async nodes(
    @Ctx() ctx: RequestContext,
    @Arg('ids', () => [ID], { description: `Global ids, at most ${MAX_NODES}.` }) ids: string[],
    @IncludeDeletedArg() includeDeleted?: boolean,
  ): Promise<(Node | null)[]> {
    await includingDeleted(ctx, includeDeleted);
    const decoded = ids.map((id) => fromGlobalId(id));
    return Promise.all(decoded.map((d) => nodes.load(ctx, d)));
  }
}
