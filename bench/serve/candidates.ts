/**
 * The three servers under test, each a child process of the harness on the same database:
 * Jointly (`jointly serve`, production mode), PostGraphile 5 (serve/postgraphile-server.ts) and the
 * hand-written limit server (serve/limit-server.ts). Their output goes to bench/out/logs/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SqlCountReply } from './sql-count';

/**
 * `jointly` runs as configured for production (its response cache on, the default);
 * `jointly-nocache` is the same server with JOINTLY_RESPONSE_CACHE_MB=0, measured only when the server
 * has a response cache: every request then does the work, like the other two servers.
 */
export type CandidateName = 'jointly' | 'jointly-nocache' | 'postgraphile' | 'limit';
export const CANDIDATE_LABEL: Record<CandidateName, string> = {
  jointly: 'Jointly',
  'jointly-nocache': 'Jointly, response cache off',
  postgraphile: 'PostGraphile 5',
  limit: 'limit (node:http + pg, one SQL statement)',
};
export const isJointly = (c: CandidateName): boolean => c === 'jointly' || c === 'jointly-nocache';

/** Which schema a server is asked in: Jointly's, PostGraphile's, or the limit server's (Jointly's bodies). */
export type Dialect = 'jointly' | 'postgraphile' | 'limit';
export const dialectOf = (c: CandidateName): Dialect => (isJointly(c) ? 'jointly' : (c as Dialect));

const ROOT = path.resolve(__dirname, '..', '..', '..');
const JOINTLY_BIN = path.join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
const HERE = __dirname;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  databaseUrl: string;
  poolSize: number;
  logDir: string;
  /** Jointly only: print every SQL statement on stderr (JOINTLY_LOG_SQL) and keep them. */
  logSql?: boolean;
  /** A label for the log file name. */
  tag?: string;
}

class StartError extends Error {}

/** One SQL statement printed by a Jointly started with JOINTLY_LOG_SQL=true. */
const TRANSACTION_CONTROL = /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)/i;

export class Candidate {
  /** SQL statements printed so far (logSql only), transaction control excluded. */
  private printed: string[] = [];
  private exited = false;
  private exitedWith = '';

  private constructor(
    readonly name: CandidateName,
    readonly child: ChildProcess,
    readonly port: number,
    readonly logFile: string,
    readonly logSql: boolean,
  ) {
    child.once('exit', (code, signal) => {
      this.exited = true;
      this.exitedWith = signal ?? `exit code ${code}`;
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** False once the process has exited; `exitStatus` says how. */
  get alive(): boolean {
    return !this.exited;
  }

  get exitStatus(): string {
    return this.exitedWith;
  }

  /** Starts the server and waits until it answers; one more attempt if it exits during start-up. */
  static async start(name: CandidateName, options: StartOptions): Promise<Candidate> {
    try {
      return await Candidate.startOnce(name, options);
    } catch (error) {
      if (!(error instanceof StartError)) throw error;
      process.stderr.write(`  ${(error as Error).message}; trying again\n`);
      await sleep(2000);
      return Candidate.startOnce(name, options);
    }
  }

  private static async startOnce(name: CandidateName, options: StartOptions): Promise<Candidate> {
    const port = await freePort();
    fs.mkdirSync(options.logDir, { recursive: true });
    const logFile = path.join(options.logDir, `${name}${options.tag ? `-${options.tag}` : ''}.log`);
    const out = fs.openSync(logFile, 'w');
    const base = { ...process.env, NODE_ENV: 'production', DATABASE_URL: options.databaseUrl, PORT: String(port) };
    let child: ChildProcess;
    if (isJointly(name)) {
      const env: NodeJS.ProcessEnv = {
        ...base,
        JOINTLY_SEED: 'false',
        JOINTLY_DB_POOL_SIZE: String(options.poolSize),
        JOINTLY_LOG_SQL: options.logSql ? 'true' : 'false',
        // All load comes from one address (the harness's connections stand for that many clients): the
        // fair share of expensive operations (per-address turns, a share of the pool) stays in the path
        // but allows as many at once as the pool has connections, as the other two servers do.
        JOINTLY_EXPENSIVE_PER_ADDRESS: String(options.poolSize),
        JOINTLY_EXPENSIVE_TOTAL: String(options.poolSize),
      };
      // The SQL-logging instance must run every request's SQL, so it has no response cache either.
      if (name === 'jointly-nocache' || options.logSql) env.JOINTLY_RESPONSE_CACHE_MB = '0';
      child = spawn(process.execPath, [JOINTLY_BIN, 'serve'], { env, stdio: ['ignore', out, options.logSql ? 'pipe' : out] });
    } else if (name === 'postgraphile') {
      const env = { ...base, POOL_SIZE: String(options.poolSize) };
      child = spawn(process.execPath, ['--require', path.join(HERE, 'polyfill.js'), path.join(HERE, 'postgraphile-server.js')], {
        env,
        stdio: ['ignore', out, out, 'ipc'],
      });
    } else {
      const env = { ...base, POOL_SIZE: String(options.poolSize) };
      child = spawn(process.execPath, [path.join(HERE, 'limit-server.js')], { env, stdio: ['ignore', out, out, 'ipc'] });
    }
    fs.closeSync(out);
    const candidate = new Candidate(name, child, port, logFile, options.logSql ?? false);
    if (options.logSql) candidate.collectSql();
    await candidate.waitReady();
    return candidate;
  }

  private collectSql(): void {
    let buffer = '';
    let current: string | undefined;
    const flushCurrent = () => {
      if (current !== undefined) {
        const text = current.replace(/ -- \[.*$/s, '').replace(/\s+/g, ' ').trim();
        if (!TRANSACTION_CONTROL.test(text)) this.printed.push(text);
      }
      current = undefined;
    };
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      fs.appendFileSync(this.logFile, chunk);
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('sql: ')) {
          flushCurrent();
          current = line.slice(5);
        } else if (/^(sql error|sql slow|typeorm:|migration:)/.test(line)) {
          flushCurrent();
        } else if (current !== undefined) {
          current += `\n${line}`;
        }
      }
      // A statement is complete once the next one starts; one that ends the chunk is kept open.
    });
    this.takePrinted = () => {
      flushCurrent();
      const taken = this.printed;
      this.printed = [];
      return taken;
    };
  }

