import { AsyncLocalStorage } from 'node:async_hooks';
import { EventSubscriber, type AfterQueryEvent, type EntitySubscriberInterface, type Logger, type QueryRunner } from 'typeorm';
import { currentRequest } from '../observability/request-scope';

/**
 * Counts SQL statements in total, per HTTP request (into its request scope, for the log line) and
 * per `measure` call, so tests and benchmarks can see N+1 patterns. One AsyncLocalStorage (the
 * request scope) serves the server; `measure`'s own is only ever enabled by the code that calls it.
 */
export class SqlCounter {
  private readonly scope = new AsyncLocalStorage<{ count: number }>();
  total = 0;
  /** Round trips to the database: the statements and the transaction control (BEGIN, COMMIT, savepoints). */
  roundTrips = 0;
  /**
   * Milliseconds of database time one read query (an HTTP request's GraphQL query) may use, its
   * statements summed; once spent, its next statement is refused (QUERY_TOO_COMPLEX, limit
   * `databaseTime`) instead of sent. 0 = no budget.
   */
  requestBudgetMs = 0;
  /** The error a statement over the budget is refused with (the API's own refusal, set by the server). */
  budgetSpent: (budgetMs: number, spentMs: number) => Error = (budgetMs, spentMs) => new Error(`${spentMs} ms of database time spent; the budget is ${budgetMs} ms`);

  /** Runs fn and returns its result with the number of SQL statements it issued. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const bucket = { count: 0 };
    const result = await this.scope.run(bucket, fn);
    return { result, statements: bucket.count };
  }

  /** Before a statement is sent: refuses it when the request's read query has spent its budget. */
  beforeStatement(): void {
    const request = currentRequest();
    const spent = request?.dbMs ?? 0;
    if (this.requestBudgetMs > 0 && request?.operationType === 'query' && spent >= this.requestBudgetMs) {
      throw this.budgetSpent(this.requestBudgetMs, Math.round(spent));
    }
  }

  /** After a statement: adds how long it took to its request's database time. */
  recordTime(ms: number): void {
    const request = currentRequest();
    if (request) request.dbMs = (request.dbMs ?? 0) + ms;
  }

  /** A transaction control statement: a round trip, not a statement. */
  recordControl(): void {
    this.roundTrips++;
  }

  record(): void {
    this.total++;
    this.roundTrips++;
    const request = currentRequest();
    if (request) request.sql++;
    const bucket = this.scope.getStore();
    if (bucket) bucket.count++;
  }
}

const TRANSACTION_CONTROL = /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)/i;

/**
 * A TypeORM subscriber (a class, as TypeORM instantiates it) that times every statement into the
 * counter, and refuses one whose request has spent its database time.
 */
export function statementTimer(counter: SqlCounter): new () => EntitySubscriberInterface {
  class StatementTimer implements EntitySubscriberInterface {
    beforeQuery(): void {
      counter.beforeStatement();
    }
    afterQuery(event: AfterQueryEvent): void {
      if (event.executionTime !== undefined) counter.recordTime(event.executionTime);
    }
  }
  // TypeORM instantiates only the subscriber classes registered by this decorator.
  EventSubscriber()(StatementTimer);
  return StatementTimer;
}

/** A TypeORM logger that counts statements (not transaction control) and optionally prints them. */
export class CountingLogger implements Logger {
  constructor(
    private readonly counter: SqlCounter,
    private readonly print: boolean,
  ) {}

  logQuery(query: string, parameters?: unknown[], _queryRunner?: QueryRunner): void {
    if (TRANSACTION_CONTROL.test(query)) this.counter.recordControl();
    else this.counter.record();
    if (this.print) process.stderr.write(`sql: ${query}${parameters?.length ? ` -- ${JSON.stringify(parameters)}` : ''}\n`);
  }
  logQueryError(error: string | Error, query: string): void {
    if (this.print) process.stderr.write(`sql error: ${String(error)} in ${query}\n`);
  }
  logQuerySlow(time: number, query: string): void {
    if (this.print) process.stderr.write(`sql slow (${time} ms): ${query}\n`);
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    if (this.print) process.stderr.write(`migration: ${message}\n`);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') process.stderr.write(`typeorm: ${String(message)}\n`);
  }
}
