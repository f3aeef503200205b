/**
 * SQL statement counting for the two benchmark servers that use `pg` directly (PostGraphile and the
 * hand-written limit server): wraps pg.Client.prototype.query, so that every statement sent on any
 * pooled client is counted, and answers the harness over the IPC channel:
 *   { type: 'sql', capture?: boolean } → { type: 'sql', total, transactionControl, texts? }
 * `texts` (with capture) are the statements issued since the previous capture, first words only.
 */
import pg from 'pg';

const TRANSACTION_CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b/i;

export interface SqlCountReply {
  type: 'sql';
  /** Statements other than transaction control. */
  total: number;
  transactionControl: number;
  texts?: string[];
}

export function countSqlStatements(): void {
  let total = 0;
  let transactionControl = 0;
  let texts: string[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : first && typeof first === 'object' && 'text' in first ? String((first as { text: unknown }).text) : '';
    if (TRANSACTION_CONTROL.test(text)) transactionControl++;
    else total++;
    if (texts.length < 2000) texts.push(text.replace(/\s+/g, ' ').trim().slice(0, 4000));
    return original.apply(this, args);
  };
  process.on('message', (message: { type?: string; capture?: boolean }) => {
    if (message?.type !== 'sql') return;
    const reply: SqlCountReply = { type: 'sql', total, transactionControl, ...(message.capture ? { texts } : {}) };
    texts = [];
    process.send?.(reply);
  });
}