  /** logSql only: the statements printed since the last call (the last one included). */
  takePrinted: () => string[] = () => [];

  private async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new StartError(`${this.name} exited during start-up (${this.exitedWith}); see ${this.logFile}`);
      try {
        const res =
          this.name === 'limit'
            ? await fetch(`http://127.0.0.1:${this.port}/healthz`)
            : await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
        if (res.ok) {
          await res.arrayBuffer();
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`${this.name} did not become ready in ${timeoutMs / 1000} s; see ${this.logFile}`);
  }

  /**
   * SQL statements issued so far (transaction control excluded): Jointly's own Prometheus counter
   * jointly_sql_statements_total (GET /metrics), undefined when it has none; for the other two the
   * count of their wrapped pg client (over IPC).
   */
  async sqlTotal(): Promise<number | undefined> {
    if (isJointly(this.name)) return (await this.metrics())?.sql;
    return (await this.ipcSql(false)).total;
  }

  /** Jointly's Prometheus counters that the benchmark reads (undefined: no /metrics, or not this counter). */
  async metrics(): Promise<{ sql?: number; cacheHits?: number; cacheMisses?: number; cacheBytes?: number } | undefined> {
    const res = await fetch(`http://127.0.0.1:${this.port}/metrics`);
    const text = await res.text();
    if (!res.ok) return undefined;
    const value = (pattern: RegExp) => {
      const match = pattern.exec(text);
      return match ? Number(match[1]) : undefined;
    };
    return {
      sql: value(/^jointly_sql_statements_total(?:\{[^}]*\})? ([0-9.e+]+)$/m),
      cacheHits: value(/^jointly_response_cache_lookups_total\{result="hit"\} ([0-9.e+]+)$/m),
      cacheMisses: value(/^jointly_response_cache_lookups_total\{result="miss"\} ([0-9.e+]+)$/m),
      cacheBytes: value(/^jointly_response_cache_bytes ([0-9.e+]+)$/m),
    };
  }

  /** PostGraphile and limit: the statements issued since the previous capture. */
  async capturedSql(): Promise<string[]> {
    return (await this.ipcSql(true)).texts ?? [];
  }

  private ipcSql(capture: boolean): Promise<SqlCountReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not answer the SQL count`)), 5000);
      const onMessage = (message: SqlCountReply) => {
        if (message?.type !== 'sql') return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(message);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'sql', capture });
    });
  }

  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb(): number {
    return this.statusMb('VmHWM');
  }

  rssMb(): number {
    return this.statusMb('VmRSS');
  }

  /** A memory figure of /proc/<pid>/status in MB; NaN once the process is gone. */
  private statusMb(field: 'VmHWM' | 'VmRSS'): number {
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      return Math.round(Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024);
    } catch {
      return NaN;
    }
  }

  /** Resets VmHWM to the current RSS (writes 5 to /proc/<pid>/clear_refs); false when not allowed. */
  resetPeakRss(): boolean {
    try {
      fs.writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
