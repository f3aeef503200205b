import { createUnionType, Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../common/connection';
import { Person } from '../person/person.type';
import { Signatory } from '../signatory/signatory.type';
import { Source } from '../source/source.type';
import { Statement } from '../statement/statement.type';

/** What search can find; the values are also the hit's `type` and part of its cursor. */
export const SEARCH_TYPES = ['STATEMENT', 'SOURCE', 'PERSON', 'SIGNATORY'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export const SearchTypeEnum = Object.fromEntries(SEARCH_TYPES.map((v) => [v, v])) as { [K in SearchType]: K };

registerEnumType(SearchTypeEnum, {
  name: 'SearchType',
  description: 'A kind of record full-text search covers.',
  valuesConfig: {
    STATEMENT: { description: 'Statements: title, then forum, session, topics and UN symbol, then the text.' },
    SOURCE: { description: 'Sources: title, then summary, publisher, authors and UN symbol, then the body.' },
    PERSON: { description: 'People: name, then aliases.' },
    SIGNATORY: { description: 'Signatories: name, then official name.' },
  },
});

export type SearchNode = Statement | Source | Person | Signatory;

export const SearchResult = createUnionType({
  name: 'SearchResult',
  description: 'A record full-text search found.',
  // No resolveType of our own: type-graphql's default resolves by class (instanceof), synchronously;
  // a custom one is wrapped in an async function, which compiled execution cannot use.
  types: () => [Statement, Source, Person, Signatory] as const,
});

@ObjectType({ description: 'One record that matches a search, with how well it matches and where.' })
export class SearchHit {
  @Field(() => Float, { description: 'Relevance (ts_rank_cd, titles and names weigh most); hits come best first.' })
  rank!: number;

  @Field(() => String, {
    description:
      'Up to two passages around the matches, joined by " … ", as HTML: the text is escaped and each match is wrapped in <mark></mark>.',
  })
  snippet!: string;

  @Field(() => SearchTypeEnum, { description: 'What kind of record the node is.' })
  type!: SearchType;

  @Field(() => SearchResult, { description: 'The record found.' })
  node!: SearchNode;
}

export const SearchHitConnection = ConnectionType(SearchHit, 'SearchHit', 'A page of search hits, best first.');
