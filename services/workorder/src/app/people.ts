import {
  checkUuid,
  conflict,
  findByUuid,
  type EntityManager,
  type Identity,
  invalidArgument,
  notFound,
  numberIn,
  oneOf,
  optionalText,
  requireRole,
  staffId,
  uuidv7,
} from '@aftercare/kit';
import { optionalStationCode } from '@aftercare/kernel';
import { type FilterQuery, LockMode } from '@mikro-orm/core';
import { StaffLeaveRecord, StaffRecord, WorkOrderRecord } from '../db/entities';
import {
  type Availability,
  availabilityAt,
  type Candidate,
  availabilityIn,
  type Certificate,
  expiringCertificates,
  LEAVE_KINDS,
  parseLeave,
  parseQualifications,
  parseShiftPattern,
  type QualificationsInput,
  type Recommendation,
  recommendTechnicians,
  boardDueAt,
  isOpen,
  isWorkDone,
  WORK_ORDER_STATUSES,
  regionOf,
  shiftClockAt,
  type Technician,
} from '../domain';
import { CAN_DISPATCH, CAN_MANAGE_STAFF, CAN_READ, CAN_READ_BOARD } from './access';
import type { WorkOrderDeps } from './deps';

/** The roster's view of a technician for dispatch and recommendation (R-WO-4, R-WO-10). */
export const technicianOf = (s: StaffRecord, leave: readonly StaffLeaveRecord[]): Technician => ({
  id: s.id,
  active: s.active,
  skills: s.skills,
  region: regionOf(s),
  qualifications: s.qualifications,
  shifts: s.shifts,
  leave: leave.filter((l) => l.staffId === s.id),
});

/** Leave of these technicians not cancelled that covers `at`. */
export const leaveAt = (em: EntityManager, ids: readonly string[], at: Date) =>
  em.find(StaffLeaveRecord, {
    staffId: { $in: [...ids] },
    cancelledAt: null,
    startsAt: { $lte: at },
    endsAt: { $gt: at },
  });

/** A staff member on the roster, locked for a change; NOT_FOUND when not on it. */
async function lockedStaff(em: EntityManager, id: string): Promise<StaffRecord> {
  const staff = await em.findOne(StaffRecord, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!staff) throw notFound('Staff', id);
  return staff;
}

/** R-WO-10 a manager replaces a technician's qualifications register (validated as a whole). */
export async function setQualifications(
  deps: WorkOrderDeps,
  caller: Identity | null,
  input: { staffId: string } & QualificationsInput,
): Promise<StaffRecord> {
  requireRole(caller, ...CAN_MANAGE_STAFF);
  const id = staffId(input.staffId, 'staffId');
  const qualifications = parseQualifications(input, deps.categories);
  return deps.orm.em.fork().transactional(async (em) => {
    const staff = await lockedStaff(em, id);
    Object.assign(staff, { qualifications, updatedAt: deps.now() });
    return staff;
  });
}

/**
 * R-WO-10 a manager sets a technician's weekly shifts in the business time zone; null goes back
 * to the business calendar's working hours.
 */
export async function setShifts(
  deps: WorkOrderDeps,
  caller: Identity | null,
  input: {
    staffId: string;
    shifts?: { weekday?: number | null; start?: string | null; end?: string | null }[] | null;
  },
): Promise<StaffRecord> {
  requireRole(caller, ...CAN_MANAGE_STAFF);
  const id = staffId(input.staffId, 'staffId');
  const shifts = input.shifts ? parseShiftPattern(input.shifts) : null;
  return deps.orm.em.fork().transactional(async (em) => {
    const staff = await lockedStaff(em, id);
    Object.assign(staff, { shifts, updatedAt: deps.now() });
    return staff;
  });
}

