import { invalidArgument, numberIn, requiredText } from '@aftercare/kit/domain';

export {
  CLOCK_SKEW_MS,
  instant,
  isoDate,
  notInFuture,
  numberIn,
  oneOf,
  optionalText,
  requiredText,
} from '@aftercare/kit/domain';
export { parseRegion, type Region, type RegionInput } from '@aftercare/kernel';

/** Part and warehouse codes: what is printed on bins and quoted on the phone. */
export const CODE_PATTERN = /^[A-Z0-9-]{2,32}$/;

/**
 * A code as looked up rather than written: trimmed and upper-cased, never refused — an unknown or
 * malformed code simply finds nothing.
 */
export const codeKey = (raw: string): string => raw.trim().toUpperCase();

/** A code, upper-cased (staff type `p-100` as often as `P-100`), then held to `CODE_PATTERN`. */
export function parseCode(raw: string | null | undefined, field: string): string {
  const text = requiredText(raw, field, 32).toUpperCase();
  if (!CODE_PATTERN.test(text)) {
    throw invalidArgument(
      `${field} must be 2–32 characters of A–Z, 0–9 and "-" (got "${text}")`,
      field,
      'INVALID_CODE',
    );
  }
  return text;
}

/** Most units of one part a single document line may move; a typo guard, not a business limit. */
export const MAX_QUANTITY = 1_000_000;
/** Ten million yuan: a price or charge beyond it is a typo (and stays far inside safe integers). */
export const MAX_FEN = 1_000_000_000;

/** A positive whole number of units (stock is counted in whole units of the part's unit). */
export const parseQuantity = (raw: number | null | undefined, field: string): number =>
  numberIn(raw, field, { min: 1, max: MAX_QUANTITY, integer: true });

/** A whole number of units, zero allowed (a shelf count, a reorder point). */
export const parseCount = (raw: number | null | undefined, field: string): number =>
  numberIn(raw, field, { min: 0, max: MAX_QUANTITY, integer: true });

/** Money in whole fen, zero allowed. */
export const parseFen = (raw: number | null | undefined, field: string): number =>
  numberIn(raw, field, { min: 0, max: MAX_FEN, integer: true });

/** A staff member's id (who moved, approved, borrowed …). */
export const parseStaffId = (raw: string | null | undefined, field: string): string =>
  requiredText(raw, field, 64);

/**
 * Refuses a second line for the same code: a document states each part once, so a duplicate is
 * an input mistake to show, not something to merge silently.
 */
export function assertDistinct(
  codes: readonly string[],
  field: string,
  what = 'partCode',
  reason = 'DUPLICATE_PART',
): void {
  const seen = new Set<string>();
  codes.forEach((c, i) => {
    if (seen.has(c)) {
      throw invalidArgument(`${c} appears more than once`, `${field}.${i}.${what}`, reason);
    }
    seen.add(c);
  });
}

/** Refuses a missing or empty list, or one longer than `max`. */
export function nonEmptyList<T>(
  list: readonly T[] | null | undefined,
  field: string,
  max: number,
): readonly T[] {
  if (!list || list.length === 0)
    throw invalidArgument(`${field} needs at least one line`, field, 'REQUIRED');
  if (list.length > max)
    throw invalidArgument(`${field} has more than ${max} lines`, field, 'TOO_MANY');
  return list;
}
