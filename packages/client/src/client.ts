/** createClient: a typed method per operation, request() for any document, and paginate. */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse, print, type DocumentNode } from 'graphql';
import { JointlyError } from './errors';
import { connections, operations, type OperationMethods, type PaginateMethods } from './generated/operations';
import { send, type GraphQLRequest } from './transport';
import type { ClientOptions, ConnectionLike, RequestOptions } from './types';

type Variables = { [name: string]: unknown };

/** The arguments after the document: variables (optional when the operation needs none) and options. */
export type RequestArgs<TVariables> = Partial<TVariables> extends TVariables
  ? [variables?: TVariables, options?: RequestOptions]
  : [variables: TVariables, options?: RequestOptions];

export interface JointlyClient extends OperationMethods {
  /**
   * Runs any typed document (e.g. one generated against `@jointly/client/schema.graphql`), inferring
   * its result and variables; a plain DocumentNode or a string gives an untyped result.
   */
  request<TResult, TVariables extends Variables = Variables>(
    document: TypedDocumentNode<TResult, TVariables> | string,
    ...args: RequestArgs<TVariables>
  ): Promise<TResult>;

  /**
   * Async iterators over every node of a connection, page after page:
   * `for await (const statement of client.paginate.statements({ filter: { topic: 'Xinjiang' } }))`.
   */
  readonly paginate: PaginateMethods;

  /**
   * Pages through the connection `select` picks from the result of any document that takes
   * `$after`, yielding its nodes.
   */
  paginateDocument<TResult, TVariables extends Variables, TNode>(
    document: TypedDocumentNode<TResult, TVariables>,
    select: (result: TResult) => ConnectionLike<TNode> | null | undefined,
    variables?: Omit<TVariables, 'after'>,
    options?: RequestOptions,
  ): AsyncIterableIterator<TNode>;
}

const described = new WeakMap<object, Omit<GraphQLRequest, 'variables'>>();

/** The printed query of a document, its operation's name, and whether it is a mutation. */
function describe(document: DocumentNode | string): Omit<GraphQLRequest, 'variables'> {
  if (typeof document !== 'string') {
    const known = described.get(document);
    if (known) return known;
  }
  let ast: DocumentNode;
  try {
    ast = typeof document === 'string' ? parse(document) : document;
  } catch (error) {
    throw new JointlyError(`the document does not parse: ${(error as Error).message}`, 'GRAPHQL_ERROR', { cause: error });
  }
  const operations = ast.definitions.filter((d) => d.kind === 'OperationDefinition');
  const operation = operations.length === 1 ? operations[0] : undefined;
  const description = {
    query: typeof document === 'string' ? document : print(document),
    operationName: operation?.name?.value,
    // With several operations the server needs an operationName; treat the call as a mutation then.
    isMutation: operation ? operation.operation === 'mutation' : operations.some((d) => d.operation === 'mutation'),
  };
  if (typeof document !== 'string') described.set(document, description);
  return description;
}

/**
 * A client for the Jointly GraphQL API.
 *
 * ```ts
 * const client = createClient({ url: 'http://localhost:4000/graphql' });
 * const { statements } = await client.statements({ filter: { topic: 'Xinjiang' }, first: 10 });
 * ```
 */
export function createClient(options: ClientOptions): JointlyClient {
  if (!options?.url) throw new TypeError('createClient: url is required');
  const settings: ClientOptions = { ...options, headers: { ...options.headers } };

  const request = (async (document: DocumentNode | string, variables?: Variables, callOptions?: RequestOptions) =>
    send(settings, { ...describe(document), variables }, callOptions)) as JointlyClient['request'];

  async function* paginateDocument<TResult, TVariables extends Variables, TNode>(
    document: TypedDocumentNode<TResult, TVariables>,
    select: (result: TResult) => ConnectionLike<TNode> | null | undefined,
    variables?: Omit<TVariables, 'after'>,
    callOptions?: RequestOptions,
  ): AsyncGenerator<TNode, void, undefined> {
    let after: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const page = (await request(document as DocumentNode, { ...variables, ...(after === undefined ? {} : { after }) }, callOptions)) as TResult;
      const connection = select(page);
      if (!connection) return;
      yield* connection.nodes;
      const { hasNextPage, endCursor } = connection.pageInfo;
      if (!hasNextPage) return;
      if (!endCursor || seen.has(endCursor)) {
        throw new JointlyError(`the server said more pages follow but gave ${endCursor ? 'a repeated' : 'no'} endCursor`, 'BAD_RESPONSE');
      }
      seen.add(endCursor);
      after = endCursor;
    }
  }

  const at = (result: unknown, path: readonly string[]): ConnectionLike<unknown> | null | undefined =>
    path.reduce<unknown>((value, key) => (value as Record<string, unknown> | null | undefined)?.[key], result) as ConnectionLike<unknown> | null | undefined;

  const paginate = Object.fromEntries(
    Object.entries(connections).map(([name, { document, path }]) => [
      name,
      (variables?: Variables, callOptions?: RequestOptions) =>
        paginateDocument(document as TypedDocumentNode<unknown, Variables>, (result) => at(result, path), variables, callOptions),
    ]),
  ) as unknown as PaginateMethods;

  const methods = Object.fromEntries(
    Object.entries(operations).map(([name, document]) => [
      name,
      (variables?: Variables, callOptions?: RequestOptions) => request(document as DocumentNode, variables, callOptions),
    ]),
  ) as unknown as OperationMethods;

  return Object.freeze({ ...methods, request, paginate: Object.freeze(paginate), paginateDocument });
}
