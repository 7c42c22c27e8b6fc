import { BusinessCalendar } from '@aftercare/calendar';
import { invalidArgument, isoDateRefusal } from '@aftercare/kit/domain';

/** A business month `YYYY-MM`; reports and payroll count in the calendar's time zone, not UTC. */
export type Month = string;

export function parseMonth(raw: string | null | undefined, field = 'month'): Month {
  const m = /^(\d{4})-(\d{2})$/.exec(raw ?? '');
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
    throw invalidArgument(
      `${field} must be a month as YYYY-MM (got "${raw ?? ''}")`,
      field,
      'INVALID_MONTH',
    );
  }
  // Within the years every date may take (the input policy): the month after 9999-12 is no date.
  const refusal = isoDateRefusal(`${m[1]}-${m[2]}-01`);
  if (refusal) throw refusal.at(field);
  return `${m[1]}-${m[2]}`;
}

/** The local business month of an instant (a call at 2026-11-30T20:00Z is December in Shanghai). */
export const localMonth = (at: Date, calendar: BusinessCalendar): Month =>
  calendar.localDate(at).slice(0, 7);

export function nextMonth(month: Month): Month {
  const [year, mon] = parseMonth(month).split('-').map(Number) as [number, number];
  return mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
}

/** The business month `[from, to)` as instants, for range queries. */
export const monthRange = (month: Month, calendar: BusinessCalendar): { from: Date; to: Date } => ({
  from: calendar.fromLocal(`${month}-01T00:00`),
  to: calendar.fromLocal(`${nextMonth(month)}-01T00:00`),
});
