import { IncludeDeletedArg, includingDeleted } from '../kit/include-deleted';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../kit/context';
import { PageArgs } from '../../common/pagination';
import { CountClaim, Evidence, toEvidence } from '../evidence/evidence.type';
import { Person, toPerson } from '../person/person.type';
import { Signatory, toLoadedSignatory } from '../signatory/signatory.type';
import { ComparisonService } from './comparison.service';
import { SignatoryAlignment, StatementComparison } from './comparison.type';
import { StatementFilter, StatementOrderBy } from './statement.input';
import { StatementService } from './statement.service';
import { Signature, SignatureConnection, Statement, StatementConnection, toLoadedStatement, toStatement } from './statement.type';

const statements = new StatementService();
const comparisons = new ComparisonService();

@Resolver(() => Statement)
export class StatementResolver {
  @Query(() => StatementConnection, { description: 'Statements, filtered and ordered (newest first by default).' })
  statements(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('filter', () => StatementFilter, { nullable: true, description: 'Conditions the statements meet.' }) filter?: StatementFilter,
    @Arg('orderBy', () => StatementOrderBy, { defaultValue: StatementOrderBy.DATE_DESC, description: 'The order of the list.' }) orderBy: StatementOrderBy = StatementOrderBy.DATE_DESC,
  ): Promise<ConnectionShape<Statement>> {
    return statements.list(ctx, args, filter, orderBy);
  }

  @Query(() => Statement, { nullable: true, description: 'One statement, by global id or by bundle key; null when none has it.' })
  async statement(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'Its global id (or give key).' }) id?: string,
    @Arg('key', () => String, { nullable: true, description: 'Its bundle key (or give id).' }) key?: string,
    @IncludeDeletedArg() includeDeleted?: boolean,
  ): Promise<Statement | null> {
    await includingDeleted(ctx, includeDeleted);
    return statements.find(ctx, id, key);
  }

  @Query(() => StatementComparison, { description: 'Who signed both statements, only the first, only the second (each an id or a key).' })
  compareStatements(
    @Ctx() ctx: RequestContext,
    @Arg('a', () => ID, { description: 'The first statement: id or key (typically the earlier one).' }) a: string,
    @Arg('b', () => ID, { description: 'The second statement: id or key.' }) b: string,
  ): Promise<StatementComparison> {
    return comparisons.compare(ctx, a, b);
  }

  @Query(() => SignatoryAlignment, { description: 'Per signatory, which of the given statements (ids or keys, at most 50) it signed.' })
  signatoryAlignment(@Ctx() ctx: RequestContext, @Arg('statements', () => [ID], { description: 'The statements to align: ids or keys, at most 50.' }) refs: string[]): Promise<SignatoryAlignment> {
    return comparisons.align(ctx, refs);
  }

  @FieldResolver(() => SignatureConnection, { description: 'Who signed it, in the order of the published list.' })
  signatures(@Ctx() ctx: RequestContext, @Root() statement: Statement, @Args(() => PageArgs) args: PageArgs): Promise<ConnectionShape<Signature>> {
    return statements.signatures(ctx, statement, args);
  }

  @FieldResolver(() => Statement, { nullable: true, description: 'The statement this one replies to or counters.' })
  async respondsTo(@Ctx() ctx: RequestContext, @Root() statement: Statement): Promise<Statement | null> {
    if (!statement.respondsToId) return null;
    const row = await ctx.loaders.statementById.load(statement.respondsToId);
    return row && toStatement(row);
  }

  @FieldResolver(() => [Statement], { description: 'Replies and counter-statements to this one, oldest first.' })
  async responses(@Ctx() ctx: RequestContext, @Root() statement: Statement): Promise<Statement[]> {
    return (await ctx.loaders.responsesByStatementId.load(statement.dbId)).map(toStatement);
  }

  @FieldResolver(() => Signatory, { nullable: true, description: 'The state or group it was read for, first.' })
  async leadSignatory(@Ctx() ctx: RequestContext, @Root() statement: Statement): Promise<Signatory | null> {
    if (!statement.leadSignatoryId) return null;
    const row = await ctx.loaders.signatoryById.load(statement.leadSignatoryId);
    return row && toLoadedSignatory(row);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Who read it.' })
  async deliveredBy(@Ctx() ctx: RequestContext, @Root() statement: Statement): Promise<Person | null> {
    if (!statement.deliveredById) return null;
    const row = await ctx.loaders.personById.load(statement.deliveredById);
    return row && toPerson(row);
  }

  @FieldResolver(() => [Evidence], { description: 'The sources that report it, with the passages that say so.' })
  async evidence(@Ctx() ctx: RequestContext, @Root() statement: Statement): Promise<Evidence[]> {
    return (await ctx.loaders.evidenceByStatementId.load(statement.dbId)).map(toEvidence);
  }

  @FieldResolver(() => [CountClaim], { description: 'Counts of signatories reported by sources, which may disagree with the list.' })
  async countClaims(@Ctx() ctx: RequestContext, @Root() statement: Statement): Promise<CountClaim[]> {
    const rows = await ctx.loaders.countClaimsByStatementId.load(statement.dbId);
    return rows.map((r) => Object.assign(new CountClaim(), { sourceId: r.sourceId, count: r.count, quote: r.quote }));
  }
}

@Resolver(() => Signature)
export class SignatureResolver {
  @FieldResolver(() => Signatory, { description: 'The signatory, resolved from the name as written.' })
  async signatory(@Ctx() ctx: RequestContext, @Root() signature: Signature): Promise<Signatory> {
    return toLoadedSignatory((await ctx.loaders.signatoryById.load(signature.signatoryId))!);
  }

  @FieldResolver(() => Statement, { description: 'The statement signed.' })
  async statement(@Ctx() ctx: RequestContext, @Root() signature: Signature): Promise<Statement> {
    return toLoadedStatement((await ctx.loaders.statementById.load(signature.statementId))!);
  }

  @FieldResolver(() => [Evidence], { description: 'The sources that say this signatory signed (or withdrew).' })
  async evidence(@Ctx() ctx: RequestContext, @Root() signature: Signature): Promise<Evidence[]> {
    return (await ctx.loaders.evidenceBySignatureId.load(signature.dbId)).map(toEvidence);
  }
}
