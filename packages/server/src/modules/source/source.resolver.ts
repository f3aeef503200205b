import { IncludeDeletedArg, includingDeleted } from '../kit/include-deleted';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../kit/context';
import { PageArgs } from '../../common/pagination';
import { Statement, StatementConnection } from '../statement/statement.type';
import { SourceFilter } from './source.input';
import { SourceService } from './source.service';
import { Source, SourceConnection } from './source.type';

const sources = new SourceService();

@Resolver(() => Source)
export class SourceResolver {
  @Query(() => Source, { nullable: true, description: 'One source, by global id or by bundle key (exactly one of them); null when there is none.' })
  async source(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'The global id.' }) id?: string | null,
    @Arg('key', () => String, { nullable: true, description: 'The bundle key, e.g. "hrc41-g17".' }) key?: string | null,
    @IncludeDeletedArg() includeDeleted?: boolean,
  ): Promise<Source | null> {
    await includingDeleted(ctx, includeDeleted);
    return sources.find(ctx, id, key);
  }

  @Query(() => SourceConnection, { description: 'Sources, newest first by publication date (undated ones last).' })
  sources(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('filter', () => SourceFilter, { nullable: true, description: 'Only the sources that match.' }) filter?: SourceFilter | null,
  ): Promise<ConnectionShape<Source>> {
    return sources.list(ctx, args, filter);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The full text; paragraphs are separated by blank lines.' })
  async body(@Ctx() ctx: RequestContext, @Root() source: Source): Promise<string | null> {
    return source.body !== undefined ? source.body : ctx.loaders.sourceBodyById.load(source.dbId);
  }

  @FieldResolver(() => StatementConnection, {
    description: 'The statements this source reports (for the statement, one of its signatures, or a count of its signatories), newest first.',
  })
  statements(@Ctx() ctx: RequestContext, @Root() source: Source, @Args(() => PageArgs) args: PageArgs): Promise<ConnectionShape<Statement>> {
    return sources.statements(ctx, source, args);
  }
}
