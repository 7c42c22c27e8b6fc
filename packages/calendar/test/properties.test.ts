import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BusinessCalendar, BusinessCalendarConfig } from '../src';
import { MINUTE_MS } from './support';

const QUARTER_MS = 15 * MINUTE_MS;

/** Calendars whose working hours lie clear of DST switches, so every working day has the same hours. */
const configs: Record<string, Partial<BusinessCalendarConfig>> = {
  shanghai: {},
  lunchBreak: {
    workingHours: [
      { start: '08:30', end: '12:00' },
      { start: '13:00', end: '17:30' },
    ],
  },
  nationalDay: {
    holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2027-01-01'],
    workingDays: ['2026-09-27', '2026-10-10'],
  },
  berlin: { timeZone: 'Europe/Berlin' },
  newYorkSixDays: {
    timeZone: 'America/New_York',
    workingHours: [{ start: '07:00', end: '19:00' }],
    workingWeekdays: [1, 2, 3, 4, 5, 6],
  },
};
const calendars = Object.entries(configs).map(([name, config]) => ({
  name,
  calendar: new BusinessCalendar(config),
}));
/** Adds a calendar whose working hours contain the Berlin DST switches (Sunday nights). */
const dstNights = {
  name: 'berlinDstNights',
  calendar: new BusinessCalendar({
    timeZone: 'Europe/Berlin',
    workingHours: [{ start: '01:00', end: '05:00' }],
    workingWeekdays: [5, 7],
  }),
};

const dailyMs = (calendar: BusinessCalendar) =>
  calendar.config.workingHours.reduce(
    (sum, { start, end }) => sum + clockMs(end) - clockMs(start),
    0,
  );
const clockMs = (clock: string) =>
  (Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3))) * MINUTE_MS;

const anyCalendar = fc.constantFrom(...calendars);
const allCalendars = fc.constantFrom(...calendars, dstNights);

/**
 * A start instant in 2026–2027, half of them placed on or next to an interval bound (opening,
 * closing, ±1 minute, ±1 ms) where off-by-one mistakes live. Built per calendar, in its zone.
 */
const startIn = (calendar: BusinessCalendar) =>
  fc.oneof(
    fc
      .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) })
      .map((ms) => new Date(ms)),
    fc
      .record({
        day: fc.integer({ min: 0, max: 729 }),
        bound: fc.constantFrom(
          ...calendar.config.workingHours.flatMap(({ start, end }) => [start, end]),
        ),
        nudge: fc.constantFrom(0, 0, -1, 1, -MINUTE_MS, MINUTE_MS),
      })
      .map(({ day, bound, nudge }) => {
        const date = DateTime.fromISO('2026-01-01', { zone: 'UTC' })
          .plus({ days: day })
          .toISODate();
        return new Date(calendar.fromLocal(`${date}T${bound}`).getTime() + nudge);
      }),
  );

const withStart = (calendars: fc.Arbitrary<{ name: string; calendar: BusinessCalendar }>) =>
  calendars.chain(({ name, calendar }) =>
    startIn(calendar).map((start) => ({ name, calendar, start })),
  );

const minutes = fc.integer({ min: 0, max: 6_000 });
const quarterHours = fc.integer({ min: 0, max: 400 }).map((quarters) => quarters / 4);

/** Independent oracle: luxon's own wall clock, read minute by minute. */
function oracleIsWorkingTime(calendar: BusinessCalendar, at: number): boolean {
  const { config } = calendar;
  const local = DateTime.fromMillis(at, { zone: config.timeZone });
  const date = local.toISODate() as string;
  const workingDay =
    !config.holidays.includes(date) &&
    (config.workingDays.includes(date) || config.workingWeekdays.includes(local.weekday));
  const clock = local.toFormat('HH:mm');
  return workingDay && config.workingHours.some(({ start, end }) => start <= clock && clock < end);
}