/** R-WO-10 a manager records leave; overlapping leave of the same person is refused. */
export async function recordLeave(
  deps: WorkOrderDeps,
  caller: Identity | null,
  input: {
    staffId: string;
    startsAt?: Date | string | null;
    endsAt?: Date | string | null;
    kind?: string | null;
    note?: string | null;
  },
): Promise<StaffLeaveRecord> {
  const me = requireRole(caller, ...CAN_MANAGE_STAFF);
  const id = staffId(input.staffId, 'staffId');
  const { startsAt, endsAt } = parseLeave(input);
  const kind = oneOf(LEAVE_KINDS, input.kind, 'kind', 'ANNUAL');
  const note = optionalText(input.note, 'note', 500);
  return deps.orm.em.fork().transactional(async (em) => {
    // The lock serialises leave of one person, so two overlapping requests cannot both pass.
    await lockedStaff(em, id);
    const overlapping = await em.count(StaffLeaveRecord, {
      staffId: id,
      cancelledAt: null,
      startsAt: { $lt: endsAt },
      endsAt: { $gt: startsAt },
    });
    if (overlapping > 0)
      throw invalidArgument(
        'this leave overlaps leave already recorded',
        'startsAt',
        'LEAVE_OVERLAPS',
      );
    const leave = Object.assign(new StaffLeaveRecord(), {
      id: uuidv7(),
      staffId: id,
      startsAt,
      endsAt,
      kind,
      note,
      recordedBy: me.userId,
      recordedAt: deps.now(),
    });
    em.persist(leave);
    return leave;
  });
}

/** R-WO-10 leave is cancelled, not deleted: the record stays. */
export async function cancelLeave(
  deps: WorkOrderDeps,
  caller: Identity | null,
  input: { leaveId: string },
): Promise<StaffLeaveRecord> {
  requireRole(caller, ...CAN_MANAGE_STAFF);
  return deps.orm.em.fork().transactional(async (em) => {
    const leave = await em.findOne(
      StaffLeaveRecord,
      { id: checkUuid(input.leaveId, 'leaveId') },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!leave) throw notFound('Leave', input.leaveId);
    leave.cancelledAt ??= deps.now();
    return leave;
  });
}

/** R-WO-10 a person's leave overlapping [from, to), cancelled leave left out; by start. */
export async function leaveOf(
  em: EntityManager,
  caller: Identity | null,
  id: string,
  from: Date,
  to: Date,
): Promise<StaffLeaveRecord[]> {
  requireRole(caller, ...CAN_READ);
  return em.find(
    StaffLeaveRecord,
    { staffId: id, cancelledAt: null, startsAt: { $lt: to }, endsAt: { $gt: from } },
    { orderBy: { startsAt: 'asc' }, limit: 200 },
  );
}

/** R-WO-10 whether one person is at work at `at`. */
export async function availabilityOf(
  deps: WorkOrderDeps,
  em: EntityManager,
  caller: Identity | null,
  staff: StaffRecord,
  at: Date,
): Promise<Availability> {
  requireRole(caller, ...CAN_READ);
  const leave = await leaveAt(em, [staff.id], at);
  return availabilityAt({ ...staff, leave }, at, deps.calendar);
}

export interface TechnicianAvailability extends Availability {
  staff: StaffRecord;
}

/**
 * R-WO-10 the dispatch board's roster: each active technician (of a station, with a skill) and
 * whether they are at work at `at` (default: the next working moment), available ones first.
 */
export async function technicianAvailability(
  deps: WorkOrderDeps,
  em: EntityManager,
  caller: Identity | null,
  f: { at?: Date | null; stationCode?: string | null; skill?: string | null },
): Promise<TechnicianAvailability[]> {
  requireRole(caller, ...CAN_READ_BOARD);
  const at = f.at ?? deps.calendar.nextWorkingMoment(deps.now());
  const stationCode = optionalStationCode(f.stationCode, 'stationCode');
  const where: FilterQuery<StaffRecord> = {
    active: true,
    ...(stationCode ? { stationCode } : {}),
    ...(f.skill ? { skills: { $contains: [f.skill.toUpperCase()] } } : {}),
  };
  const staff = await em.find(StaffRecord, where, {
    orderBy: { name: 'asc', id: 'asc' },
    limit: 500,
  });
  const leave = staff.length
    ? await leaveAt(
        em,
        staff.map((s) => s.id),
        at,
      )
    : [];
  const clock = shiftClockAt(at, deps.calendar);
  return staff
    .map((s) => ({
      staff: s,
      ...availabilityIn({ ...s, leave: leave.filter((l) => l.staffId === s.id) }, clock),
    }))
    .sort((a, b) => Number(b.available) - Number(a.available));
}

export interface ExpiringCertificate extends Certificate {
  staff: StaffRecord;
}

/**
 * R-WO-10 the reminder of certificates about to expire: every active person's certificates that
 * expire within `withinDays` (default 30) of today, or already have, soonest first.
 */
