import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type GraphQLSchema, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../common/errors';
import { clientAddress } from './fair-share';
import type { RateLimiter } from './rate-limit';

/**
 * GraphQL subscriptions over WebSocket at /graphql (graphql-ws, subprotocol `graphql-transport-ws`),
 * under the same rules as queries over HTTP: the document is parsed within the token limit and
 * validated with the same limits (depth, aliases, directives…), each subscription counts against the
 * address's rate limit, and only subscriptions are taken (queries and mutations go over HTTP, where
 * the cost, fair share and budgets apply). Bounded: messages, sockets per address and in all,
 * subscriptions per socket, and the time a socket may take to say hello.
 */
export interface SubscriptionOptions {
  schema: GraphQLSchema;
  /** The validation rules queries get (the limits). */
  validationRules: readonly ValidationRule[];
  /** The context every subscription runs with (the server's change stream). */
  context: () => Record<string, unknown>;
  maxTokens: number;
  rateLimit?: RateLimiter;
  trustProxy: boolean;
  log: { warn(details: Record<string, unknown>, message: string): void };
}

export const MAX_SOCKETS = 1000;
export const MAX_SOCKETS_PER_ADDRESS = 10;
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;
const MAX_MESSAGE_BYTES = 64 * 1024;
const HELLO_WITHIN_MS = 5000;

const refuse = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];

/** An error of an event, as queries' errors are answered: an AppError's code and message, a GraphQL error's code; anything else is internal (and logged, not told). */
function published(error: GraphQLError, log: SubscriptionOptions['log']): GraphQLError {
  const original = error.originalError;
  if (original instanceof AppError) {
    return new GraphQLError(original.message, { nodes: error.nodes, path: error.path, extensions: { code: original.code, ...original.details } });
  }
  if (!original || (original instanceof GraphQLError && typeof original.extensions.code === 'string')) {
    return typeof error.extensions.code === 'string' ? error : new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: { code: 'BAD_USER_INPUT' } });
  }
  log.warn({ err: { name: original.name } }, 'a subscription failed unexpectedly');
  return new GraphQLError('Internal server error', { path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

export interface SubscriptionServer {
  readonly sockets: number;
  /** Closes every socket (1001, going away) and stops taking new ones. */
  close(): Promise<void>;
}

export function attachSubscriptions(server: http.Server, options: SubscriptionOptions): SubscriptionServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const perAddress = new Map<string, number>();
  const subscriptions = new WeakMap<WebSocket, number>();
  let closing = false;

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    const address = clientAddress(req, options.trustProxy);
    const reject = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (path !== '/graphql' || closing) return reject(closing ? 503 : 404, closing ? 'Service Unavailable' : 'Not Found');
    if (wss.clients.size >= MAX_SOCKETS || (perAddress.get(address) ?? 0) >= MAX_SOCKETS_PER_ADDRESS) return reject(429, 'Too Many Requests');
    wss.handleUpgrade(req, socket, head, (ws) => {
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      ws.once('close', () => {
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left > 0) perAddress.set(address, left);
        else perAddress.delete(address);
      });
      wss.emit('connection', ws, req);
    });
  };
  server.on('upgrade', onUpgrade);

  const rules = [...specifiedRules, ...options.validationRules];
  const cleanup = useServer(
    {
      schema: options.schema,
      connectionInitWaitTimeout: HELLO_WITHIN_MS,
      context: () => options.context(),
      onSubscribe: async (ctx, _id, payload) => {
        const socket = ctx.extra.socket;
        const count = subscriptions.get(socket) ?? 0;
        if (count >= MAX_SUBSCRIPTIONS_PER_SOCKET) return refuse(`at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection`, 'RATE_LIMITED');
        if (options.rateLimit) {
          const taken = await options.rateLimit.take(clientAddress(ctx.extra.request, options.trustProxy));
          if (!taken.allowed) return refuse(`Too many requests from your address this minute; retry in ${taken.retryAfterSeconds} s.`, 'RATE_LIMITED');
        }
        if (typeof payload.query !== 'string') return refuse('the subscription has no query', 'BAD_USER_INPUT');
        let document;
        try {
          document = parse(payload.query, { maxTokens: options.maxTokens });
        } catch (error) {
          return [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const errors = validate(options.schema, document, rules);
        if (errors.length) return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...e.extensions } }));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return refuse('no operation to run: give operationName', 'BAD_USER_INPUT');
        if (operation.operation !== 'subscription') return refuse('only subscriptions are taken over WebSocket; send queries and mutations over HTTP', 'BAD_USER_INPUT');
        subscriptions.set(socket, count + 1);
        return {
          schema: options.schema,
          document,
          ...(payload.operationName != null && { operationName: payload.operationName }),
          ...(payload.variables != null && { variableValues: payload.variables }),
          contextValue: options.context(),
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors?.length ? { ...result, errors: result.errors.map((e) => published(e, options.log)) } : undefined),
      onComplete: (ctx) => {
        const socket = ctx.extra.socket;
        subscriptions.set(socket, Math.max(0, (subscriptions.get(socket) ?? 1) - 1));
      },
    },
    wss,
  );

  return {
    get sockets() {
      return wss.clients.size;
    },
    close: async () => {
      closing = true;
      server.off('upgrade', onUpgrade);
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
