import { ArchiveRecord, recordFields } from '../../common/archive-record.type';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../common/node.type';
import { ConnectionType } from '../../common/connection';
import { PartialDateScalar } from '../../common/scalars';
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
export class Person extends ArchiveRecord implements Node {
  @Field(() => String, { description: 'The stable bundle key.' })
  key!: string;

  @Field(() => String, { description: 'The name as usually written.' })
  name!: string;

  @Field(() => [String], { description: 'Other spellings of the name, as sources print it.' })
  aliases!: string[];
}

export const PersonConnection = ConnectionType(Person, 'Person', 'A page of people.');

export function toPerson(e: PersonEntity): Person {
  return Object.assign(new Person(), recordFields('Person', e), {
    key: e.key,
    name: e.name,
    aliases: e.aliases,
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
