import {
  DailyJob,
  dailyReport,
  minutesOnDay,
  technicianDailyRows,
  workersOnDay,
} from '../../src/domain';
import { errorOf } from './helpers';

const job = (
  technicianId: string,
  team: string,
  category: string,
  minutes: number,
  status: DailyJob['status'] = 'RESOLVED_ON_SITE',
): DailyJob => ({
  workOrderId: `wo-${technicianId}-${category}-${minutes}`,
  technicianId,
  team,
  category,
  minutes,
  status,
});

const jobs = [
  job('t2', 'north', 'BODY', 30, 'ON_SITE'),
  job('t1', 'north', 'ELECTRICAL', 90),
  job('t1', 'north', 'ELECTRICAL', 45, 'CLOSED'),
  job('t1', 'north', 'BODY', 60, 'IN_WORKSHOP'),
  job('t3', 'south', 'ELECTRICAL', 120, 'SIGNED'),
];

describe('daily reports', () => {
  it('R-WO-9 each technician’s jobs by category with time spent', () => {
    const rows = technicianDailyRows(jobs);
    expect(rows.map((r) => r.technicianId)).toEqual(['t1', 't2', 't3']);
    expect(rows[0]).toEqual({
      technicianId: 't1',
      team: 'north',
      lines: [
        { category: 'BODY', jobs: 1, completedJobs: 0, minutes: 60 },
        { category: 'ELECTRICAL', jobs: 2, completedJobs: 2, minutes: 135 },
      ],
      totalJobs: 3,
      completedJobs: 2,
      totalMinutes: 195,
    });
  });

  it('R-WO-9 rolls the rows up into the supervisor’s daily report per team', () => {
    const report = dailyReport('2026-11-24', jobs);
    expect(report.date).toBe('2026-11-24');
    expect(
      report.teams.map((t) => [t.team, t.technicians.length, t.totalJobs, t.totalMinutes]),
    ).toEqual([
      ['north', 2, 4, 225],
      ['south', 1, 1, 120],
    ]);
    expect(report.teams[0]?.lines).toEqual([
      { category: 'BODY', jobs: 2, completedJobs: 0, minutes: 90 },
      { category: 'ELECTRICAL', jobs: 2, completedJobs: 2, minutes: 135 },
    ]);
    expect(dailyReport('2026-11-24', [])).toEqual({ date: '2026-11-24', teams: [] });
  });

  it('R-WO-9 refuses time that is not whole minutes within a day', () => {
    expect(errorOf(() => technicianDailyRows([job('t1', 'n', 'BODY', 1.5)]))).toMatchObject({
      field: 'jobs.0.minutes',
      reason: 'NOT_AN_INTEGER',
    });
    expect(errorOf(() => technicianDailyRows([job('t1', 'n', 'BODY', 1441)]))).toMatchObject({
      reason: 'OUT_OF_RANGE',
    });
  });
});

describe('R-WO-9 time spent on a day', () => {
  // 2026-11-16 in Asia/Shanghai.
  const day = {
    date: '2026-11-16',
    start: new Date('2026-11-15T16:00:00Z'),
    end: new Date('2026-11-16T16:00:00Z'),
  };
  const nextDay = {
    date: '2026-11-17',
    start: new Date('2026-11-16T16:00:00Z'),
    end: new Date('2026-11-17T16:00:00Z'),
  };
  // Arrived 10:00, taken back 10:30 on Monday; the workshop works 2.5 h Monday, 1.5 h Tuesday,
  // returned Tuesday 15:00.
  const takenBack = {
    technicianIds: ['field'],
    arrivedAt: new Date('2026-11-16T02:00:00Z'),
    completedAt: new Date('2026-11-17T07:00:00Z'),
    goodsReceipt: { issuedAt: new Date('2026-11-16T02:30:00Z') },
    repairCard: {
      hours: [
        { technicianId: 'shop', hours: 2.5, date: '2026-11-16' },
        { technicianId: 'shop', hours: 1.5, date: '2026-11-17' },
      ],
    },
  };

  it('a take-back job: the field technician is on site until the take-back, the workshop by its card, day by day', () => {
    expect(workersOnDay(takenBack, day)).toEqual(['field', 'shop']);
    expect(minutesOnDay(takenBack, 'field', day)).toBe(30);
    expect(minutesOnDay(takenBack, 'shop', day)).toBe(150);
    expect(minutesOnDay(takenBack, 'field', nextDay)).toBe(0);
    expect(minutesOnDay(takenBack, 'shop', nextDay)).toBe(90);
    // Whole minutes within a day, so the report itself never refuses them.
    expect(() =>
      dailyReport(day.date, [
        { ...job('field', 'ws', 'MECHANICAL', minutesOnDay(takenBack, 'field', day)) },
      ]),
    ).not.toThrow();
  });

  it('an on-site job: arrival to completion, only the part inside the day', () => {
    const overnight = {
      technicianIds: ['field'],
      arrivedAt: new Date('2026-11-16T15:00:00Z'), // 23:00 local
      completedAt: new Date('2026-11-16T17:30:00Z'), // 01:30 local next day
      goodsReceipt: null,
      repairCard: null,
    };
    expect(minutesOnDay(overnight, 'field', day)).toBe(60);
    expect(minutesOnDay(overnight, 'field', nextDay)).toBe(90);
    expect(workersOnDay(overnight, nextDay)).toEqual(['field']);
    expect(minutesOnDay({ ...overnight, arrivedAt: null }, 'field', day)).toBe(0);
  });
});
