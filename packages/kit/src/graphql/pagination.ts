import { invalidArgument } from '../errors';

/**
 * One page of a list as the use cases return it, whatever the adapter: the graph turns it into a
 * Relay connection (`toConnection`, ADR 0017), gRPC into `next_page_token`.
 */
export interface Page<T> {
  items: T[];
  /** The position of each item, in the same order: where a page that follows it starts. */
  cursors: string[];
  total: number;
  /** Opaque; null on the last page. */
  nextCursor: string | null;
}

/** Relay's PageInfo, forward paging only (`first`/`after`). */
export interface PageInfo {
  hasNextPage: boolean;
  /** Always false: lists are paged forward, and Relay allows false when paging with `after`. */
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/**
 * A Relay cursor connection (ADR 0017): `edges` for Relay and Apollo's `relayStylePagination`,
 * `nodes` for clients that need no per-item cursor, `totalCount` for page counters.
 */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

export function toConnection<T>(page: Page<T>): Connection<T> {
  return {
    edges: page.items.map((node, i) => ({ cursor: page.cursors[i] as string, node })),
    nodes: page.items,
    pageInfo: {
      hasNextPage: page.nextCursor !== null,
      hasPreviousPage: false,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.cursors.at(-1) ?? null,
    },
    totalCount: page.total,
  };
}

/**
 * A page cut from rows fetched one past its size (`limit first + 1`): the extra row only says
 * that another page follows.
 */
export function pageFromRows<T>(
  rows: T[],
  first: number,
  total: number,
  cursorOf: (item: T) => string,
): Page<T> {
  const items = rows.slice(0, first);
  const cursors = items.map(cursorOf);
  return {
    items,
    cursors,
    total,
    nextCursor: rows.length > first ? (cursors.at(-1) ?? null) : null,
  };
}

/**
 * A page of a list already in memory, in its order (`first`/`after` as for keyset pages): for
 * lists computed rather than stored, or loaded whole for a figure beside them. `after` must be
 * the cursor of one of its items.
 */
export function pageOfList<T>(
  items: readonly T[],
  request: { first?: number | null; after?: string | null },
  cursorOf: (item: T) => string,
): Page<T> {
  const first = pageSize(request.first);
  let start = 0;
  if (request.after) {
    start = items.findIndex((item) => cursorOf(item) === request.after) + 1;
    if (start === 0)
      throw invalidArgument(
        'The cursor is not valid; use a cursor from a previous page (pageInfo.endCursor)',
        'after',
        'INVALID_CURSOR',
      );
  }
  return pageFromRows(items.slice(start, start + first + 1), first, items.length, cursorOf);
}

/** Encodes a position (e.g. `{ createdAt, id }` of the last item) as an opaque base64url cursor. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by `encodeCursor`. `check` narrows the decoded value (a zod schema's
 * `parse` fits) and should throw when it is not the expected shape. Anything that is not a
 * cursor of ours is the caller's mistake: BAD_USER_INPUT on `field` with reason INVALID_CURSOR.
 */
export function decodeCursor<T>(cursor: string, check: (value: unknown) => T, field = 'after'): T {
  try {
    return check(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalidArgument(
      'The cursor is not valid; use a cursor from a previous page (pageInfo.endCursor)',
      field,
      'INVALID_CURSOR',
    );
  }
}

/** Page size from a `first` argument: default when absent, BAD_USER_INPUT outside 1..max. */
export function pageSize(
  first: number | null | undefined,
  { defaultSize = 20, max = 100 } = {},
  field = 'first',
): number {
  if (first === null || first === undefined) return defaultSize;
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw invalidArgument(
      `${field} must be an integer between 1 and ${max}`,
      field,
      'INVALID_PAGE_SIZE',
    );
  }
  return first;
}
