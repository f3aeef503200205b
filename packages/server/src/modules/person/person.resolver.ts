import { IncludeDeletedArg, includingDeleted } from '../kit/include-deleted';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../kit/context';
import { PageArgs } from '../../common/pagination';
import { Signatory } from '../signatory/signatory.type';
import { Statement, StatementConnection } from '../statement/statement.type';
import { PersonFilter } from './person.input';
import { PersonService } from './person.service';
import { Person, PersonConnection, PersonRole } from './person.type';

const people = new PersonService();

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, { nullable: true, description: 'One person, by global id or by bundle key (exactly one of them); null when there is none.' })
  async person(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'The global id.' }) id?: string | null,
    @Arg('key', () => String, { nullable: true, description: 'The bundle key, e.g. "michelle-bachelet".' }) key?: string | null,
    @IncludeDeletedArg() includeDeleted?: boolean,
  ): Promise<Person | null> {
    await includingDeleted(ctx, includeDeleted);
    return people.find(ctx, id, key);
  }

  @Query(() => PersonConnection, { description: 'People, by name.' })
  people(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) args: PageArgs,
    @Arg('filter', () => PersonFilter, { nullable: true, description: 'Only the people who match.' }) filter?: PersonFilter | null,
  ): Promise<ConnectionShape<Person>> {
    return people.list(ctx, args, filter);
  }

  @FieldResolver(() => [PersonRole], { description: 'The titles the person held, in the order the archive lists them.' })
  roles(@Ctx() ctx: RequestContext, @Root() person: Person): Promise<PersonRole[]> {
    return people.roles(ctx, person);
  }

  @FieldResolver(() => StatementConnection, { description: 'The statements the person delivered, newest first.' })
  statements(@Ctx() ctx: RequestContext, @Root() person: Person, @Args(() => PageArgs) args: PageArgs): Promise<ConnectionShape<Statement>> {
    return people.statements(ctx, person, args);
  }
}

@Resolver(() => PersonRole)
export class PersonRoleResolver {
  @FieldResolver(() => Signatory, { nullable: true, description: 'The signatory the person represented in this role, if any.' })
  signatory(@Ctx() ctx: RequestContext, @Root() role: PersonRole): Promise<Signatory | null> {
    return people.roleSignatory(ctx, role);
  }
}
