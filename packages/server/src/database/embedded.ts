import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CHANGE_CHANNEL } from './change-feed';
import { shareSession } from './shared-session';

/** An embedded PostgreSQL (PGlite) in this process, reachable by any `pg` client over 127.0.0.1. */
export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string;
  readonly dataDir: string;
  /**
   * Calls listener after every commit that changed the archive (the ChangeNotifications triggers'
   * NOTIFY), whichever connection made it: this process's pool or a `jointly` command sharing the socket.
   * Returns the unsubscribe function.
   */
  onChange(listener: () => void): () => void;
  /**
   * Records the port in the folder's lock, so that `jointly` commands run meanwhile work through this
   * process instead of refusing (`jointly serve` calls it once the database is migrated and ready).
   */
  advertise(): void;
  /** An in-memory copy of this database, served on its own port (for tests: a fresh database per file). */
  clone(): Promise<EmbeddedPostgres>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** A folder for the data, created if missing; `memory://` keeps everything in memory. */
  dataDir: string;
  /** How many client connections the socket server accepts: the pool, and the `jointly` commands sharing it. */
  maxConnections: number;
  /** 0 picks a free port. */
  port?: number;
}

/** Who holds a data folder: the process id, and the 127.0.0.1 port it serves the database on once it does. */
export interface DataDirHolder {
  pid: number;
  port?: number;
}

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder,
  ) {
    super(`the data folder ${dataDir} is in use by process ${holder.pid}; stop it, or set JOINTLY_DATA_DIR to another folder`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const isPort = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0 && (value as number) <= 65535;

/**
 * Reads a lock file: `{"pid":N,"port":P}` (the port once the database is served), or a plain process id
 * as older versions wrote it. Anything else is undefined (a broken lock, taken over like a dead one).
 */
export function parseLockFile(text: string): DataDirHolder | undefined {
  const trimmed = text.trim();
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof value === 'number') value = { pid: value };
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, port } = value as { pid?: unknown; port?: unknown };
  if (!Number.isInteger(pid) || (pid as number) <= 0) return undefined;
  return isPort(port) ? { pid: pid as number, port } : { pid: pid as number };
}

const lockPathOf = (dataDir: string) => `${dataDir}.lock`;

/** The live process (not this one) holding `<dataDir>.lock`, if any. */
export function dataDirHolder(dataDir: string): DataDirHolder | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lockPathOf(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const holder = parseLockFile(text);
  return holder && holder.pid !== process.pid && isAlive(holder.pid) ? holder : undefined;
}

export interface DataDirLock {
  /** Records the port the database is served on, so that `jointly` commands can work through it. */
  advertise(port: number): void;
  release(): void;
}

/**
 * Takes `<dataDir>.lock`, holding this process id, so that a second process cannot open the same folder
 * (PGlite itself does not stop it). A lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = lockPathOf(dataDir);
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
      return {
        advertise(port) {
          // Written aside and renamed into place (atomic): a reader never sees half a file.
          const draft = `${lockPath}.${process.pid}`;
          fs.writeFileSync(draft, JSON.stringify({ pid: process.pid, port }));
          fs.renameSync(draft, lockPath);
        },
        release: () => fs.rmSync(lockPath, { force: true }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = dataDirHolder(dataDir);
      if (holder) throw new DataDirLockedError(dataDir, holder);
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not take the lock ${lockPath}`);
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts PGlite (with pg_trgm, unaccent and fuzzystrmatch) and serves it on 127.0.0.1 through PGLiteSocketServer. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const inMemory = options.dataDir.startsWith('memory://');
  const dataDir = inMemory ? options.dataDir : path.resolve(options.dataDir);
  const lock = inMemory ? undefined : lockDataDir(dataDir);
  let db: { close(): Promise<void> } | undefined;
  let server: { stop(): Promise<void> } | undefined;
  try {
    if (!inMemory) fs.mkdirSync(dataDir, { recursive: true });
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
    const { fuzzystrmatch } = await import('@electric-sql/pglite/contrib/fuzzystrmatch');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm, unaccent, fuzzystrmatch } });
    db = pglite;
    type Instance = typeof pglite;
    const serve = async (instance: Instance, dir: string, port: number, lock: DataDirLock | undefined): Promise<EmbeddedPostgres> => {
      const listeners = new Set<() => void>();
      const session = shareSession(instance, (channel) => {
        if (channel === CHANGE_CHANNEL) for (const listener of listeners) listener();
      });
      // Session state, so it holds for every connection: their commits' notifications reach the scanner.
      await instance.exec(`LISTEN ${CHANGE_CHANNEL}`);
      const socketServer = new PGLiteSocketServer({ db: session, host: '127.0.0.1', port, maxConnections: options.maxConnections });
      server = socketServer;
      await socketServer.start();
      let stopped = false;
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        dataDir: dir,
        onChange(listener) {
          listeners.add(listener);
          return () => void listeners.delete(listener);
        },
        advertise: () => lock?.advertise(port),
        clone: async () => serve((await instance.clone()) as Instance, 'memory://', await freePort(), undefined),
        async stop() {
          if (stopped) return;
          stopped = true;
          listeners.clear();
          try {
            await socketServer.stop();
            await instance.close();
          } finally {
            lock?.release();
          }
        },
      };
    };
    return await serve(pglite, dataDir, options.port || (await freePort()), lock);
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    lock?.release();
    throw error;
  }
}
