import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { ConnectionType } from '../../common/connection';

@ObjectType({
  description:
    'One committed change to the archive: which record, which of its rows, how. Listed by `changes` in commit order; read the record itself with `node(id:)`.',
})
export class Change {
  @Field(() => ID, { description: 'The revision number that recorded it (as in `revisions`).' })
  id!: string;

  @Field(() => GraphQLDateTime, { description: 'When the change was made.' })
  at!: Date;

  @Field(() => String, { description: 'The type of the record that changed: Statement, Signature (evidence of a signature), Signatory, Source or Person.' })
  recordType!: string;

  @Field(() => ID, { description: 'The global id of the record that changed (as `node(id:)` takes it).' })
  recordId!: string;

  @Field(() => String, { nullable: true, description: 'The record’s key, while it stands (null once it is deleted, and for signatures).' })
  recordKey!: string | null;

  @Field(() => Boolean, { description: 'True when the record no longer stands (deleted, or removed): a copy drops it.' })
  recordDeleted!: boolean;

  @Field(() => String, { description: 'The part of the record that changed: the table of the row, as `Revision.table` names it (statement, signature, evidence…).' })
  table!: string;

  @Field(() => String, { description: 'INSERT, UPDATE or DELETE of that row.' })
  action!: string;

  @Field(() => [String], { description: 'The fields an UPDATE changed (deletedAt for a deletion or a restore); empty for an INSERT or a DELETE.' })
  fields!: string[];
}

export const ChangeConnection = ConnectionType(
  Change,
  'Change',
  'Changes in commit order, oldest first. A cursor is a position in the feed: keep the last endCursor and ask again with `after` to get what was committed since.',
);
