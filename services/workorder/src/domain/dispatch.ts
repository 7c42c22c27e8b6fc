import { BusinessCalendar } from '@aftercare/calendar';
import { conflict, invalidArgument } from '@aftercare/kit/domain';
import {
  availabilityIn,
  type PeopleRefusal,
  type PersonOnRoster,
  qualificationFor,
  shiftClockAt,
} from './people';
import { REASSIGNABLE_STATUSES, WorkOrderStatus, isOpen } from './status';
import { Region, requiredText } from './values';

/**
 * What dispatch needs to know of a technician (R-WO-4, R-WO-10), looked up by the use case: their
 * leave is the leave around the appointment.
 */
export interface Technician extends PersonOnRoster {
  id: string;
  active: boolean;
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
  /**
   * R-WO-10 a supervisor's override of the refusals (absent, not qualified, certificate expired),
   * with the reason kept in the history; the use case lets only a supervisor give one.
   */
  override?: { reason?: string | null } | null;
}

export interface DispatchTarget {
  region: Region | null;
  category: string;
  /** R-WO-10: the product line of the job; null when not known. */
  productLine: string | null;
  /** R-WO-10: when the technicians are due to start on the job. */
  appointedAt: Date;
  calendar: BusinessCalendar;
}

/** Soft problems the dispatcher sees and may accept; hard problems are thrown. */
export interface DispatchWarning {
  technicianId: string;
  /** OUTSIDE_REGION; or a refusal of R-WO-10 a supervisor overrode. */
  code: 'OUTSIDE_REGION' | PeopleRefusal;
  message: string;
}

export interface AssignmentPlan {
  assignment: Assignment;
  warnings: DispatchWarning[];
  /** R-WO-10 the supervisor's reason when refusals were overridden; null otherwise. */
  overrideReason: string | null;
}

export const MAX_TECHNICIANS_PER_ORDER = 10;

/**
 * R-WO-4: one or more distinct, active technicians; with two or more the lead must be named and be
 * one of them, with one that one leads. A technician outside the order's region is a warning, not
 * an error: a neighbouring team may help out. R-WO-10: one absent at the appointment, not
 * qualified for the job or whose certificate for it expired is refused with that reason, unless a
 * supervisor overrides with a reason (the refusals then become warnings on record).
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
  const overrideReason = input.override
    ? requiredText(input.override.reason, 'override.reason', 500)
    : null;
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
      overrideReason !== null,
    );
  });
  const assignment = { technicianIds: ids, leadTechnicianId: leadOf(ids, input) };
  const overridden = warnings.some((w) => w.code !== 'OUTSIDE_REGION');
  return { assignment, warnings, overrideReason: overridden ? overrideReason : null };
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
  overridden: boolean,
): DispatchWarning[] {
  if (!technician)
    throw invalidArgument(`technician ${id} does not exist`, field, 'UNKNOWN_TECHNICIAN');
  if (!technician.active)
    throw invalidArgument(`technician ${id} is not active`, field, 'TECHNICIAN_INACTIVE');
  const warnings: DispatchWarning[] = peopleRefusals(technician, target).map((r) => {
    if (!overridden) throw invalidArgument(r.message, field, r.code);
    return { technicianId: id, ...r };
  });
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
  return warnings;
}

/** R-WO-10 why a technician may not take the job at the appointment: absent, unqualified, expired. */
export function peopleRefusals(
  technician: Technician,
  target: DispatchTarget,
): { code: PeopleRefusal; message: string }[] {
  return peopleRefusalsFor(target)(technician);
}

/**
 * peopleRefusals for many technicians at one appointment (R-WO-11 checks a whole roster): what
 * depends on the appointment alone, its time in the business time zone, is worked out once.
 */
export function peopleRefusalsFor(
  target: DispatchTarget,
): (technician: Technician) => { code: PeopleRefusal; message: string }[] {
  const { appointedAt, calendar } = target;
  const when = calendar.toLocalIso(appointedAt).slice(0, 16);
  const day = calendar.localDate(appointedAt);
  const clock = shiftClockAt(appointedAt, calendar);
  const job = { category: target.category, productLine: target.productLine };
  return (technician) => {
    const refusals: { code: PeopleRefusal; message: string }[] = [];
    const availability = availabilityIn(technician, clock);
    if (!availability.available) {
      refusals.push({
        code: 'TECHNICIAN_ABSENT',
        message: `technician ${technician.id} is ${availability.reason === 'ON_LEAVE' ? 'on leave' : 'off shift'} at ${when}`,
      });
    }
    const qualification = qualificationFor(technician, job, day);
    if (qualification === 'NOT_QUALIFIED') {
      refusals.push({
        code: qualification,
        message: `technician ${technician.id} is not qualified for ${job.category}${job.productLine ? ` on ${job.productLine}` : ''}`,
      });
    } else if (qualification === 'CERTIFICATE_EXPIRED') {
      refusals.push({
        code: qualification,
        message: `the certificate technician ${technician.id} needs for ${job.category} has expired by ${when.slice(0, 10)}`,
      });
    }
    return refusals;
  };
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
