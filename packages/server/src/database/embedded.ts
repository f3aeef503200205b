import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** An embedded PostgreSQL (PGlite) in this process, reachable by any `pg` client over 127.0.0.1. */
export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string;
  readonly dataDir: string;
  /** An in-memory copy of this database, served on its own port (for tests: a fresh database per file). */
  clone(): Promise<EmbeddedPostgres>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** A folder for the data, created if missing; `memory://` keeps everything in memory. */
  dataDir: string;
  /** How many client connections the socket server accepts; at least the pool size. */
  maxConnections: number;
  /** 0 picks a free port. */
  port?: number;
}

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dataDir>.lock`, holding this process id, so that a second process cannot open the same folder
 * (PGlite itself does not stop it). A lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(
          `the data folder ${dataDir} is in use by process ${holder}; stop it, or set JOINTLY_DATA_DIR to another folder`,
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`could not take the lock ${lockPath}`);
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

/** Starts PGlite (with pg_trgm and unaccent) and serves it on 127.0.0.1 through PGLiteSocketServer. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const inMemory = options.dataDir.startsWith('memory://');
  const dataDir = inMemory ? options.dataDir : path.resolve(options.dataDir);
  const unlock = inMemory ? () => undefined : lockDataDir(dataDir);
  let db: { close(): Promise<void> } | undefined;
  let server: { stop(): Promise<void> } | undefined;
  try {
    if (!inMemory) fs.mkdirSync(dataDir, { recursive: true });
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm, unaccent } });
    db = pglite;
    type Instance = typeof pglite;
    const serve = async (instance: Instance, dir: string, port: number, release: () => void): Promise<EmbeddedPostgres> => {
      const socketServer = new PGLiteSocketServer({ db: instance, host: '127.0.0.1', port, maxConnections: options.maxConnections });
      server = socketServer;
      await socketServer.start();
      let stopped = false;
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        dataDir: dir,
        clone: async () => serve((await instance.clone()) as Instance, 'memory://', await freePort(), () => undefined),
        async stop() {
          if (stopped) return;
          stopped = true;
          try {
            await socketServer.stop();
            await instance.close();
          } finally {
            release();
          }
        },
      };
    };
    return await serve(pglite, dataDir, options.port || (await freePort()), unlock);
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    unlock();
    throw error;
  }
}
