import { BusinessCalendar } from '@aftercare/calendar';
import { dayAfter, type KpiScope } from '@aftercare/kernel';
import { DEFAULT_COMPLAINT_DEADLINES, type ComplaintDeadlinePolicy } from './deadlines';
import { COMPLAINT_RATE_TARGET, isServiceCaused } from './statistics';
import { type Complaint, staffConcerned } from './workflow';

/** docs/rules.md §6 complaint closure target: every complaint closed within its 7 days. */
export const COMPLAINT_CLOSURE_TARGET = 1;

/** The narrowing of a KPI this service applies (the kernel's scope; every part optional here). */
type ComplaintKpiScope = Partial<
  Pick<KpiScope, 'province' | 'city' | 'stationCode' | 'technicianId'>
>;

/** A completed work order as the complaint service stores it from `workorder.completed`. */
export interface CompletedOrderFacts {
  workOrderId: string;
  province: string | null;
  city: string | null;
  technicianIds: readonly string[];
  stationCode: string | null;
}

/** The period as instants `[from, to)` in the business time zone. */
export function periodRange(period: Pick<KpiScope, 'from' | 'to'>, calendar: BusinessCalendar) {
  return {
    from: calendar.fromLocal(`${period.from}T00:00`),
    to: calendar.fromLocal(`${dayAfter(period.to)}T00:00`),
  };
}

/** Whether a completed work order falls in the scope (region of the order, technician on it). */
export function orderInScope(order: CompletedOrderFacts, scope: ComplaintKpiScope): boolean {
  return (
    (!scope.province || order.province === scope.province) &&
    (!scope.city || order.city === scope.city) &&
    (!scope.stationCode || order.stationCode === scope.stationCode) &&
    (!scope.technicianId || order.technicianIds.includes(scope.technicianId))
  );
}

/**
 * Whether a complaint falls in the scope. Its region is that of its (completed) work order, so a
 * region-scoped figure leaves out complaints without one. Its station is that of its work order:
 * the one that completed it, else the one handling it when the complaint was recorded (a complaint
 * may come before the work is done); a station-scoped figure leaves out complaints without one. It belongs to a technician when it names
 * them (about them, or found responsible); a complaint naming nobody belongs to the technicians of
 * its work order.
 */
export function complaintInScope(
  complaint: Complaint & { stationCode?: string | null },
  order: CompletedOrderFacts | undefined,
  scope: ComplaintKpiScope,
): boolean {
  if (scope.stationCode) {
    const station = order?.stationCode ?? complaint.stationCode ?? null;
    if (station !== scope.stationCode) return false;
  }
  if ((scope.province || scope.city) && !order) return false;
  if (order && !orderInScope(order, { province: scope.province, city: scope.city })) return false;
  if (!scope.technicianId) return true;
  const named = staffConcerned(complaint);
  return named.length > 0
    ? named.includes(scope.technicianId)
    : (order?.technicianIds.includes(scope.technicianId) ?? false);
}

export interface ComplaintRateKpi {
  serviceCausedComplaints: number;
  completedWorkOrders: number;
  /** Null without completed work orders. */
  rate: number | null;
  target: number;
  meetsTarget: boolean | null;
}

/** docs/rules.md §6 complaint rate = service-caused complaints / completed work orders (target < 3 %). */
export function complaintRateKpi(
  complaints: readonly Complaint[],
  completedWorkOrders: number,
): ComplaintRateKpi {
  const serviceCausedComplaints = complaints.filter(isServiceCaused).length;
  const rate = completedWorkOrders === 0 ? null : serviceCausedComplaints / completedWorkOrders;
  return {
    serviceCausedComplaints,
    completedWorkOrders,
    rate,
    target: COMPLAINT_RATE_TARGET,
    meetsTarget: rate === null ? null : rate < COMPLAINT_RATE_TARGET,
  };
}

export interface ComplaintClosureKpi {
  /** Complaints received in the period. */
  complaints: number;
  /** Those whose outcome is known: closed, or past their closure deadline (the denominator). */
  due: number;
  closedWithinDeadline: number;
  closedLate: number;
  /** Open and past the deadline. */
  openOverdue: number;
  /** Open and still within the deadline: not counted either way yet. */
  pending: number;
  /** closedWithinDeadline / due; null while nothing is due. */
  rate: number | null;
  target: number;
  meetsTarget: boolean | null;
}

/**
 * docs/rules.md §6 complaint closure = complaints closed within 7 days of receipt / complaints (target 100 %).
 * A complaint answered as invalid is closed too. One still open within its 7 days has no outcome
 * yet, so it is left out of the denominator (reported as `pending`) instead of lowering the rate.
 */
export function complaintClosureKpi(
  complaints: readonly Complaint[],
  now: Date,
  policy: ComplaintDeadlinePolicy = DEFAULT_COMPLAINT_DEADLINES,
): ComplaintClosureKpi {
  let closedWithinDeadline = 0;
  let closedLate = 0;
  let openOverdue = 0;
  let pending = 0;
  for (const c of complaints) {
    const dueAt = c.receivedAt.getTime() + policy.closureDays * 86_400_000;
    if (c.closedAt) {
      if (c.closedAt.getTime() <= dueAt) closedWithinDeadline += 1;
      else closedLate += 1;
    } else if (now.getTime() > dueAt) openOverdue += 1;
    else pending += 1;
  }
  const due = closedWithinDeadline + closedLate + openOverdue;
  const rate = due === 0 ? null : closedWithinDeadline / due;
  return {
    complaints: complaints.length,
    due,
    closedWithinDeadline,
    closedLate,
    openOverdue,
    pending,
    rate,
    target: COMPLAINT_CLOSURE_TARGET,
    meetsTarget: rate === null ? null : rate >= COMPLAINT_CLOSURE_TARGET,
  };
}
