import { type AppError, invalidArgument } from './errors';

/*
 * The input policy every edge applies before a use case sees a value (docs/input-policy.md,
 * ADR 0012): the GraphQL subgraphs to every argument, the gRPC servers to every request message,
 * the event consumers to every event's data. What it refuses could otherwise only fail deep
 * inside — PostgreSQL refuses NUL in text and unpaired surrogates in JSON, and date arithmetic
 * far outside our years gives an Invalid Date — as an internal error instead of the caller's.
 */

/** Characters (UTF-16 code units, as JavaScript counts) of a text in a command's input. */
export const TEXT_MAX_LENGTH = 2_000;
/** Characters of a text argument of a read: search terms, filters, ids, cursors, tokens. */
export const READ_TEXT_MAX_LENGTH = 200;
/** The dates the system accepts: wide enough for any purchase, warranty or birth date on file. */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2199-12-31';

const EARLIEST_MS = Date.parse(`${EARLIEST_DATE}T00:00:00Z`);
const LATEST_MS = Date.parse(`${LATEST_DATE}T23:59:59.999Z`);
const DAY_MS = 86_400_000;

/**
 * Why a value breaks the policy, before anyone knows which field it came from: graphql-js gives
 * scalars no argument path, so they return a refusal which the argument walker raises with one.
 */
export class InputRefusal {
  constructor(
    /** Machine-readable, as in every BAD_USER_INPUT: TEXT_CONTAINS_NUL, INVALID_DATE, … */
    readonly reason: string,
    /** Completes a sentence starting with the field's name. */
    readonly problem: string,
  ) {}

  /** The refusal of `field`'s value: INVALID_ARGUMENT, i.e. BAD_USER_INPUT in GraphQL. */
  at(field: string): AppError {
    return invalidArgument(`${field} ${this.problem}`, field, this.reason);
  }
}

// In Unicode mode a well-formed surrogate pair is one code point, so only unpaired halves match.
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/** NUL, unpaired surrogates and more than `maxLength` characters are refused. */
export function textRefusal(text: string, maxLength: number): InputRefusal | undefined {
  // The length first: it costs nothing, and a megabyte of text is not scanned.
  if (text.length > maxLength)
    return new InputRefusal('TOO_LONG', `is longer than ${maxLength} characters`);
  if (text.includes('\0'))
    return new InputRefusal('TEXT_CONTAINS_NUL', 'must not contain NUL characters');
  if (UNPAIRED_SURROGATE.test(text))
    return new InputRefusal(
      'TEXT_INVALID_UNICODE',
      'is not valid Unicode text (it contains an unpaired surrogate)',
    );
  return undefined;
}

// Enough of a refused value to recognise it, never a megabyte of it.
const shown = (value: unknown) =>
  JSON.stringify(typeof value === 'string' ? value.slice(0, 40) : value);

const outOfRange = (value: string) =>
  new InputRefusal(
    'DATE_OUT_OF_RANGE',
    `must lie between ${EARLIEST_DATE} and ${LATEST_DATE} (got ${shown(value)})`,
  );

/** A calendar date "YYYY-MM-DD" that exists (no 2026-02-30) and lies within our years. */
export function isoDateRefusal(value: unknown): InputRefusal | undefined {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    return new InputRefusal(
      'INVALID_DATE',
      `must be a calendar date YYYY-MM-DD (got ${shown(value)})`,
    );
  }
  const text = value as string;
  return text < EARLIEST_DATE || text > LATEST_DATE ? outOfRange(text) : undefined;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

// Day 0 of the next month is the last day of this one (setUTCFullYear keeps years below 100).
function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

const INSTANT =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * An ISO 8601 instant with an offset (a wall-clock time without a zone is ambiguous), naming a
 * real date and time within our years; the parsed instant or why not. `Date.parse` alone is not
 * enough: it rolls 2026-02-30 over into March.
 */
export function parseInstant(value: unknown): Date | InputRefusal {
  const m = typeof value === 'string' ? INSTANT.exec(value) : null;
  const malformed = new InputRefusal(
    'INVALID_DATE',
    `must be an ISO 8601 date-time with an offset, e.g. 2026-11-27T16:00:00+08:00 (got ${shown(value)})`,
  );
  if (!m) return malformed;
  const [, date, hour, minute, second, offsetHour, offsetMinute] = m;
  const dateRefusal = isoDateRefusal(date);
  if (dateRefusal?.reason === 'INVALID_DATE') return malformed;
  const clockOk =
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second ?? 0) <= 59 &&
    Number(offsetHour ?? 0) <= 23 &&
    Number(offsetMinute ?? 0) <= 59;
  const at = new Date(value as string);
  if (!clockOk || Number.isNaN(at.getTime())) return malformed;
  return instantRefusal(at) ?? at;
}

/** A Date that is a real instant within our years (a decoded protobuf Timestamp may be neither). */
export function instantRefusal(at: Date): InputRefusal | undefined {
  const ms = at.getTime();
  if (Number.isNaN(ms)) return new InputRefusal('INVALID_DATE', 'is not a valid instant');
  return ms < EARLIEST_MS || ms > LATEST_MS ? outOfRange(at.toISOString()) : undefined;
}

/**
 * Calendar arithmetic on ISO dates that cannot produce an Invalid Date: a result outside our years
 * (a date far in the future plus a long cycle) is BAD_USER_INPUT naming `field`, the input that
 * led there, with reason DATE_OUT_OF_RANGE.
 */
export function addDays(isoDate: string, days: number, field = 'date'): string {
  const from = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(from) || !Number.isSafeInteger(days))
    throw invalidArgument(
      `${field}: cannot add ${days} days to ${shown(isoDate)}`,
      field,
      'INVALID_DATE',
    );
  const ms = from + days * DAY_MS;
  if (!(ms >= EARLIEST_MS && ms <= LATEST_MS)) {
    throw invalidArgument(
      `${field} leads to a date outside ${EARLIEST_DATE} – ${LATEST_DATE}`,
      field,
      'DATE_OUT_OF_RANGE',
    );
  }
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Calendar months, the day clamped to the target month's last day (03-31 − 1 month = 02-28);
 * like `addDays`, a result outside our years is BAD_USER_INPUT DATE_OUT_OF_RANGE on `field`.
 */
export function addMonths(isoDate: string, months: number, field = 'date'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m || !Number.isSafeInteger(months))
    throw invalidArgument(
      `${field}: cannot add ${months} months to ${shown(isoDate)}`,
      field,
      'INVALID_DATE',
    );
  const [y, mo, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const first = new Date(Date.UTC(y, mo - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return addDays(first.toISOString().slice(0, 10), Math.min(day, last) - 1, field);
}

/** Where a value breaks the policy: the field's path and why. */
export interface FoundRefusal {
  field: string;
  refusal: InputRefusal;
}

/**
 * The first text or instant in plain data (a decoded gRPC message, an event's data) that breaks
 * the policy, named by its path (`contacts.0.name`); texts up to `maxLength`.
 */
export function findRefusal(
  value: unknown,
  maxLength: number,
  path = '',
): FoundRefusal | undefined {
  const here = (refusal: InputRefusal | undefined) =>
    refusal ? { field: path || 'value', refusal } : undefined;
  if (typeof value === 'string') return here(textRefusal(value, maxLength));
  if (value instanceof Date) return here(instantRefusal(value));
  // Bytes are not text; anything else that is not an object holds no text.
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return undefined;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    const found = findRefusal(item, maxLength, path ? `${path}.${key}` : String(key));
    if (found) return found;
  }
  return undefined;
}
