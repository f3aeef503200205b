/** createClient: a typed method per operation, request() for any document, and paginate. */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse, print, type DocumentNode } from 'graphql';
import { errorCodeOf as errorCode, JointlyError } from './errors';
import { connections, operations, type OperationMethods, type PaginateMethods } from './generated/operations';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { send, WalPosition, type GraphQLRequest } from './transport';
import type { ClientOptions, ConnectionLike, RequestOptions } from './types';

type Variables = { [name: string]: unknown };

/**
 * The arguments of a call after its document: the variables, optional when the operation has no
 * required variable, and the {@link RequestOptions} of the call.
 *
 * @category Client
 */
export type RequestArgs<TVariables> = Partial<TVariables> extends TVariables
  ? [variables?: TVariables, options?: RequestOptions]
  : [variables: TVariables, options?: RequestOptions];

/**
 * What {@link createClient} returns: a method per operation ({@link OperationMethods}),
 * {@link JointlyClient.paginate | paginate} for the connections, and
 * {@link JointlyClient.request | request} and {@link JointlyClient.paginateDocument | paginateDocument}
 * for documents of your own. The object is frozen; its methods need no `this` and can be passed around.
 *
 * @category Client
 */
export interface JointlyClient extends OperationMethods {
  /**
   * Runs any typed document (e.g. one generated against `@jointly/client/schema.graphql`), inferring
   * its result and variables; a plain DocumentNode or a string gives an untyped result, which you
   * can type with `TResult`.
   *
   * ```ts
   * const { statement } = await client.request(StatementDocument, { key: 'unga76-c3-xinjiang-france' });
   * const count = await client.request<{ statements: { totalCount: number } }>('{ statements { totalCount } }');
   * ```
   *
   * @returns The response's `data`.
   * @throws {@link JointlyError} when the call fails; see {@link JointlyErrorCode}.
   */
  request<TResult, TVariables extends Variables = Variables>(
    document: TypedDocumentNode<TResult, TVariables> | string,
    ...args: RequestArgs<TVariables>
  ): Promise<TResult>;

  /**
   * Async iterators over every node of a connection, page after page, for each operation that
   * takes `$after` (see {@link PaginateMethods}):
   *
   * ```ts
   * for await (const statement of client.paginate.statements({ filter: { topic: 'Xinjiang' }, first: 100 })) {
   *   console.log(statement.key);
   * }
   * ```
   *
   * `first` is the page size (at most 100). A page is fetched when the loop asks for its first
   * node, so breaking out of the loop stops fetching. A failed page throws its
   * {@link JointlyError} from the loop; retries, timeouts and the signal apply to each page.
   */
  readonly paginate: PaginateMethods;

  /**
   * Pages through the connection `select` picks from the result of any document that takes
   * `$after`, yielding its nodes: `$after` is set from each page's `pageInfo.endCursor` until
   * `pageInfo.hasNextPage` is false. The connection must select `nodes` and
   * `pageInfo { hasNextPage endCursor }`.
   *
   * ```ts
   * for await (const s of client.paginateDocument(MyStatementTitlesDocument, (result) => result.statements, { topic: 'Tibet' })) {
   *   console.log(s.title);
   * }
   * ```
   *
   * @param select Picks the connection from a page's result; `null` or `undefined` ends the iteration.
   * @param variables The document's variables but `after`.
   * @throws {@link JointlyError} from the loop when a page fails, and `BAD_RESPONSE` when the server
   * says more pages follow but gives no new `endCursor`.
   */
  paginateDocument<TResult, TVariables extends Variables, TNode>(
    document: TypedDocumentNode<TResult, TVariables>,
    select: (result: TResult) => ConnectionLike<TNode> | null | undefined,
    variables?: Omit<TVariables, 'after'>,
    options?: RequestOptions,
  ): AsyncIterableIterator<TNode>;

