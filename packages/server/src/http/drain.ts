import type http from 'node:http';
import type net from 'node:net';

/** Requests were still running when the shutdown timeout ran out; their connections were closed. */
export class ShutdownTimeoutError extends Error {
  override readonly name = 'ShutdownTimeoutError';
}

export interface Drain {
  /** True once close() was called. */
  readonly draining: boolean;
  /** Requests received and not yet answered. */
  readonly inFlight: number;
  /**
   * Graceful close: stops accepting connections, lets every request in flight finish — its response
   * carries `Connection: close` and its connection is closed once the response is sent — closes idle
   * keep-alive connections, and resolves when the last connection is gone. After `timeoutMs` it
   * closes the remaining connections and rejects with a ShutdownTimeoutError. Calling it again
   * returns the same promise.
   */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Tracks the connections and requests in flight on `server`, for a graceful close. Attach it before
 * the server accepts its first connection (right after `http.createServer`, or at the latest in the
 * tick `listen` resolves).
 *
 * Why not just `server.close()` + `closeIdleConnections()`: Node counts as idle a connection whose
 * request is not read yet, and one whose response is ended but still being flushed, and destroys
 * both — the client sees ECONNRESET. Here a connection is closed only when no response is in flight
 * on it, and gracefully (its pending bytes are sent first).
 */
export function trackInFlight(server: http.Server): Drain {
  const active = new Set<http.ServerResponse>();
  /** Every open connection, with the number of its responses in flight. */
  const connections = new Map<net.Socket, number>();
  let draining = false;
  let closing: Promise<void> | undefined;
  let accepted = 0;

  const closeWhenIdle = (socket: net.Socket) => {
    if (draining && connections.get(socket) === 0 && !socket.destroyed) socket.destroySoon();
  };

  server.on('connection', (socket: net.Socket) => {
    accepted++;
    connections.set(socket, 0);
    socket.once('close', () => connections.delete(socket));
  });

  // Before the application's handler, so that the header is set before anything is written.
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    active.add(res);
    if (connections.has(socket)) connections.set(socket, connections.get(socket)! + 1);
    // A request that arrives on an existing keep-alive connection while draining is still served, once.
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      active.delete(res);
      if (connections.has(socket)) connections.set(socket, Math.max(0, connections.get(socket)! - 1));
      // A response already under way when draining began may have promised keep-alive: close it now it is sent.
      closeWhenIdle(socket);
    });
  });

  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return active.size;
    },
    close(timeoutMs = Number.POSITIVE_INFINITY) {
      closing ??= new Promise<void>((resolve, reject) => {
        draining = true;
        for (const res of active) {
          if (!res.headersSent) res.setHeader('connection', 'close');
        }
        let timer: NodeJS.Timeout | undefined;
        if (Number.isFinite(timeoutMs)) {
          timer = setTimeout(() => {
            const left = active.size;
            server.closeAllConnections();
            for (const socket of connections.keys()) socket.destroy();
            reject(new ShutdownTimeoutError(`${left} request${left === 1 ? ' was' : 's were'} still running after ${timeoutMs} ms; closed their connections`));
          }, timeoutMs);
        }
        // Clients that connected before the signal may still wait in the kernel's accept queue: a busy
        // loop (the embedded database at work) accepts about one connection per turn, and closing the
        // listener resets the rest. So keep accepting until a few turns bring no new connection (at
        // most SETTLE_MAX_MS); those requests are read and served like the others.
        settle(() => accepted, () => {
          // http's close() first calls closeIdleConnections(), which would destroy every connection it
          // deems idle (see above): switched off for that one synchronous call; idle ones are closed below.
          const closeIdleConnections = server.closeIdleConnections;
          server.closeIdleConnections = () => undefined;
          try {
            server.close((error) => {
              if (timer) clearTimeout(timer);
              if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
              else resolve();
            });
          } finally {
            server.closeIdleConnections = closeIdleConnections;
          }
          for (const socket of connections.keys()) closeWhenIdle(socket);
        });
      });
      return closing;
    },
  };
}

/** The longest the listener stays open after close() while connections keep arriving. */
const SETTLE_MAX_MS = 1000;
/** Turns of the event loop without a new connection that mean the accept queue is empty. */
const QUIET_TURNS = 3;

/** Runs fn once QUIET_TURNS turns of the event loop (each polls for I/O) passed with no new connection. */
function settle(acceptedSoFar: () => number, fn: () => void): void {
  const deadline = Date.now() + SETTLE_MAX_MS;
  let seen = acceptedSoFar();
  let quiet = 0;
  const turn = () => {
    const now = acceptedSoFar();
    quiet = now === seen ? quiet + 1 : 0;
    seen = now;
    if (quiet >= QUIET_TURNS || Date.now() > deadline) fn();
    else setImmediate(turn);
  };
  setImmediate(turn);
}
