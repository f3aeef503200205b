import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PoolStats {
  /** Connections open (busy + idle). */
  total: number;
  idle: number;
  /** Requests queued for a connection. */
  waiting: number;
  max: number;
}

export interface MetricsSources {
  /** The pool's figures at scrape time (undefined while the database is closed). */
  pool: () => PoolStats | undefined;
  /** SQL statements issued since start. */
  sqlStatements: () => number;
  /** HTTP requests being answered now (this scrape included). */
  httpInFlight?: (() => number) | undefined;
  /** The response cache's counters, when there is one. */
  responseCache?: (() => { hits: number; misses: number; size: number; sizeBytes: number }) | undefined;
  /** Whether the response cache's change feed can vouch for the data; absent without a cache. */
  changeFeedUp?: (() => boolean) | undefined;
  /** Read operations answered by the read engine's SQL, and by the resolvers per reason. */
  readOperations?: (() => { planned: number; refused: number; payloads: number; resolvers: ReadonlyMap<string, number> }) | undefined;
  /** Subscriptions being served now (over WebSocket), and the sockets open. */
  subscriptions?: (() => { active: number; sockets: number }) | undefined;
  /** Reads answered by each read replica and by the primary, when there are replicas. */
  replicaReads?: (() => { replica: string; reads: number }[]) | undefined;
}

/** Distinct operation names kept as labels; later ones are counted as `other` (clients choose names). */
const MAX_OPERATION_LABELS = 200;

/**
 * Prometheus metrics on GET /metrics, in a registry of their own (several servers can share a process).
 * jointly_graphql_request_duration_seconds{operation,type}, jointly_graphql_errors_total{code},
 * jointly_http_requests_total{route,status}, jointly_db_pool_connections{state},
 * jointly_sql_statements_total, and the process metrics (process_*, nodejs_*).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly duration: Histogram<'operation' | 'type'>;
  private readonly errors: Counter<'code'>;
  private readonly http: Counter<'route' | 'status'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.duration = new Histogram({
      name: 'jointly_graphql_request_duration_seconds',
      help: 'GraphQL requests by operation name and type, from the first byte read to the last byte written.',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.errors = new Counter({ name: 'jointly_graphql_errors_total', help: 'Errors in GraphQL responses, by extensions.code.', labelNames: ['code'], registers });
    this.http = new Counter({ name: 'jointly_http_requests_total', help: 'HTTP requests by route and status.', labelNames: ['route', 'status'], registers });
    new Gauge({
      name: 'jointly_db_pool_connections',
      help: 'Database pool: open, idle and in-use connections, queued requests, and the maximum.',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = sources.pool();
        if (!pool) return;
        this.set({ state: 'open' }, pool.total);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'in_use' }, pool.total - pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
        this.set({ state: 'max' }, pool.max);
      },
    });
    const cache = sources.responseCache;
    if (cache) {
      let seen = { hits: 0, misses: 0 };
      new Counter({
        name: 'jointly_response_cache_lookups_total',
        help: 'Response cache lookups of public read queries, by result (hit or miss).',
        labelNames: ['result'],
        registers,
        collect() {
          const { hits, misses } = cache();
          this.inc({ result: 'hit' }, hits - seen.hits);
          this.inc({ result: 'miss' }, misses - seen.misses);
          seen = { hits, misses };
        },
      });
      new Gauge({
        name: 'jointly_response_cache_bytes',
        help: 'Memory held by cached responses (estimated).',
        registers,
        collect() {
          this.set(cache().sizeBytes);
        },
      });
    }
    const feedUp = sources.changeFeedUp;
    if (feedUp) {
      new Gauge({
        name: 'jointly_change_feed_up',
        help: 'Whether the change feed listens and hears its heartbeats (1) or is down or deaf (0, the response cache is off).',
        registers,
        collect() {
          this.set(feedUp() ? 1 : 0);
        },
      });
    }
    const live = sources.subscriptions;
    if (live) {
      new Gauge({
        name: 'jointly_subscriptions_active',
        help: 'GraphQL subscriptions being served now (each told of every change its filter takes).',
        registers,
        collect() {
          this.set(live().active);
        },
      });
      new Gauge({
        name: 'jointly_websockets_open',
        help: 'WebSocket connections open on /graphql.',
        registers,
        collect() {
          this.set(live().sockets);
        },
      });
    }
    const replicaReads = sources.replicaReads;
    if (replicaReads) {
      const seen = new Map<string, number>();
      new Counter({
        name: 'jointly_replica_reads_total',
        help: 'Read requests sent to each read replica, and to the primary (replica="primary") when none fitted.',
        labelNames: ['replica'],
        registers,
        collect() {
          for (const { replica, reads: total } of replicaReads()) {
            this.inc({ replica }, total - (seen.get(replica) ?? 0));
            seen.set(replica, total);
          }
        },
      });
    }
    const reads = sources.readOperations;
    if (reads) {
      const seen = new Map<string, number>();
      new Counter({
        name: 'jointly_read_operations_total',
        help: 'Read operations by who answered them: the read engine (one SQL statement building the JSON; reason "payload": a mutation\'s payload it read) or the resolvers, with the field or reason that sent them there.',
        labelNames: ['engine', 'reason'],
        registers,
        collect() {
          const { planned, refused, payloads, resolvers } = reads();
          const add = (engine: string, reason: string, total: number) => {
            const key = `${engine}\u0000${reason}`;
            this.inc({ engine, reason }, total - (seen.get(key) ?? 0));
            seen.set(key, total);
          };
          add('planned', '', planned);
          add('planned', 'refused', refused);
          add('planned', 'payload', payloads);
          for (const [reason, count] of resolvers) add('resolvers', reason, count);
        },
      });
    }
    const inFlight = sources.httpInFlight;
    if (inFlight) {
      new Gauge({
        name: 'jointly_http_requests_in_flight',
        help: 'HTTP requests being answered now, this scrape included (a drain waits for them).',
        registers,
        collect() {
          this.set(inFlight());
        },
      });
    }
    let counted = 0;
    new Counter({
      name: 'jointly_sql_statements_total',
      help: 'SQL statements issued to the database (transaction control not counted).',
      registers,
      collect() {
        const total = sources.sqlStatements();
        this.inc(total - counted);
        counted = total;
      },
    });
  }

  /** The label for an operation name: itself while few names have been seen, else `other`. */
  private operationLabel(name: string): string {
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_LABELS) return 'other';
    this.operations.add(name);
    return name;
  }

  observeGraphQL(operation: string, type: string, seconds: number, errorCodes: readonly string[]): void {
    this.duration.observe({ operation: this.operationLabel(operation), type }, seconds);
    for (const code of errorCodes) this.errors.inc({ code });
  }

  observeHttp(route: string, status: number): void {
    this.http.inc({ route, status: String(status) });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