describe('properties', () => {
  it('workingTimeBetween(s, addWorkingMinutes(s, m)) is exactly m', () => {
    fc.assert(
      fc.property(withStart(allCalendars), minutes, ({ calendar, start }, m) => {
        expect(calendar.workingTimeBetween(start, calendar.addWorkingMinutes(start, m))).toBe(
          m * MINUTE_MS,
        );
      }),
    );
  });

  it('a positive count ends inside working time or exactly on a closing, never before the start', () => {
    fc.assert(
      fc.property(
        withStart(allCalendars),
        fc.integer({ min: 1, max: 6_000 }),
        ({ calendar, start }, m) => {
          const due = calendar.addWorkingMinutes(start, m);
          expect(due.getTime()).toBeGreaterThan(start.getTime());
          expect(calendar.isWorkingTime(new Date(due.getTime() - 1))).toBe(true);
        },
      ),
    );
  });

  it('more hours are never earlier, and a later start is never earlier', () => {
    fc.assert(
      fc.property(
        withStart(allCalendars),
        quarterHours,
        quarterHours,
        fc.integer({ min: 0, max: 7 * 24 * 60 }),
        (c, h1, h2, later) => {
          const { calendar, start } = c;
          const [small, large] = h1 <= h2 ? [h1, h2] : [h2, h1];
          expect(calendar.addWorkingHours(start, small).getTime()).toBeLessThanOrEqual(
            calendar.addWorkingHours(start, large).getTime(),
          );
          const laterStart = new Date(start.getTime() + later * MINUTE_MS);
          expect(calendar.addWorkingHours(start, h1).getTime()).toBeLessThanOrEqual(
            calendar.addWorkingHours(laterStart, h1).getTime(),
          );
        },
      ),
    );
  });

  it('addWorkingHours(a, h1 + h2) = addWorkingHours(addWorkingHours(a, h1), h2)', () => {
    fc.assert(
      fc.property(
        withStart(allCalendars),
        quarterHours,
        quarterHours,
        ({ calendar, start }, h1, h2) => {
          expect(calendar.addWorkingHours(start, h1 + h2)).toEqual(
            calendar.addWorkingHours(calendar.addWorkingHours(start, h1), h2),
          );
        },
      ),
    );
  });

  it('working time adds up over consecutive ranges and changes sign when reversed', () => {
    const instant = fc
      .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) })
      .map((ms) => new Date(ms));
    fc.assert(
      fc.property(allCalendars, instant, instant, instant, ({ calendar }, a, b, c) => {
        const [x, y, z] = [a, b, c].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        expect(calendar.workingTimeBetween(x, y) + calendar.workingTimeBetween(y, z)).toBe(
          calendar.workingTimeBetween(x, z),
        );
        expect(calendar.workingTimeBetween(z, x)).toBe(-calendar.workingTimeBetween(x, z));
      }),
    );
  });

  it('agrees with a minute-by-minute luxon oracle on working time', () => {
    fc.assert(
      fc.property(
        allCalendars,
        fc.integer({ min: 0, max: 729 * 96 }),
        fc.integer({ min: 0, max: 4 * 96 }),
        ({ calendar }, q, length) => {
          const from = Date.UTC(2026, 0, 1) + q * QUARTER_MS;
          let expected = 0;
          for (let t = from; t < from + length * QUARTER_MS; t += QUARTER_MS) {
            if (oracleIsWorkingTime(calendar, t)) expected += QUARTER_MS;
          }
          expect(calendar.isWorkingTime(new Date(from))).toBe(oracleIsWorkingTime(calendar, from));
          expect(
            calendar.workingTimeBetween(new Date(from), new Date(from + length * QUARTER_MS)),
          ).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('addWorkingDays(s, n) is the same working time as n full working days', () => {
    fc.assert(
      fc.property(
        withStart(anyCalendar),
        fc.integer({ min: 0, max: 30 }),
        ({ calendar, start }, n) => {
          expect(calendar.addWorkingDays(start, n)).toEqual(
            calendar.addWorkingMinutes(start, (n * dailyMs(calendar)) / MINUTE_MS),
          );
        },
      ),
    );
  });

  it('addWorkingDays keeps the local time of day for a start inside working time', () => {
    fc.assert(
      fc.property(
        withStart(anyCalendar),
        fc.integer({ min: 1, max: 30 }),
        ({ calendar, start }, n) => {
          // An opening is reported as the previous closing, so it is excluded here.
          fc.pre(
            calendar.isWorkingTime(start) && calendar.isWorkingTime(new Date(start.getTime() - 1)),
          );
          const due = calendar.addWorkingDays(start, n);
          expect(calendar.toLocalIso(due).slice(11, 23)).toBe(
            calendar.toLocalIso(start).slice(11, 23),
          );
          expect(calendar.isWorkingDay(due)).toBe(true);
        },
      ),
    );
  });

  it('a working day runs from its opening to its closing with the full daily hours', () => {
    fc.assert(
      fc.property(withStart(anyCalendar), ({ calendar, start }) => {
        const opening = calendar.startOfWorkingDay(start);
        const closing = calendar.endOfWorkingDay(start);
        expect(calendar.isWorkingTime(opening)).toBe(true);
        expect(calendar.isWorkingTime(new Date(opening.getTime() - 1))).toBe(false);
        expect(calendar.isWorkingTime(closing)).toBe(false);
        expect(calendar.isWorkingTime(new Date(closing.getTime() - 1))).toBe(true);
        expect(calendar.localDate(opening)).toBe(calendar.localDate(closing));
        expect(calendar.workingTimeBetween(opening, closing)).toBe(dailyMs(calendar));
        expect(calendar.nextWorkingDayStart(start).getTime()).toBeGreaterThan(start.getTime());
      }),
    );
  });
});
