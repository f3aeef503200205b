import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Node } from '../../common/node.type';
import { ConnectionType } from '../../common/connection';
import { PartialDateScalar } from '../../common/scalars';
import { toGlobalId } from '../../common/global-id';
import { formatPartialDate } from '../../common/partial-date';
import type { PersonEntity } from './person.entity';
import type { PersonRoleEntity } from './person-role.entity';

@ObjectType({ description: 'A title a person held, e.g. Permanent Representative of France to the United Nations.' })
export class PersonRole {
  /** The represented signatory's database id, for the field resolver. */
  signatoryId!: string | null;

  @Field(() => String, { description: 'e.g. "Permanent Representative of France to the United Nations".' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'An organisation that is not a signatory, e.g. OHCHR.' })
  organization!: string | null;

  @Field(() => PartialDateScalar, { nullable: true, name: 'from', description: 'When the role began, to the precision known.' })
  from!: string | null;

  @Field(() => PartialDateScalar, { nullable: true, name: 'to', description: 'When the role ended; null while it lasts or when unknown.' })
  to!: string | null;
}

@ObjectType({ implements: Node, description: 'Someone who delivers statements or holds a role.' })
export class Person implements Node {
  /** The database id, for field resolvers; not part of the schema. */
  dbId!: string;

  @Field(() => ID, { description: 'Opaque global id; resolve it with node(id:).' })
  id!: string;

  @Field(() => String, { description: 'The stable bundle key.' })
  key!: string;

  @Field(() => String, { description: 'The name as usually written.' })
  name!: string;

  @Field(() => [String], { description: 'Other spellings of the name, as sources print it.' })
  aliases!: string[];

  @Field(() => GraphQLDateTime, { description: 'When the record entered the archive.' })
  createdAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'When the record last changed.' })
  updatedAt!: Date;

  @Field(() => Int, { description: 'Incremented by every change (optimistic locking).' })
  version!: number;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was deleted (it stays, restorable, with its history); null while it stands.' })
  deletedAt!: Date | null;
}

export const PersonConnection = ConnectionType(Person, 'Person', 'A page of people.');

export function toPerson(e: PersonEntity): Person {
  return Object.assign(new Person(), {
    dbId: e.id,
    id: toGlobalId('Person', e.id),
    key: e.key,
    name: e.name,
    aliases: e.aliases,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    version: e.version,
    deletedAt: e.deletedAt ?? null,
  });
}

export function toPersonRole(e: PersonRoleEntity): PersonRole {
  return Object.assign(new PersonRole(), {
    signatoryId: e.signatoryId,
    title: e.title,
    organization: e.organization,
    from: formatPartialDate(e.fromDate, e.fromPrecision),
    to: formatPartialDate(e.toDate, e.toPrecision),
  });
}