  /**
   * Runs a subscription over WebSocket (graphql-ws, at the same URL with ws:// or wss://) and
   * yields each event's `data` as the server sends it; breaking out of the loop, or the signal,
   * ends it. One socket serves every subscription of this client; it closes when the last ends.
   *
   * ```ts
   * for await (const { statementChanged } of client.subscribe<{ statementChanged: { recordKey: string | null; fields: string[] } }>(
   *   'subscription { statementChanged { recordKey fields } }',
   * )) console.log(statementChanged.recordKey, statementChanged.fields);
   * ```
   *
   * Events missed while away (the socket dropped, the loop was slow) are in `client.paginate.changes`
   * after the last cursor you kept. On Node.js 20 pass `createClient({ webSocket })` (the `ws` package).
   *
   * @throws {@link JointlyError} from the loop when the server refuses the subscription or the socket fails.
   */
  subscribe<TResult, TVariables extends Variables = Variables>(
    document: TypedDocumentNode<TResult, TVariables> | string,
    variables?: TVariables,
    options?: { signal?: AbortSignal },
  ): AsyncIterableIterator<TResult>;
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
 * A client for the Jointly GraphQL API at `options.url`.
 *
 * ```ts
 * const client = createClient({ url: 'http://localhost:4000/graphql', token: process.env.JOINTLY_TOKEN });
 * const { statements } = await client.statements({ filter: { topic: 'Xinjiang' }, first: 10 });
 * ```
 *
 * Nothing is sent until a method is called. Every request is a `POST` with
 * `content-type: application/json` and `apollo-require-preflight: true`, which the server's CSRF
 * prevention requires. Reading needs no token; mutations need an editor's.
 *
 * @param options The endpoint, and optionally a token, headers, a fetch, a timeout and the retry
 * policy; calls can override all but the endpoint, the token and the fetch ({@link RequestOptions}).
 * @returns A frozen {@link JointlyClient}.
 * @throws TypeError when `options.url` is missing.
 * @category Client
 */
export function createClient(options: ClientOptions): JointlyClient {
  if (!options?.url) throw new TypeError('createClient: url is required');
  const settings: ClientOptions = { ...options, headers: { ...options.headers } };
  // Read-your-writes across the server's read replicas: the furthest position this client wrote at.
  const wal = new WalPosition();

  const request = (async (document: DocumentNode | string, variables?: Variables, callOptions?: RequestOptions) =>
    send(settings, { ...describe(document), variables }, callOptions, wal)) as JointlyClient['request'];

  let socket: WsClient | undefined;
  const sockets = () =>
    (socket ??= createWsClient({
      url: settings.url.replace(/^http/i, 'ws'),
      ...(settings.webSocket !== undefined && { webSocketImpl: settings.webSocket }),
      lazy: true,
      lazyCloseTimeout: 1000,
      connectionParams: async () => {
        const token = typeof settings.token === 'function' ? await settings.token() : settings.token;
        return token ? { authorization: `Bearer ${token}` } : {};
      },
    }));

  async function* subscribe<TResult>(document: DocumentNode | string, variables?: Variables, callOptions?: { signal?: AbortSignal }): AsyncGenerator<TResult, void, undefined> {
    const { query, operationName } = describe(document);
    const events = sockets().iterate<TResult>({ query, ...(operationName && { operationName }), ...(variables && { variables }) });
    const stop = () => void events.return?.();
    callOptions?.signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const event of events) {
        if (event.errors?.length) {
          const first = event.errors[0]!;
          throw new JointlyError(first.message, errorCode(first.extensions?.code), { errors: event.errors as never });
        }
        if (event.data) yield event.data;
      }
    } catch (error) {
      if (error instanceof JointlyError) throw error;
      const errors = Array.isArray(error) ? (error as { message: string; extensions?: { code?: unknown } }[]) : undefined;
      if (errors?.length) throw new JointlyError(errors[0]!.message, errorCode(errors[0]!.extensions?.code), { errors: errors as never });
      throw new JointlyError(`subscription failed: ${(error as Error)?.message ?? String(error)}`, 'NETWORK', { cause: error });
    } finally {
      callOptions?.signal?.removeEventListener('abort', stop);
    }
  }

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

  return Object.freeze({ ...methods, request, paginate: Object.freeze(paginate), paginateDocument, subscribe: subscribe as JointlyClient['subscribe'] });
}
