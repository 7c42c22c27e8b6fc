import { type EntityManager, type Identity, instant, requireRole } from '@aftercare/kit';
import { StaffRecord } from '../db/entities';
import {
  type AssignmentInput,
  type ChargesInput,
  type GoodsItemInput,
  type PartReplacedInput,
  type RepairHoursInput,
  type ServiceReportInput,
  type SignatureInput,
  type Technician,
  type WorkOrderMove,
} from '../domain';
import {
  CAN_ANSWER,
  CAN_APPROVE,
  CAN_CANCEL,
  CAN_CHARGE,
  CAN_CLOSE,
  CAN_DISPATCH,
  CAN_OVERRIDE_DISPATCH,
  FIELD_WORK,
  WORKSHOP_WORK,
} from './access';
import type { WorkOrderDeps } from './deps';
import { type Acting, moveOrder, type Moved, orderAfter } from './mutate';
import { issueOrderNumber } from './numbers';
import { leaveAt, technicianOf } from './people';

export type DispatchResult = Moved;

const desk = (roles: Acting['roles']): Acting => ({ roles });
/** Field and workshop work: a technician acts only on orders assigned to them. */
const assignedTo = (roles: Acting['roles']): Acting => ({ roles, assigned: true });

/** R-WO-4, R-WO-10: the technicians asked for, with their register, shifts and leave at `at`. */
async function techniciansFor(
  em: EntityManager,
  ids: readonly string[] | null | undefined,
  at: Date,
): Promise<Technician[]> {
  if (!ids?.length) return [];
  const [staff, leave] = await Promise.all([
    em.find(StaffRecord, { id: { $in: [...ids] } }),
    leaveAt(em, ids, at),
  ]);
  return staff.map((s) => technicianOf(s, leave));
}

type DispatchInput = AssignmentInput & { appointedAt?: Date | string | null };

/**
 * Who may dispatch, and a supervisor for an override (R-WO-10), checked before anything is looked
 * up; then when the technicians are due: as given, else the next working moment.
 */
function dispatchActing(deps: WorkOrderDeps, caller: Identity | null, input: DispatchInput) {
  requireRole(caller, ...(input.override ? CAN_OVERRIDE_DISPATCH : CAN_DISPATCH));
  const appointedAt = input.appointedAt
    ? instant(input.appointedAt, 'appointedAt')
    : deps.calendar.nextWorkingMoment(deps.now());
  return { acting: desk(CAN_DISPATCH), appointedAt };
}

/**
 * R-WO-4: assigns one or more technicians (a lead when two or more). Dispatching answers the call.
 * R-WO-10: refuses a technician absent at the appointment or not qualified, unless a supervisor
 * overrides with a reason.
 */
export async function dispatchWorkOrder(
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: DispatchInput,
): Promise<DispatchResult> {
  const { acting, appointedAt } = dispatchActing(deps, caller, input);
  return moveOrder(deps, caller, acting, id, async (_o, em) => ({
    type: 'dispatch',
    input,
    appointedAt,
    technicians: await techniciansFor(em, input.technicianIds, appointedAt),
  }));
}

/** R-WO-4: another technician or team, with the reason on record (R-WO-10 checks as dispatch). */
export async function reassignWorkOrder(
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: DispatchInput & { reason?: string | null },
): Promise<DispatchResult> {
  const { acting, appointedAt } = dispatchActing(deps, caller, input);
  return moveOrder(deps, caller, acting, id, async (_o, em) => ({
    type: 'reassign',
    input,
    appointedAt,
    technicians: await techniciansFor(em, input.technicianIds, appointedAt),
  }));
}

/**
 * A use case making one move as `acting`: `(deps, caller, id, ...args)` → the order after it.
 * `moveOf` turns the use case's own arguments into the move.
 */
const oneMove =
  <A extends unknown[]>(acting: Acting, moveOf: (...args: A) => WorkOrderMove) =>
  (deps: WorkOrderDeps, caller: Identity | null, id: string, ...args: A) =>
    orderAfter(deps, caller, acting, id, moveOf(...args));

/**
 * Hands an open work order to another service station, with a reason; the history line keeps
 * the station it came from. Its technicians stay as they are (the new station's dispatcher may
 * reassign them).
 */
export const changeWorkOrderStation = oneMove(
  desk(CAN_DISPATCH),
  (input: { stationCode?: string | null; reason?: string | null }) => ({
    type: 'changeStation',
    input,
  }),
);

/** The answer to the customer (R-WO-3 "answered within 24 h") when it comes before dispatch. */
export const recordAnswer = oneMove(desk(CAN_ANSWER), (note?: string | null) => ({
  type: 'answer',
  note,
}));

export const departForSite = oneMove(assignedTo(FIELD_WORK), () => ({ type: 'depart' }));

export const arriveOnSite = oneMove(assignedTo(FIELD_WORK), () => ({ type: 'arrive' }));

/** R-WO-6: fixed on site; the service report comes with it and the work counts as done. */
export const resolveOnSite = oneMove(assignedTo(FIELD_WORK), (report: ServiceReportInput) => ({
  type: 'resolveOnSite',
  report,
}));

/** R-WO-5: cannot be fixed on site; the customer gets a goods receipt for what is taken. */
export const takeBack = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  items: GoodsItemInput[],
) =>
  orderAfter(deps, caller, assignedTo(FIELD_WORK), id, async (_o, em, now) => ({
    type: 'takeBack',
    items,
    receiptNumber: await issueOrderNumber(em, 'GR', now, deps.calendar),
  }));

/** R-WO-5: the workshop books the goods in. */
export const receiveInWorkshop = oneMove(assignedTo(WORKSHOP_WORK), () => ({
  type: 'receiveInWorkshop',
}));

/** R-WO-5 repair card: hours spent and parts replaced, while the goods are in the workshop. */
export const recordRepairWork = oneMove(
  assignedTo(WORKSHOP_WORK),
  (work: { hours?: RepairHoursInput | null; part?: PartReplacedInput | null }) => ({
    type: 'repairCard',
    work,
  }),
);

export const finishRepair = oneMove(assignedTo(WORKSHOP_WORK), (report: ServiceReportInput) => ({
  type: 'finishRepair',
  report,
}));

/** R-WO-5: back to the customer: the receipt is taken back and voided, the goods booked out. */
export const returnToCustomer = oneMove(assignedTo(WORKSHOP_WORK), () => ({
  type: 'returnToCustomer',
}));

/** R-WO-6: the customer signs only after the work is done; paid work needs settled charges. */
export const signWorkOrder = oneMove(assignedTo(FIELD_WORK), (input: SignatureInput) => ({
  type: 'sign',
  input,
}));

export const closeWorkOrder = oneMove(desk(CAN_CLOSE), () => ({ type: 'close' }));

export const cancelWorkOrder = oneMove(desk(CAN_CANCEL), (reason: string | null | undefined) => ({
  type: 'cancel',
  reason,
}));

/** R-WO-7: paid-service charges; a discount beyond the employee's authority waits for approval. */
export const setCharges = oneMove(assignedTo(CAN_CHARGE), (input: ChargesInput) => ({
  type: 'charges',
  input,
}));

export const approveDiscount = oneMove(desk(CAN_APPROVE), () => ({ type: 'approveDiscount' }));
