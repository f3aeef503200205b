import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../kit/mutation';
import { Source } from './source.type';

@ObjectType({ description: 'The source written, or why nothing was written.' })
export class SourcePayload {
  @Field(() => Source, { nullable: true, description: 'The source as it now stands; null when errors.' })
  source!: Source | null;

  @Field(() => [UserError], { description: 'Empty on success.' })
  errors!: UserError[];
}
