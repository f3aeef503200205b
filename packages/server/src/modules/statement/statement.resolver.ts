import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context';
import { ForwardPageArgs } from '../../common/pagination';
import { Signatory, toSignatory } from '../signatory/signatory.type';
import { Signature, SignatureConnection, Statement, StatementConnection } from './statement.type';
import { StatementService } from './statement.service';

const statements = new StatementService();

@Resolver(() => Statement)
export class StatementResolver {
  @Query(() => StatementConnection, { description: 'Statements, newest first.' })
  statements(@Ctx() ctx: RequestContext, @Args(() => ForwardPageArgs) args: ForwardPageArgs): Promise<StatementConnection> {
    return statements.list(ctx, args);
  }

  @Query(() => Statement, { nullable: true, description: 'One statement, by global id or by bundle key.' })
  statement(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true }) id?: string,
    @Arg('key', () => String, { nullable: true }) key?: string,
  ): Promise<Statement | null> {
    return statements.find(ctx, id, key);
  }

  @FieldResolver(() => SignatureConnection, { description: 'Who signed it, in the order of the published list.' })
  signatures(
    @Ctx() ctx: RequestContext,
    @Root() statement: Statement,
    @Args(() => ForwardPageArgs) args: ForwardPageArgs,
  ): Promise<SignatureConnection> {
    return statements.signatures(ctx, statement, args);
  }
}

@Resolver(() => Signature)
export class SignatureResolver {
  @FieldResolver(() => Signatory)
  async signatory(@Ctx() ctx: RequestContext, @Root() signature: Signature): Promise<Signatory> {
    const row = await ctx.loaders.signatoryById.load(signature.signatoryId);
    return toSignatory(row!);
  }
}
