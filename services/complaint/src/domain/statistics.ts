import { BusinessCalendar } from '@aftercare/calendar';
import { numberIn } from '@aftercare/kit/domain';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_CHANNELS,
  ComplaintCategory,
  ComplaintChannel,
} from './complaint';
import { ComplaintDeadlinePolicy, OVERDUE_KINDS, OverdueKind, overdueKinds } from './deadlines';
import { Month, localMonth, nextMonth, parseMonth } from './month';
import { Complaint } from './workflow';

/** KPI target (R-CO-4, docs/rules.md §6): service-caused complaints below 3 % of completed work orders. */
export const COMPLAINT_RATE_TARGET = 0.03;
/** R-CO-4: the monthly report is due by the 10th of the next month. */
export const REPORT_DUE_DAY = 10;

/** Categories that are the service's doing unless an investigation finds otherwise. */
export const SERVICE_CAUSED_CATEGORIES: readonly ComplaintCategory[] = Object.freeze([
  'SERVICE_ATTITUDE',
  'REPAIR_QUALITY',
]);

/**
 * Whether a complaint counts towards the complaint rate. An invalid complaint never does; an
 * investigated one counts when the investigation found our service responsible, whatever its
 * category (a "product quality" complaint may turn out to be a botched repair, and the reverse);
 * before the investigation the category decides.
 */
export function isServiceCaused(complaint: Complaint): boolean {
  if (complaint.status === 'CLOSED_INVALID') return false;
  if (complaint.investigation) return complaint.investigation.serviceCaused;
  return SERVICE_CAUSED_CATEGORIES.includes(complaint.category);
}

/** R-CO-4: the local date (`YYYY-MM-DD`) the report of `month` is due. */
export function reportDueDate(month: Month, dueDay = REPORT_DUE_DAY): string {
  numberIn(dueDay, 'dueDay', { min: 1, max: 28, integer: true });
  return `${nextMonth(month)}-${String(dueDay).padStart(2, '0')}`;
}

export interface CountLine<K extends string = string> {
  key: K;
  count: number;
}

export interface MonthlyComplaintReport {
  month: Month;
  dueDate: string;
  /** Complaints received in the month (business time zone). */
  total: number;
  invalid: number;
  /** Every category and channel, zeros included, so months line up in a spreadsheet. */
  byCategory: CountLine<ComplaintCategory>[];
  byChannel: CountLine<ComplaintChannel>[];
  /** Assigned complaints per responsible department, sorted by department. */
  byDepartment: CountLine[];
  /** Closed so far, including those answered as invalid. */
  closed: number;
  averageHoursToClose: number | null;
  medianHoursToClose: number | null;
  closedWithinDeadline: number;
  /** Complaints with at least one breached deadline as of the report time. */
  overdue: number;
  overdueByKind: Record<OverdueKind, number>;
  serviceCaused: number;
  completedWorkOrders: number;
  /** serviceCaused / completedWorkOrders; null without completed work orders. */
  complaintRate: number | null;
  complaintRateTarget: number;
  meetsTarget: boolean | null;
}

export interface ReportInput {
  /** Any complaints; those received in `month` are reported. */
  complaints: readonly Complaint[];
  /** Work orders completed in the month (from the work-order service). */
  completedWorkOrders: number;
  month: Month;
  calendar: BusinessCalendar;
  /** Report time: open complaints are judged overdue as of now. */
  now: Date;
  /** Ids of major complaints (their escalation deadline counts too). */
  majorIds?: readonly string[];
  policy?: ComplaintDeadlinePolicy;
}

const HOUR_MS = 3_600_000;

/** R-CO-4: the month's complaint statistics. */
export function monthlyComplaintReport(input: ReportInput): MonthlyComplaintReport {
  const month = parseMonth(input.month);
  const completedWorkOrders = numberIn(input.completedWorkOrders, 'completedWorkOrders', {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    integer: true,
  });
  const { calendar } = input;
  const complaints = input.complaints.filter((c) => localMonth(c.receivedAt, calendar) === month);
  const majors = new Set(input.majorIds ?? []);
  const overdue = complaints.map((c) =>
    overdueKinds(c, input.now, {
      calendar,
      major: majors.has(c.id),
      ...(input.policy ? { policy: input.policy } : {}),
    }),
  );
  const closed = complaints.filter((c) => c.closedAt);
  const hours = closed
    .map((c) => ((c.closedAt as Date).getTime() - c.receivedAt.getTime()) / HOUR_MS)
    .sort((a, b) => a - b);
  const serviceCaused = complaints.filter(isServiceCaused).length;
  const complaintRate = completedWorkOrders === 0 ? null : serviceCaused / completedWorkOrders;
  return {
    month,
    dueDate: reportDueDate(month),
    total: complaints.length,
    invalid: complaints.filter((c) => c.status === 'CLOSED_INVALID').length,
    byCategory: COMPLAINT_CATEGORIES.map((key) => ({
      key,
      count: complaints.filter((c) => c.category === key).length,
    })),
    byChannel: COMPLAINT_CHANNELS.map((key) => ({
      key,
      count: complaints.filter((c) => c.channel === key).length,
    })),
    byDepartment: countBy(complaints.flatMap((c) => (c.department ? [c.department] : []))),
    closed: closed.length,
    averageHoursToClose:
      hours.length === 0 ? null : hours.reduce((sum, h) => sum + h, 0) / hours.length,
    medianHoursToClose: median(hours),
    closedWithinDeadline: complaints.filter(
      (c, i) => c.closedAt && !overdue[i]?.includes('CLOSURE'),
    ).length,
    overdue: overdue.filter((kinds) => kinds.length > 0).length,
    overdueByKind: Object.fromEntries(
      OVERDUE_KINDS.map((kind) => [kind, overdue.filter((kinds) => kinds.includes(kind)).length]),
    ) as Record<OverdueKind, number>,
    serviceCaused,
    completedWorkOrders,
    complaintRate,
    complaintRateTarget: COMPLAINT_RATE_TARGET,
    meetsTarget: complaintRate === null ? null : complaintRate < COMPLAINT_RATE_TARGET,
  };
}

function countBy(keys: readonly string[]): CountLine[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, count]) => ({ key, count }));
}

/** Median of an ascending list; the mean of the middle two for an even count. */
function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}
