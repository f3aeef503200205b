/**
 * Shared pieces of the fault tests: scratch PostgreSQL databases, `jointly serve` as a real child
 * process, raw HTTP requests that never throw, a request loop, and a TCP proxy that can cut, swallow
 * or freeze the connections through it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import pg from 'pg';
import { BIN } from '../../../cli/test/run-cli';

/** The PostgreSQL the fault tests create their databases on (jest.faults.config.ts insists it is set). */
export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('the fault tests need TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test');
  return url;
}

/** `url` with another database name and/or port. */
export function withDatabase(url: string, change: { database?: string; port?: number }): string {
  const u = new URL(url);
  if (change.database !== undefined) u.pathname = `/${change.database}`;
  if (change.port !== undefined) u.port = String(change.port);
  return u.toString();
}

/** Runs fn on a fresh connection to `url` (the admin database by default), then closes it. */
export async function withClient<T>(fn: (client: pg.Client) => Promise<T>, url = adminUrl()): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'jointly-fault-test' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database `jointly_fault_<random>`; the server migrates and seeds it on its first start. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `jointly_fault_${randomBytes(5).toString('hex')}`;
  await withClient((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(adminUrl(), { database: name }),
    drop: () => withClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** A port nothing listens on (at the moment of asking). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

import { sleep, waitFor } from '../support/wait';

export { sleep, waitFor };

// ---------------------------------------------------------------------------------------------
// `jointly serve` in a child process

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when it exited. */
  at: number;
}

export interface Served {
  child: ChildProcessWithoutNullStreams;
  /** The GraphQL URL from `Jointly is serving <url>` (empty until then). */
  url: string;
  /** Everything it wrote, stdout and stderr interleaved as received. */
  output(): string;
  stderr(): string;
  /** Each line with the time it arrived. */
  lines: { at: number; text: string }[];
  exited: Promise<Exit>;
  /** Resolves with the first line matching `re`. */
  line(re: RegExp, timeoutMs?: number): Promise<{ at: number; text: string }>;
}

/** The line `jointly serve` prints once it answers requests; the GraphQL URL is its first group. */
export const SERVING_LINE = /^Jointly is serving (http:\/\/\S+)/m;

const children = new Set<ChildProcessWithoutNullStreams>();

/** Starts `jointly [global args] serve --port 0` with a clean environment plus `env`; does not wait for it. */
export function spawnServe(env: Record<string, string>, globalArgs: string[] = [], serveArgs: string[] = []): Served {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'DATABASE_URL' && !key.startsWith('JOINTLY_')));
  // As deployed (not NODE_ENV=test); warnings and errors only, so the request lines do not flood the pipe;
  // no response cache unless asked: the faults are on the database path, which a cached answer skips.
  const child = spawn(process.execPath, [BIN, ...globalArgs, 'serve', '--port', '0', ...serveArgs], {
    env: { ...base, NODE_ENV: 'production', JOINTLY_LOG_LEVEL: 'warn', JOINTLY_RESPONSE_CACHE_MB: '0', ...env },
  });
  children.add(child);
  let output = '';
  let stderr = '';
  const lines: { at: number; text: string }[] = [];
  const pending = { stdout: '', stderr: '' };
  const served: Served = {
    child,
    url: '',
    output: () => output,
    stderr: () => stderr,
    lines,
    exited: new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }))),
    line: (re, timeoutMs = 15_000) => waitFor(`a line matching ${re} from jointly serve`, () => lines.find((l) => re.test(l.text)), timeoutMs, 10),
  };
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    if (stream === 'stderr') stderr += text;
    const parts = (pending[stream] + text).split('\n');
    pending[stream] = parts.pop() ?? '';
    for (const part of parts) lines.push({ at: Date.now(), text: part });
    const ready = SERVING_LINE.exec(output);
    if (ready && !served.url) served.url = ready[1]!;
  };
  child.stdout.on('data', collect('stdout'));
  child.stderr.on('data', collect('stderr'));
  void served.exited.then(() => children.delete(child));
  return served;
}

