import {
  BusinessCalendar,
  BusinessCalendarConfig,
  CalendarConfigError,
  DEFAULT_CALENDAR_CONFIG,
  parseCalendarConfig,
  resolveCalendarConfig,
} from '../src';

/** The error a thunk throws, asserted to be a CalendarConfigError. */
function configError(thunk: () => unknown): CalendarConfigError {
  try {
    thunk();
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarConfigError);
    return error as CalendarConfigError;
  }
  throw new Error('expected a CalendarConfigError');
}

describe('resolveCalendarConfig', () => {
  it('defaults to Asia/Shanghai, 08:30–17:30, Monday–Friday, no holidays', () => {
    expect(resolveCalendarConfig()).toEqual({
      timeZone: 'Asia/Shanghai',
      workingHours: [{ start: '08:30', end: '17:30' }],
      workingWeekdays: [1, 2, 3, 4, 5],
      holidays: [],
      workingDays: [],
    });
    expect(new BusinessCalendar().config).toEqual(DEFAULT_CALENDAR_CONFIG);
  });

  it('sorts intervals, merges touching ones and sorts and dedupes days and dates', () => {
    const config = resolveCalendarConfig({
      workingHours: [
        { start: '13:00', end: '17:30' },
        { start: '08:30', end: '12:00' },
        { start: '17:30', end: '18:00' },
      ],
      workingWeekdays: [5, 1, 1, 3],
      holidays: ['2026-10-02', '2026-10-01', '2026-10-02'],
    });
    expect(config.workingHours).toEqual([
      { start: '08:30', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ]);
    expect(config.workingWeekdays).toEqual([1, 3, 5]);
    expect(config.holidays).toEqual(['2026-10-01', '2026-10-02']);
  });

  it('keeps defaults for settings passed as undefined', () => {
    expect(resolveCalendarConfig({ timeZone: undefined }).timeZone).toBe('Asia/Shanghai');
  });

  it.each<[string, Partial<BusinessCalendarConfig>, string, RegExp]>([
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone', /Mars\/Olympus/],
    ['a fixed offset instead of an IANA zone', { timeZone: '+08:00' }, 'timeZone', /IANA/],
    [
      'a time without a leading zero',
      { workingHours: [{ start: '8:30', end: '17:30' }] },
      'workingHours',
      /"8:30"/,
    ],
    ['24:00', { workingHours: [{ start: '08:30', end: '24:00' }] }, 'workingHours', /"24:00"/],
    [
      'minutes over 59',
      { workingHours: [{ start: '08:60', end: '17:30' }] },
      'workingHours',
      /"08:60"/,
    ],
    [
      'an interval ending before it starts',
      { workingHours: [{ start: '17:30', end: '08:30' }] },
      'workingHours',
      /ends before it starts/,
    ],
    [
      'an empty interval',
      { workingHours: [{ start: '09:00', end: '09:00' }] },
      'workingHours',
      /ends before it starts/,
    ],
    [
      'overlapping intervals',
      {
        workingHours: [
          { start: '08:30', end: '12:30' },
          { start: '12:00', end: '17:30' },
        ],
      },
      'workingHours',
      /08:30-12:30 and 12:00-17:30 overlap/,
    ],
    ['no working hours', { workingHours: [] }, 'workingHours', /at least one/],
    ['weekday 0', { workingWeekdays: [0, 1] }, 'workingWeekdays', /0 is not an ISO weekday/],
    ['weekday 8', { workingWeekdays: [8] }, 'workingWeekdays', /8 is not an ISO weekday/],
    ['no working weekdays', { workingWeekdays: [] }, 'workingWeekdays', /at least one/],
    ['a month 13', { holidays: ['2026-13-01'] }, 'holidays', /"2026-13-01"/],
    ['30 February', { holidays: ['2026-02-30'] }, 'holidays', /"2026-02-30"/],
    ['a two-digit year', { workingDays: ['26-10-10'] }, 'workingDays', /"26-10-10"/],
    ['a date-time', { workingDays: ['2026-10-10T00:00'] }, 'workingDays', /"2026-10-10T00:00"/],
    [
      'a date both holiday and make-up day',
      { holidays: ['2026-10-10'], workingDays: ['2026-10-10'] },
      'workingDays',
      /2026-10-10 is listed both/,
    ],
  ])('rejects %s, naming the setting', (_, input, setting, detail) => {
    const error = configError(() => new BusinessCalendar(input));
    expect(error.setting).toBe(setting);
    expect(error.message).toContain(setting);
    expect(error.message).toMatch(detail);
  });
});

describe('parseCalendarConfig', () => {
  it('defaults every missing or blank variable', () => {
    expect(parseCalendarConfig({})).toEqual(DEFAULT_CALENDAR_CONFIG);
    expect(
      parseCalendarConfig({ BUSINESS_TZ: ' ', BUSINESS_HOURS: '', BUSINESS_HOLIDAYS: ' , ' }),
    ).toEqual(DEFAULT_CALENDAR_CONFIG);
  });

  it('reads every BUSINESS_* variable', () => {
    expect(
      parseCalendarConfig({
        BUSINESS_TZ: 'Europe/Berlin',
        BUSINESS_HOURS: '08:30-12:00, 13:00-17:30',
        BUSINESS_DAYS: '1,2,3,4,5,6',
        BUSINESS_HOLIDAYS: '2026-10-01,2026-10-02',
        BUSINESS_WORKDAYS: '2026-10-11',
        UNRELATED: 'ignored',
      }),
    ).toEqual({
      timeZone: 'Europe/Berlin',
      workingHours: [
        { start: '08:30', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
      workingWeekdays: [1, 2, 3, 4, 5, 6],
      holidays: ['2026-10-01', '2026-10-02'],
      workingDays: ['2026-10-11'],
    });
  });

  it.each([
    ['1-5', [1, 2, 3, 4, 5]],
    ['1-3,5', [1, 2, 3, 5]],
    ['6', [6]],
    ['7,1-2', [1, 2, 7]],
  ])('reads BUSINESS_DAYS=%s', (days, expected) => {
    expect(parseCalendarConfig({ BUSINESS_DAYS: days }).workingWeekdays).toEqual(expected);
  });

  it('reads a JSON text with the same keys, lists as strings or arrays', () => {
    const config = parseCalendarConfig(
      JSON.stringify({
        BUSINESS_TZ: 'Asia/Shanghai',
        BUSINESS_HOURS: ['08:30-12:00', '13:00-17:30'],
        BUSINESS_HOLIDAYS: ['2026-10-01'],
      }),
    );
    expect(config.workingHours).toHaveLength(2);
    expect(config.holidays).toEqual(['2026-10-01']);
  });

  it.each<[string, Record<string, unknown> | string, string, RegExp]>([
    ['an unknown zone', { BUSINESS_TZ: 'Asia/Peking' }, 'BUSINESS_TZ', /Asia\/Peking/],
    [
      'hours without a dash',
      { BUSINESS_HOURS: '08:30' },
      'BUSINESS_HOURS',
      /"08:30" is not an interval/,
    ],
    ['hours with a bad time', { BUSINESS_HOURS: '0830-1730' }, 'BUSINESS_HOURS', /"0830"/],
    [
      'hours ending before starting',
      { BUSINESS_HOURS: '17:30-08:30' },
      'BUSINESS_HOURS',
      /ends before it starts/,
    ],
    [
      'overlapping hours',
      { BUSINESS_HOURS: '08:00-13:00,12:00-17:00' },
      'BUSINESS_HOURS',
      /overlap/,
    ],
    ['weekday 0', { BUSINESS_DAYS: '0-4' }, 'BUSINESS_DAYS', /"0-4"/],
    ['a weekday name', { BUSINESS_DAYS: 'mon-fri' }, 'BUSINESS_DAYS', /"mon-fri"/],
    ['a backwards range', { BUSINESS_DAYS: '5-1' }, 'BUSINESS_DAYS', /ends before it starts/],
    [
      'a malformed holiday',
      { BUSINESS_HOLIDAYS: '2026-10-01,2026/10/02' },
      'BUSINESS_HOLIDAYS',
      /"2026\/10\/02"/,
    ],
    [
      'a malformed make-up day',
      { BUSINESS_WORKDAYS: '2026-09-31' },
      'BUSINESS_WORKDAYS',
      /"2026-09-31"/,
    ],
    [
      'a day both ways',
      { BUSINESS_HOLIDAYS: '2026-10-10', BUSINESS_WORKDAYS: '2026-10-10' },
      'BUSINESS_WORKDAYS',
      /both/,
    ],
    ['invalid JSON', '{"BUSINESS_TZ":', 'JSON', /not valid JSON/],
    ['a JSON array', '["Asia/Shanghai"]', 'JSON', /must be an object/],
  ])('rejects %s, naming the variable', (_, source, setting, detail) => {
    const error = configError(() => parseCalendarConfig(source as Record<string, unknown>));
    expect(error.setting).toBe(setting);
    expect(error.message).toContain(setting);
    expect(error.message).toMatch(detail);
  });
});

describe('argument checks', () => {
  const calendar = new BusinessCalendar();
  const friday = calendar.fromLocal('2026-11-27T10:00');

  it('rejects negative, fractional-day and non-finite amounts', () => {
    expect(() => calendar.addWorkingHours(friday, -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingMinutes(friday, Number.NaN)).toThrow(
      /minutes must be a finite number/,
    );
    expect(() => calendar.addWorkingHours(friday, Number.POSITIVE_INFINITY)).toThrow(
      /hours must be a finite number/,
    );
    expect(() => calendar.addWorkingDays(friday, 1.5)).toThrow(/days must be an integer/);
    expect(() => calendar.addWorkingDays(friday, -1)).toThrow(RangeError);
  });

  it('rejects invalid dates and date strings', () => {
    expect(() => calendar.isWorkingTime(new Date(Number.NaN))).toThrow(/at must be a valid Date/);
    expect(() => calendar.workingTimeBetween(friday, new Date('nope'))).toThrow(TypeError);
    expect(() => calendar.isWorkingDay('2026-2-1')).toThrow(/"2026-2-1" is not a date/);
    expect(() => calendar.fromLocal('Friday at ten')).toThrow(/not an ISO 8601 date-time/);
  });

  it('fails fast on an amount whose result lies more than ten years ahead', () => {
    expect(() => calendar.addWorkingHours(friday, 100_000)).toThrow(/days ahead/);
  });
});
