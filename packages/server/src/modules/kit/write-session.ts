import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { setWriter } from '../../data/writer';
import { authenticate, recordUse, type Actor } from '../access/token.service';

/**
 * A mutation request's one transaction: BEGIN, then one statement that authenticates the token,
 * records its use and names the writer for the history triggers; then the mutation's statements and
 * the read of its payload; then COMMIT, when the executor ends it (or ROLLBACK, when the mutation
 * failed). With several mutation fields in the operation, each runs in a savepoint of it, so that one
 * that fails leaves the others' writes. Until it is begun nothing is held; once begun, every
 * statement of the request runs on its connection (`em`).
 */
export class WriteSession {
  private runner: QueryRunner | undefined;
  private actor: Promise<Actor | null> | undefined;
  private via = '';
  private fields = 1;
  private failed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly authorization: string | undefined,
    /**
     * Awaited after a commit, before the answer is sent: this process's own writes drop the cached
     * answers at once (here and, with Redis, on every instance); with read replicas it gives the
     * primary's WAL position, which the answer carries (see walPosition).
     */
    private readonly committed: () => Promise<string | undefined> | void = () => undefined,
  ) {}

  /** After a commit, with read replicas: the primary's WAL position, for the answer's Jointly-WAL-Position. */
  walPosition: string | undefined;

  /** The transaction's manager once begun. */
  get em(): EntityManager | undefined {
    return this.runner?.manager;
  }

  /** The writer once begun (null: no valid token). */
  writer(): Promise<Actor | null> | undefined {
    return this.actor;
  }

  /** The writer (null: no valid token), in the transaction begun by the first call. */
  begin(via: string, fields = 1): Promise<Actor | null> {
    return (this.actor ??= (async () => {
      const runner = this.dataSource.createQueryRunner();
      this.runner = runner;
      this.via = via;
      this.fields = fields;
      await runner.startTransaction();
      return authenticate(runner.manager, this.authorization, via);
    })());
  }

  /** Runs one mutation field's writes in the transaction; `via` names it for the history triggers. */
  async run<T>(actor: Actor, via: string, fn: (em: EntityManager) => Promise<T>): Promise<T> {
    const em = this.em;
    if (!em) throw new Error('a write ran before its transaction was begun (requireWriter)');
    if (this.fields > 1) {
      return em.transaction(async (savepoint) => {
        if (via !== this.via) await setWriter(savepoint, actor.name, (this.via = via));
        return fn(savepoint);
      });
    }
    try {
      if (via !== this.via) await setWriter(em, actor.name, (this.via = via));
      return await fn(em);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** Commits (or, after a failed write, rolls back) and gives the connection back; idempotent. */
  async end(failed = false): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    this.runner = undefined;
    try {
      if (!runner.isTransactionActive) return;
      if (failed || this.failed) {
        await runner.rollbackTransaction();
        // The token was used even though nothing was written.
        const actor = await this.actor?.catch(() => null);
        if (actor?.recorded) await recordUse(runner.manager, actor.name);
      } else {
        await runner.commitTransaction();
        const position = await this.committed();
        if (typeof position === 'string') this.walPosition = position;
      }
    } finally {
      await runner.release();
    }
  }
}
