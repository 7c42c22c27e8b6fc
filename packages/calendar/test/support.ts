import { BusinessCalendar, BusinessCalendarConfig } from '../src';

/** A calendar plus shorthands that read and print wall-clock times in its own time zone. */
export function calendarFor(config: Partial<BusinessCalendarConfig> = {}) {
  const calendar = new BusinessCalendar(config);
  return {
    calendar,
    /** `2026-11-27T16:00` (local) → Date */
    at: (local: string) => calendar.fromLocal(local),
    /** Date → `2026-11-27T16:00` (local, minutes precision, offset dropped) */
    local: (instant: Date) => calendar.toLocalIso(instant).slice(0, 16),
  };
}

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
