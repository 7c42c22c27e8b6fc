import { addDays, addMonths, invalidArgument, isoDateRefusal } from '@aftercare/kit/domain';

// Business dates are ISO "YYYY-MM-DD" in the business time zone (the calendar gives them for an
// instant); arithmetic on them is plain UTC date arithmetic, free of time zones and DST.

const toUtc = (iso: string) => new Date(`${iso}T00:00:00Z`);

// The kit's: a date outside the input policy's years is a typed refusal, never an Invalid Date.
export { addDays, addMonths } from '@aftercare/kit/domain';

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);

/** "YYYY-MM" → first and last day of that month. */
export function monthRange(month: string, field = 'month'): { from: string; to: string } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12)
    throw invalidArgument(`${field} must be YYYY-MM (got "${month}")`, field, 'INVALID_MONTH');
  const from = `${month}-01`;
  // Within the years every date may take (the input policy): the database refuses year 0.
  const refusal = isoDateRefusal(from);
  if (refusal) throw refusal.at(field);
  return { from, to: addDays(addMonths(from, 1), -1) };
}
