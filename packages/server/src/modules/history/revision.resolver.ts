import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import type { ConnectionShape } from '../../common/connection';
import { PageArgs } from '../../common/pagination';
import type { RequestContext } from '../kit/context';
import { Person } from '../person/person.type';
import { Signatory } from '../signatory/signatory.type';
import { Source } from '../source/source.type';
import { Signature, Statement } from '../statement/statement.type';
import { revisionsOf } from './revision.service';
import { RevisionConnection, type Revision } from './revision.type';

/** `revisions` on a record type: its history, and that of the rows that belong to it, newest first. */
function revisionsResolver(type: ClassType<{ dbId: string }>, description: string): ClassType {
  @Resolver(() => type)
  class RevisionsResolver {
    @FieldResolver(() => RevisionConnection, { description })
    revisions(@Ctx() ctx: RequestContext, @Root() record: { dbId: string }, @Args(() => PageArgs) args: PageArgs): Promise<ConnectionShape<Revision>> {
      return revisionsOf(ctx, record.dbId, args);
    }
  }
  return RevisionsResolver;
}

/** The history module's resolvers: `revisions` on every record type that has a history. */
export const HISTORY_RESOLVERS: readonly ClassType[] = [
  revisionsResolver(Statement, 'Every recorded change to it and its signatures, evidence and counts, newest first.'),
  revisionsResolver(Signature, 'Every recorded change to this signature and its evidence, newest first.'),
  revisionsResolver(Source, 'Every recorded change to it, newest first.'),
  revisionsResolver(Person, 'Every recorded change to them and their roles, newest first.'),
  revisionsResolver(Signatory, 'Every recorded change to it, its aliases and its members, newest first.'),
];
