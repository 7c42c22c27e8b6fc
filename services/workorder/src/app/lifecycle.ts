import { events } from '@aftercare/events';
import { conflict, type EntityManager, eventMessage, type Identity } from '@aftercare/kit';
import { StaffRecord, type WorkOrderRecord } from '../db/entities';
import {
  acceptSignature,
  addRepairHours,
  addRepairPart,
  approveDiscount as approveDomainDiscount,
  assertCanReturn,
  assertChargesSettled,
  type AssignmentInput,
  type ChargesInput,
  computeCharges,
  type DispatchWarning,
  type GoodsItemInput,
  goodsReceiptNumber,
  issueGoodsReceipt,
  newRepairCard,
  parseServiceReport,
  type PartReplacedInput,
  planAssignment,
  planReassignment,
  planStationChange,
  registerGoods,
  type RepairHoursInput,
  type ServiceReportInput,
  type SignatureInput,
  sequenceDay,
  type Technician,
  transition,
  voidGoodsReceipt,
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
import { type WorkOrderDeps } from './deps';
import { nextSequence } from './intake';
import { mutateAssignedOrder, mutateOrder } from './mutate';
import { completedEventData, orderEventData } from './order-events';

export interface DispatchResult {
  order: WorkOrderRecord;
  warnings: DispatchWarning[];
}

async function techniciansFor(
  em: EntityManager,
  ids: readonly string[] | null | undefined,
): Promise<Technician[]> {
  const staff = ids?.length ? await em.find(StaffRecord, { id: { $in: [...ids] } }) : [];
  return staff.map((s) => ({
    id: s.id,
    active: s.active,
    skills: s.skills,
    region: s.province && s.city ? { province: s.province, city: s.city } : null,
  }));
}

const target = (o: WorkOrderRecord) => ({
  region:
    o.province && o.city ? { province: o.province, city: o.city, district: o.district } : null,
  category: o.category,
});

/** R-WO-4: assigns one or more technicians (a lead when two or more). Dispatching answers the call. */
export async function dispatchWorkOrder(
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: AssignmentInput,
): Promise<DispatchResult> {
  let warnings: DispatchWarning[] = [];
  const order = await mutateOrder(deps, caller, CAN_DISPATCH, id, async (o, em, now) => {
    const plan = planAssignment(input, await techniciansFor(em, input.technicianIds), target(o));
    o.status = transition(o.status, 'dispatch', { channel: o.channel });
    o.technicianIds = plan.assignment.technicianIds;
    o.leadTechnicianId = plan.assignment.leadTechnicianId;
    o.dispatchedAt = now;
    o.answeredAt ??= now;
    warnings = plan.warnings;
    return {
      action: 'dispatch',
      details: { technicianIds: o.technicianIds, leadTechnicianId: o.leadTechnicianId, warnings },
      events: [
        eventMessage(events.workorder.dispatched, {
          ...orderEventData(o),
          dispatchedAt: now.toISOString(),
          warnings,
        }),
      ],
    };
  });
  return { order, warnings };
}

/** R-WO-4: another technician or team, with the reason on record. */
export async function reassignWorkOrder(
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: AssignmentInput & { reason?: string | null },
): Promise<DispatchResult> {
  let warnings: DispatchWarning[] = [];
  const order = await mutateOrder(deps, caller, CAN_DISPATCH, id, async (o, em, now) => {
    const previous = { technicianIds: o.technicianIds, leadTechnicianId: o.leadTechnicianId ?? '' };
    const plan = planReassignment(
      o.status,
      previous,
      input,
      await techniciansFor(em, input.technicianIds),
      target(o),
    );
    o.technicianIds = plan.assignment.technicianIds;
    o.leadTechnicianId = plan.assignment.leadTechnicianId;
    warnings = plan.warnings;
    return {
      action: 'reassign',
      reason: plan.reason,
      details: {
        previous,
        technicianIds: o.technicianIds,
        leadTechnicianId: o.leadTechnicianId,
        warnings,
      },
      events: [
        eventMessage(events.workorder.dispatched, {
          ...orderEventData(o),
          dispatchedAt: now.toISOString(),
          reassigned: true,
          reason: plan.reason,
        }),
      ],
    };
  });
  return { order, warnings };
}

/**
 * Hands an open work order to another service station, with a reason; the history line keeps
 * the station it came from. Its technicians stay as they are (the new station's dispatcher may
 * reassign them). No event of its own: the next event of the order carries the new station.
 */
export const changeWorkOrderStation = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: { stationCode?: string | null; reason?: string | null },
) =>
  mutateOrder(deps, caller, CAN_DISPATCH, id, (o) => {
    const change = planStationChange(o.status, o.stationCode, input);
    o.stationCode = change.to;
    return {
      action: 'changeStation',
      reason: change.reason,
      details: { fromStationCode: change.from, stationCode: change.to },
    };
  });

