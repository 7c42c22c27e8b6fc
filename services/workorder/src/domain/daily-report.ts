import { groupByKeys } from '@aftercare/kit/domain';
import { WorkOrderStatus, isCompleted } from './status';
import { numberIn } from './values';

/** One technician's part in one work order on the day (a two-person job gives two jobs). */
export interface DailyJob {
  workOrderId: string;
  technicianId: string;
  team: string;
  category: string;
  minutes: number;
  status: WorkOrderStatus;
}

export interface CategoryLine {
  category: string;
  jobs: number;
  completedJobs: number;
  minutes: number;
}

interface Totals {
  lines: CategoryLine[];
  totalJobs: number;
  completedJobs: number;
  totalMinutes: number;
}

/** R-WO-9 技术员工作日报表: one technician's jobs of the day by category. */
export interface TechnicianDailyRow extends Totals {
  technicianId: string;
  team: string;
}

/** R-WO-9: the service supervisor's daily report, one team with its technicians. */
export interface TeamDailyReport extends Totals {
  team: string;
  technicians: TechnicianDailyRow[];
}

export interface DailyReport {
  date: string;
  teams: TeamDailyReport[];
}

const byKey = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};

function totals(jobs: readonly DailyJob[]): Totals {
  const lines = [...byKey(jobs, (j) => j.category)].map(([category, group]) => ({
    category,
    jobs: group.length,
    completedJobs: group.filter((j) => isCompleted(j.status)).length,
    minutes: group.reduce((sum, j) => sum + j.minutes, 0),
  }));
  const sum = (pick: (line: CategoryLine) => number) =>
    lines.reduce((total, line) => total + pick(line), 0);
  return {
    lines,
    totalJobs: sum((l) => l.jobs),
    completedJobs: sum((l) => l.completedJobs),
    totalMinutes: sum((l) => l.minutes),
  };
}

/** Per-technician rows, sorted by team and technician; minutes must be whole and ≤ a day. */
export function technicianDailyRows(jobs: readonly DailyJob[]): TechnicianDailyRow[] {
  jobs.forEach((j, i) =>
    numberIn(j.minutes, `jobs.${i}.minutes`, { min: 0, max: 24 * 60, integer: true }),
  );
  return [...byKey(jobs, (j) => `${j.team}\u0000${j.technicianId}`).values()].map((group) => {
    const [first] = group as [DailyJob];
    return { technicianId: first.technicianId, team: first.team, ...totals(group) };
  });
}

/** The supervisor's report: the technicians' rows rolled up per team, with category totals. */
export function dailyReport(date: string, jobs: readonly DailyJob[]): DailyReport {
  const rows = technicianDailyRows(jobs);
  const teams = [...byKey(rows, (r) => r.team)];
  const jobsOf = groupByKeys(
    teams.map(([team]) => team),
    jobs,
    (j) => j.team,
  );
  return {
    date,
    teams: teams.map(([team, technicians], i) => ({
      team,
      technicians,
      ...totals(jobsOf[i]!),
    })),
  };
}

/** What the daily report needs of a work order to tell who worked on it on a day, and how long. */
export interface TimedOrder {
  technicianIds: readonly string[];
  arrivedAt: Date | null;
  completedAt: Date | null;
  goodsReceipt: { issuedAt: Date } | null;
  repairCard: { hours: readonly { technicianId: string; hours: number; date: string }[] } | null;
}

/** A local business day: its date and the instants it starts and ends. */
export interface BusinessDay {
  date: string;
  start: Date;
  end: Date;
}

/**
 * Who worked on the order on the day: its technicians, and whoever booked repair-card hours dated
 * that day (the workshop staff of a take-back repair, R-WO-5).
 */
export function workersOnDay(o: TimedOrder, day: BusinessDay): string[] {
  const workshop = (o.repairCard?.hours ?? [])
    .filter((h) => h.date === day.date)
    .map((h) => h.technicianId);
  return [...new Set([...o.technicianIds, ...workshop])];
}

/**
 * R-WO-9 minutes one person spent on the order on the day: their repair-card hours dated that day
 * when they keep a card on it; otherwise their time on site that falls inside the day, from arrival
 * to completion — or to the take-back, since from then on the work is the workshop's and is on the
 * card. (Counting arrival to completion of a take-back order would bill the field technician for
 * the days the goods sat in the workshop, on every day the order was touched.)
 */
export function minutesOnDay(o: TimedOrder, technicianId: string, day: BusinessDay): number {
  const card = o.repairCard?.hours.filter((h) => h.technicianId === technicianId) ?? [];
  if (card.length) {
    const hours = card.filter((h) => h.date === day.date).reduce((sum, h) => sum + h.hours, 0);
    return Math.min(Math.round(hours * 60), 24 * 60);
  }
  const leftSite = o.goodsReceipt?.issuedAt ?? o.completedAt;
  if (!o.arrivedAt || !leftSite) return 0;
  const from = Math.max(o.arrivedAt.getTime(), day.start.getTime());
  const to = Math.min(leftSite.getTime(), day.end.getTime());
  return to > from ? Math.round((to - from) / 60_000) : 0;
}
