import { ArgsType, Field, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/pagination';
import { TEXT_LIMITS } from '../../common/text';
import { SearchTypeEnum, type SearchType } from './search.type';

@ArgsType()
export class SearchArgs {
  @Field(() => String, {
    description: `Words to look for, in web-search syntax: "quoted phrase", -excluded, or (at most ${TEXT_LIMITS.search} characters). Accents and word endings do not matter.`,
  })
  query!: string;

  @Field(() => [SearchTypeEnum], { nullable: true, description: 'Only these kinds of record; all kinds when null or empty.' })
  types?: SearchType[] | null;

  @Field(() => Int, { nullable: true, description: `The first n hits after \`after\`: ${DEFAULT_PAGE_SIZE} by default, at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Start after this cursor (the endCursor of the previous page).' })
  after?: string | null;
}
