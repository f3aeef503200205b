import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../kit/context';
import { SearchArgs } from './search.args';
import { SearchService } from './search.service';
import { SearchHitConnection, type SearchHit } from './search.type';

const search = new SearchService();

@Resolver()
export class SearchResolver {
  @Query(() => SearchHitConnection, {
    description:
      'One ranked full-text search over statements, sources, people and signatories, best match first. Accent-insensitive; words match their other forms (access, accessed).',
  })
  search(@Ctx() ctx: RequestContext, @Args(() => SearchArgs) args: SearchArgs): Promise<ConnectionShape<SearchHit>> {
    return search.search(ctx, args);
  }
}
