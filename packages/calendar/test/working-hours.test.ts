import { HOUR_MS, calendarFor } from './support';

// 2026-11-27 is a Friday; default calendar: Asia/Shanghai, 08:30–17:30, Monday–Friday.
const { calendar, at, local } = calendarFor();

describe('isWorkingTime', () => {
  it.each([
    ['2026-11-27T08:29', false, 'one minute before opening'],
    ['2026-11-27T08:30', true, 'exactly at opening'],
    ['2026-11-27T12:00', true, 'midday'],
    ['2026-11-27T17:29', true, 'one minute before closing'],
    ['2026-11-27T17:30', false, 'exactly at closing'],
    ['2026-11-27T17:31', false, 'one minute after closing'],
    ['2026-11-25T03:00', false, 'at night'],
    ['2026-11-28T10:00', false, 'on a Saturday'],
    ['2026-11-29T10:00', false, 'on a Sunday'],
  ])('%s is %s (%s)', (when, expected) => {
    expect(calendar.isWorkingTime(at(when))).toBe(expected);
  });

  it('counts the last millisecond before closing as working time', () => {
    expect(calendar.isWorkingTime(new Date(at('2026-11-27T17:30').getTime() - 1))).toBe(true);
  });
});

describe('isWorkingDay', () => {
  it('takes an ISO date or the local date of an instant', () => {
    expect(calendar.isWorkingDay('2026-11-27')).toBe(true);
    expect(calendar.isWorkingDay('2026-11-28')).toBe(false);
    expect(calendar.isWorkingDay(at('2026-11-27T23:59'))).toBe(true);
    expect(calendar.isWorkingDay(at('2026-11-28T00:00'))).toBe(false);
  });
});

describe('addWorkingHours', () => {
  // Friday 16:00–17:30 is 1.5 h, so 4.5 h remain for Monday from 08:30.
  it('R-WO-3 urban call at 16:00 Friday is due Monday 13:00', () => {
    expect(local(calendar.addWorkingHours(at('2026-11-27T16:00'), 6))).toBe('2026-11-30T13:00');
  });

  it('R-WO-3 suburban call at 16:00 Friday is due Monday 14:00', () => {
    expect(local(calendar.addWorkingHours(at('2026-11-27T16:00'), 7))).toBe('2026-11-30T14:00');
  });

  it('stays on the closing when the count ends exactly there (Friday 16:00 + 1.5 h = Friday 17:30)', () => {
    expect(local(calendar.addWorkingHours(at('2026-11-27T16:00'), 1.5))).toBe('2026-11-27T17:30');
  });

  it('moves to the next working day as soon as the count passes the closing', () => {
    expect(local(calendar.addWorkingMinutes(at('2026-11-27T16:00'), 91))).toBe('2026-11-30T08:31');
    expect(local(calendar.addWorkingMinutes(at('2026-11-27T17:29'), 1))).toBe('2026-11-27T17:30');
    expect(local(calendar.addWorkingMinutes(at('2026-11-27T17:29'), 2))).toBe('2026-11-30T08:31');
  });

  it('counts a full day from exactly the opening to exactly the closing', () => {
    expect(local(calendar.addWorkingHours(at('2026-11-23T08:30'), 9))).toBe('2026-11-23T17:30');
  });

  it('counts from the next opening when starting exactly at the closing', () => {
    expect(local(calendar.addWorkingHours(at('2026-11-27T17:30'), 1))).toBe('2026-11-30T09:30');
  });

  it('counts from the opening when starting one minute before it', () => {
    expect(local(calendar.addWorkingMinutes(at('2026-11-27T08:29'), 1))).toBe('2026-11-27T08:31');
  });

  it('counts a night call from the same morning', () => {
    expect(local(calendar.addWorkingHours(at('2026-11-25T02:00'), 2))).toBe('2026-11-25T10:30');
  });

  it('counts a weekend call from Monday opening', () => {
    expect(local(calendar.addWorkingHours(at('2026-11-28T10:00'), 1))).toBe('2026-11-30T09:30');
    expect(local(calendar.addWorkingHours(at('2026-11-29T23:59'), 6))).toBe('2026-11-30T14:30');
  });

  it('adds zero as "now", or the next opening outside working time (a closing counts as inside)', () => {
    expect(local(calendar.addWorkingHours(at('2026-11-27T10:15'), 0))).toBe('2026-11-27T10:15');
    expect(local(calendar.addWorkingHours(at('2026-11-27T17:30'), 0))).toBe('2026-11-27T17:30');
    expect(local(calendar.addWorkingHours(at('2026-11-27T17:31'), 0))).toBe('2026-11-30T08:30');
  });

  it('keeps sub-minute precision', () => {
    const due = calendar.addWorkingMinutes(at('2026-11-27T10:00'), 0.5);
    expect(calendar.toLocalIso(due)).toBe('2026-11-27T10:00:30.000+08:00');
  });

  it('R-WO-3 crosses the year end and a New Year holiday', () => {
    const newYear = calendarFor({ holidays: ['2027-01-01'] });
    // Thursday 2026-12-31 16:00: 1.5 h left, Friday 01-01 holiday, weekend, Monday 01-04 08:30 + 4.5 h.
    expect(newYear.local(newYear.calendar.addWorkingHours(newYear.at('2026-12-31T16:00'), 6))).toBe(
      '2027-01-04T13:00',
    );
  });

  it('steps over 2000 working hours by days, not minutes', () => {
    const fresh = calendarFor();
    const start = fresh.at('2026-01-05T08:30');
    const began = performance.now();
    const due = fresh.calendar.addWorkingHours(start, 2000);
    expect(performance.now() - began).toBeLessThan(200);
    expect(fresh.calendar.workingTimeBetween(start, due)).toBe(2000 * HOUR_MS);
    // 2000 h = 222 days of 9 h + 2 h; 222 working days after Monday 2026-01-05 is Wednesday 2026-11-11.
    expect(fresh.local(due)).toBe('2026-11-11T10:30');
  });
});

describe('nextWorkingMoment', () => {
  it('is the instant itself inside working time and the next opening outside (closing excluded)', () => {
    expect(local(calendar.nextWorkingMoment(at('2026-11-27T10:00')))).toBe('2026-11-27T10:00');
    expect(local(calendar.nextWorkingMoment(at('2026-11-27T17:30')))).toBe('2026-11-30T08:30');
    expect(local(calendar.nextWorkingMoment(at('2026-11-28T12:00')))).toBe('2026-11-30T08:30');
  });
});

describe('workingTimeBetween', () => {
  it('R-WO-3 measures Friday 16:00 → Monday 13:00 as 6 working hours', () => {
    expect(calendar.workingTimeBetween(at('2026-11-27T16:00'), at('2026-11-30T13:00'))).toBe(
      6 * HOUR_MS,
    );
  });

  it('is negative when the second instant is earlier (overdue)', () => {
    expect(calendar.workingTimeBetween(at('2026-11-30T13:00'), at('2026-11-27T16:00'))).toBe(
      -6 * HOUR_MS,
    );
  });

  it('is zero for the same instant and over a weekend', () => {
    expect(calendar.workingTimeBetween(at('2026-11-27T10:00'), at('2026-11-27T10:00'))).toBe(0);
    expect(calendar.workingTimeBetween(at('2026-11-27T17:30'), at('2026-11-30T08:30'))).toBe(0);
  });

  it('counts 45 hours in a calendar week', () => {
    expect(calendar.workingTimeBetween(at('2026-11-23T00:00'), at('2026-11-30T00:00'))).toBe(
      45 * HOUR_MS,
    );
  });
});
