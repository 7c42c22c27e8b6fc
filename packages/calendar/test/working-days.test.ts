import { HOUR_MS, calendarFor } from './support';

// 2026-11-27 is a Friday; default calendar: Asia/Shanghai, 08:30–17:30, Monday–Friday.
const { calendar, at, local } = calendarFor();

/** Hypothetical National Day week: Thu 10-01 … Wed 10-07 off, made up on Sun 09-27 and Sat 10-10. */
const nationalDay = calendarFor({
  holidays: [
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  workingDays: ['2026-09-27', '2026-10-10'],
});

const lunchBreak = calendarFor({
  workingHours: [
    { start: '08:30', end: '12:00' },
    { start: '13:00', end: '17:30' },
  ],
});

describe('addWorkingDays', () => {
  it('R-CO-2 a complaint assigned Friday 10:00 needs its solution by Monday 10:00', () => {
    expect(local(calendar.addWorkingDays(at('2026-11-27T10:00'), 1))).toBe('2026-11-30T10:00');
  });

  it('R-CO-2 a complaint assigned on Saturday counts from Monday opening and is due Monday closing', () => {
    expect(local(calendar.addWorkingDays(at('2026-11-28T11:00'), 1))).toBe('2026-11-30T17:30');
  });

  it('reports a count ending on an opening as the previous closing, like addWorkingHours', () => {
    expect(local(calendar.addWorkingDays(at('2026-11-30T08:30'), 1))).toBe('2026-11-30T17:30');
    expect(local(calendar.addWorkingDays(at('2026-11-27T08:29'), 1))).toBe('2026-11-27T17:30');
    expect(local(calendar.addWorkingDays(at('2026-11-27T17:30'), 1))).toBe('2026-11-30T17:30');
    expect(local(calendar.addWorkingDays(at('2026-11-27T19:00'), 1))).toBe('2026-11-30T17:30');
  });

  it('R-CU-3 a sales handover from Thursday 15:00 is due within 3 working days, Tuesday 15:00', () => {
    expect(local(calendar.addWorkingDays(at('2026-11-26T15:00'), 3))).toBe('2026-12-01T15:00');
  });

  it('R-PN-2 a violation found Friday 17:29 must be corrected by Monday 17:29', () => {
    expect(local(calendar.addWorkingDays(at('2026-11-27T17:29'), 1))).toBe('2026-11-30T17:29');
  });

  it('adds zero days as the start moved into working time', () => {
    expect(local(calendar.addWorkingDays(at('2026-11-27T10:00'), 0))).toBe('2026-11-27T10:00');
    expect(local(calendar.addWorkingDays(at('2026-11-28T10:00'), 0))).toBe('2026-11-30T08:30');
  });

  it('equals the same number of working hours: Friday 10:00 + 1 day = + 9 h', () => {
    const start = at('2026-11-27T10:00');
    expect(calendar.addWorkingDays(start, 5)).toEqual(calendar.addWorkingHours(start, 45));
  });
});

describe('holidays and make-up working days (National Day)', () => {
  const { calendar: cal, at: atCn, local: localCn } = nationalDay;

  it('treats the holiday week as non-working and the make-up weekend days as working', () => {
    for (const day of ['01', '02', '03', '04', '05', '06', '07']) {
      expect(cal.isWorkingDay(`2026-10-${day}`)).toBe(false);
    }
    expect(cal.isWorkingDay('2026-09-27')).toBe(true);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    expect(cal.isWorkingDay('2026-10-11')).toBe(false);
    expect(cal.isWorkingTime(atCn('2026-10-10T09:00'))).toBe(true);
  });

  it('R-WO-3 a call on the eve of the holiday is due after the holiday week', () => {
    expect(localCn(cal.addWorkingHours(atCn('2026-09-30T16:00'), 6))).toBe('2026-10-08T13:00');
  });

  it('R-WO-3 a Saturday call counts from the make-up Sunday', () => {
    expect(localCn(cal.addWorkingHours(atCn('2026-09-26T10:00'), 2))).toBe('2026-09-27T10:30');
  });

  it('R-WO-3 a Friday evening call continues on the make-up Saturday', () => {
    expect(localCn(cal.addWorkingHours(atCn('2026-10-09T17:00'), 1))).toBe('2026-10-10T09:00');
  });

  it('R-CO-2 a complaint assigned the day before the holiday is due the first day after it', () => {
    expect(localCn(cal.addWorkingDays(atCn('2026-09-30T10:00'), 1))).toBe('2026-10-08T10:00');
  });

  it('R-CU-3 a handover counts the make-up Saturday as a working day', () => {
    expect(localCn(cal.addWorkingDays(atCn('2026-10-09T15:00'), 3))).toBe('2026-10-13T15:00');
  });

  it('counts 6 working days (54 h) in the two weeks around the holiday', () => {
    expect(cal.workingTimeBetween(atCn('2026-09-28T00:00'), atCn('2026-10-12T00:00'))).toBe(
      54 * HOUR_MS,
    );
  });

  it('R-IN-6 a special tool lent on a holiday is due at the end of the next working day', () => {
    expect(localCn(cal.endOfWorkingDay(atCn('2026-10-03T10:00')))).toBe('2026-10-08T17:30');
  });
});

describe('lunch break (two intervals a day)', () => {
  const { calendar: cal, at: atL, local: localL } = lunchBreak;

  it('excludes the break from working time', () => {
    expect(cal.isWorkingTime(atL('2026-11-27T11:59'))).toBe(true);
    expect(cal.isWorkingTime(atL('2026-11-27T12:00'))).toBe(false);
    expect(cal.isWorkingTime(atL('2026-11-27T12:59'))).toBe(false);
    expect(cal.isWorkingTime(atL('2026-11-27T13:00'))).toBe(true);
    expect(cal.workingTimeBetween(atL('2026-11-27T00:00'), atL('2026-11-28T00:00'))).toBe(
      8 * HOUR_MS,
    );
  });

  it('skips the break when counting hours', () => {
    expect(localL(cal.addWorkingHours(atL('2026-11-27T11:30'), 1))).toBe('2026-11-27T13:30');
    expect(localL(cal.addWorkingHours(atL('2026-11-27T12:30'), 0.5))).toBe('2026-11-27T13:30');
    expect(localL(cal.addWorkingHours(atL('2026-11-27T12:30'), 0))).toBe('2026-11-27T13:00');
  });

  it('stays on the start of the break when the count ends there', () => {
    expect(localL(cal.addWorkingHours(atL('2026-11-27T11:00'), 1))).toBe('2026-11-27T12:00');
  });

  it('R-WO-3 urban call at 16:00 Friday is due Monday 14:00 with an hour for lunch', () => {
    expect(localL(cal.addWorkingHours(atL('2026-11-27T16:00'), 6))).toBe('2026-11-30T14:00');
  });

  it('R-CO-2 a complaint assigned Friday 10:00 is still due Monday 10:00', () => {
    expect(localL(cal.addWorkingDays(atL('2026-11-27T10:00'), 1))).toBe('2026-11-30T10:00');
  });

  it('ends the working day at the last interval, not at the break', () => {
    expect(localL(cal.endOfWorkingDay(atL('2026-11-27T10:00')))).toBe('2026-11-27T17:30');
    expect(localL(cal.startOfWorkingDay(atL('2026-11-27T14:00')))).toBe('2026-11-27T08:30');
  });
});

describe('start and end of the working day', () => {
  it('R-IN-6 a special tool lent Friday morning is overdue at Friday closing', () => {
    expect(local(calendar.endOfWorkingDay(at('2026-11-27T10:00')))).toBe('2026-11-27T17:30');
    expect(local(calendar.endOfWorkingDay(at('2026-11-27T00:30')))).toBe('2026-11-27T17:30');
  });

  it('R-IN-6 a special tool lent Friday evening is already overdue (that day closed at 17:30)', () => {
    const lent = at('2026-11-27T20:00');
    expect(local(calendar.endOfWorkingDay(lent))).toBe('2026-11-27T17:30');
    expect(local(calendar.endOfWorkingDay(calendar.nextWorkingMoment(lent)))).toBe(
      '2026-11-30T17:30',
    );
  });

  it('R-IN-6 a special tool lent on Saturday is due Monday closing', () => {
    expect(local(calendar.endOfWorkingDay(at('2026-11-28T10:00')))).toBe('2026-11-30T17:30');
  });

  it('gives the opening of the local day, or of the next working day on a weekend', () => {
    expect(local(calendar.startOfWorkingDay(at('2026-11-27T15:00')))).toBe('2026-11-27T08:30');
    expect(local(calendar.startOfWorkingDay(at('2026-11-27T23:00')))).toBe('2026-11-27T08:30');
    expect(local(calendar.startOfWorkingDay(at('2026-11-29T10:00')))).toBe('2026-11-30T08:30');
  });

  it('R-WO-4 a request not dispatched by Friday closing is first in Monday morning queue', () => {
    expect(local(calendar.nextWorkingDayStart(at('2026-11-27T18:00')))).toBe('2026-11-30T08:30');
    expect(local(calendar.nextWorkingDayStart(at('2026-11-26T20:00')))).toBe('2026-11-27T08:30');
    expect(local(calendar.nextWorkingDayStart(at('2026-11-29T07:00')))).toBe('2026-11-30T08:30');
  });

  it('crosses the year end', () => {
    const newYear = calendarFor({ holidays: ['2027-01-01'] });
    expect(
      newYear.local(newYear.calendar.nextWorkingDayStart(newYear.at('2026-12-31T12:00'))),
    ).toBe('2027-01-04T08:30');
    expect(newYear.local(newYear.calendar.endOfWorkingDay(newYear.at('2027-01-01T09:00')))).toBe(
      '2027-01-04T17:30',
    );
  });
});
