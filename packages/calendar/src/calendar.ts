import { DateTime } from 'luxon';
import { BusinessCalendarConfig, clockToMinutes, isIsoDate, resolveCalendarConfig } from './config';
import { DAY_MS, DayNumber, dayOfIsoDate, isoWeekdayOfDay } from './days';
import { ZoneClock } from './zone-clock';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/**
 * Longest stretch of calendar a search walks. SLAs span days or weeks; a deadline more than ten
 * years ahead is a wrong input, and failing fast beats walking the calendar for seconds.
 */
const MAX_WALK_DAYS = 10 * 366;
/** An ISO 8601 text that ends in a UTC offset. */
const WITH_OFFSET = /T.*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
/** Day schedules are memoised; a calendar lives as long as its service, so the memo is bounded. */
const MAX_CACHED_DAYS = 4096;

/** One working interval of one local day as instants (epoch ms), start < end. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * The business calendar every SLA counts in (SPEC "Working time"). Pure: instants in and out are
 * JS `Date`s (UTC); local days, wall clocks and DST live inside, in the configured time zone.
 *
 * Working time is the union of half-open intervals [open, close) of working days: `isWorkingTime`
 * is true at opening and false at closing. Counting functions treat a closing instant as the end of
 * that day's count, so a deadline may land exactly on it (Friday 16:00 + 1.5 h = Friday 17:30).
 */
export class BusinessCalendar {
  readonly config: BusinessCalendarConfig;
  private readonly clock: ZoneClock;
  /** Working interval bounds as ms since local midnight: start, end, start, end… sorted, never touching. */
  private readonly bounds: readonly number[];
  private readonly weekdays: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<DayNumber>;
  private readonly makeUpDays: ReadonlySet<DayNumber>;
  private readonly spanCache = new Map<DayNumber, readonly Span[]>();

  /** Validates the config (throws `CalendarConfigError` naming the bad setting); missing settings take defaults. */
  constructor(config: Partial<BusinessCalendarConfig> = {}) {
    this.config = resolveCalendarConfig(config);
    this.clock = new ZoneClock(this.config.timeZone);
    this.bounds = this.config.workingHours.flatMap(({ start, end }) =>
      [start, end].map((time) => clockToMinutes(time, 'workingHours') * MINUTE_MS),
    );
    this.weekdays = new Set(this.config.workingWeekdays);
    this.holidays = new Set(this.config.holidays.map(dayOfIsoDate));
    this.makeUpDays = new Set(this.config.workingDays.map(dayOfIsoDate));
  }

  get timeZone(): string {
    return this.config.timeZone;
  }

  /** Whether a local date (`YYYY-MM-DD`, or the local date of an instant) is a working day. */
  isWorkingDay(dateOrInstant: Date | string): boolean {
    if (typeof dateOrInstant === 'string') {
      if (!isIsoDate(dateOrInstant))
        throw new RangeError(`"${dateOrInstant}" is not a date YYYY-MM-DD`);
      return this.isWorkingDayNumber(dayOfIsoDate(dateOrInstant));
    }
    return this.isWorkingDayNumber(this.dayOf(instant(dateOrInstant, 'dateOrInstant')));
  }

  /** Whether `at` lies inside a working interval (opening inclusive, closing exclusive). */
  isWorkingTime(at: Date): boolean {
    const ms = instant(at, 'at');
    return this.spansOn(this.dayOf(ms)).some((span) => span.start <= ms && ms < span.end);
  }

  /** `at` itself when it is working time, otherwise the next opening. */
  nextWorkingMoment(at: Date): Date {
    const ms = instant(at, 'at');
    return new Date(
      this.walk(this.dayOf(ms), (span) => (span.end > ms ? Math.max(ms, span.start) : undefined)),
    );
  }

  /**
   * The earliest instant by which `minutes` of working time have passed since `start` (ms precision).
   * A start outside working time counts from the next opening; a result that falls on a closing
   * stays there rather than jumping to the next opening. Zero minutes gives the start, or the next
   * opening when the start is outside working time (a closing instant counts as inside).
   */
  addWorkingMinutes(start: Date, minutes: number): Date {
    if (!Number.isFinite(minutes) || minutes < 0)
      throw new RangeError(`minutes must be a finite number >= 0, got ${minutes}`);
    return new Date(this.addWorkingMs(instant(start, 'start'), Math.round(minutes * MINUTE_MS)));
  }

