import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Node } from '../../common/node.type';
import { toGlobalId } from '../../common/global-id';
import { SignatoryKindEnum, UnStatusEnum } from '../../common/graphql-enums';
import type { SignatoryKind, UnStatus } from '../../common/enums';
import type { SignatoryEntity } from './signatory.entity';

@ObjectType({ implements: Node, description: 'An actor that signs statements: a state, an organisation, a group or an NGO.' })
export class Signatory implements Node {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The stable bundle key (for states, the lower-case ISO alpha-3 code).' })
  key!: string;

  @Field(() => SignatoryKindEnum)
  kind!: SignatoryKind;

  @Field(() => String, { description: 'The common name, e.g. "Germany".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The official name, e.g. "Federal Republic of Germany".' })
  officialName!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code (states).' })
  iso2!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-3 code (states).' })
  iso3!: string | null;

  @Field(() => String, { nullable: true, description: 'UN M49 numeric code, zero-padded (states).' })
  m49!: string | null;

  @Field(() => UnStatusEnum, { nullable: true })
  unStatus!: UnStatus | null;

  @Field(() => Boolean, { description: 'Built-in reference data rather than imported.' })
  isBuiltIn!: boolean;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;

  @Field(() => GraphQLDateTime)
  updatedAt!: Date;

  @Field(() => Int, { description: 'Incremented by every change (optimistic locking).' })
  version!: number;
}

export function toSignatory(e: SignatoryEntity): Signatory {
  return {
    id: toGlobalId('Signatory', e.id),
    key: e.key,
    kind: e.kind,
    name: e.name,
    officialName: e.officialName,
    iso2: e.iso2,
    iso3: e.iso3,
    m49: e.m49,
    unStatus: e.unStatus,
    isBuiltIn: e.isBuiltIn,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    version: e.version,
  };
}
