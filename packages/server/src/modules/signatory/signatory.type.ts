import { ArchiveRecord, memoizedPerEntity, recordFields } from '../../common/archive-record.type';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../common/node.type';
import { ConnectionType } from '../../common/connection';
import { AliasKindEnum, SignatoryKindEnum, UnStatusEnum } from '../../common/graphql-enums';
import type { AliasKind, SignatoryKind, UnStatus } from '../../common/enums';
import type { SignatoryAliasEntity } from './signatory-alias.entity';
import type { SignatoryEntity } from './signatory.entity';

@ObjectType({ implements: Node, description: 'An actor that signs statements: a state, an organisation, a group or an NGO.' })
export class Signatory extends ArchiveRecord implements Node {
  @Field(() => String, { description: 'The stable bundle key (for states, the lower-case ISO alpha-3 code).' })
  key!: string;

  @Field(() => SignatoryKindEnum, { description: 'State, organisation, group or NGO.' })
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

  @Field(() => UnStatusEnum, { nullable: true, description: 'UN member or observer state; null for others.' })
  unStatus!: UnStatus | null;

  @Field(() => Boolean, { description: 'Built-in reference data rather than imported.' })
  isBuiltIn!: boolean;
}

@ObjectType({ description: 'A name a signatory is known by.' })
export class SignatoryAlias {
  @Field(() => String, { description: 'The name as written, e.g. "Türkiye".' })
  name!: string;

  @Field(() => AliasKindEnum, { description: 'Common, official, former, abbreviation, code…' })
  kind!: AliasKind;

  @Field(() => String, { description: 'Where it comes from: the country package, the alias table, or a bundle (bundle:<key>).' })
  origin!: string;
}

export const SignatoryConnection = ConnectionType(Signatory, 'Signatory', 'A page of signatories.');

export function toSignatoryAlias(e: SignatoryAliasEntity): SignatoryAlias {
  return Object.assign(new SignatoryAlias(), { name: e.name, kind: e.kind, origin: e.origin });
}

export function toSignatory(e: SignatoryEntity): Signatory {
  return Object.assign(new Signatory(), recordFields('Signatory', e), {
    key: e.key,
    kind: e.kind,
    name: e.name,
    officialName: e.officialName,
    iso2: e.iso2,
    iso3: e.iso3,
    m49: e.m49,
    unStatus: e.unStatus,
    isBuiltIn: e.isBuiltIn,
  });
}

/** toSignatory once per loaded entity: for field resolvers reading through the per-request loaders. */
export const toLoadedSignatory = memoizedPerEntity(toSignatory);
