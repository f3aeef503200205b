import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../kit/mutation';
import { Person } from './person.type';

@ObjectType({ description: 'The person written, or why nothing was written.' })
export class PersonPayload {
  @Field(() => Person, { nullable: true, description: 'The person as they now stand; null when errors.' })
  person!: Person | null;

  @Field(() => [UserError], { description: 'Empty on success.' })
  errors!: UserError[];
}
