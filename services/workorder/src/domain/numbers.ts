import { BusinessCalendar } from '@aftercare/calendar';
import { formatNumber, type NumberFormat, parseNumber } from '@aftercare/kit/domain';

/** Human numbers staff quote on the phone: `WO-20261124-0042` (work order), `GR-…` (goods receipt). */
export const NUMBER_PREFIXES = ['WO', 'GR'] as const;
export type NumberPrefix = (typeof NUMBER_PREFIXES)[number];

/** Both series count per local business date, four digits wide (numbers on paper stay valid). */
export const NUMBER_FORMATS: Readonly<Record<NumberPrefix, NumberFormat>> = Object.freeze({
  WO: { prefix: 'WO', digits: 4, dated: true },
  GR: { prefix: 'GR', digits: 4, dated: true },
});

/** The key a daily sequence counts under: the local business date of `at`, `YYYYMMDD`. */
export const sequenceDay = (at: Date, calendar: BusinessCalendar): string =>
  calendar.localDate(at).replaceAll('-', '');

/** `PREFIX-YYYYMMDD-NNNN` from the local business date and the day's sequence (from 1). */
export const humanNumber = (
  prefix: NumberPrefix,
  at: Date,
  sequence: number,
  calendar: BusinessCalendar,
): string => formatNumber(NUMBER_FORMATS[prefix], sequence, calendar.localDate(at));

export const workOrderNumber = (at: Date, sequence: number, calendar: BusinessCalendar) =>
  humanNumber('WO', at, sequence, calendar);

export const goodsReceiptNumber = (at: Date, sequence: number, calendar: BusinessCalendar) =>
  humanNumber('GR', at, sequence, calendar);

/** Reads a number back (for search), or null when it is not one. */
export function parseHumanNumber(
  text: string,
): { prefix: NumberPrefix; day: string; sequence: number } | null {
  const parsed = parseNumber(Object.values(NUMBER_FORMATS), text);
  return (
    parsed && { prefix: parsed.prefix as NumberPrefix, day: parsed.day!, sequence: parsed.sequence }
  );
}
