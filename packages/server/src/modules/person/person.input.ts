import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Narrows a list of people; every condition given must hold.' })
export class PersonFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Full-text search over names and aliases (accent-insensitive, web-search syntax), or the start of any word of them ("Riv" finds "Nicolas de Rivière").',
  })
  search?: string | null;
}