export async function certificatesExpiring(
  deps: WorkOrderDeps,
  em: EntityManager,
  caller: Identity | null,
  f: { withinDays?: number | null },
): Promise<ExpiringCertificate[]> {
  requireRole(caller, ...CAN_MANAGE_STAFF, 'dispatcher', 'auditor');
  const days = numberIn(f.withinDays ?? 30, 'withinDays', { min: 0, max: 366, integer: true });
  const today = deps.calendar.localDate(deps.now());
  const staff = await em.find(StaffRecord, { active: true }, { orderBy: { id: 'asc' } });
  return staff
    .flatMap((s) =>
      expiringCertificates(s.qualifications, today, days).map((c) => ({ ...c, staff: s })),
    )
    .sort((a, b) => (a.expiresOn! < b.expiresOn! ? -1 : a.expiresOn! > b.expiresOn! ? 1 : 0));
}

/**
 * R-WO-11 for an open order, the available and qualified technicians ranked with their reasons
 * (at the appointment: as given, else the next working moment); the dispatcher decides.
 */
export async function recommendFor(
  deps: WorkOrderDeps,
  em: EntityManager,
  caller: Identity | null,
  f: { workOrderId: string; appointedAt?: Date | null; first?: number | null },
): Promise<(Recommendation & { staff: StaffRecord })[]> {
  requireRole(caller, ...CAN_DISPATCH);
  const first = numberIn(f.first ?? 10, 'first', { min: 1, max: 100, integer: true });
  const appointedAt = f.appointedAt ?? deps.calendar.nextWorkingMoment(deps.now());
  const order = await findByUuid(em, WorkOrderRecord, 'WorkOrder', f.workOrderId);
  if (!isOpen(order.status) || isWorkDone(order.status)) {
    throw conflict(
      `work order ${order.number} is ${order.status}: nobody is to be dispatched`,
      'WORK_ORDER_NOT_OPEN',
    );
  }
  const candidates = await rankingRoster(em, appointedAt);
  const target = {
    region: regionOf(order),
    category: order.category,
    productLine: order.productLine,
    appointedAt,
    calendar: deps.calendar,
  };
  const ranked = recommendTechnicians(candidates, target, boardDueAt(order), deps.calendar);
  const top = ranked.slice(0, first);
  const staff = top.length
    ? await em.find(StaffRecord, { id: { $in: top.map((r) => r.technicianId) } })
    : [];
  const byId = new Map(staff.map((s) => [s.id, s]));
  // One taken off the roster since the ranking read it is left out.
  return top.flatMap((r) => {
    const s = byId.get(r.technicianId);
    return s ? [{ ...r, staff: s }] : [];
  });
}

interface RosterRow {
  id: string;
  skills: string[];
  province: string | null;
  city: string | null;
  qualifications: StaffRecord['qualifications'];
  shifts: StaffRecord['shifts'];
  leave: { id: string; startsAt: string; endsAt: string; kind: string }[];
  open_orders: number;
}

/**
 * R-WO-11 every active technician as the ranking sees them, in one statement: their
 * qualifications and shifts, their leave covering `at`, and their open orders (load). Plain rows,
 * not entities: ranking a roster of hundreds must not cost an ORM entity per person; the few
 * recommended are read as entities afterwards.
 */
async function rankingRoster(em: EntityManager, at: Date): Promise<Candidate[]> {
  const busy = WORK_ORDER_STATUSES.filter((st) => isOpen(st) && !isWorkDone(st));
  const rows = (await em.execute(
    `SELECT s.id, s.skills, s.province, s.city, s.qualifications, s.shifts,
            coalesce(l.leave, '[]') AS leave, coalesce(w.n, 0)::int AS open_orders
       FROM staff s
       LEFT JOIN LATERAL (
         SELECT json_agg(json_build_object('id', id, 'startsAt', starts_at, 'endsAt', ends_at,
                                           'kind', kind)) AS leave
           FROM staff_leave
          WHERE staff_id = s.id AND cancelled_at IS NULL AND starts_at <= ? AND ends_at > ?) l ON true
       LEFT JOIN (
         SELECT t AS id, count(*) AS n FROM work_order, unnest(technician_ids) AS t
          WHERE status IN (?) GROUP BY t) w ON w.id = s.id
      WHERE s.active
      LIMIT 2000`,
    [at, at, busy],
  )) as RosterRow[];
  return rows.map((r) => ({
    id: r.id,
    active: true,
    skills: r.skills,
    region: regionOf(r),
    qualifications: r.qualifications,
    shifts: r.shifts,
    leave: r.leave.map((l) => ({
      ...l,
      startsAt: new Date(l.startsAt),
      endsAt: new Date(l.endsAt),
    })),
    openOrders: r.open_orders,
  }));
}
