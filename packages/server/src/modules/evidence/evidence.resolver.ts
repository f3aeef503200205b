import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context';
import { Source, toLoadedSource } from '../source/source.type';
import { CountClaim, Evidence } from './evidence.type';

@Resolver(() => Evidence)
export class EvidenceResolver {
  @FieldResolver(() => Source, { description: 'The source that says so.' })
  source(@Ctx() ctx: RequestContext, @Root() evidence: Evidence): Source | Promise<Source> {
    return ctx.loaders.sourceById.map(evidence.sourceId, (row) => toLoadedSource(row!));
  }
}

@Resolver(() => CountClaim)
export class CountClaimResolver {
  @FieldResolver(() => Source, { description: 'The source that reports the count.' })
  source(@Ctx() ctx: RequestContext, @Root() claim: CountClaim): Source | Promise<Source> {
    return ctx.loaders.sourceById.map(claim.sourceId, (row) => toLoadedSource(row!));
  }
}
