import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { badInput } from './errors';
import { isPartialDate } from './partial-date';
import { badCharacter } from './text';
import type { ConnectionItems, Edge } from './connection';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `The first n items after \`after\`: ${DEFAULT_PAGE_SIZE} by default, at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Start after this cursor (the endCursor of the previous page).' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `The last n items before \`before\`, at most ${MAX_PAGE_SIZE}; instead of first.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'End before this cursor (the startCursor of the next page).' })
  before?: string | null;
}

/** @deprecated name kept for the first API's resolvers; same as PageArgs. */
export { PageArgs as ForwardPageArgs };

@ObjectType({ description: 'Where a page stands in its list (Relay).' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Whether items precede this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first item of the page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'The cursor of the last item of the page.' })
  endCursor!: string | null;
}

/** A validated page request over a keyset: `limit` rows after and/or before positions, forward or backward. */
export interface PageRequest {
  limit: number;
  after: unknown[] | null;
  before: unknown[] | null;
  backward: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isId = (v: unknown) => typeof v === 'string' && UUID.test(v);
/** A calendar day the database can hold (year 1 or later; 2019-02-30 is none). */
const isDate = (v: unknown) => typeof v === 'string' && v.length === 10 && isPartialDate(v);
/** A position in a list: a whole number a PostgreSQL integer holds. */
const isOrder = (v: unknown) => Number.isInteger(v) && Math.abs(v as number) <= 2_147_483_647;
/** A rank: a number a PostgreSQL real holds. */
export const isRank = (v: unknown) => typeof v === 'number' && Number.isFinite(Math.fround(v));
/** Sort text: characters text can hold (its length is the cursor's, bounded as an argument). */
const isText = (v: unknown) => typeof v === 'string' && badCharacter(v) === undefined;

/**
 * Keyset positions of the lists: what a cursor must decode to, values the database takes as they
 * are (a forged cursor is BAD_USER_INPUT, never a failed query). The last element is always the row id.
 */
export const positions = {
  /** [date, id] */
  dateAndId: (p: unknown[]) => p.length === 2 && isDate(p[0]) && isId(p[1]),
  /** [date or null, id] */
  optionalDateAndId: (p: unknown[]) => p.length === 2 && (p[0] === null || isDate(p[0])) && isId(p[1]),
  /** [whole number, id] */
  orderAndId: (p: unknown[]) => p.length === 2 && isOrder(p[0]) && isId(p[1]),
  /** [number, id] */
  numberAndId: (p: unknown[]) => p.length === 2 && isRank(p[0]) && isId(p[1]),
  /** [text, id] */
  textAndId: (p: unknown[]) => p.length === 2 && isText(p[0]) && isId(p[1]),
};

function size(name: string, value: number | null | undefined): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badInput(`${name} must be between 0 and ${MAX_PAGE_SIZE}, got ${value}; page through longer lists with after/before`, { argument: name });
  }
  return value;
}

/**
 * Checks the page arguments (a size over 100 is an error, never a silent cap; first and last
 * exclude each other) and decodes the cursors, which must be positions of this list.
 */
export function pageRequest(args: PageArgs, isPosition: (position: unknown[]) => boolean): PageRequest {
  const first = size('first', args.first);
  const last = size('last', args.last);
  if (first !== null && last !== null) throw badInput('give first or last, not both', { argument: 'last' });
  const cursor = (name: 'after' | 'before') => {
    const value = args[name];
    if (!value) return null;
    const position = decodeCursor(value, name);
    if (!isPosition(position)) throw badInput(`"${value}" is not a cursor of this list; send a cursor this connection returned`, { argument: name });
    return position;
  };
  return { limit: first ?? last ?? DEFAULT_PAGE_SIZE, after: cursor('after'), before: cursor('before'), backward: last !== null };
}

/** A cursor is the row's keyset position, opaque to clients. */
export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string, argument = 'after'): unknown[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  throw badInput(`"${cursor}" is not a valid cursor; send a cursor this connection returned`, { argument });
}

/**
 * An edge whose cursor is encoded only when read: most clients select `nodes`, and a nested list
 * holds thousands of edges.
 */
class PageEdge<T, N> implements Edge<N> {
  constructor(
    readonly node: N,
    private readonly item: T,
    private readonly position: (item: T) => unknown[],
  ) {}

  get cursor(): string {
    return encodeCursor(this.position(this.item));
  }
}

export class Page<T> {
  constructor(
    readonly items: T[],
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    private readonly position: (item: T) => unknown[],
  ) {}

  /** The cursor of item i. */
  cursor(i: number): string {
    return encodeCursor(this.position(this.items[i]!));
  }

  /** The page's nodes made by `toNode`; its edges (cursors encoded when read) made when asked for. */
  connect<N>(toNode: (item: T) => N): ConnectionItems<N> {
    const nodes = this.items.map(toNode);
    return { nodes, edges: () => nodes.map((node, i) => new PageEdge(node, this.items[i]!, this.position)) };
  }
}

/** Cuts a `limit + 1` fetch (in the page's reading order) into a page. */
export function toPage<T>(rows: T[], request: PageRequest, position: (row: T) => unknown[]): Page<T> {
  const more = rows.length > request.limit;
  const items = request.backward ? rows.slice(0, request.limit).reverse() : rows.slice(0, request.limit);
  return new Page(items, request.backward ? request.before !== null : more, request.backward ? more : request.after !== null, position);
}

export function pageInfo<T>(page: Page<T>): PageInfo {
  const last = page.items.length - 1;
  return {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: last >= 0 ? page.cursor(0) : null,
    endCursor: last >= 0 ? page.cursor(last) : null,
  };
}

/** Where a statement's values go: add() keeps a value and returns its placeholder. */
export interface SqlBinder {
  add(value: unknown): string;
}

/** The values of a parameterised SQL statement; add() returns the placeholder ($1, $2…) of each. */
export class SqlParams implements SqlBinder {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A keyset page over `keys` (SQL expressions ending with the unique id, all ordered in `direction`):
 * the tuple conditions after/before the cursors, the reading direction and the row limit (one more
 * than the page, to know whether another follows). Tuple comparisons keep the page on an index and
 * stable while rows are added. Values go to `binder`.
 */
export function keysetSql(
  keys: string[],
  direction: 'ASC' | 'DESC',
  request: PageRequest,
  binder: SqlBinder,
): { where: string[]; readDirection: 'ASC' | 'DESC'; orderBy: string; limit: number } {
  const tuple = `(${keys.join(', ')})`;
  const bind = (position: unknown[]) => `(${position.map((value) => binder.add(value)).join(', ')})`;
  const where: string[] = [];
  if (request.after) where.push(`${tuple} ${direction === 'ASC' ? '>' : '<'} ${bind(request.after)}`);
  if (request.before) where.push(`${tuple} ${direction === 'ASC' ? '<' : '>'} ${bind(request.before)}`);
  const readDirection = request.backward ? (direction === 'ASC' ? 'DESC' : 'ASC') : direction;
  return { where, readDirection, orderBy: keys.map((key) => `${key} ${readDirection}`).join(', '), limit: request.limit + 1 };
}
