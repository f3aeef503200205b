import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { ConnectionShape } from '../../common/connection';
import { PageArgs } from '../../common/pagination';
import type { RequestContext } from '../kit/context';
import { changesPage } from './change.service';
import { Change, ChangeConnection } from './change.type';

@Resolver(() => Change)
export class ChangeResolver {
  @Query(() => ChangeConnection, {
    description:
      'Every committed change to the archive, in commit order, oldest first: page with first/after and keep the last endCursor to follow on. A change is listed once every transaction older than it has ended (usually at once), so a long transaction that commits late is never skipped. The history the triggers write, so writes made by imports or SQL are in it too.',
  })
  changes(@Ctx() ctx: RequestContext, @Args(() => PageArgs) args: PageArgs): Promise<ConnectionShape<Change>> {
    return changesPage(ctx, args);
  }
}
