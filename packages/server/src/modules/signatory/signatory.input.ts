import { Field, InputType } from 'type-graphql';
import { PartialDateScalar } from '../../common/scalars';
import { SignatoryKindEnum } from '../../common/graphql-enums';
import type { SignatoryKind } from '../../common/enums';

@InputType({ description: 'Conditions a signatory must meet; all given conditions apply together.' })
export class SignatoryFilter {
  @Field(() => SignatoryKindEnum, { nullable: true, description: 'Only this kind, e.g. STATE.' })
  kind?: SignatoryKind | null;

  @Field(() => String, { nullable: true, description: 'Fuzzy name search over every known name (typos, accents and case forgiven).' })
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Members of this group or organisation (its code, key or name), e.g. "gcc".' })
  memberOf?: string | null;
}

@InputType({ description: "Which of a signatory's signatures to list." })
export class SignatureHistoryFilter {
  @Field(() => String, { nullable: true, description: 'Statements with this topic, e.g. "Xinjiang" (the whole topic; case and accents ignored: "xinjiang" too).' })
  topic?: string | null;

  @Field(() => String, { nullable: true, description: 'Statements at this forum (the whole name; case and accents ignored).' })
  forum?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'Statements on or after the start of this period.' })
  dateFrom?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'Statements on or before the end of this period.' })
  dateTo?: string | null;
}
