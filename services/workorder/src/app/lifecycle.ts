import type { EntityManager, Identity } from '@aftercare/kit';
import { StaffRecord } from '../db/entities';
import {
  type AssignmentInput,
  type ChargesInput,
  type GoodsItemInput,
  type PartReplacedInput,
  regionOf,
  type RepairHoursInput,
  type ServiceReportInput,
  type SignatureInput,
  type Technician,
} from '../domain';
import {
  CAN_ANSWER,
  CAN_APPROVE,
  CAN_CANCEL,
  CAN_CHARGE,
  CAN_CLOSE,
  CAN_DISPATCH,
  FIELD_WORK,
  WORKSHOP_WORK,
} from './access';
import type { WorkOrderDeps } from './deps';
import { type Acting, moveOrder, type Moved, orderAfter } from './mutate';
import { issueOrderNumber } from './numbers';

export type DispatchResult = Moved;

const desk = (roles: Acting['roles']): Acting => ({ roles });
/** Field and workshop work: a technician acts only on orders assigned to them. */
const assignedTo = (roles: Acting['roles']): Acting => ({ roles, assigned: true });

async function techniciansFor(
  em: EntityManager,
  ids: readonly string[] | null | undefined,
): Promise<Technician[]> {
  const staff = ids?.length ? await em.find(StaffRecord, { id: { $in: [...ids] } }) : [];
  return staff.map((s) => ({ id: s.id, active: s.active, skills: s.skills, region: regionOf(s) }));
}

/** R-WO-4: assigns one or more technicians (a lead when two or more). Dispatching answers the call. */
export const dispatchWorkOrder = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: AssignmentInput,
): Promise<DispatchResult> =>
  moveOrder(deps, caller, desk(CAN_DISPATCH), id, async (_o, em) => ({
    type: 'dispatch',
    input,
    technicians: await techniciansFor(em, input.technicianIds),
  }));

/** R-WO-4: another technician or team, with the reason on record. */
export const reassignWorkOrder = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: AssignmentInput & { reason?: string | null },
): Promise<DispatchResult> =>
  moveOrder(deps, caller, desk(CAN_DISPATCH), id, async (_o, em) => ({
    type: 'reassign',
    input,
    technicians: await techniciansFor(em, input.technicianIds),
  }));

/**
 * Hands an open work order to another service station, with a reason; the history line keeps
 * the station it came from. Its technicians stay as they are (the new station's dispatcher may
 * reassign them).
 */
export const changeWorkOrderStation = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: { stationCode?: string | null; reason?: string | null },
) => orderAfter(deps, caller, desk(CAN_DISPATCH), id, { type: 'changeStation', input });

/** The answer to the customer (R-WO-3 "answered within 24 h") when it comes before dispatch. */
export const recordAnswer = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  note?: string | null,
) => orderAfter(deps, caller, desk(CAN_ANSWER), id, { type: 'answer', note });

export const departForSite = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  orderAfter(deps, caller, assignedTo(FIELD_WORK), id, { type: 'depart' });

export const arriveOnSite = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  orderAfter(deps, caller, assignedTo(FIELD_WORK), id, { type: 'arrive' });

/** R-WO-6: fixed on site; the service report comes with it and the work counts as done. */
export const resolveOnSite = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  report: ServiceReportInput,
) => orderAfter(deps, caller, assignedTo(FIELD_WORK), id, { type: 'resolveOnSite', report });

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
export const receiveInWorkshop = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  orderAfter(deps, caller, assignedTo(WORKSHOP_WORK), id, { type: 'receiveInWorkshop' });

/** R-WO-5 repair card: hours spent and parts replaced, while the goods are in the workshop. */
export const recordRepairWork = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  work: { hours?: RepairHoursInput | null; part?: PartReplacedInput | null },
) => orderAfter(deps, caller, assignedTo(WORKSHOP_WORK), id, { type: 'repairCard', work });

export const finishRepair = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  report: ServiceReportInput,
) => orderAfter(deps, caller, assignedTo(WORKSHOP_WORK), id, { type: 'finishRepair', report });

/** R-WO-5: back to the customer: the receipt is taken back and voided, the goods booked out. */
export const returnToCustomer = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  orderAfter(deps, caller, assignedTo(WORKSHOP_WORK), id, { type: 'returnToCustomer' });

/** R-WO-6: the customer signs only after the work is done; paid work needs settled charges. */
export const signWorkOrder = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: SignatureInput,
) => orderAfter(deps, caller, assignedTo(FIELD_WORK), id, { type: 'sign', input });

export const closeWorkOrder = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  orderAfter(deps, caller, desk(CAN_CLOSE), id, { type: 'close' });

export const cancelWorkOrder = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  reason: string | null | undefined,
) => orderAfter(deps, caller, desk(CAN_CANCEL), id, { type: 'cancel', reason });

/** R-WO-7: paid-service charges; a discount beyond the employee's authority waits for approval. */
export const setCharges = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: ChargesInput,
) => orderAfter(deps, caller, assignedTo(CAN_CHARGE), id, { type: 'charges', input });

export const approveDiscount = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  orderAfter(deps, caller, desk(CAN_APPROVE), id, { type: 'approveDiscount' });
