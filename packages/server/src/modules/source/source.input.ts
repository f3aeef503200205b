import { Field, InputType } from 'type-graphql';
import { SourceKindEnum } from '../../common/graphql-enums';
import { PartialDateScalar } from '../../common/scalars';
import type { SourceKind } from '../../common/enums';

@InputType({ description: 'Narrows a list of sources; every condition given must hold.' })
export class SourceFilter {
  @Field(() => SourceKindEnum, { nullable: true, description: 'Only sources of this kind.' })
  kind?: SourceKind | null;

  @Field(() => String, { nullable: true, description: 'Only sources from this outlet or issuing body, exactly as archived, e.g. "UN Watch".' })
  publisher?: string | null;

  @Field(() => PartialDateScalar, {
    nullable: true,
    description: 'Only sources published on or after the start of this period ("2019" means from 2019-01-01); undated sources are left out.',
  })
  publishedFrom?: string | null;

  @Field(() => PartialDateScalar, {
    nullable: true,
    description: 'Only sources published on or before the end of this period ("2019" means up to 2019-12-31); undated sources are left out.',
  })
  publishedTo?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Full-text search over title, summary, publisher, authors, UN symbol and body; accent-insensitive, web-search syntax ("quoted phrase", or, -word).',
  })
  search?: string | null;
}
