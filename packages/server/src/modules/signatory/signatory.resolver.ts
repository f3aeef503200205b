import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../kit/context';
import { PageArgs } from '../../common/pagination';
import { SignatureConnection, type Signature } from '../statement/statement.type';
import { SignatoryFilter, SignatureHistoryFilter } from './signatory.input';
import { SignatoryService } from './signatory.service';
import { Signatory, SignatoryAlias, SignatoryConnection, toSignatory, toSignatoryAlias } from './signatory.type';

const signatories = new SignatoryService();

@Resolver(() => Signatory)
export class SignatoryResolver {
  @Query(() => Signatory, {
    nullable: true,
    description:
      'A signatory by ISO alpha-2/alpha-3 code, key or any known name ("Türkiye", "the Sudan", "DPRK"); null when unknown, AMBIGUOUS_REFERENCE when several match.',
  })
  signatory(@Ctx() ctx: RequestContext, @Arg('ref', () => String, { description: 'An ISO code, a key or any known name.' }) ref: string): Promise<Signatory | null> {
    return signatories.findByRef(ctx, ref);
  }

  @Query(() => SignatoryConnection, { description: 'Signatories by name, A to Z, with fuzzy name search.' })
  signatories(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('filter', () => SignatoryFilter, { nullable: true, description: 'Conditions the signatories meet.' }) filter?: SignatoryFilter,
  ): Promise<ConnectionShape<Signatory>> {
    return signatories.list(ctx, args, filter);
  }

  @FieldResolver(() => SignatureConnection, { description: 'Its signing history: every signature, newest statement first (withdrawn ones included).' })
  signatures(
    @Ctx() ctx: RequestContext,
    @Root() signatory: Signatory,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('filter', () => SignatureHistoryFilter, { nullable: true, description: 'Which statements to include.' }) filter?: SignatureHistoryFilter,
  ): Promise<ConnectionShape<Signature>> {
    return signatories.history(ctx, signatory, args, filter);
  }

  @FieldResolver(() => [SignatoryAlias], { description: 'Every name it is known by.' })
  async aliases(@Ctx() ctx: RequestContext, @Root() signatory: Signatory): Promise<SignatoryAlias[]> {
    return (await ctx.loaders.aliasesBySignatoryId.load(signatory.dbId)).map(toSignatoryAlias);
  }

  @FieldResolver(() => [Signatory], { description: 'The groups and organisations it belongs to.' })
  async memberOf(@Ctx() ctx: RequestContext, @Root() signatory: Signatory): Promise<Signatory[]> {
    return (await ctx.loaders.groupsByMemberId.load(signatory.dbId)).map(toSignatory);
  }

  @FieldResolver(() => [Signatory], { description: 'For a group or organisation: its members.' })
  async members(@Ctx() ctx: RequestContext, @Root() signatory: Signatory): Promise<Signatory[]> {
    return (await ctx.loaders.membersByGroupId.load(signatory.dbId)).map(toSignatory);
  }
}
