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
  const teams = [...byKey(rows, (r) => r.team)].map(([team, technicians]) => ({
    team,
    technicians,
    ...totals(jobs.filter((j) => j.team === team)),
  }));
  return { date, teams };
}
