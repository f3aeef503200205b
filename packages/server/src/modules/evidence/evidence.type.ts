import { Field, Int, ObjectType } from 'type-graphql';
import type { EvidenceEntity } from './evidence.entity';

@ObjectType({ description: 'Provenance: a source, and the exact passage of it, that supports a statement, a signature or a count.' })
export class Evidence {
  /** The source's database id, for the field resolver. */
  sourceId!: string;

  @Field(() => String, { nullable: true, description: 'The passage of the source, as it reads there (white space aside).' })
  quote!: string | null;

  @Field(() => Int, { nullable: true, description: "1-based paragraph of the source's body that holds the quote." })
  paragraph!: number | null;

  @Field(() => Int, { nullable: true, description: "Character offset where the quote starts in the source's body." })
  start!: number | null;

  @Field(() => Int, { nullable: true, description: "Character offset just past the quote's end in the source's body." })
  end!: number | null;
}

@ObjectType({ description: 'A count of signatories that a source reports, which may disagree with the list.' })
export class CountClaim {
  sourceId!: string;

  @Field(() => Int, { description: 'The number of signatories the source reports.' })
  count!: number;

  @Field(() => String, { nullable: true, description: 'The passage that reports it.' })
  quote!: string | null;
}

export function toEvidence(e: Pick<EvidenceEntity, 'sourceId' | 'quote' | 'paragraph' | 'startOffset' | 'endOffset'>): Evidence {
  return Object.assign(new Evidence(), {
    sourceId: e.sourceId,
    quote: e.quote,
    paragraph: e.paragraph,
    start: e.startOffset,
    end: e.endOffset,
  });
}
