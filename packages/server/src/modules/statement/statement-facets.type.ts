import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A topic or a forum, and how many of the statements matching the filter have it.' })
export class Facet {
  @Field(() => String, { description: 'The value as the statements spell it (the most common spelling where they differ only in case or accents), e.g. "Xinjiang".' })
  value!: string;

  @Field(() => Int, { description: 'How many statements matching the filter have it (deleted ones never count).' })
  count!: number;
}

@ObjectType({ description: 'A session within its forum, and how many of the statements matching the filter were delivered at it.' })
export class SessionFacet {
  @Field(() => String, { nullable: true, description: 'The forum, e.g. "UN General Assembly Third Committee"; null for statements without one.' })
  forum!: string | null;

  @Field(() => String, { description: 'The session, e.g. "76" or "HRC41".' })
  session!: string;

  @Field(() => Int, { description: 'How many statements matching the filter were delivered at it (deleted ones never count).' })
  count!: number;
}

@ObjectType({
  description:
    'The topics, forums and sessions of the statements matching a filter, each with its count: what a list of statements can be narrowed by. Every list is most statements first, then by value; topics and forums are grouped the way the filters match them (ignoring case and accents).',
})
export class StatementFacets {
  /** The filter's SQL conditions on statement `s`, and their values (StatementService.conditions). */
  where!: string;
  values!: unknown[];
}
