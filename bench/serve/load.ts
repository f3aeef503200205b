/**
 * Load generation with autocannon's programmatic API: a fixed number of connections sending one
 * request after another (saturation), or a fixed overall rate (the latency at half saturation).
 * Every response is checked: non-2xx, connection errors and timeouts, and GraphQL errors in a 200.
 */
import autocannon from 'autocannon';
import type { CandidateName } from './candidates';
import { writeMixBody, writeMixResult, type GraphQLBody } from './queries';

export interface LoadRun {
  seconds: number;
  requests: number;
  rps: number;
  /** Raw response times (ms) of every request; not kept in the results. */
  latencies: number[];
  /** Percentiles of the raw response times (ms). */
  p50: number;
  p99: number;
  /** autocannon's p99 (whole ms; corrected for coordinated omission when a rate is set). */
  p99Corrected: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 200 responses that carry a GraphQL error (or a mutation payload error). */
  graphqlErrors: number;
  /** Response bytes (headers and body) over all responses. */
  bytes: number;
  /** Write mix only. */
  writes?: number;
  conflicts?: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  overallRate?: number;
  headers?: Record<string, string>;
}

const HAS_ERRORS = /"errors":\s*\[\s*\{/;

type Req = autocannon.Request;

function runAutocannon(options: LoadOptions, requests: Req[]): Promise<LoadRun> {
  const latencies: number[] = [];
  let graphqlErrors = 0;
  let bytes = 0;
  const counted = requests.map((r) => ({
    ...r,
    onResponse: (status: number, body: string, context: object, headers: Req['headers']) => {
      if (status === 200 && HAS_ERRORS.test(body)) graphqlErrors++;
      if (typeof r.onResponse === 'function') r.onResponse(status, body, context, headers);
    },
  }));
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        pipelining: 1,
        timeout: 30,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        requests: counted,
      },
      (error: Error | null, result: autocannon.Result) => {
        if (error) return reject(error);
        const requestsDone = latencies.length;
        resolve({
          seconds: result.duration,
          requests: requestsDone,
          rps: requestsDone / result.duration,
          latencies,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          p99Corrected: result.latency.p99,
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          graphqlErrors,
          bytes,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, resBytes: number, responseTime: number) => {
      latencies.push(responseTime);
      bytes += resBytes;
    });
  });
}

/** The same request over and over. */
export function runStatic(options: LoadOptions, body: GraphQLBody): Promise<LoadRun> {
  return runAutocannon(options, [
    { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify(body) },
  ]);
}

/** Requests from a sequence (the read mix): each one the JSON body `next()` returns. */
export function runSequence(options: LoadOptions, next: () => string): Promise<LoadRun> {
  return runAutocannon(options, [
    {
      method: 'POST',
      path: '/graphql',
      setupRequest: (req: Req) => ({ ...req, headers: { 'content-type': 'application/json', ...options.headers }, body: next() }),
    },
  ]);
}

/** State of the write mix across the runs of one server: the version of each target as last seen. */
export interface WriteMixState {
  targets: string[];
  versions: Map<string, number>;
  /** Authorization header for writes (Jointly's editor token). */
  writeHeaders: Record<string, string>;
  reads: number;
  writes: number;
}

/** Every 20th request is an update of the next target at the version last seen; the others read the next target. */
export async function runWriteMix(candidate: CandidateName, options: LoadOptions, state: WriteMixState): Promise<LoadRun> {
  let sent = 0;
  let conflicts = 0;
  let writes = 0;
  const request: Req = {
    method: 'POST',
    path: '/graphql',
    setupRequest: (req: Req, context: object) => {
      const ctx = context as { kind?: 'read' | 'write'; key?: string };
      sent++;
      const write = sent % 20 === 0;
      const key = write ? state.targets[state.writes++ % state.targets.length]! : state.targets[state.reads++ % state.targets.length]!;
      ctx.kind = write ? 'write' : 'read';
      ctx.key = key;
      const version = state.versions.get(key) ?? 1;
      const body = writeMixBody(candidate, ctx.kind, key, version, `Item ${state.writes}`);
      return {
        ...req,
        headers: { 'content-type': 'application/json', ...(write ? state.writeHeaders : {}) },
        body: JSON.stringify(body),
      };
    },
    onResponse: (status: number, body: string, context: object) => {
      const ctx = context as { kind?: 'read' | 'write'; key?: string };
      if (status !== 200 || !ctx.kind) return;
      if (ctx.kind === 'write') writes++;
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return;
      }
      const result = writeMixResult(candidate, ctx.kind, parsed);
      if (result.error) {
        if (ctx.kind === 'write') conflicts++;
        return;
      }
      if (result.key && typeof result.version === 'number') {
        const known = state.versions.get(result.key) ?? 0;
        if (result.version > known) state.versions.set(result.key, result.version);
      }
    },
  };
  const run = await runAutocannon(options, [request]);
  return { ...run, writes, conflicts };
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
