import { invalidArgument } from './errors';
import { InputRefusal, instantRefusal, isoDateRefusal, parseInstant } from './input-policy';

// Validators shared by every service's domain layer: each failure is BAD_USER_INPUT naming the
// field at fault with a machine-readable reason.

/** Province / city / district a customer, an order and a technician belong to (R-CU-1). */
export interface Region {
  province: string;
  city: string;
  district: string | null;
}

export interface RegionInput {
  province?: string | null;
  city?: string | null;
  district?: string | null;
}

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

export function parseRegion(input: RegionInput | null | undefined, field: string): Region {
  return {
    province: requiredText(input?.province, `${field}.province`, 50),
    city: requiredText(input?.city, `${field}.city`, 50),
    district: optionalText(input?.district, `${field}.district`, 50),
  };
}

/** Mobile (11 digits, 1[3-9]…) or landline with area code; separators and +86 are dropped. */
export function normalisePhone(raw: string | null | undefined, field: string): string {
  const text = requiredText(raw, field, 40);
  const digits = text.replace(/[\s()-]/g, '').replace(/^(\+86|0086)/, '');
  if (!/^1[3-9]\d{9}$/.test(digits) && !/^0\d{9,11}$/.test(digits)) {
    throw invalidArgument(
      `"${text}" is not a mobile number or a landline with area code`,
      field,
      'INVALID_PHONE',
    );
  }
  return digits;
}

/**
 * A service station's code (服务站): the station handling a work order, and the code its own
 * warehouse carries in the inventory service (R-IN-1), so the same pattern as warehouse codes —
 * trimmed, upper-cased (staff type `sh-01` as often as `SH-01`), 2–32 of A–Z, 0–9 and "-".
 */
export const STATION_CODE_PATTERN = /^[A-Z0-9-]{2,32}$/;

export function stationCode(raw: string | null | undefined, field: string): string {
  const text = requiredText(raw, field, 32).toUpperCase();
  if (!STATION_CODE_PATTERN.test(text)) {
    throw invalidArgument(
      `${field} must be 2–32 characters of A–Z, 0–9 and "-" (got "${text}")`,
      field,
      'INVALID_STATION_CODE',
    );
  }
  return text;
}

/** An optional station code: missing or blank is null, anything else must be a valid code. */
export const optionalStationCode = (
  raw: string | null | undefined,
  field: string,
): string | null => ((raw ?? '').trim() ? stationCode(raw, field) : null);