  /**
   * `addWorkingMinutes` in hours, fractions allowed. With 08:30–17:30: Friday 16:00 + 6 h = Monday
   * 13:00 (1.5 h Friday, 4.5 h Monday); Friday 16:00 + 1.5 h = Friday 17:30.
   */
  addWorkingHours(start: Date, hours: number): Date {
    if (!Number.isFinite(hours) || hours < 0)
      throw new RangeError(`hours must be a finite number >= 0, got ${hours}`);
    return new Date(this.addWorkingMs(instant(start, 'start'), Math.round(hours * HOUR_MS)));
  }

  /**
   * `days` working days later at the same local time of day. Rule: move `start` to working time as
   * `addWorkingMinutes(start, 0)` does (Saturday → Monday opening, lunch → afternoon opening, a
   * closing stays), take that wall-clock time on the `days`-th following working day (if a DST switch
   * puts it outside working time there, the next opening), and report that moment the way
   * `addWorkingMinutes` does: an opening becomes the previous closing, the same point in working time.
   * So Friday 10:00 + 1 = Monday 10:00, and Saturday or Monday 08:30 + 1 = Monday 17:30. With the
   * same hours every day this equals `addWorkingHours(start, days × daily working hours)`.
   */
  addWorkingDays(start: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0 || days > MAX_WALK_DAYS) {
      throw new RangeError(`days must be an integer from 0 to ${MAX_WALK_DAYS}, got ${days}`);
    }
    const from = this.addWorkingMs(instant(start, 'start'), 0);
    let day = this.dayOf(from);
    for (let counted = 0; counted < days;) {
      day += 1;
      if (this.isWorkingDayNumber(day)) counted += 1;
    }
    const [sameTime] = this.clock.instantsOn(day, [this.clock.timeOfDay(from)]) as [number];
    const target = this.addWorkingMs(sameTime, 0);
    return new Date(this.addWorkingMs(from, this.workingMsBetween(from, target)));
  }

  /**
   * Working time between two instants in milliseconds; negative (minus the working time from `to`
   * to `from`) when `to` is before `from`, so "time left until a deadline" goes below zero once overdue.
   */
  workingTimeBetween(from: Date, to: Date): number {
    const a = instant(from, 'from');
    const b = instant(to, 'to');
    if (b < a) return -this.workingMsBetween(b, a);
    return this.workingMsBetween(a, b);
  }

  /**
   * Opening of the local day of `at` (even if `at` is later that day); on a non-working day the
   * opening of the next working day.
   */
  startOfWorkingDay(at: Date): Date {
    return new Date(this.firstSpanFrom(this.dayOf(instant(at, 'at')))[0].start);
  }

  /**
   * Closing (end of the last interval) of the local day of `at` — even when `at` is already after
   * it, so a special tool lent Friday 20:00 is overdue at once (R-IN-6). On a non-working day the
   * closing of the next working day. For "the next close of business not before `at`" use
   * `endOfWorkingDay(nextWorkingMoment(at))`.
   */
  endOfWorkingDay(at: Date): Date {
    const spans = this.firstSpanFrom(this.dayOf(instant(at, 'at')));
    return new Date((spans.at(-1) ?? spans[0]).end);
  }

  /** Opening of the first working day after the local day of `at` (R-WO-4: next day's queue). */
  nextWorkingDayStart(at: Date): Date {
    return new Date(this.firstSpanFrom(this.dayOf(instant(at, 'at')) + 1)[0].start);
  }

  /** `at` as ISO 8601 in the business time zone with its offset, e.g. `2026-11-27T16:00:00.000+08:00`. */
  toLocalIso(at: Date): string {
    return DateTime.fromMillis(instant(at, 'at'), { zone: this.timeZone }).toISO() as string;
  }

  /** The local date `YYYY-MM-DD` of `at` in the business time zone (e.g. for `WO-20261124-0042`). */
  localDate(at: Date): string {
    return DateTime.fromMillis(instant(at, 'at'), { zone: this.timeZone }).toISODate() as string;
  }

  /**
   * Parses ISO 8601 date-time. With an offset (`Z`, `+01:00`) it is that instant; without one it is
   * a wall-clock time in the business time zone (`2026-11-27T16:00` in Shanghai = 08:00Z), resolved
   * like working hours are: a time a DST switch repeats is the earlier instant, a skipped one moves forward.
   */
  fromLocal(isoDateTime: string): Date {
    const parsed = DateTime.fromISO(isoDateTime, { zone: 'UTC', setZone: true });
    if (!parsed.isValid)
      throw new RangeError(
        `"${isoDateTime}" is not an ISO 8601 date-time (${parsed.invalidExplanation})`,
      );
    if (WITH_OFFSET.test(isoDateTime)) return parsed.toJSDate();
    // Read without an offset in UTC, the parsed instant's number is the wall-clock time itself.
    const wallClock = parsed.toMillis();
    const day = Math.floor(wallClock / DAY_MS);
    const [instantOf] = this.clock.instantsOn(day, [wallClock - day * DAY_MS]) as [number];
    return new Date(instantOf);
  }

  private addWorkingMs(startMs: number, amountMs: number): number {
    let remaining = amountMs;
    return this.walk(this.dayOf(startMs), (span) => {
      if (span.end < startMs) return undefined;
      const from = Math.max(startMs, span.start);
      const available = span.end - from;
      if (remaining <= available) return from + remaining;
      remaining -= available;
      return undefined;
    });
  }

  private workingMsBetween(a: number, b: number): number {
    let total = 0;
    for (let day = this.dayOf(a), last = this.dayOf(b); day <= last; day += 1) {
      for (const span of this.spansOn(day)) {
        total += Math.max(0, Math.min(span.end, b) - Math.max(span.start, a));
      }
    }
    return total;
  }

  /** Visits the working spans from `firstDay` on, in time order, until `visit` returns an instant. */
  private walk(firstDay: DayNumber, visit: (span: Span) => number | undefined): number {
    for (let day = firstDay; day < firstDay + MAX_WALK_DAYS; day += 1) {
      for (const span of this.spansOn(day)) {
        const found = visit(span);
        if (found !== undefined) return found;
      }
    }
    throw new RangeError(`the result lies more than ${MAX_WALK_DAYS} days ahead`);
  }

  private firstSpanFrom(firstDay: DayNumber): readonly [Span, ...Span[]] {
    for (let day = firstDay; day < firstDay + MAX_WALK_DAYS; day += 1) {
      const spans = this.spansOn(day);
      if (spans.length > 0) return spans as readonly [Span, ...Span[]];
    }
    throw new RangeError(`no working day within ${MAX_WALK_DAYS} days`);
  }

  private isWorkingDayNumber(day: DayNumber): boolean {
    if (this.holidays.has(day)) return false;
    return this.makeUpDays.has(day) || this.weekdays.has(isoWeekdayOfDay(day));
  }

  private dayOf(ms: number): DayNumber {
    return this.clock.dayOf(ms);
  }

  /**
   * Working intervals of a local day as instants (see `ZoneClock` for wall-clock times a DST switch
   * skips or repeats); an interval a switch leaves empty is dropped.
   */
  private spansOn(day: DayNumber): readonly Span[] {
    const cached = this.spanCache.get(day);
    if (cached) return cached;
    const spans: Span[] = [];
    if (this.isWorkingDayNumber(day)) {
      const instants = this.clock.instantsOn(day, this.bounds);
      for (let i = 0; i + 1 < instants.length; i += 2) {
        const span = { start: instants[i] as number, end: instants[i + 1] as number };
        if (span.end > span.start) spans.push(span);
      }
    }
    if (this.spanCache.size >= MAX_CACHED_DAYS) this.spanCache.clear();
    this.spanCache.set(day, spans);
    return spans;
  }
}

function instant(value: Date, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new TypeError(`${name} must be a valid Date`);
  return ms;
}
