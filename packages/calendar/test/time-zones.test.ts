import { BusinessCalendar } from '../src';
import { HOUR_MS, calendarFor } from './support';

const shanghai = calendarFor();
const berlin = calendarFor({ timeZone: 'Europe/Berlin' });

describe('instants near UTC midnight', () => {
  it('uses the local date: Friday 16:00Z is already Saturday in Shanghai but Friday 17:00 in Berlin', () => {
    const instant = new Date('2026-11-27T16:00:00Z');
    expect(shanghai.calendar.localDate(instant)).toBe('2026-11-28');
    expect(shanghai.calendar.isWorkingDay(instant)).toBe(false);
    expect(shanghai.calendar.isWorkingTime(instant)).toBe(false);
    expect(berlin.calendar.localDate(instant)).toBe('2026-11-27');
    expect(berlin.calendar.isWorkingTime(instant)).toBe(true);
  });

  it('opens Monday at 00:30Z in Shanghai, counting a Sunday-evening UTC call from there', () => {
    expect(shanghai.calendar.isWorkingTime(new Date('2026-11-30T00:29:59.999Z'))).toBe(false);
    expect(shanghai.calendar.isWorkingTime(new Date('2026-11-30T00:30:00Z'))).toBe(true);
    const due = shanghai.calendar.addWorkingHours(new Date('2026-11-29T23:00:00Z'), 1);
    expect(due.toISOString()).toBe('2026-11-30T01:30:00.000Z');
  });

  it('handles a zone behind UTC: Saturday 02:00Z is Friday evening in New York', () => {
    const newYork = calendarFor({ timeZone: 'America/New_York' });
    const instant = new Date('2026-11-28T02:00:00Z');
    expect(newYork.calendar.isWorkingDay(instant)).toBe(true);
    expect(newYork.calendar.isWorkingTime(instant)).toBe(false);
    expect(newYork.calendar.toLocalIso(newYork.calendar.endOfWorkingDay(instant))).toBe(
      '2026-11-27T17:30:00.000-05:00',
    );
  });
});

describe('the same wall-clock rule across DST (Europe/Berlin)', () => {
  it('R-WO-3 across the March switch: Friday 16:00 CET + 6 h = Monday 13:00 CEST, 1 h less real time', () => {
    const start = berlin.at('2026-03-27T16:00');
    const due = berlin.calendar.addWorkingHours(start, 6);
    expect(berlin.calendar.toLocalIso(due)).toBe('2026-03-30T13:00:00.000+02:00');
    expect(due.getTime() - start.getTime()).toBe(68 * HOUR_MS);

    const inShanghai = shanghai.calendar.addWorkingHours(shanghai.at('2026-03-27T16:00'), 6);
    expect(shanghai.local(inShanghai)).toBe(berlin.local(due));
    expect(inShanghai.getTime() - shanghai.at('2026-03-27T16:00').getTime()).toBe(69 * HOUR_MS);
  });

  it('R-WO-3 across the October switch: Friday 16:00 CEST + 6 h = Monday 13:00 CET, 1 h more real time', () => {
    const start = berlin.at('2026-10-23T16:00');
    const due = berlin.calendar.addWorkingHours(start, 6);
    expect(berlin.calendar.toLocalIso(due)).toBe('2026-10-26T13:00:00.000+01:00');
    expect(due.getTime() - start.getTime()).toBe(70 * HOUR_MS);
  });

  it('R-CO-2 keeps the wall-clock time for working days across the switch', () => {
    expect(
      berlin.calendar.toLocalIso(berlin.calendar.addWorkingDays(berlin.at('2026-03-27T10:00'), 1)),
    ).toBe('2026-03-30T10:00:00.000+02:00');
    expect(
      berlin.calendar.toLocalIso(berlin.calendar.addWorkingDays(berlin.at('2026-10-23T10:00'), 1)),
    ).toBe('2026-10-26T10:00:00.000+01:00');
  });

  it('counts a full week across the switch as 45 working hours', () => {
    expect(
      berlin.calendar.workingTimeBetween(
        berlin.at('2026-03-23T00:00'),
        berlin.at('2026-03-30T00:00'),
      ),
    ).toBe(45 * HOUR_MS);
    expect(
      berlin.calendar.workingTimeBetween(
        berlin.at('2026-10-19T00:00'),
        berlin.at('2026-10-26T00:00'),
      ),
    ).toBe(45 * HOUR_MS);
  });

  describe('working hours that contain the switch (Sundays 01:00–05:00)', () => {
    const night = new BusinessCalendar({
      timeZone: 'Europe/Berlin',
      workingHours: [{ start: '01:00', end: '05:00' }],
      workingWeekdays: [7],
    });
    const day = (iso: string) => night.fromLocal(iso);

    it('has 3 real hours on the spring-forward night and 5 on the fall-back night', () => {
      expect(night.workingTimeBetween(day('2026-03-29T00:00'), day('2026-03-30T00:00'))).toBe(
        3 * HOUR_MS,
      );
      expect(night.workingTimeBetween(day('2026-10-25T00:00'), day('2026-10-26T00:00'))).toBe(
        5 * HOUR_MS,
      );
    });

    it('counts real elapsed working time through the skipped hour', () => {
      const due = night.addWorkingHours(day('2026-03-29T01:00'), 1.5);
      expect(night.toLocalIso(due)).toBe('2026-03-29T03:30:00.000+02:00');
    });

    it('counts real elapsed working time through the repeated hour', () => {
      const due = night.addWorkingHours(day('2026-10-25T01:00'), 4.5);
      expect(night.toLocalIso(due)).toBe('2026-10-25T04:30:00.000+01:00');
    });
  });
});

describe('wall-clock times a DST switch skips or repeats (resolved the same whatever today is)', () => {
  it('reads a repeated time as the earlier instant and a skipped one as moved forward', () => {
    expect(berlin.at('2026-10-25T02:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(berlin.at('2026-03-29T02:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('opens a working interval at the first of two repeated 02:30s', () => {
    const early = new BusinessCalendar({
      timeZone: 'Europe/Berlin',
      workingHours: [{ start: '02:30', end: '04:00' }],
      workingWeekdays: [7],
    });
    expect(early.isWorkingTime(new Date('2026-10-25T00:30:00Z'))).toBe(true);
    expect(early.isWorkingTime(new Date('2026-10-25T00:29:59.999Z'))).toBe(false);
    expect(
      early.workingTimeBetween(new Date('2026-10-24T12:00:00Z'), new Date('2026-10-25T12:00:00Z')),
    ).toBe(2.5 * HOUR_MS);
  });
});

describe('display helpers', () => {
  it('formats in the business zone with its offset and parses local wall-clock times', () => {
    const instant = new Date('2026-11-27T08:00:00Z');
    expect(shanghai.calendar.toLocalIso(instant)).toBe('2026-11-27T16:00:00.000+08:00');
    expect(berlin.calendar.toLocalIso(instant)).toBe('2026-11-27T09:00:00.000+01:00');
    expect(shanghai.calendar.fromLocal('2026-11-27T16:00')).toEqual(instant);
    expect(shanghai.calendar.fromLocal('2026-11-27T09:00+01:00')).toEqual(instant);
    expect(shanghai.calendar.fromLocal('2026-11-27T08:00:00.000Z')).toEqual(instant);
    expect(shanghai.calendar.fromLocal('2026-11-27')).toEqual(new Date('2026-11-26T16:00:00Z'));
    expect(shanghai.calendar.localDate(instant)).toBe('2026-11-27');
  });
});
