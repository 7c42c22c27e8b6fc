import { DateTime, IANAZone } from 'luxon';

/** A working interval on a local wall clock, `HH:MM` (00:00–23:59); intervals never cross midnight. */
export interface WorkingInterval {
  readonly start: string;
  readonly end: string;
}

export interface BusinessCalendarConfig {
  /** IANA time zone of the business, e.g. `Asia/Shanghai`, `Europe/Berlin`. */
  readonly timeZone: string;
  /** Working intervals of every working day, e.g. a lunch break as two intervals. */
  readonly workingHours: readonly WorkingInterval[];
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  readonly workingWeekdays: readonly number[];
  /** Local dates `YYYY-MM-DD` that are not working days even when they fall on a working weekday. */
  readonly holidays: readonly string[];
  /** Make-up working days (调休) `YYYY-MM-DD`: working days even when they fall on a weekend. */
  readonly workingDays: readonly string[];
}

export const DEFAULT_CALENDAR_CONFIG: BusinessCalendarConfig = Object.freeze({
  timeZone: 'Asia/Shanghai',
  workingHours: Object.freeze([Object.freeze({ start: '08:30', end: '17:30' })]),
  workingWeekdays: Object.freeze([1, 2, 3, 4, 5]),
  holidays: Object.freeze([]),
  workingDays: Object.freeze([]),
});

/** A calendar setting is wrong; `setting` names it (config key or env variable) so operators can fix it. */
export class CalendarConfigError extends Error {
  readonly setting: string;
  /** What is wrong, without the setting name. */
  readonly detail: string;

  constructor(setting: string, detail: string) {
    super(`Invalid business calendar setting ${setting}: ${detail}`);
    this.name = 'CalendarConfigError';
    this.setting = setting;
    this.detail = detail;
  }
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Minutes since local midnight of an `HH:MM` clock time. */
export function clockToMinutes(clock: string, setting: string): number {
  const match = CLOCK.exec(clock);
  if (!match)
    throw new CalendarConfigError(setting, `"${clock}" is not a time of day HH:MM (00:00-23:59)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/**
 * Fills defaults, validates every setting and returns a frozen, normalised copy: intervals sorted and
 * touching ones merged (08:30-12:00 + 12:00-17:30 is one interval), weekdays and dates sorted, no duplicates.
 */
export function resolveCalendarConfig(
  input: Partial<BusinessCalendarConfig> = {},
): BusinessCalendarConfig {
  const config = { ...DEFAULT_CALENDAR_CONFIG, ...withoutUndefined(input) };
  const holidays = validateDates(config.holidays, 'holidays');
  const workingDays = validateDates(config.workingDays, 'workingDays');
  const both = holidays.find((date) => workingDays.includes(date));
  if (both)
    throw new CalendarConfigError(
      'workingDays',
      `${both} is listed both as a holiday and as a make-up working day`,
    );
  return Object.freeze({
    timeZone: validateTimeZone(config.timeZone),
    workingHours: Object.freeze(validateIntervals(config.workingHours)),
    workingWeekdays: Object.freeze(validateWeekdays(config.workingWeekdays)),
    holidays: Object.freeze(holidays),
    workingDays: Object.freeze(workingDays),
  });
}

function withoutUndefined(input: Partial<BusinessCalendarConfig>): Partial<BusinessCalendarConfig> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

function validateTimeZone(timeZone: unknown): string {
  // Recent runtimes also accept offsets like "+08:00"; they carry no DST rules, so insist on a zone name.
  if (typeof timeZone !== 'string' || /^[+-]/.test(timeZone) || !IANAZone.isValidZone(timeZone)) {
    throw new CalendarConfigError(
      'timeZone',
      `"${String(timeZone)}" is not a known IANA time zone name like Asia/Shanghai`,
    );
  }
  return timeZone;
}

function validateIntervals(intervals: readonly WorkingInterval[]): WorkingInterval[] {
  if (!Array.isArray(intervals) || intervals.length === 0) {
    throw new CalendarConfigError('workingHours', 'at least one working interval is required');
  }
  const sorted = intervals
    .map((interval) => {
      const start = clockToMinutes(interval.start, 'workingHours');
      const end = clockToMinutes(interval.end, 'workingHours');
      if (end <= start) {
        throw new CalendarConfigError(
          'workingHours',
          `interval ${interval.start}-${interval.end} ends before it starts`,
        );
      }
      return { start, end, interval };
    })
    .sort((a, b) => a.start - b.start);

  const merged: { start: number; end: number; interval: WorkingInterval }[] = [];
  for (const current of sorted) {
    const previous = merged.at(-1);
    if (previous && current.start < previous.end) {
      throw new CalendarConfigError(
        'workingHours',
        `intervals ${previous.interval.start}-${previous.interval.end} and ${current.interval.start}-${current.interval.end} overlap`,
      );
    }
    if (previous && current.start === previous.end) {
      previous.end = current.end;
      previous.interval = { start: previous.interval.start, end: current.interval.end };
    } else {
      merged.push({ ...current });
    }
  }
  return merged.map(({ interval }) => Object.freeze({ start: interval.start, end: interval.end }));
}

function validateWeekdays(weekdays: readonly number[]): number[] {
  if (!Array.isArray(weekdays) || weekdays.length === 0) {
    throw new CalendarConfigError('workingWeekdays', 'at least one working weekday is required');
  }
  for (const day of weekdays) {
    if (!Number.isInteger(day) || day < 1 || day > 7) {
      throw new CalendarConfigError(
        'workingWeekdays',
        `${String(day)} is not an ISO weekday (1 = Monday … 7 = Sunday)`,
      );
    }
  }
  return [...new Set(weekdays)].sort((a, b) => a - b);
}

function validateDates(dates: readonly string[], setting: string): string[] {
  if (!Array.isArray(dates))
    throw new CalendarConfigError(setting, 'must be a list of dates YYYY-MM-DD');
  for (const date of dates) {
    if (typeof date !== 'string' || !isIsoDate(date)) {
      throw new CalendarConfigError(setting, `"${String(date)}" is not a calendar date YYYY-MM-DD`);
    }
  }
  return [...new Set(dates)].sort();
}
