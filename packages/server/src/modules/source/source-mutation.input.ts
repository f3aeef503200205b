import { IsIn, IsInt, IsOptional, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { SourceKindEnum } from '../../common/graphql-enums';
import { PartialDateScalar } from '../../common/scalars';
import { SOURCE_KINDS, type SourceKind } from '../../common/enums';

const KEY = /^[a-z0-9][a-z0-9._-]*$/;
const KEY_MESSAGE = 'a key is lower-case letters, digits, ".", "_" or "-", starting with a letter or digit';

@InputType({ description: 'A new source, with the fields of the bundle format.' })
export class CreateSourceInput {
  @Field(() => String, { description: 'Its stable key, unique in the archive.' })
  @Matches(KEY, { message: KEY_MESSAGE })
  @MaxLength(120)
  key!: string;

  @Field(() => SourceKindEnum, { description: 'News article, UN document, NGO page…' })
  @IsIn(SOURCE_KINDS)
  kind!: SourceKind;

  @Field(() => String, { description: 'The headline or document title.' })
  @MinLength(1)
  title!: string;

  @Field(() => String, { nullable: true, description: 'Where it was published: an absolute http(s) URL.' })
  @IsOptional()
  @MinLength(1)
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'The outlet or issuing body.' })
  @IsOptional()
  @MinLength(1)
  publisher?: string | null;

  @Field(() => [String], { nullable: true, description: 'Bylines, when known.' })
  @IsOptional()
  authors?: string[] | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'Publication date, to the precision known.' })
  publishedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'BCP 47 language tag, e.g. "en".' })
  @IsOptional()
  @MinLength(1)
  language?: string | null;

  @Field(() => String, { nullable: true, description: 'UN document symbol, e.g. "A/HRC/41/G/17".' })
  @IsOptional()
  @MinLength(1)
  unSymbol?: string | null;

  @Field(() => String, { nullable: true, description: 'The standfirst or summary.' })
  @IsOptional()
  @MinLength(1)
  summary?: string | null;

  @Field(() => String, { nullable: true, description: 'The full text; paragraphs separated by blank lines. Quotes cited from the source must occur in it.' })
  @IsOptional()
  @MinLength(1)
  body?: string | null;
}

@InputType({ description: 'Changes to a source; absent fields stay as they are, null clears a field.' })
export class UpdateSourceInput {
  @Field(() => ID, { description: 'The source: its id or key.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale one is a CONFLICT and nothing is written.' })
  @IsInt()
  @Min(1, { message: 'expectedVersion is the version you read: 1 or more' })
  expectedVersion!: number;

  @Field(() => SourceKindEnum, { nullable: true, description: 'A new kind.' })
  @IsOptional()
  @IsIn(SOURCE_KINDS)
  kind?: SourceKind | null;

  @Field(() => String, { nullable: true, description: 'A new title.' })
  @IsOptional()
  @MinLength(1)
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'A new URL (absolute, http or https).' })
  @IsOptional()
  @MinLength(1)
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'A new publisher.' })
  @IsOptional()
  @MinLength(1)
  publisher?: string | null;

  @Field(() => [String], { nullable: true, description: 'New authors (replacing the old).' })
  @IsOptional()
  authors?: string[] | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'A new publication date.' })
  publishedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'A new language tag.' })
  @IsOptional()
  @MinLength(1)
  language?: string | null;

  @Field(() => String, { nullable: true, description: 'A new UN symbol.' })
  @IsOptional()
  @MinLength(1)
  unSymbol?: string | null;

  @Field(() => String, { nullable: true, description: 'A new summary.' })
  @IsOptional()
  @MinLength(1)
  summary?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A new body. Every quote cited from the source must still occur in it; their positions are located again.',
  })
  @IsOptional()
  @MinLength(1)
  body?: string | null;
}
