import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { badInput } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: `How many items, ${DEFAULT_PAGE_SIZE} by default, at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** A validated page request: `limit` rows after the keyset position `after`, if any. */
export interface PageRequest {
  limit: number;
  after: unknown[] | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Keyset positions of the lists: what a cursor must decode to. */
export const positions = {
  /** [date, id] */
  dateAndId: (p: unknown[]) => p.length === 2 && typeof p[0] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p[0]) && UUID.test(String(p[1])),
  /** [position, id] */
  orderAndId: (p: unknown[]) => p.length === 2 && Number.isInteger(p[0]) && UUID.test(String(p[1])),
};

/**
 * Checks `first` (a larger value is an error, never a silent cap) and decodes the cursor,
 * which must have the shape of this list's keyset position.
 */
export function pageRequest(args: ForwardPageArgs, isPosition: (position: unknown[]) => boolean): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`, { argument: 'first' });
  }
  const after = args.after ? decodeCursor(args.after) : null;
  if (after && !isPosition(after)) throw badInput(`"${args.after}" is not a cursor of this list`, { argument: 'after' });
  return { limit: first, after };
}

/** A cursor is the row's keyset position, opaque to clients. */
export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string): unknown[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  throw badInput(`"${cursor}" is not a valid cursor`, { argument: 'after' });
}

export interface Page<T> {
  items: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** Cuts a `limit + 1` fetch into a page, with a cursor per item. */
export function toPage<T>(rows: T[], request: PageRequest, position: (row: T) => unknown[]): Page<T> {
  const items = rows.slice(0, request.limit);
  return {
    items,
    cursors: items.map((row) => encodeCursor(position(row))),
    hasNextPage: rows.length > request.limit,
    hasPreviousPage: request.after !== null,
  };
}

export function pageInfo(page: Page<unknown>): PageInfo {
  return {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: page.cursors[0] ?? null,
    endCursor: page.cursors[page.cursors.length - 1] ?? null,
  };
}
