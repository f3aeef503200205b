import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { ConnectionType } from '../../common/connection';
import type { RevisionEntity } from './revision.entity';

@ObjectType({ description: 'One recorded change: who, when, how, and the row before and after.' })
export class Revision {
  @Field(() => ID, { description: 'The revision number (increasing).' })
  id!: string;

  @Field(() => GraphQLDateTime, { description: 'When the change was committed.' })
  at!: Date;

  @Field(() => String, { nullable: true, description: 'Who: the name of the token used, or "cli" / "seed" for local tools.' })
  actor!: string | null;

  @Field(() => String, { nullable: true, description: 'How: the mutation, or "import <file>".' })
  via!: string | null;

  @Field(() => String, { description: 'INSERT, UPDATE or DELETE.' })
  action!: string;

  @Field(() => String, { description: 'The table of the row, e.g. statement, signature, evidence.' })
  table!: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The row before the change (null for an INSERT).' })
  before!: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The row after the change (null for a DELETE).' })
  after!: Record<string, unknown> | null;
}

export const RevisionConnection = ConnectionType(Revision, 'Revision', 'A page of revisions, newest first.');

export function toRevision(e: RevisionEntity): Revision {
  return Object.assign(new Revision(), {
    id: String(e.id),
    at: e.at,
    actor: e.actor,
    via: e.via,
    action: e.action,
    table: e.tableName,
    before: e.before,
    after: e.after,
  });
}
