import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../kit/mutation';
import { Signatory } from './signatory.type';

@ObjectType({ description: 'The signatory written, or why nothing was written.' })
export class SignatoryPayload {
  @Field(() => Signatory, { nullable: true, description: 'The signatory as it now stands; null when errors.' })
  signatory!: Signatory | null;

  @Field(() => [UserError], { description: 'Empty on success.' })
  errors!: UserError[];
}