/** Starts `jointly serve` and waits for `Jointly is serving <url>`; fails with its output if it exits first. */
export async function serve(env: Record<string, string>, globalArgs: string[] = [], serveArgs: string[] = [], timeoutMs = 60_000): Promise<Served> {
  const served = spawnServe(env, globalArgs, serveArgs);
  let exit: Exit | undefined;
  void served.exited.then((e) => (exit = e));
  await waitFor(
    'ready',
    () => {
      if (exit) throw new Error(`jointly serve exited (${exit.code ?? exit.signal}) before it was ready:\n${served.output()}`);
      return served.url !== '';
    },
    timeoutMs,
    20,
  );
  return served;
}

/** SIGTERM, then SIGKILL if it is still running after timeoutMs. */
export async function stopServe(served: Served, timeoutMs = 15_000): Promise<Exit> {
  if (served.child.exitCode === null && served.child.signalCode === null) {
    served.child.kill('SIGTERM');
    const timer = setTimeout(() => served.child.kill('SIGKILL'), timeoutMs);
    try {
      return await served.exited;
    } finally {
      clearTimeout(timer);
    }
  }
  return served.exited;
}

/** For afterAll: kills (SIGKILL, by pid) whatever a failed test left running. */
export function killLeftovers(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface Answer {
  /** 0 when no HTTP response came (see error). */
  status: number;
  headers: http.IncomingHttpHeaders;
  body?: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  /** The network error's code (ECONNREFUSED, ECONNRESET…) or CLIENT_TIMEOUT. */
  error?: string;
  start: number;
  end: number;
  ms: number;
}

/** POSTs a GraphQL operation; never throws. */
export function post(
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; token?: string; agent?: http.Agent | false; timeoutMs?: number; onSocket?: (socket: net.Socket) => void } = {},
): Promise<Answer> {
  const start = Date.now();
  const body = JSON.stringify({ query, variables: options.variables ?? {} });
  return new Promise((resolve) => {
    let done = false;
    const finish = (answer: Omit<Answer, 'start' | 'end' | 'ms'>) => {
      if (done) return;
      done = true;
      const end = Date.now();
      resolve({ ...answer, start, end, ms: end - start });
    };
    const req = http.request(
      url,
      {
        method: 'POST',
        agent: options.agent,
        headers: {
          'content-type': 'application/json',
          'apollo-require-preflight': 'true',
          'content-length': Buffer.byteLength(body),
          ...(options.token && { authorization: `Bearer ${options.token}` }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (error: NodeJS.ErrnoException) => finish({ status: 0, headers: {}, error: error.code ?? error.message }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Answer['body'];
          try {
            parsed = JSON.parse(text) as Answer['body'];
          } catch {
            finish({ status: res.statusCode ?? 0, headers: res.headers, error: `NOT_JSON: ${text.slice(0, 200)}` });
            return;
          }
          finish({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.setTimeout(options.timeoutMs ?? 20_000, () => {
      finish({ status: 0, headers: {}, error: 'CLIENT_TIMEOUT' });
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) => finish({ status: 0, headers: {}, error: error.code ?? error.message }));
    if (options.onSocket) req.on('socket', options.onSocket);
    req.end(body);
  });
}

export interface Probe {
  /** 0 when no answer came within the client's timeout. */
  status: number;
  body: { status?: string; checks?: Record<string, string> } | string | undefined;
  ms: number;
}

/** GETs a path of the server (/readyz, /metrics) next to its GraphQL URL; never throws. */
export async function probe(graphqlUrl: string, path: string, timeoutMs = 20_000): Promise<Probe> {
  const start = Date.now();
  try {
    const res = await fetch(new URL(path, graphqlUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, body: json ? (JSON.parse(text) as Probe['body']) : text, ms: Date.now() - start };
  } catch {
    return { status: 0, body: undefined, ms: Date.now() - start };
  }
}

/** A metric's value from GET /metrics (NaN when absent). */
export async function metric(graphqlUrl: string, name: string): Promise<number> {
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(String((await probe(graphqlUrl, '/metrics')).body))?.[1]);
}

/** Waits until the server is answering at least `n` requests besides the scrape (they have all been read). */
export async function requestsInFlight(graphqlUrl: string, n: number, timeoutMs = 10_000): Promise<void> {
  await waitFor(`${n} requests in flight`, async () => (await metric(graphqlUrl, 'jointly_http_requests_in_flight')) >= n + 1, timeoutMs);
}

/** The first GraphQL error code of an answer, if any. */
export const codeOf = (answer: Answer): string | undefined => answer.body?.errors?.[0]?.extensions?.code;

/** 200, data and no errors. */
export const isOk = (answer: Answer): boolean => answer.status === 200 && !answer.body?.errors && answer.body?.data != null;

export const SMALL_QUERY = '{ statements(first: 2) { edges { node { title } } } }';

/** Keeps `workers` requests in flight until stopped; every answer is kept. */
export function requestLoop(url: string, query: string | ((n: number) => string) = SMALL_QUERY, workers = 4) {
  let sent = 0;
  const answers: Answer[] = [];
  const agent = new http.Agent({ keepAlive: true });
  let running = true;
  const runners = Array.from({ length: workers }, async () => {
    while (running) {
      answers.push(await post(url, typeof query === 'string' ? query : query(sent++), { agent, timeoutMs: 15_000 }));
      await sleep(5);
    }
  });
  return {
    answers,
    /** The first good answer to a request sent after `since`. */
    firstOkSince: (since: number) => answers.find((a) => a.start >= since && isOk(a)),
    async stop(): Promise<Answer[]> {
      running = false;
      await Promise.all(runners);
      agent.destroy();
      return answers;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// SIGTERM under load

/** A heavier read: a page of statements with their signatures and signatories. */
/**
 * A request that keeps the server busy for a while, so that some are still running at a signal:
 * introspection sends it to graphql-js and the resolvers (several statements, objects completed in
 * JavaScript), where the read engine would answer the list in one quick statement.
 */
export const LARGE_QUERY = `{
  __schema { types { name fields { name } } }
  statements(first: 20) {
    totalCount
    nodes { title date signatures(first: 60) { totalCount nodes { signatory { name } } } }
  }
}`;

export const CONCURRENT = 50;

export interface Burst {
  answers: Promise<Answer[]>;
  /** Sockets connected so far. */
  connected(): number;
  /** Answers received so far. */
  received(): number;
}

/** CONCURRENT requests at once, each on its own keep-alive connection; every third one heavier. */
export function burst(url: string, agent: http.Agent): Burst {
  let connected = 0;
  let received = 0;
  const onSocket = (socket: net.Socket) => {
    if (socket.connecting) socket.once('connect', () => connected++);
    else connected++;
  };
  const answers = Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) =>
      post(url, i % 3 === 0 ? LARGE_QUERY : SMALL_QUERY, { agent, onSocket, timeoutMs: 30_000 }).then((a) => {
        received++;
        return a;
      }),
    ),
  );
  return { answers, connected: () => connected, received: () => received };
}

/**
 * After SIGTERM, new connections are refused as soon as the server has let in the requests already
 * queued (a few turns of its event loop). A probe that races the closing listener is either served
 * or reset (it was queued in the kernel when the listener closed) — never left hanging.
 */
export async function newConnectionsRefused(url: string): Promise<Answer[]> {
  const probes: Answer[] = [];
  await waitFor(
    'new connections to be refused',
    async () => {
      const probe = await post(url, SMALL_QUERY, { agent: false, timeoutMs: 10_000 });
      probes.push(probe);
      return probe.error === 'ECONNREFUSED';
    },
    5000,
    10,
  );
  return probes;
}

export function expectRefusedOrServed(probes: Answer[]): void {
  expect(probes.at(-1)!.error).toBe('ECONNREFUSED');
  expect(probes.slice(0, -1).filter((p) => !isOk(p) && p.error !== 'ECONNRESET').map((p) => ({ status: p.status, error: p.error, ms: p.ms }))).toEqual([]);
}

export function expectAllServed(answers: Answer[]): void {
  expect(answers).toHaveLength(CONCURRENT);
  expect(answers.filter((a) => !isOk(a)).map((a) => ({ status: a.status, error: a.error, errors: a.body?.errors }))).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// A TCP proxy between the server and PostgreSQL

/** One connection through the proxy. */
interface Link {
  client: net.Socket;
  upstream: net.Socket;
  /** The client's first bytes (PostgreSQL's startup message: user, database, application_name). */
  startup: string | undefined;
  frozen: boolean;
  /** What a frozen link did not pass on yet, in order. */
  held: { to: net.Socket; chunk: Buffer }[];
}

/**
 * Forwards 127.0.0.1:port to the target; can refuse (cut), swallow (blackhole), freeze established
 * connections without closing them, and come back.
 */
export class TcpProxy {
  port = 0;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly links = new Set<Link>();
  private mode: 'forward' | 'blackhole' = 'forward';
  /** Frozen connections their client gave up on (closed). */
  frozenClosed = 0;
  /** While set: the connections whose startup message matches are frozen (see freeze). */
  private freezing: ((startup: string) => boolean) | undefined;

  constructor(private readonly target: { host: string; port: number }) {}

  static to(url: string): TcpProxy {
    const u = new URL(url);
    return new TcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Listens (again) on `port`, or on this.port, or on a free port; forwards. */
  async open(port = this.port): Promise<number> {
    this.mode = 'forward';
    if (this.server) return this.port;
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  private accept(client: net.Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    if (this.mode === 'blackhole') return; // accepted, never answered
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(upstream);
    const link: Link = { client, upstream, startup: undefined, frozen: false, held: [] };
    this.links.add(link);
    const pass = (to: net.Socket, chunk: Buffer) => {
      if (link.frozen) link.held.push({ to, chunk });
      else if (!to.destroyed) to.write(chunk);
    };
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      this.links.delete(link);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => {
      if (link.frozen) this.frozenClosed++;
      this.links.delete(link);
      upstream.destroy();
    });
    client.on('data', (chunk: Buffer) => {
      if (link.startup === undefined) {
        link.startup = chunk.toString('latin1');
        if (this.freezing?.(link.startup)) link.frozen = true;
      }
      pass(upstream, chunk);
    });
    upstream.on('data', (chunk: Buffer) => pass(client, chunk));
  }

  /** An outage: stops listening (new connections are refused) and breaks every open connection. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.links.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A network that swallows packets: breaks open connections, then accepts new ones and never answers. */
  async blackhole(): Promise<void> {
    if (!this.server) await this.open();
    this.mode = 'blackhole';
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.links.clear();
  }

  /**
   * A partition that closes nothing (a NAT or firewall that forgot the flow, a frozen link): the
   * connections whose startup message matches (all, by default) — open ones and new ones — stay
   * open and accept bytes, but nothing passes either way until thaw().
   */
  freeze(matches: (startup: string) => boolean = () => true): void {
    this.freezing = matches;
    for (const link of this.links) if (link.startup !== undefined && matches(link.startup)) link.frozen = true;
  }

  /** The partition heals: what was held is delivered, and everything flows again. */
  thaw(): void {
    this.freezing = undefined;
    for (const link of this.links) {
      link.frozen = false;
      for (const { to, chunk } of link.held.splice(0)) if (!to.destroyed) to.write(chunk);
    }
  }

  /** Connections open through the proxy (frozen or not) whose startup message matches. */
  openConnections(matches: (startup: string) => boolean = () => true): number {
    return [...this.links].filter((link) => link.startup !== undefined && matches(link.startup)).length;
  }

  async close(): Promise<void> {
    this.thaw();
    await this.cut();
  }
}

/** Matches the startup message of the change feed's LISTEN connection (application_name jointly-changes). */
export const changeFeedConnection = (startup: string): boolean => startup.includes('jointly-changes');

/** Prints a measured figure (collected for docs/production/faults.md). */
export function report(figure: string): void {
  process.stderr.write(`[faults] ${figure}\n`);
}
