import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../kit/mutation';
import { Signature, Statement } from './statement.type';

@ObjectType({ description: 'The statement written, or why nothing was written.' })
export class StatementPayload {
  @Field(() => Statement, { nullable: true, description: 'The statement as it now stands; null when errors.' })
  statement!: Statement | null;

  @Field(() => [UserError], { description: 'Empty on success.' })
  errors!: UserError[];
}

@ObjectType({ description: 'The signature written, or why nothing was written.' })
export class SignaturePayload {
  @Field(() => Signature, { nullable: true, description: 'The signature as it now stands (after removal: as it was); null when errors.' })
  signature!: Signature | null;

  @Field(() => [UserError], { description: 'Empty on success.' })
  errors!: UserError[];
}
