import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../common/context';
import { Signatory } from './signatory.type';
import { SignatoryService } from './signatory.service';

const signatories = new SignatoryService();

@Resolver(() => Signatory)
export class SignatoryResolver {
  @Query(() => Signatory, {
    nullable: true,
    description: 'A signatory by ISO alpha-2/alpha-3 code, key or any known name ("Türkiye", "the Sudan", "DPRK").',
  })
  signatory(@Ctx() ctx: RequestContext, @Arg('ref', () => String) ref: string): Promise<Signatory | null> {
    return signatories.findByRef(ctx, ref);
  }
}
