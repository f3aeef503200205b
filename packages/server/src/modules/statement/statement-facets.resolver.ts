import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../kit/context';
import { StatementFilter } from './statement.input';
import { Facet, SessionFacet, StatementFacets } from './statement-facets.type';
import { MAX_FACET_VALUES, StatementFacetService } from './statement-facets.service';

const facets = new StatementFacetService();

const FIRST = {
  nullable: true,
  defaultValue: MAX_FACET_VALUES,
  description: `The most frequent n values, at most ${MAX_FACET_VALUES} (the default).`,
} as const;

@Resolver(() => StatementFacets)
export class StatementFacetsResolver {
  @Query(() => StatementFacets, {
    description: 'Which topics, forums and sessions the statements matching the filter have, each with how many statements: what statements(filter:) can be narrowed by.',
  })
  statementFacets(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => StatementFilter, { nullable: true, description: 'Conditions the counted statements meet, as in statements(filter:).' }) filter?: StatementFilter,
  ): Promise<StatementFacets> {
    return facets.facets(ctx, filter);
  }

  @FieldResolver(() => [Facet], { description: 'The topics, most statements first.' })
  topics(@Ctx() ctx: RequestContext, @Root() root: StatementFacets, @Arg('first', () => Int, FIRST) first?: number | null): Promise<Facet[]> {
    return facets.topics(ctx, root, first);
  }

  @FieldResolver(() => [Facet], { description: 'The forums, most statements first.' })
  forums(@Ctx() ctx: RequestContext, @Root() root: StatementFacets, @Arg('first', () => Int, FIRST) first?: number | null): Promise<Facet[]> {
    return facets.forums(ctx, root, first);
  }

  @FieldResolver(() => [SessionFacet], { description: 'The sessions, each within its forum, most statements first.' })
  sessions(@Ctx() ctx: RequestContext, @Root() root: StatementFacets, @Arg('first', () => Int, FIRST) first?: number | null): Promise<SessionFacet[]> {
    return facets.sessions(ctx, root, first);
  }
}
