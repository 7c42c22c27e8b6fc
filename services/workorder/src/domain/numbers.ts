import { BusinessCalendar } from '@aftercare/calendar';

/** Human numbers staff quote on the phone: `WO-20261124-0042` (work order), `GR-…` (goods receipt). */
export const NUMBER_PREFIXES = ['WO', 'GR'] as const;
export type NumberPrefix = (typeof NUMBER_PREFIXES)[number];

/** The key a daily sequence counts under: the local business date of `at`, `YYYYMMDD`. */
export const sequenceDay = (at: Date, calendar: BusinessCalendar): string =>
  calendar.localDate(at).replaceAll('-', '');

/**
 * `PREFIX-YYYYMMDD-NNNN` from the local business date and the day's sequence (from 1). Past 9999
 * the number simply grows a digit rather than wrapping into a duplicate.
 */
export function humanNumber(
  prefix: NumberPrefix,
  at: Date,
  sequence: number,
  calendar: BusinessCalendar,
): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RangeError(`sequence must be a whole number from 1, got ${sequence}`);
  return `${prefix}-${sequenceDay(at, calendar)}-${String(sequence).padStart(4, '0')}`;
}

export const workOrderNumber = (at: Date, sequence: number, calendar: BusinessCalendar) =>
  humanNumber('WO', at, sequence, calendar);

export const goodsReceiptNumber = (at: Date, sequence: number, calendar: BusinessCalendar) =>
  humanNumber('GR', at, sequence, calendar);

/** Reads a number back (for search), or null when it is not one. */
export function parseHumanNumber(
  text: string,
): { prefix: NumberPrefix; day: string; sequence: number } | null {
  const m = /^(WO|GR)-(\d{8})-(\d{4,})$/.exec(text.trim().toUpperCase());
  const sequence = Number(m?.[3]);
  if (!m || !Number.isSafeInteger(sequence) || sequence < 1) return null;
  return { prefix: m[1] as NumberPrefix, day: m[2] as string, sequence };
}
