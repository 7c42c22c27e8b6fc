import { invalidArgument } from '../errors';

/**
 * The list shape every subgraph uses (CONVENTIONS.md: one shape for all):
 * `type XPage { items: [X!]!, total: Int!, nextCursor: String }`, queried with `(first, after)`.
 */
export interface Page<T> {
  items: T[];
  total: number;
  /** Opaque; null on the last page. */
  nextCursor: string | null;
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
      'The cursor is not valid; use a nextCursor from a previous page',
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
