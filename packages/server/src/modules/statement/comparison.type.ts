import { Field, Int, ObjectType } from 'type-graphql';
import { Signatory } from '../signatory/signatory.type';
import { Signature, Statement } from './statement.type';

@ObjectType({ description: 'Who signed one statement, the other, or both (signatures with status SIGNED).' })
export class StatementComparison {
  @Field(() => Statement, { description: 'The first statement asked for.' })
  a!: Statement;

  @Field(() => Statement, { description: 'The second statement asked for.' })
  b!: Statement;

  @Field(() => [Signatory], { description: 'Signed both, by name.' })
  both!: Signatory[];

  @Field(() => [Signatory], { description: 'Signed a but not b (for a later b: who left), by name.' })
  onlyA!: Signatory[];

  @Field(() => [Signatory], { description: 'Signed b but not a (for a later b: who joined), by name.' })
  onlyB!: Signatory[];
}

@ObjectType({ description: 'One signatory across the compared statements.' })
export class SignatoryAlignmentRow {
  @Field(() => Signatory, { description: 'The signatory of this row.' })
  signatory!: Signatory;

  @Field(() => [Signature], {
    nullable: 'items',
    description: "Its signature on each statement, in the order of `statements`; null where it is not on the list.",
  })
  signatures!: (Signature | null)[];

  @Field(() => Int, { description: 'On how many of the statements it stands as SIGNED.' })
  signedCount!: number;
}

@ObjectType({ description: 'Which of the given statements each signatory signed: the table researchers otherwise build by hand.' })
export class SignatoryAlignment {
  @Field(() => [Statement], { description: 'The statements, in the order asked; they are the columns of every row.' })
  statements!: Statement[];

  @Field(() => [SignatoryAlignmentRow], { description: 'One row per signatory listed on any of them; most statements signed first, then by name.' })
  rows!: SignatoryAlignmentRow[];
}
