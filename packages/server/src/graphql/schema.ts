import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage, type PubSub } from 'type-graphql';
import { MODULES } from '../modules';

/** Every resolver of the API: those of every module. */
export const RESOLVERS = MODULES.flatMap((module) => module.resolvers);

let schema: Promise<GraphQLSchema> | undefined;

/** The executable schema, built from the resolvers (code first). No database is needed. */
const NO_PUB_SUB: PubSub = {
  publish: () => undefined,
  subscribe: () => {
    throw new Error('no topic subscriptions: see modules/history/change.subscription');
  },
};

export function buildJointlySchema(): Promise<GraphQLSchema> {
  // Plain data fields read their property with graphql-js's default resolver instead of a wrapper
  // running an (empty) middleware chain: thousands of leaf fields per nested list response.
  // Field resolvers (@FieldResolver) are unaffected; no object type uses field middleware.
  // A field exposed under another name than its property keeps type-graphql's resolver.
  const storage = getMetadataStorage();
  for (const objectType of storage.objectTypes) objectType.simpleResolvers ??= true;
  for (const field of storage.fields) if (field.schemaName !== field.name) field.simple ??= false;
  const [first, ...rest] = RESOLVERS;
  if (!first) throw new Error('no module has a resolver');
  schema ??= buildSchema({
    resolvers: [first, ...rest],
    // Subscriptions take their events from the server's change stream in their context (their
    // `subscribe` option); type-graphql asks for a pub/sub all the same.
    pubSub: NO_PUB_SUB,
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
