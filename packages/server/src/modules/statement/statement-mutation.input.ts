import { IsIn, IsInt, IsOptional, Matches, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { ListStatusEnum, SignatureStatusEnum, StatementKindEnum } from '../../common/graphql-enums';
import { PartialDateScalar } from '../../common/scalars';
import { LIST_STATUSES, SIGNATURE_STATUSES, STATEMENT_KINDS, type ListStatus, type SignatureStatus, type StatementKind } from '../../common/enums';

const KEY = /^[a-z0-9][a-z0-9._-]*$/;
const KEY_MESSAGE = 'a key is lower-case letters, digits, ".", "_" or "-", starting with a letter or digit';

@InputType({ description: 'A source and, optionally, the exact passage of it that supports the record.' })
export class EvidenceInput {
  @Field(() => String, { description: 'The key of a source in the archive.' })
  @MinLength(1)
  source!: string;

  @Field(() => String, { nullable: true, description: "A passage that must occur in the source's body (white space aside)." })
  @IsOptional()
  @MinLength(1)
  quote?: string | null;
}

@InputType({ description: 'A signature given with a new statement.' })
export class SignatureInput {
  @Field(() => String, { description: 'The signatory: ISO code, key, or the name as the source prints it (kept as written).' })
  @MinLength(1)
  signatory!: string;

  @Field(() => SignatureStatusEnum, { nullable: true, description: 'SIGNED by default.' })
  @IsOptional()
  @IsIn(SIGNATURE_STATUSES)
  status?: SignatureStatus | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'When a late signatory joined.' })
  joinedOn?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'When it withdrew.' })
  withdrawnOn?: string | null;

  @Field(() => [EvidenceInput], { nullable: true, description: 'Sources that say so.' })
  @IsOptional()
  @ValidateNested({ each: true })
  evidence?: EvidenceInput[] | null;
}

@InputType({ description: 'A count of signatories reported by a source.' })
export class CountClaimInput {
  @Field(() => Int, { description: 'The reported number.' })
  @IsInt()
  @Min(0)
  count!: number;

  @Field(() => String, { description: 'The key of the source.' })
  source!: string;

  @Field(() => String, { nullable: true, description: 'The passage that reports it.' })
  @IsOptional()
  quote?: string | null;
}

@InputType({ description: 'A new statement, with the fields of the bundle format.' })
export class CreateStatementInput {
  @Field(() => String, { description: 'Its stable key, unique in the archive.' })
  @Matches(KEY, { message: KEY_MESSAGE })
  @MaxLength(120)
  key!: string;

  @Field(() => String, { description: 'A descriptive title.' })
  @MinLength(1)
  title!: string;

  @Field(() => StatementKindEnum, { description: 'What kind of text it is.' })
  @IsIn(STATEMENT_KINDS)
  kind!: StatementKind;

  @Field(() => PartialDateScalar, { description: 'When it was delivered, to the precision known.' })
  date!: string;

  @Field(() => String, { nullable: true, description: 'e.g. "UN General Assembly Third Committee".' })
  @IsOptional()
  @MinLength(1)
  forum?: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. "76".' })
  @IsOptional()
  @MinLength(1)
  session?: string | null;

  @Field(() => String, { nullable: true, description: 'The agenda item.' })
  @IsOptional()
  @MinLength(1)
  agendaItem?: string | null;

  @Field(() => String, { nullable: true, description: 'UN document symbol.' })
  @IsOptional()
  @MinLength(1)
  unSymbol?: string | null;

  @Field(() => [String], { nullable: true, description: 'Topics, e.g. ["Xinjiang"].' })
  @IsOptional()
  topics?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Full text or the reported excerpt.' })
  @IsOptional()
  text?: string | null;

  @Field(() => String, { nullable: true, description: 'The key of the person who read it.' })
  @IsOptional()
  deliveredBy?: string | null;

  @Field(() => String, { nullable: true, description: 'The signatory it was read for first (ISO code, key or name).' })
  @IsOptional()
  leadSignatory?: string | null;

