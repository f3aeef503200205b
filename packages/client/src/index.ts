/**
 * A typed client for the Jointly GraphQL API, the archive of joint statements at the United
 * Nations: a typed method per operation, pagination as async iterators, one error class with typed
 * codes, retries, timeouts and abort. ESM and CommonJS, with type declarations for both.
 *
 * ```ts
 * import { createClient, JointlyError } from '@jointly/client';
 *
 * const client = createClient({ url: 'http://localhost:4000/graphql' });
 * const { statements } = await client.statements({ filter: { topic: 'Xinjiang' }, first: 10 });
 * for await (const signatory of client.paginate.signatories({ filter: { kind: 'STATE' } })) console.log(signatory.name);
 * ```
 *
 * Where to start:
 *
 * - {@link createClient} and its {@link ClientOptions} (endpoint, token, retries, timeout); the
 *   {@link JointlyClient} it returns.
 * - {@link OperationMethods}: a method per operation of `schema/operations` (`client.statements`,
 *   `client.signatory`, `client.createStatement`, …), its variables and result typed from the
 *   operation; {@link RequestOptions} override the client's options for one call.
 * - {@link PaginateMethods}: `client.paginate.<operation>` yields every node of a connection, page
 *   after page; {@link JointlyClient.paginateDocument} does the same for a document of your own.
 * - {@link JointlyError} and its {@link JointlyErrorCode}: every failure of a call. Mutations report
 *   expected failures in their payload; {@link unwrap} returns the record written or throws a
 *   {@link MutationError}.
 * - {@link JointlyClient.request} runs any typed document, e.g. one generated with graphql-codegen
 *   against `@jointly/client/schema.graphql`, the API's schema, which the package ships.
 *
 * The typed documents (`StatementsDocument`, …), their result and variable types
 * (`StatementsQuery`, `StatementsQueryVariables`, …), the fragments' types and the API's input and
 * enum types are generated from the schema and the operations, and exported too.
 *
 * @packageDocumentation
 */
export { createClient, type JointlyClient, type RequestArgs } from './client';
export {
  JointlyError,
  MutationError,
  isJointlyError,
  unwrap,
  type GraphQLErrorShape,
  type JointlyErrorCode,
  type JointlyErrorDetails,
  type PayloadLike,
  type ServerErrorCode,
  type Unwrapped,
  type UserError,
  type UserErrorCode,
} from './errors';
export type { ClientOptions, ConnectionAt, ConnectionLike, ConnectionNode, PageVariables, RequestOptions, RetryOptions } from './types';
export type { OperationMethods, PaginateMethods } from './generated/operations';
export type { TypedDocumentNode, ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
export * from './generated/graphql';
