import { Field, InputType, registerEnumType } from 'type-graphql';
import { PartialDateScalar } from '../../common/scalars';
import { StatementKindEnum } from '../../common/graphql-enums';
import type { StatementKind } from '../../common/enums';

export enum StatementOrderBy {
  DATE_DESC = 'DATE_DESC',
  DATE_ASC = 'DATE_ASC',
  TITLE_ASC = 'TITLE_ASC',
  TITLE_DESC = 'TITLE_DESC',
  SIGNATURE_COUNT_DESC = 'SIGNATURE_COUNT_DESC',
  SIGNATURE_COUNT_ASC = 'SIGNATURE_COUNT_ASC',
  RELEVANCE = 'RELEVANCE',
}

registerEnumType(StatementOrderBy, {
  name: 'StatementOrderBy',
  description: 'How statements are ordered; RELEVANCE needs filter.search.',
  valuesConfig: {
    DATE_DESC: { description: 'Newest first (the default).' },
    DATE_ASC: { description: 'Oldest first.' },
    TITLE_ASC: { description: 'By title, A to Z.' },
    TITLE_DESC: { description: 'By title, Z to A.' },
    SIGNATURE_COUNT_DESC: { description: 'Longest list of signatures (status SIGNED) first.' },
    SIGNATURE_COUNT_ASC: { description: 'Shortest list of signatures first.' },
    RELEVANCE: { description: 'Best full-text match of filter.search first.' },
  },
});

@InputType({ description: 'Signatory references (ISO code, key or any known name) a statement must, may or must not have among its SIGNED signatures.' })
export class SignedByFilter {
  @Field(() => [String], { nullable: true, description: 'Signed by every one of these.' })
  all?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Signed by at least one of these.' })
  any?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Signed by none of these.' })
  none?: string[] | null;
}

@InputType({ description: 'Conditions a statement must meet; all given conditions apply together.' })
export class StatementFilter {
  @Field(() => StatementKindEnum, { nullable: true, description: 'Only this kind.' })
  kind?: StatementKind | null;

  @Field(() => String, { nullable: true, description: 'At this forum, e.g. "UN Human Rights Council" (the whole name; case and accents ignored).' })
  forum?: string | null;

  @Field(() => String, { nullable: true, description: 'Exact session, e.g. "76" or "HRC41".' })
  session?: string | null;

  @Field(() => String, { nullable: true, description: 'Statements with this topic, e.g. "Xinjiang" (the whole topic; case and accents ignored: "xinjiang" too).' })
  topic?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'On or after the start of this period ("2020" = from 2020-01-01).' })
  dateFrom?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: 'On or before the end of this period ("2020" = up to 2020-12-31).' })
  dateTo?: string | null;

  @Field(() => String, { nullable: true, description: 'Full-text search (web syntax: "quoted phrase", -exclusion, or), accent-insensitive.' })
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Read for this signatory first (ISO code, key or any known name).' })
  leadSignatory?: string | null;

  @Field(() => String, { nullable: true, description: 'Replies to this statement (its id or key).' })
  respondsTo?: string | null;

  @Field(() => SignedByFilter, { nullable: true, description: 'Who signed it.' })
  signedBy?: SignedByFilter | null;
}