/** The answer to the customer (R-WO-3 "answered within 24 h") when it comes before dispatch. */
export const recordAnswer = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  note?: string | null,
) =>
  mutateOrder(deps, caller, CAN_ANSWER, id, (o, _em, now) => {
    o.answeredAt ??= now;
    return { action: 'answer', reason: note ?? null };
  });

export const departForSite = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  mutateAssignedOrder(deps, caller, FIELD_WORK, id, (o) => {
    o.status = transition(o.status, 'depart');
    return { action: 'depart' };
  });

export const arriveOnSite = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  mutateAssignedOrder(deps, caller, FIELD_WORK, id, (o, _em, now) => {
    o.status = transition(o.status, 'arrive');
    o.arrivedAt = now;
    return {
      action: 'arrive',
      events: [
        eventMessage(events.workorder.arrived, {
          ...orderEventData(o),
          arrivedAt: now.toISOString(),
          arrivalDueAt: o.arrivalDueAt?.toISOString() ?? null,
        }),
      ],
    };
  });

/** R-WO-6: fixed on site; the service report comes with it and the work counts as done. */
export const resolveOnSite = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  report: ServiceReportInput,
) =>
  mutateAssignedOrder(deps, caller, FIELD_WORK, id, (o, _em, now) => {
    const parsed = parseServiceReport(report);
    o.status = transition(o.status, 'resolveOnSite');
    o.report = parsed;
    o.completedAt = now;
    return {
      action: 'resolveOnSite',
      events: [eventMessage(events.workorder.completed, completedEventData(o))],
    };
  });

/** R-WO-5: cannot be fixed on site; the customer gets a goods receipt for what is taken. */
export const takeBack = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  items: GoodsItemInput[],
) =>
  mutateAssignedOrder(deps, caller, FIELD_WORK, id, async (o, em, now) => {
    o.status = transition(o.status, 'takeBack', { channel: o.channel });
    const seq = await nextSequence(em, 'GR', sequenceDay(now, deps.calendar));
    o.goodsReceipt = issueGoodsReceipt(goodsReceiptNumber(now, seq, deps.calendar), items, now);
    o.repairCard ??= newRepairCard();
    return { action: 'takeBack', details: { receiptNumber: o.goodsReceipt.number } };
  });

/** R-WO-5: the workshop books the goods in. */
export const receiveInWorkshop = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  mutateAssignedOrder(deps, caller, WORKSHOP_WORK, id, (o, _em, now, me) => {
    o.status = transition(o.status, 'receiveInWorkshop');
    o.goodsRegister = [
      ...o.goodsRegister,
      registerGoods(o.goodsRegister, 'IN', o.goodsReceipt!, now, me.userId),
    ];
    return { action: 'receiveInWorkshop' };
  });

/** R-WO-5 repair card: hours spent and parts replaced, while the goods are in the workshop. */
export const recordRepairWork = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  work: { hours?: RepairHoursInput | null; part?: PartReplacedInput | null },
) =>
  mutateAssignedOrder(deps, caller, WORKSHOP_WORK, id, (o, _em, _now, me) => {
    if (o.status !== 'IN_WORKSHOP') {
      throw conflict(
        `the repair card of ${o.number} is kept while it is IN_WORKSHOP (it is ${o.status})`,
        'NOT_IN_WORKSHOP',
      );
    }
    let card = o.repairCard ?? newRepairCard();
    if (work.hours) card = addRepairHours(card, { technicianId: me.userId, ...work.hours });
    if (work.part) card = addRepairPart(card, work.part);
    o.repairCard = card;
    return {
      action: 'repairCard',
      details: { hours: work.hours ?? null, part: work.part ?? null },
    };
  });

