import { DailyJob, dailyReport, technicianDailyRows } from '../../src/domain';
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
