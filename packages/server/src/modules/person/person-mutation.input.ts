import { IsInt, IsOptional, Matches, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { PartialDateScalar } from '../../common/scalars';

const KEY = /^[a-z0-9][a-z0-9._-]*$/;
const KEY_MESSAGE = 'a key is lower-case letters, digits, ".", "_" or "-", starting with a letter or digit';

@InputType({ description: 'A title a person held, e.g. Permanent Representative of France to the United Nations.' })
export class PersonRoleInput {
  @Field(() => String, { description: 'e.g. "Permanent Representative of France to the United Nations".' })
  @MinLength(1)
  title!: string;

  @Field(() => String, { nullable: true, description: 'The signatory represented: ISO code, key or a known name.' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  signatory?: string | null;

  @Field(() => String, { nullable: true, description: 'An organisation that is not a signatory, e.g. OHCHR.' })
  @IsOptional()
  @MinLength(1)
  organization?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'When the role began, to the precision known.' })
  from?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'When the role ended.' })
  to?: string | null;
}

@InputType({ description: 'A new person, with the fields of the bundle format.' })
export class CreatePersonInput {
  @Field(() => String, { description: 'Their stable key, unique in the archive.' })
  @Matches(KEY, { message: KEY_MESSAGE })
  @MaxLength(120)
  key!: string;

  @Field(() => String, { description: 'The name as usually written.' })
  @MinLength(1)
  name!: string;

  @Field(() => [String], { nullable: true, description: 'Other spellings of the name, as sources print it.' })
  @IsOptional()
  aliases?: string[] | null;

  @Field(() => [PersonRoleInput], { nullable: true, description: 'The titles they held, in order.' })
  @IsOptional()
  @ValidateNested({ each: true })
  roles?: PersonRoleInput[] | null;
}

@InputType({ description: 'Changes to a person; absent fields stay as they are, null clears a field.' })
export class UpdatePersonInput {
  @Field(() => ID, { description: 'The person: their id or key.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale one is a CONFLICT and nothing is written.' })
  @IsInt()
  @Min(1, { message: 'expectedVersion is the version you read: 1 or more' })
  expectedVersion!: number;

  @Field(() => String, { nullable: true, description: 'A new name.' })
  @IsOptional()
  @MinLength(1)
  name?: string | null;

  @Field(() => [String], { nullable: true, description: 'New aliases (replacing the old).' })
  @IsOptional()
  aliases?: string[] | null;

  @Field(() => [PersonRoleInput], { nullable: true, description: 'New roles, in order (replacing all the old ones); null removes them all.' })
  @IsOptional()
  @ValidateNested({ each: true })
  roles?: PersonRoleInput[] | null;
}
