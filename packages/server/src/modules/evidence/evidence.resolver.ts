import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../kit/context';
import { Source, toLoadedSource } from '../source/source.type';
import { CountClaim, Evidence } from './evidence.type';

@Resolver(() => Evidence)
export class EvidenceResolver {
  @FieldResolver(() => Source, { description: 'The source that says so.' })
  async source(@Ctx() ctx: RequestContext, @Root() evidence: Evidence): Promise<Source> {
    return toLoadedSource((await ctx.loaders.sourceById.load(evidence.sourceId))!);
  }
}

@Resolver(() => CountClaim)
export class CountClaimResolver {
  @FieldResolver(() => Source, { description: 'The source that reports the count.' })
  async source(@Ctx() ctx: RequestContext, @Root() claim: CountClaim): Promise<Source> {
    return toLoadedSource((await ctx.loaders.sourceById.load(claim.sourceId))!);
  }
}
