import { invalidArgument } from './errors';
import { InputRefusal, instantRefusal, isoDateRefusal, parseInstant } from './input-policy';

// Validators shared by every service's domain layer: each failure is BAD_USER_INPUT naming the
// field at fault with a machine-readable reason.

export function requiredText(raw: string | undefined | null, field: string, max = 200): string {
  const text = (raw ?? '').trim();
  if (!text) throw invalidArgument(`${field} is required`, field, 'REQUIRED');
  if (text.length > max)
    throw invalidArgument(`${field} is longer than ${max} characters`, field, 'TOO_LONG');
  return text;
}

/**
 * A staff member's id: the user id of the identity provider (the token's `sub`), which the
 * work-order roster keys staff by — free text, not a UUID.
 */
export const staffId = (raw: string | undefined | null, field: string): string =>
  requiredText(raw, field, 64);

export function optionalText(
  raw: string | undefined | null,
  field: string,
  max = 200,
): string | null {
  const text = (raw ?? '').trim();
  if (!text) return null;
  if (text.length > max)
    throw invalidArgument(`${field} is longer than ${max} characters`, field, 'TOO_LONG');
  return text;
}

/** One of a closed list of codes; `fallback` when missing, otherwise missing is an error. */
export function oneOf<T extends string>(
  values: readonly T[],
  raw: string | null | undefined,
  field: string,
  fallback?: T,
): T {
  if (raw === undefined || raw === null || raw === '') {
    if (fallback !== undefined) return fallback;
    throw invalidArgument(`${field} is required (one of ${values.join(', ')})`, field, 'REQUIRED');
  }
  if (!(values as readonly string[]).includes(raw)) {
    throw invalidArgument(
      `${field} must be one of ${values.join(', ')} (got "${raw}")`,
      field,
      'INVALID_VALUE',
    );
  }
  return raw as T;
}

/** A finite number within [min, max]; `integer` also demands a safe integer. */
export function numberIn(
  raw: number | null | undefined,
  field: string,
  range: { min: number; max: number; integer?: boolean; minExclusive?: boolean },
): number {
  if (raw === undefined || raw === null)
    throw invalidArgument(`${field} is required`, field, 'REQUIRED');
  if (typeof raw !== 'number' || !Number.isFinite(raw))
    throw invalidArgument(`${field} must be a number`, field, 'NOT_A_NUMBER');
  if (range.integer && !Number.isSafeInteger(raw))
    throw invalidArgument(`${field} must be a whole number (got ${raw})`, field, 'NOT_AN_INTEGER');
  const tooLow = range.minExclusive ? raw <= range.min : raw < range.min;
  if (tooLow || raw > range.max) {
    const low = range.minExclusive ? `more than ${range.min}` : `at least ${range.min}`;
    throw invalidArgument(
      `${field} must be ${low} and at most ${range.max} (got ${raw})`,
      field,
      'OUT_OF_RANGE',
    );
  }
  return raw;
}

/**
 * A `Date` or an ISO 8601 text with an offset, a real instant within the input policy's years;
 * anything else is refused with the field named.
 */
export function instant(raw: Date | string | null | undefined, field: string): Date {
  if (raw === undefined || raw === null || raw === '')
    throw invalidArgument(`${field} is required`, field, 'REQUIRED');
  const at = raw instanceof Date ? new Date(raw.getTime()) : parseInstant(raw);
  const refusal = at instanceof InputRefusal ? at : instantRefusal(at);
  if (refusal) throw refusal.at(field);
  return at as Date;
}

/** ISO calendar date "YYYY-MM-DD" that exists (no 2026-02-30), within the input policy's years. */
export function isoDate(raw: string | null | undefined, field: string): string {
  const refusal = isoDateRefusal(raw ?? '');
  if (refusal) throw refusal.at(field);
  return raw as string;
}

/** Clocks of phones and servers drift: "now" tolerates a few minutes ahead, not more. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export function notInFuture(at: Date, now: Date, field: string): Date {
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw invalidArgument(`${field} lies in the future`, field, 'IN_FUTURE');
  return at;
}