  @Field(() => Int, { nullable: true, description: 'The count the statement itself claims.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  claimedSignatoryCount?: number | null;

  @Field(() => ListStatusEnum, { nullable: true, description: 'Whether the signatures given are the full list.' })
  @IsOptional()
  @IsIn(LIST_STATUSES)
  listStatus?: ListStatus | null;

  @Field(() => String, { nullable: true, description: 'The key of the statement it replies to.' })
  @IsOptional()
  respondsTo?: string | null;

  @Field(() => [SignatureInput], { nullable: true, description: 'Its signatures, in list order.' })
  @IsOptional()
  @ValidateNested({ each: true })
  signatures?: SignatureInput[] | null;

  @Field(() => [CountClaimInput], { nullable: true, description: 'Counts reported by sources.' })
  @IsOptional()
  @ValidateNested({ each: true })
  countClaims?: CountClaimInput[] | null;

  @Field(() => [EvidenceInput], { nullable: true, description: 'Sources that report it.' })
  @IsOptional()
  @ValidateNested({ each: true })
  evidence?: EvidenceInput[] | null;
}

@InputType({ description: 'Changes to a statement; absent fields stay as they are, null clears a field.' })
export class UpdateStatementInput {
  @Field(() => ID, { description: 'The statement: its id or key.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale one is a CONFLICT and nothing is written.' })
  @IsInt()
  @Min(1, { message: 'expectedVersion is the version you read: 1 or more' })
  expectedVersion!: number;

  @Field(() => String, { nullable: true, description: 'A new title.' })
  @IsOptional()
  @MinLength(1)
  title?: string | null;

  @Field(() => StatementKindEnum, { nullable: true, description: 'A new kind.' })
  @IsOptional()
  @IsIn(STATEMENT_KINDS)
  kind?: StatementKind | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'A new date.' })
  date?: string | null;

  @Field(() => String, { nullable: true, description: 'A new forum.' })
  forum?: string | null;

  @Field(() => String, { nullable: true, description: 'A new session.' })
  session?: string | null;

  @Field(() => String, { nullable: true, description: 'A new agenda item.' })
  agendaItem?: string | null;

  @Field(() => String, { nullable: true, description: 'A new UN symbol.' })
  unSymbol?: string | null;

  @Field(() => [String], { nullable: true, description: 'New topics (replacing the old).' })
  topics?: string[] | null;

  @Field(() => String, { nullable: true, description: 'New text.' })
  text?: string | null;

  @Field(() => String, { nullable: true, description: 'The key of the person who read it.' })
  deliveredBy?: string | null;

  @Field(() => String, { nullable: true, description: 'The lead signatory (ISO code, key or name).' })
  leadSignatory?: string | null;

  @Field(() => Int, { nullable: true, description: 'The claimed count.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  claimedSignatoryCount?: number | null;

  @Field(() => ListStatusEnum, { nullable: true, description: 'The list status.' })
  listStatus?: ListStatus | null;

  @Field(() => String, { nullable: true, description: 'The statement it replies to (id or key).' })
  respondsTo?: string | null;
}

@InputType({ description: 'Which record, at which version.' })
export class VersionedRefInput {
  @Field(() => ID, { description: 'The record: its id (or, for statements, sources, people and signatories, its key).' })
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale one is a CONFLICT.' })
  @IsInt()
  @Min(1, { message: 'expectedVersion is the version you read: 1 or more' })
  expectedVersion!: number;
}

@InputType({ description: 'A signatory to add to a statement.' })
export class AddSignatureInput {
  @Field(() => ID, { description: 'The statement: id or key.' })
  statement!: string;

  @Field(() => String, { description: 'The signatory: ISO code, key or name as printed (kept as written).' })
  @MinLength(1)
  signatory!: string;

  @Field(() => PartialDateScalar, { nullable: true, description: 'When it joined, for a late signatory.' })
  joinedOn?: string | null;

  @Field(() => [EvidenceInput], { nullable: true, description: 'Sources that say it signed.' })
  @IsOptional()
  @ValidateNested({ each: true })
  evidence?: EvidenceInput[] | null;
}

@InputType({ description: 'A signature to mark as withdrawn.' })
export class WithdrawSignatureInput {
  @Field(() => ID, { description: 'The signature id.' })
  id!: string;

  @Field(() => Int, { description: 'The version you read.' })
  @IsInt()
  @Min(1, { message: 'expectedVersion is the version you read: 1 or more' })
  expectedVersion!: number;

  @Field(() => PartialDateScalar, { nullable: true, description: 'When it withdrew.' })
  withdrawnOn?: string | null;
}