export const finishRepair = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  report: ServiceReportInput,
) =>
  mutateAssignedOrder(deps, caller, WORKSHOP_WORK, id, (o) => {
    o.report = parseServiceReport({
      ...report,
      partsReplaced: report.partsReplaced ?? o.repairCard?.parts ?? [],
    });
    o.status = transition(o.status, 'finishRepair');
    return { action: 'finishRepair' };
  });

/** R-WO-5: back to the customer: the receipt is taken back and voided, the goods booked out. */
export const returnToCustomer = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  mutateAssignedOrder(deps, caller, WORKSHOP_WORK, id, (o, _em, now, me) => {
    o.status = transition(o.status, 'returnToCustomer');
    o.goodsReceipt = voidGoodsReceipt(o.goodsReceipt!, now);
    assertCanReturn(o.goodsReceipt);
    o.goodsRegister = [
      ...o.goodsRegister,
      registerGoods(o.goodsRegister, 'OUT', o.goodsReceipt, now, me.userId),
    ];
    o.completedAt = now;
    return {
      action: 'returnToCustomer',
      events: [eventMessage(events.workorder.completed, completedEventData(o))],
    };
  });

/** R-WO-6: the customer signs only after the work is done; paid work needs settled charges. */
export const signWorkOrder = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: SignatureInput,
) =>
  mutateAssignedOrder(deps, caller, FIELD_WORK, id, (o, _em, now) => {
    const signature = acceptSignature(
      { status: o.status, completedAt: o.completedAt, report: o.report },
      input,
      now,
    );
    if (o.charges) assertChargesSettled(o.charges);
    o.status = transition(o.status, 'sign');
    o.signature = signature;
    o.signedAt = now;
    return {
      action: 'sign',
      events: [
        eventMessage(events.workorder.signed, {
          ...orderEventData(o),
          signedAt: now.toISOString(),
          signerName: signature.signerName,
        }),
      ],
    };
  });

export const closeWorkOrder = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  mutateOrder(deps, caller, CAN_CLOSE, id, (o, _em, now) => {
    o.status = transition(o.status, 'close');
    o.closedAt = now;
    return {
      action: 'close',
      events: [
        eventMessage(events.workorder.closed, {
          ...orderEventData(o),
          closedAt: now.toISOString(),
        }),
      ],
    };
  });

export const cancelWorkOrder = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  reason: string | null | undefined,
) =>
  mutateOrder(deps, caller, CAN_CANCEL, id, (o, _em, now) => {
    o.status = transition(o.status, 'cancel', { reason });
    o.cancelledAt = now;
    o.cancelReason = reason!.trim();
    return {
      action: 'cancel',
      reason: o.cancelReason,
      events: [
        eventMessage(events.workorder.cancelled, {
          ...orderEventData(o),
          cancelledAt: now.toISOString(),
          reason: o.cancelReason,
        }),
      ],
    };
  });

/** R-WO-7: paid-service charges; a discount beyond the employee's authority waits for approval. */
export const setCharges = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  input: ChargesInput,
) =>
  mutateAssignedOrder(deps, caller, CAN_CHARGE, id, (o, _em, _now, me) => {
    if (o.serviceType !== 'PAID') {
      throw conflict(
        `work order ${o.number} is ${o.serviceType} service: nothing to charge`,
        'NOT_PAID_SERVICE',
      );
    }
    o.charges = computeCharges(input, me, deps.discountAuthority);
    return { action: 'charges', details: { ...o.charges } };
  });

export const approveDiscount = (deps: WorkOrderDeps, caller: Identity | null, id: string) =>
  mutateOrder(deps, caller, CAN_APPROVE, id, (o, _em, _now, me) => {
    if (!o.charges) throw conflict(`work order ${o.number} has no charges`, 'NO_PENDING_DISCOUNT');
    o.charges = approveDomainDiscount(o.charges, me, deps.discountAuthority);
    return {
      action: 'approveDiscount',
      details: { discountFen: o.charges.discountFen },
    };
  });
