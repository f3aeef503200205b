/**
 * PGlite is one PostgreSQL session; PGLiteSocketServer lets several `pg` connections share it (this
 * server's pool and the `jointly` commands run next to it) by queueing their protocol messages one at a
 * time. Two things need help there, and both are done by wrapping the PGlite instance the socket
 * server is given:
 *
 * - The queue keeps a connection's messages together only inside a transaction block. An
 *   extended-protocol query outside one (Parse, Bind, Describe, Execute, then Sync) can arrive in
 *   several TCP chunks — a bulk import's multi-megabyte Bind does — and another connection's Parse
 *   could land between them and replace the unnamed statement. So from a connection's first
 *   extended-protocol message until its Sync, the session reports itself "in a transaction", which
 *   makes the queue take only that connection's messages.
 * - PostgreSQL sends a NOTIFY of a committing transaction to the connection that committed it (they
 *   are all the same session). The session LISTENs on the change channel, and every backend message
 *   going out to any connection is scanned for a NotificationResponse on it, so this process learns
 *   of commits made through any connection.
 */

/** Frontend messages that belong to an extended-protocol query, up to its Sync. */
const EXTENDED = new Set([0x50 /* P */, 0x42 /* B */, 0x44 /* D */, 0x45 /* E */, 0x43 /* C */, 0x48 /* H */]);
const SYNC = 0x53; /* S */
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);
const NOTIFICATION_RESPONSE = 0x41; /* A */
const HEADER_BYTES = 5;

/**
 * Finds NotificationResponse messages in a stream of backend messages split into chunks anywhere
 * (a type byte, a 4-byte length that counts itself, the body). Other messages are skipped by their
 * length without being read.
 */
export class NotificationScanner {
  private header: number[] = [];
  private remaining = 0;
  private body: Buffer[] | undefined;

  constructor(private readonly onNotification: (channel: string, payload: string) => void) {}

  feed(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0 && this.body === undefined) {
        while (this.header.length < HEADER_BYTES && offset < chunk.length) this.header.push(chunk[offset++]!);
        if (this.header.length < HEADER_BYTES) return;
        const [type, a, b, c, d] = this.header as [number, number, number, number, number];
        this.header = [];
        this.remaining = Math.max(((a << 24) | (b << 16) | (c << 8) | d) - 4, 0);
        if (type === NOTIFICATION_RESPONSE) this.body = [];
        if (this.remaining === 0) this.finish();
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      // Copied: the chunk may be a view of memory that is reused once this call returns.
      if (this.body) this.body.push(Buffer.from(chunk.subarray(offset, offset + take)));
      offset += take;
      this.remaining -= take;
      if (this.remaining === 0) this.finish();
    }
  }

  private finish(): void {
    const parts = this.body;
    this.body = undefined;
    if (!parts) return;
    // Int32 process id, then the channel and the payload, each a NUL-terminated string.
    const body = Buffer.concat(parts);
    const channelEnd = body.indexOf(0, 4);
    if (channelEnd < 0) return;
    const payloadEnd = body.indexOf(0, channelEnd + 1);
    this.onNotification(body.toString('utf8', 4, channelEnd), body.toString('utf8', channelEnd + 1, payloadEnd < 0 ? body.length : payloadEnd));
  }
}

/** What the wrapper needs of a PGlite instance (the methods PGLiteSocketServer calls on it). */
export interface ProtocolSession {
  execProtocolRawStream(message: Uint8Array, options: { syncToFs?: boolean; onRawData: (data: Uint8Array) => void }): Promise<void>;
  execProtocolRaw(message: Uint8Array, options?: { syncToFs?: boolean }): Promise<Uint8Array>;
  isInTransaction(): boolean;
  exec(query: string, options?: unknown): Promise<unknown>;
  runExclusive<R>(fn: () => Promise<R>): Promise<R>;
}

/**
 * The instance to give PGLiteSocketServer: the same session, with extended-protocol queries kept
 * whole and `onNotification` called for every notification any connection receives.
 */
export function shareSession<T extends ProtocolSession>(instance: T, onNotification: (channel: string, payload: string) => void): T {
  let openQuery = false;
  const execProtocolRawStream: ProtocolSession['execProtocolRawStream'] = async (message, options) => {
    const scanner = new NotificationScanner(onNotification);
    const type = message[0];
    if (type !== undefined && EXTENDED.has(type)) openQuery = true;
    try {
      await instance.execProtocolRawStream(message, {
        ...options,
        onRawData: (data) => {
          scanner.feed(data);
          options.onRawData(data);
        },
      });
    } finally {
      if (type === SYNC) openQuery = false;
    }
  };
  const isInTransaction = () => openQuery || instance.isInTransaction();
  // The socket server calls exec('ROLLBACK') when a connection goes away in the middle of something (a
  // transaction, or here an unfinished extended query). After a failed extended-protocol message the
  // session skips everything, that ROLLBACK included, until a Sync: so send the Sync first (behind
  // PGlite's query lock, like the queue's messages), and the ROLLBACK then ends any open transaction.
  const exec = async (query: string, options?: unknown) => {
    if (openQuery) {
      openQuery = false;
      await instance.runExclusive(() => instance.execProtocolRaw(SYNC_MESSAGE));
    }
    return instance.exec(query, options);
  };
  return new Proxy(instance, {
    get(target, property) {
      if (property === 'execProtocolRawStream') return execProtocolRawStream;
      if (property === 'isInTransaction') return isInTransaction;
      if (property === 'exec') return exec;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
