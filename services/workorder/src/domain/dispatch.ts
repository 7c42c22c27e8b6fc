import { BusinessCalendar } from '@aftercare/calendar';
import { conflict, invalidArgument } from '@aftercare/kit/domain';
import { REASSIGNABLE_STATUSES, WorkOrderStatus, isOpen } from './status';
import { Region, requiredText } from './values';

/** What dispatch needs to know of a technician (R-WO-4), looked up by the use case. */
export interface Technician {
  id: string;
  active: boolean;
  skills: readonly string[];
  /** Home region; null when the technician covers every region. */
  region: Pick<Region, 'province' | 'city'> | null;
}

export interface Assignment {
  technicianIds: string[];
  leadTechnicianId: string;
}

export interface AssignmentInput {
  technicianIds?: readonly string[] | null;
  leadTechnicianId?: string | null;
}

export interface DispatchTarget {
  region: Region | null;
  category: string;
}

/** Soft problems the dispatcher sees and may accept; hard problems are thrown. */
export interface DispatchWarning {
  technicianId: string;
  code: 'OUTSIDE_REGION' | 'MISSING_SKILL';
  message: string;
}

export interface AssignmentPlan {
  assignment: Assignment;
  warnings: DispatchWarning[];
}

export const MAX_TECHNICIANS_PER_ORDER = 10;

/**
 * R-WO-4: one or more distinct, active technicians; with two or more the lead must be named and be
 * one of them, with one that one leads. A technician outside the order's region or without the
 * category among their skills is a warning, not an error: a neighbouring team may help out.
 */
export function planAssignment(
  input: AssignmentInput,
  technicians: readonly Technician[],
  target: DispatchTarget,
): AssignmentPlan {
  const ids = (input.technicianIds ?? []).map((id, i) =>
    requiredText(id, `technicianIds.${i}`, 64),
  );
  if (ids.length === 0)
    throw invalidArgument('assign at least one technician', 'technicianIds', 'REQUIRED');
  if (ids.length > MAX_TECHNICIANS_PER_ORDER) {
    throw invalidArgument(
      `at most ${MAX_TECHNICIANS_PER_ORDER} technicians per work order`,
      'technicianIds',
      'TOO_MANY',
    );
  }
  const warnings = ids.flatMap((id, i) => {
    if (ids.indexOf(id) !== i) {
      throw invalidArgument(
        `technician ${id} is assigned twice`,
        `technicianIds.${i}`,
        'DUPLICATE_TECHNICIAN',
      );
    }
    return checkTechnician(
      technicians.find((t) => t.id === id),
      id,
      `technicianIds.${i}`,
      target,
    );
  });
  return { assignment: { technicianIds: ids, leadTechnicianId: leadOf(ids, input) }, warnings };
}

function leadOf(ids: readonly string[], input: AssignmentInput): string {
  const lead = input.leadTechnicianId?.trim() || null;
  if (ids.length === 1 && !lead) return ids[0] as string;
  if (!lead) {
    throw invalidArgument(
      'name a lead technician when two or more are assigned',
      'leadTechnicianId',
      'LEAD_REQUIRED',
    );
  }
  if (!ids.includes(lead)) {
    throw invalidArgument(
      `lead technician ${lead} is not one of the assigned technicians`,
      'leadTechnicianId',
      'LEAD_NOT_ASSIGNED',
    );
  }
  return lead;
}

function checkTechnician(
  technician: Technician | undefined,
  id: string,
  field: string,
  target: DispatchTarget,
): DispatchWarning[] {
  if (!technician)
    throw invalidArgument(`technician ${id} does not exist`, field, 'UNKNOWN_TECHNICIAN');
  if (!technician.active)
    throw invalidArgument(`technician ${id} is not active`, field, 'TECHNICIAN_INACTIVE');
  const warnings: DispatchWarning[] = [];
  const home = technician.region;
  if (
    home &&
    target.region &&
    (home.province !== target.region.province || home.city !== target.region.city)
  ) {
    warnings.push({
      technicianId: id,
      code: 'OUTSIDE_REGION',
      message: `technician ${id} works in ${home.province} ${home.city}, the order is in ${target.region.province} ${target.region.city}`,
    });
  }
  if (!technician.skills.includes(target.category)) {
    warnings.push({
      technicianId: id,
      code: 'MISSING_SKILL',
      message: `technician ${id} has no ${target.category} skill`,
    });
  }
  return warnings;
}

/**
 * R-WO-4 re-dispatch: swapping technicians before they are on site (DISPATCHED or EN_ROUTE, no
 * status change), with a reason for the record.
 */
export function planReassignment(
  status: WorkOrderStatus,
  current: Assignment,
  input: AssignmentInput & { reason?: string | null },
  technicians: readonly Technician[],
  target: DispatchTarget,
): AssignmentPlan & { reason: string } {
  if (!REASSIGNABLE_STATUSES.includes(status)) {
    throw conflict(
      `technicians can be reassigned only while the work order is ${REASSIGNABLE_STATUSES.join(' or ')} (it is ${status})`,
      'NOT_REASSIGNABLE',
    );
  }
  const reason = requiredText(input.reason, 'reason', 500);
  const plan = planAssignment(input, technicians, target);
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((id) => b.includes(id));
  if (
    same(plan.assignment.technicianIds, current.technicianIds) &&
    plan.assignment.leadTechnicianId === current.leadTechnicianId
  ) {
    throw invalidArgument(
      'the new assignment is the same as the current one',
      'technicianIds',
      'ASSIGNMENT_UNCHANGED',
    );
  }
  return { ...plan, reason };
}

export interface BoardEntry {
  id: string;
  status: WorkOrderStatus;
  calledAt: Date;
  /** The earliest deadline still to meet (`nextDueAt`), null when none. */
  dueAt: Date | null;
}

export interface BoardRow<T extends BoardEntry> {
  order: T;
  /** Registered before today's working day began and still not dispatched. */
  carriedOver: boolean;
  overdue: boolean;
}

/**
 * The dispatch board (R-WO-4): open orders, those left undispatched from an earlier day first
 * ("first in the next day's queue"), then by deadline (none last), call time, id. "Today" is the
 * working day `now` falls on, or the next one outside working days, so a weekend's calls queue
 * for Monday.
 */
export function boardOrder<T extends BoardEntry>(
  orders: readonly T[],
  now: Date,
  calendar: BusinessCalendar,
): BoardRow<T>[] {
  const dayStart = calendar.startOfWorkingDay(now).getTime();
  const time = (d: Date | null) => d?.getTime() ?? Number.POSITIVE_INFINITY;
  return orders
    .filter((order) => isOpen(order.status))
    .map((order) => ({
      order,
      carriedOver: order.status === 'REGISTERED' && order.calledAt.getTime() < dayStart,
      overdue: order.dueAt !== null && now.getTime() > order.dueAt.getTime(),
    }))
    .sort(
      (a, b) =>
        Number(b.carriedOver) - Number(a.carriedOver) ||
        time(a.order.dueAt) - time(b.order.dueAt) ||
        a.order.calledAt.getTime() - b.order.calledAt.getTime() ||
        (a.order.id < b.order.id ? -1 : a.order.id > b.order.id ? 1 : 0),
    );
}
