import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { CountClaimResolver, EvidenceResolver } from '../modules/evidence/evidence.resolver';
import { NodeResolver } from '../modules/node/node.resolver';
import { PersonResolver, PersonRoleResolver } from '../modules/person/person.resolver';
import { SearchResolver } from '../modules/search/search.resolver';
import { SignatoryResolver } from '../modules/signatory/signatory.resolver';
import { SourceResolver } from '../modules/source/source.resolver';
import { SignatureResolver, StatementResolver } from '../modules/statement/statement.resolver';
import { StatementFacetsResolver } from '../modules/statement/statement-facets.resolver';
import { StatementMutationResolver } from '../modules/statement/statement-mutation.resolver';
import { HISTORY_RESOLVERS } from '../modules/history/revision.resolver';
import { CurationResolver } from '../modules/curation/curation.resolver';
import { SourceMutationResolver } from '../modules/source/source-mutation.resolver';
import { PersonMutationResolver } from '../modules/person/person-mutation.resolver';
import { SignatoryMutationResolver } from '../modules/signatory/signatory-mutation.resolver';

/** Every resolver of the API; a module adds its own here. */
export const RESOLVERS = [
  NodeResolver,
  StatementResolver,
  SignatureResolver,
  StatementFacetsResolver,
  SignatoryResolver,
  SourceResolver,
  PersonResolver,
  PersonRoleResolver,
  EvidenceResolver,
  CountClaimResolver,
  SearchResolver,
  StatementMutationResolver,
  CurationResolver,
  SourceMutationResolver,
  PersonMutationResolver,
  SignatoryMutationResolver,
  ...HISTORY_RESOLVERS,
] as const;

let schema: Promise<GraphQLSchema> | undefined;

/** The executable schema, built from the resolvers (code first). No database is needed. */
export function buildJointlySchema(): Promise<GraphQLSchema> {
  // Plain data fields read their property with graphql-js's default resolver instead of a wrapper
  // running an (empty) middleware chain: thousands of leaf fields per nested list response.
  // Field resolvers (@FieldResolver) are unaffected; no object type uses field middleware.
  // A field exposed under another name than its property keeps type-graphql's resolver.
  const storage = getMetadataStorage();
  for (const objectType of storage.objectTypes) objectType.simpleResolvers ??= true;
  for (const field of storage.fields) if (field.schemaName !== field.name) field.simple ??= false;
  schema ??= buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    emitSchemaFile: false,
  });
  return schema;
}

const HEADER = `# This file is generated from the server's code by \`npm run generate\`. Do not edit it by hand.
# It is the public contract of the Jointly GraphQL API; CI fails when it drifts from the code.
`;

/** The schema as sorted SDL with the "generated" header: the committed schema/schema.graphql. */
export async function printJointlySchema(): Promise<string> {
  return `${HEADER}\n${printSchema(lexicographicSortSchema(await buildJointlySchema()))}\n`;
}
