/**
 * @jointly/client: a typed client for the Jointly GraphQL API.
 *
 * - createClient({ url, token }) gives a typed method per operation of schema/operations
 *   (client.statements, client.signatory, client.createStatement, …), client.paginate.<operation>,
 *   and client.request(document, variables) for documents of your own.
 * - Failures throw JointlyError (with a typed `code`); mutation payload errors become a
 *   MutationError through unwrap().
 * - The typed documents, their result and variable types and the enum types are exported too.
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
