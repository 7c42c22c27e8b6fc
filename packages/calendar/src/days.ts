/**
 * Local calendar dates as whole day numbers (days since 1970-01-01), so walking the calendar is
 * integer arithmetic and never meets a DST switch; only the calendar maps them to instants.
 */
export type DayNumber = number;

export const DAY_MS = 86_400_000;

/** Day number of an ISO date `YYYY-MM-DD` (assumed valid). */
export function dayOfIsoDate(isoDate: string): DayNumber {
  return Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;
}

export function isoDateOfDay(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekdayOfDay(day: DayNumber): number {
  return new Date(day * DAY_MS).getUTCDay() || 7;
}
