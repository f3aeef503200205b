import type http from 'node:http';
import type net from 'node:net';

/** How long a client may take to send a request, and how many connections it may hold open. */
export interface ConnectionLimits {
  /** Milliseconds to receive a whole request (headers and body); 408 and closed after (Node's requestTimeout). */
  requestTimeoutMs: number;
  /** Milliseconds to receive the request's headers (Node's headersTimeout); at most requestTimeoutMs. */
  headersTimeoutMs: number;
  /** Open connections in all; beyond, new ones are closed at once (Node's maxConnections). */
  maxConnections: number;
  /** Open connections from one client address; beyond, new ones from it are closed at once. */
  maxConnectionsPerAddress: number;
}

/** The options of http.createServer that enforce the timeouts; checked every second, not Node's default 30 s. */
export function timeoutOptions(limits: ConnectionLimits): http.ServerOptions {
  return {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
  };
}

/**
 * Caps open connections, in all and per client address, so that one client holding many slow or
 * idle connections cannot take every socket. A connection over a cap is closed before any byte is
 * read. Attach before the server accepts its first connection.
 */
export function limitConnections(server: http.Server, limits: ConnectionLimits): { openFrom(address: string): number } {
  server.maxConnections = limits.maxConnections;
  const open = new Map<string, number>();
  server.prependListener('connection', (socket: net.Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  return { openFrom: (address) => open.get(address) ?? 0 };
}
