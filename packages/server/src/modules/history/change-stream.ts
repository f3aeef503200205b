import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { contextOn } from '../kit/context';
import { changesPage } from './change.service';
import type { Change } from './change.type';
import { ENDED_BEFORE } from './change-sql';

/** Which changes a subscriber wants. */
export interface ChangeFilter {
  recordType?: string;
  table?: string;
  /** The record's key (a statement's, for signatureChanged its statement's); a deleted record's changes carry none. */
  recordKey?: string;
  /** The record's global id. */
  recordId?: string;
}

/** A subscriber's events in order; one that falls this far behind is ended (it reads the feed with `changes` to catch up). */
const MAX_BUFFERED = 1000;
/** Changes read per page while catching up. */
const PAGE = 100;
/** Committed changes not listed yet (an older transaction, in any database of the cluster, still runs): looked for again this often. */
const RETRY_MS = 250;

interface Subscriber {
  filter: ChangeFilter;
  queue: Change[];
  wake?: () => void;
  ended: boolean;
}

/**
 * The live side of the change feed, one per server: whenever this process hears of a commit (its
 * LISTEN connection, or its own write), it reads the revisions committed since the last it read —
 * one query per burst for all subscribers, none while nobody subscribes — and hands each
 * subscriber the changes its filter takes. Every instance does this from its own LISTEN, so a
 * subscriber on any instance sees a write made through any other.
 */
export class ChangeStream {
  private readonly subscribers = new Set<Subscriber>();
  private cursor: string | null | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: { warn(details: Record<string, unknown>, message: string): void },
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Something was committed: read what is new (coalesced while a read runs). */
  notify(): void {
    if (this.closed || this.subscribers.size === 0) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.read()
      .catch((error: Error) => this.log.warn({ reason: error.message }, 'the change stream could not read new changes; it tries again on the next one'))
      .finally(() => {
        this.reading = undefined;
        if (this.again) {
          this.again = false;
          this.notify();
        }
      });
  }

  /** The changes `filter` takes, from now on, until the caller stops iterating. */
  async *subscribe(filter: ChangeFilter): AsyncGenerator<Change> {
    // Where "now" is: the end of the feed when the first subscriber arrives.
    if (this.cursor === undefined) this.cursor = await this.end();
    const subscriber: Subscriber = { filter, queue: [], ended: false };
    this.subscribers.add(subscriber);
    try {
      while (!this.closed && !subscriber.ended) {
        const next = subscriber.queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (subscriber.wake = resolve));
        subscriber.wake = undefined;
      }
    } finally {
      this.subscribers.delete(subscriber);
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    for (const subscriber of this.subscribers) {
      subscriber.ended = true;
      subscriber.wake?.();
    }
  }

  private async end(): Promise<string | null> {
    const rows: { txid: string; id: string }[] = await this.dataSource.query(
      `SELECT txid::text AS txid, id::text AS id FROM revision WHERE txid < ${ENDED_BEFORE} ORDER BY txid DESC, id DESC LIMIT 1`,
    );
    return rows[0] ? encodeCursor([rows[0].txid, rows[0].id]) : null;
  }

  private async read(): Promise<void> {
    if (this.cursor === undefined) this.cursor = await this.end();
    const ctx = contextOn(this.dataSource.manager);
    for (;;) {
      const page = await changesPage(ctx, { first: PAGE, after: this.cursor });
      if (page.pageInfo.endCursor) this.cursor = page.pageInfo.endCursor;
      for (const change of page.nodes) this.deliver(change);
      if (!page.pageInfo.hasNextPage) break;
    }
    // Committed but held back (an older transaction still runs): its end may bring no notification
    // of its own, so look again until they are listed.
    clearTimeout(this.retry);
    if (await this.heldBack()) {
      this.retry = setTimeout(() => this.notify(), RETRY_MS);
      this.retry.unref();
    }
  }

  /** Whether revisions committed after the cursor wait for an older transaction to end. */
  private async heldBack(): Promise<boolean> {
    const position = this.cursor ? decodeCursor(this.cursor) : ['0', '0'];
    const rows: { waiting: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM revision WHERE txid >= ${ENDED_BEFORE} AND (txid, id) > ($1::bigint, $2::bigint)) AS waiting`,
      position,
    );
    return rows[0]!.waiting;
  }

  private deliver(change: Change): void {
    for (const subscriber of this.subscribers) {
      const { recordType, table, recordKey, recordId } = subscriber.filter;
      if (recordId !== undefined && change.recordId !== recordId) continue;
      if (recordType !== undefined && change.recordType !== recordType) continue;
      if (table !== undefined && change.table !== table) continue;
      if (recordKey !== undefined && change.recordKey !== recordKey) continue;
      if (subscriber.queue.length >= MAX_BUFFERED) {
        subscriber.ended = true;
      } else subscriber.queue.push(change);
      subscriber.wake?.();
    }
  }
}
