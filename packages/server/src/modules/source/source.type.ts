import { ArchiveRecord, memoizedPerEntity, recordFields } from '../../common/archive-record.type';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../common/node.type';
import { ConnectionType } from '../../common/connection';
import { PartialDateScalar } from '../../common/scalars';
import { formatPartialDate } from '../../common/partial-date';
import { SourceKindEnum } from '../../common/graphql-enums';
import type { SourceKind } from '../../common/enums';
import type { SourceEntity } from './source.entity';

@ObjectType({ implements: Node, description: 'A document that reports statements: a news article, a UN document, an NGO page…' })
export class Source extends ArchiveRecord implements Node {
  @Field(() => String, { description: 'The stable bundle key.' })
  key!: string;

  @Field(() => SourceKindEnum, { description: 'News article, UN document, NGO page…' })
  kind!: SourceKind;

  @Field(() => String, { description: 'The headline or document title.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Where the document was published.' })
  url!: string | null;

  @Field(() => String, { nullable: true, description: 'The outlet or issuing body.' })
  publisher!: string | null;

  @Field(() => [String], { description: 'Bylines, when known.' })
  authors!: string[];

  @Field(() => PartialDateScalar, { nullable: true, description: 'Publication date, to the precision known.' })
  publishedOn!: string | null;

  @Field(() => String, { nullable: true, description: 'BCP 47 language tag, e.g. "en".' })
  language!: string | null;

  @Field(() => String, { nullable: true, description: 'UN document symbol, e.g. "A/HRC/41/G/17".' })
  unSymbol!: string | null;

  @Field(() => String, { nullable: true, description: 'The standfirst or summary.' })
  summary!: string | null;

  /** The full text when it was loaded with the record; the `body` field resolver loads it otherwise. */
  body?: string | null;
}

export const SourceConnection = ConnectionType(Source, 'Source', 'A page of sources.');

export function toSource(e: SourceEntity): Source {
  return Object.assign(new Source(), recordFields('Source', e), {
    key: e.key,
    kind: e.kind,
    title: e.title,
    url: e.url,
    publisher: e.publisher,
    authors: e.authors,
    publishedOn: formatPartialDate(e.publishedOn, e.publishedOnPrecision),
    language: e.language,
    unSymbol: e.unSymbol,
    summary: e.summary,
    body: e.body,
  });
}

/** toSource once per loaded entity: for field resolvers reading through the per-request loaders. */
export const toLoadedSource = memoizedPerEntity(toSource);
