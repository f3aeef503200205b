import { Field, Int, ObjectType } from 'type-graphql';
import { UserError } from '../kit/mutation';

@ObjectType({ description: 'What an import did (or, in a dry run, would do) to one kind of record.' })
export class ImportCounts {
  @Field(() => Int, { description: 'Records that were new.' })
  created!: number;

  @Field(() => Int, { description: 'Records that changed.' })
  updated!: number;

  @Field(() => Int, { description: 'Records already as the bundle has them (not written).' })
  unchanged!: number;
}

@ObjectType({ description: 'Per kind of record, what an import did.' })
export class ImportSummaryType {
  @Field(() => ImportCounts, { description: 'Sources.' })
  sources!: ImportCounts;

  @Field(() => ImportCounts, { description: 'People.' })
  people!: ImportCounts;

  @Field(() => ImportCounts, { description: 'Signatories (organisations, groups, NGOs).' })
  signatories!: ImportCounts;

  @Field(() => ImportCounts, { description: 'Statements.' })
  statements!: ImportCounts;

  @Field(() => ImportCounts, { description: 'Signatures.' })
  signatures!: ImportCounts;
}

@ObjectType({ description: 'The outcome of importBundle.' })
export class ImportPayload {
  @Field(() => Boolean, { description: 'True when nothing was written on purpose (dryRun).' })
  dryRun!: boolean;

  @Field(() => ImportSummaryType, { nullable: true, description: 'What was (or would be) written; null when errors.' })
  summary!: ImportSummaryType | null;

  @Field(() => [UserError], { description: 'Every problem of the bundle, located; nothing is written when there is any.' })
  errors!: UserError[];
}
