import { IsIn, IsInt, IsOptional, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { SignatoryKindEnum } from '../../common/graphql-enums';
import { SIGNATORY_KINDS, type SignatoryKind } from '../../common/enums';

const KEY = /^[a-z0-9][a-z0-9._-]*$/;
const KEY_MESSAGE = 'a key is lower-case letters, digits, ".", "_" or "-", starting with a letter or digit';

@InputType({ description: 'A new signatory: an organisation, a group or an NGO (states are built in).' })
export class CreateSignatoryInput {
  @Field(() => String, { description: 'Its stable key, unique in the archive.' })
  @Matches(KEY, { message: KEY_MESSAGE })
  @MaxLength(120)
  key!: string;

  @Field(() => SignatoryKindEnum, { description: 'ORGANIZATION, GROUP or NGO; a STATE cannot be created (states are built in).' })
  @IsIn(SIGNATORY_KINDS)
  kind!: SignatoryKind;

  @Field(() => String, { description: 'The common name, e.g. "Gulf Cooperation Council".' })
  @MinLength(1)
  name!: string;

  @Field(() => [String], { nullable: true, description: 'Other names it is known by, e.g. ["GCC"].' })
  @IsOptional()
  aliases?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'For a group or organisation: its members (ISO codes, keys or known names).' })
  @IsOptional()
  members?: string[] | null;
}

@InputType({ description: 'Changes to a signatory; absent fields stay as they are. Of a built-in state only the aliases can change.' })
export class UpdateSignatoryInput {
  @Field(() => ID, { description: 'The signatory: its id, key or ISO code.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale one is a CONFLICT and nothing is written.' })
  @IsInt()
  @Min(1, { message: 'expectedVersion is the version you read: 1 or more' })
  expectedVersion!: number;

  @Field(() => String, { nullable: true, description: 'A new name (not for built-in states).' })
  @IsOptional()
  @MinLength(1)
  name?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'The names it is known by besides its name, as an import gives them (replacing those given before); null removes them.',
  })
  @IsOptional()
  aliases?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Its members (replacing the old ones; not for built-in states); null removes them all.' })
  @IsOptional()
  members?: string[] | null;
}
