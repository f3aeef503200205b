/**
 * A small typed client for the Jointly GraphQL API. Give it a typed document (for example one generated
 * by graphql-codegen's typed-document-node from the published schema) and it infers result and variables.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';

export interface ClientOptions {
  /** e.g. http://localhost:4000/graphql */
  url: string;
  fetch?: typeof globalThis.fetch;
  headers?: Record<string, string>;
}

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** A request that failed: over the network, with an HTTP status, or with GraphQL errors. */
export class JointlyError extends Error {
  override readonly name = 'JointlyError';
  constructor(
    message: string,
    readonly code: string,
    readonly errors: GraphQLErrorShape[] = [],
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface JointlyClient {
  request<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVariables> | DocumentNode | string,
    variables?: TVariables,
  ): Promise<TResult>;
}

export function createClient(options: ClientOptions): JointlyClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    async request(document, variables) {
      const query = typeof document === 'string' ? document : print(document);
      let response: Response;
      try {
        response = await doFetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            // Apollo's CSRF prevention accepts requests that carry this header.
            'apollo-require-preflight': 'true',
            ...options.headers,
          },
          body: JSON.stringify({ query, variables }),
        });
      } catch (error) {
        throw new JointlyError(`network error: ${(error as Error).message}`, 'NETWORK');
      }
      const text = await response.text();
      let payload: { data?: unknown; errors?: GraphQLErrorShape[] };
      try {
        payload = JSON.parse(text);
      } catch {
        throw new JointlyError(`HTTP ${response.status}: not a GraphQL response`, 'BAD_RESPONSE', [], response.status);
      }
      if (payload.errors?.length) {
        const first = payload.errors[0]!;
        throw new JointlyError(first.message, first.extensions?.code ?? 'GRAPHQL_ERROR', payload.errors, response.status);
      }
      return payload.data as never;
    },
  };
}
export * from './generated/graphql';
