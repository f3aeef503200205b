import type { DataSource, EntityManager } from 'typeorm';
import { authenticate, type Actor } from '../access/token.service';
import { WriteSession } from './write-session';
import { evidenceLoaders } from '../evidence/evidence.loaders';
import { personLoaders } from '../person/person.loaders';
import { signatoryLoaders } from '../signatory/signatory.loaders';
import { sourceLoaders } from '../source/source.loaders';
import { statementLoaders } from '../statement/statement.loaders';

/** Where the read engine leaves JSON texts for the HTTP response to take as they are (read/raw-json). */
export interface RawJson {
  /** Keeps a JSON text; returns what stands for it in the answer until the body is spliced. */
  hold(text: string): string;
  /** The response body with every held text in place. */
  splice(body: string): string;
}

/**
 * Whether this request reads deleted records: asked for (`includeDeleted: true` on a lookup, or a
 * write's payload) and allowed (an editor or admin token). Read when a loader's batch runs, after
 * every top-level field has been started, so one answer holds for the whole operation.
 */
export type SeesDeleted = () => Promise<boolean>;

const publicOnly: SeesDeleted = () => Promise.resolve(false);

/** Every per-request DataLoader, named <things>By<Key>; deleted records are left out unless `seesDeleted`. */
export function createLoaders(em: EntityManager, seesDeleted: SeesDeleted = publicOnly) {
  return {
    ...statementLoaders(em, seesDeleted),
    ...signatoryLoaders(em, seesDeleted),
    ...sourceLoaders(em, seesDeleted),
    ...personLoaders(em, seesDeleted),
    ...evidenceLoaders(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What every resolver and service receives: the database (only through `em`) and this request's loaders. */
export interface RequestContext {
  em: EntityManager;
  loaders: Loaders;
  /** The token's holder, looked up once and only when a write (or includeDeleted) asks (reads are public). */
  actor(): Promise<Actor | null>;
  /** Asks to read deleted records for the rest of the request; they are shown only to an editor or admin token. */
  includeDeleted(): void;
  /** Where the read engine leaves JSON texts for the HTTP response to take as they are (absent: it hands parsed values). */
  rawJson?: RawJson;
  /** A mutation request's transaction (begun by requireWriter; `em` is its manager from then on). */
  writes: WriteSession;
}

/**
 * A request's context. Its loaders are made when first used (most requests are answered by the read
 * engine, which needs none) by a getter on the prototype: Apollo Server copies the context's own
 * properties into a clone per operation, which would call a getter of the object itself.
 */
class Context implements RequestContext {
  private made: Loaders | undefined;
  rawJson?: RawJson;

  constructor(
    private readonly pool: EntityManager,
    readonly actor: () => Promise<Actor | null>,
    readonly includeDeleted: () => void,
    private readonly seesDeleted: SeesDeleted,
    readonly writes: WriteSession,
    /** Always `pool` (a write's transaction or savepoint), never the request's session. */
    private readonly bound = false,
  ) {}

  /** The pool, or the request's write transaction once it is begun. */
  get em(): EntityManager {
    return this.bound ? this.pool : (this.writes.em ?? this.pool);
  }

  get loaders(): Loaders {
    return (this.made ??= createLoaders(this.em, this.seesDeleted));
  }
}

/**
 * The context with loaders of its own for the public archive (made when first used): lookups made
 * through it cache nothing the request's own loaders would answer from.
 */
export function withPublicLoaders(ctx: RequestContext): RequestContext {
  const planning = new Context(ctx.em, ctx.actor, ctx.includeDeleted, publicOnly, ctx.writes);
  planning.rawJson = ctx.rawJson;
  return planning;
}

/**
 * Built once per request, so DataLoader caches never outlive it. `committed` is called after the
 * request's write transaction commits.
 */
export function createRequestContext(
  dataSource: DataSource,
  authorization?: string,
  rawJson?: RawJson,
  committed?: () => Promise<string | undefined> | void,
  /** Where reads run (a read replica); the primary by default. Writes, and the reads of their payloads, are the primary's. */
  reads: DataSource = dataSource,
): RequestContext {
  const em = reads.manager;
  const writes = new WriteSession(dataSource, authorization, committed);
  let actor: Promise<Actor | null> | undefined;
  let asked = false;
  // A mutation's token is looked up in its transaction (begun first); a read's on its own, on the
  // primary (the lookup records the token's use).
  const actorOf = () => writes.writer() ?? (actor ??= authenticate(dataSource.manager, authorization));
  const seesDeleted: SeesDeleted = async () => asked && (await actorOf()) !== null;
  const ctx = new Context(
    em,
    actorOf,
    () => {
      asked = true;
    },
    seesDeleted,
    writes,
  );
  ctx.rawJson = rawJson;
  return ctx;
}

/** The context a write runs in: the request's, on its transaction `em`, seeing deleted records (the writer's). */
export function inTransaction(ctx: RequestContext, em: EntityManager): RequestContext {
  return new Context(em, ctx.actor, () => undefined, () => Promise.resolve(true), ctx.writes, true);
}

/** A context that reads through `em` as the public does, outside any request (the CLI's exports). */
export function contextOn(em: EntityManager): RequestContext {
  return new Context(em, () => Promise.resolve(null), () => undefined, publicOnly, new WriteSession(em.connection, undefined));
}
