import type { EventInput, events, WorkOrderCompleted, WorkOrderFacts } from '@aftercare/events';
import type { BusinessCalendar } from '@aftercare/calendar';
import { conflict, type Identity } from '@aftercare/kit/domain';
import {
  approveDiscount,
  assertChargesSettled,
  type Charges,
  type ChargesInput,
  computeCharges,
  type DiscountAuthority,
} from './charges';
import {
  type AssignmentInput,
  type DispatchWarning,
  planAssignment,
  planReassignment,
  type Technician,
} from './dispatch';
import type { ServiceType } from './intake';
import type { Region } from './values';
import type { PartReplacedInput } from './parts';
import {
  acceptSignature,
  parseServiceReport,
  type ServiceReport,
  type ServiceReportInput,
  type Signature,
  type SignatureInput,
} from './report';
import { breachesAt, nextDueAt, type SlaDeadlines, type SlaFacts } from './sla';
import { planStationChange } from './station';
import { type Channel, isWorkDone, transition, type WorkOrderStatus } from './status';
import {
  addRepairHours,
  addRepairPart,
  assertCanReturn,
  type GoodsItemInput,
  type GoodsReceipt,
  type GoodsRegisterEntry,
  issueGoodsReceipt,
  newRepairCard,
  type RepairCard,
  type RepairHoursInput,
  registerGoods,
  voidGoodsReceipt,
} from './takeback';

/** The work order as its rules read and write it (R-WO-2..R-WO-7); the stored record is one. */
export interface WorkOrder {
  id: string;
  number: string;
  customerId: string | null;
  assetId: string | null;
  serviceType: ServiceType;
  category: string;
  channel: Channel;
  status: WorkOrderStatus;
  province: string | null;
  city: string | null;
  district: string | null;
  stationCode: string | null;
  /** R-WO-10: the product line of the asset, when intake named it. */
  productLine: string | null;
  calledAt: Date;
  answerDueAt: Date | null;
  arrivalDueAt: Date | null;
  onSiteDueAt: Date | null;
  answeredAt: Date | null;
  dispatchedAt: Date | null;
  arrivedAt: Date | null;
  completedAt: Date | null;
  signedAt: Date | null;
  closedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  technicianIds: string[];
  leadTechnicianId: string | null;
  repeatOfId: string | null;
  report: ServiceReport | null;
  signature: Signature | null;
  charges: Charges | null;
  goodsReceipt: GoodsReceipt | null;
  goodsRegister: GoodsRegisterEntry[];
  repairCard: RepairCard | null;
}

/** Where the job (or a technician's home) is; null unless province and city are both known. */
export const regionOf = (o: {
  province: string | null;
  city: string | null;
  district?: string | null;
}): Region | null =>
  o.province && o.city
    ? { province: o.province, city: o.city, district: o.district ?? null }
    : null;

/** The order's SLA deadlines (R-WO-3); null for an order without an SLA (internal jobs). */
export const deadlinesOf = (
  o: Pick<WorkOrder, 'answerDueAt' | 'arrivalDueAt' | 'onSiteDueAt'>,
): SlaDeadlines | null =>
  // Every SLA policy sets the answer deadline, so without one the order has no SLA at all.
  o.answerDueAt
    ? { answerDueAt: o.answerDueAt, arrivalDueAt: o.arrivalDueAt, onSiteDueAt: o.onSiteDueAt }
    : null;

export const slaFactsOf = (o: Pick<WorkOrder, 'answeredAt' | 'arrivedAt'>): SlaFacts => ({
  answeredAt: o.answeredAt,
  arrivedAt: o.arrivedAt,
});

export interface SlaStatus {
  answerDueAt: Date | null;
  arrivalDueAt: Date | null;
  onSiteDueAt: Date | null;
  answeredAt: Date | null;
  arrivedAt: Date | null;
  nextDueAt: Date | null;
  breached: boolean;
}

/** R-WO-3 as the order shows it; a cancelled order is judged as it stood when it was cancelled. */
export function slaStatus(o: WorkOrder, now: Date): SlaStatus {
  const deadlines = deadlinesOf(o);
  const facts = slaFactsOf(o);
  const asOf = o.status === 'CANCELLED' ? o.cancelledAt! : now;
  return {
    answerDueAt: o.answerDueAt,
    arrivalDueAt: o.arrivalDueAt,
    onSiteDueAt: o.onSiteDueAt,
    answeredAt: o.answeredAt,
    arrivedAt: o.arrivedAt,
    nextDueAt: deadlines ? nextDueAt(deadlines, facts) : null,
    breached: deadlines ? breachesAt(deadlines, facts, asOf).length > 0 : false,
  };
}

/**
 * R-WO-4 the dispatch board's due time: the next deadline to meet. An order without an SLA is due
 * from its call until it is answered, so unanswered internal jobs do not sink to the bottom.
 */
export const boardDueAt = (o: WorkOrder): Date | null =>
  nextDueAt(
    deadlinesOf(o) ?? { answerDueAt: o.calledAt, arrivalDueAt: null, onSiteDueAt: null },
    slaFactsOf(o),
  );

/** The facts every work-order event carries, so consumers rarely need to call back. */
export const orderEventData = (o: WorkOrder): WorkOrderFacts => ({
  workOrderId: o.id,
  number: o.number,
  status: o.status,
  customerId: o.customerId,
  assetId: o.assetId,
  serviceType: o.serviceType,
  category: o.category,
  region: { province: o.province, city: o.city, district: o.district },
  technicianIds: o.technicianIds,
  leadTechnicianId: o.leadTechnicianId,
  calledAt: o.calledAt.toISOString(),
  stationCode: o.stationCode,
  answeredAt: o.answeredAt?.toISOString() ?? null,
});

/** `workorder.completed`: what inventory (old parts), survey and complaint statistics need. */
const completedEventData = (o: WorkOrder): WorkOrderCompleted => ({
  ...orderEventData(o),
  completedAt: o.completedAt?.toISOString() ?? null,
  resolution: o.status === 'RETURNED' ? 'TAKE_BACK' : 'ON_SITE',
  partsReplaced: o.report?.partsReplaced ?? o.repairCard?.parts ?? [],
  oldPartsCollected: o.report?.oldPartsCollected ?? false,
  oldParts: o.report?.oldParts ?? [],
  responsibility: o.report?.responsibility ?? null,
  repeatOfWorkOrderId: o.repeatOfId,
  ...(o.assetId && o.report ? { assetWork: assetWorkOf(o.report) } : {}),
});

/** R-CU-7: the reading and the asset work of the report, for the customer service's file. */
const assetWorkOf = (r: ServiceReport): NonNullable<WorkOrderCompleted['assetWork']> => ({
  mileageKm: r.findings.mileageKm,
  runningHours: r.findings.runningHours,
  maintenanceDone: r.assetWork?.maintenanceDone ?? false,
  commissioned: r.assetWork?.commissioned ?? false,
  unitSwaps: r.assetWork?.unitSwaps ?? [],
});

type WorkOrderEvents = typeof events.workorder;
/** An event of the work-order catalogue by name, with its data; the use case publishes it. */
export type WorkOrderEvent = {
  [K in keyof WorkOrderEvents]: { event: K; data: EventInput<WorkOrderEvents[K]> };
}[keyof WorkOrderEvents];

/** The lifecycle moves (R-WO-2..R-WO-7); lookups the rules need come with the move. */
export type WorkOrderMove =
  /** `appointedAt`: when the technicians are due to start (R-WO-10 checks them at that time). */
  | {
      type: 'dispatch';
      input: AssignmentInput;
      technicians: readonly Technician[];
      appointedAt: Date;
    }
  | {
      type: 'reassign';
      input: AssignmentInput & { reason?: string | null };
      technicians: readonly Technician[];
      appointedAt: Date;
    }
  | { type: 'changeStation'; input: { stationCode?: string | null; reason?: string | null } }
  | { type: 'answer'; note?: string | null }
  | { type: 'depart' }
  | { type: 'arrive' }
  | { type: 'resolveOnSite'; report: ServiceReportInput }
  /** `receiptNumber` is the next of the GR series, issued by the use case. */
  | { type: 'takeBack'; items: GoodsItemInput[]; receiptNumber: string }
  | { type: 'receiveInWorkshop' }
  | {
      type: 'repairCard';
      work: { hours?: RepairHoursInput | null; part?: PartReplacedInput | null };
    }
  | { type: 'finishRepair'; report: ServiceReportInput }
  | { type: 'returnToCustomer' }
  | { type: 'sign'; input: SignatureInput }
  | { type: 'close' }
  | { type: 'cancel'; reason: string | null | undefined }
  | { type: 'charges'; input: ChargesInput }
  | { type: 'approveDiscount' };

export interface ActContext {
  now: Date;
  /** Who acts: the history line, the goods register and the charges name them. */
  actor: Identity;
  discountAuthority: DiscountAuthority;
  calendar: BusinessCalendar;
}

/** R-WO-2: every move is on record with who and when (the use case adds those two). */
export interface HistoryLine {
  action: WorkOrderMove['type'];
  fromStatus: WorkOrderStatus;
  toStatus: WorkOrderStatus;
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

export interface ActResult {
  next: WorkOrder;
  history: HistoryLine;
  events: WorkOrderEvent[];
  /** Soft dispatch problems the dispatcher accepted (dispatch and reassign only). */
  warnings: DispatchWarning[];
}

interface Step {
  changes: Partial<WorkOrder>;
  reason?: string | null;
  details?: Record<string, unknown> | null;
  /** Events of the move, made from the order as it is after the move. */
  events?: (next: WorkOrder) => WorkOrderEvent[];
  warnings?: DispatchWarning[];
}

/**
 * Applies one move to the order, or refuses it (ILLEGAL_TRANSITION and the move's own reasons).
 * Entering RESOLVED_ON_SITE or RETURNED completes the work: `completedAt` and `workorder.completed`.
 */
export function act(order: WorkOrder, move: WorkOrderMove, ctx: ActContext): ActResult {
  const step = stepOf(order, move, ctx);
  let next: WorkOrder = { ...order, ...step.changes };
  const events = step.events?.(next) ?? [];
  if (isWorkDone(next.status) && !isWorkDone(order.status)) {
    next = { ...next, completedAt: ctx.now };
    events.push({ event: 'completed', data: completedEventData(next) });
  }
  return {
    next,
    history: {
      action: move.type,
      fromStatus: order.status,
      toStatus: next.status,
      reason: step.reason ?? null,
      details: step.details ?? null,
    },
    events,
    warnings: step.warnings ?? [],
  };
}

function stepOf(
  o: WorkOrder,
  move: WorkOrderMove,
  { now, actor, discountAuthority, calendar }: ActContext,
): Step {
  const target = (appointedAt: Date) => ({
    region: regionOf(o),
    category: o.category,
    productLine: o.productLine,
    appointedAt,
    calendar,
  });
  const at = now.toISOString();
  switch (move.type) {
    case 'dispatch': {
      const plan = planAssignment(move.input, move.technicians, target(move.appointedAt));
      const { technicianIds, leadTechnicianId } = plan.assignment;
      const { warnings, overrideReason } = plan;
      return {
        changes: {
          status: transition(o.status, 'dispatch', { channel: o.channel }),
          technicianIds,
          leadTechnicianId,
          dispatchedAt: now,
          // Dispatching answers the call (R-WO-3) unless it was answered before.
          answeredAt: o.answeredAt ?? now,
        },
        // R-WO-10: a supervisor's override is on record with its reason.
        reason: overrideReason,
        details: {
          technicianIds,
          leadTechnicianId,
          warnings,
          appointedAt: move.appointedAt.toISOString(),
          ...(overrideReason ? { override: { reason: overrideReason, by: actor.userId } } : {}),
        },
        events: (n) => [
          { event: 'dispatched', data: { ...orderEventData(n), dispatchedAt: at, warnings } },
        ],
        warnings,
      };
    }
    case 'reassign': {
      const previous = {
        technicianIds: o.technicianIds,
        leadTechnicianId: o.leadTechnicianId ?? '',
      };
      const plan = planReassignment(
        o.status,
        previous,
        move.input,
        move.technicians,
        target(move.appointedAt),
      );
      const { technicianIds, leadTechnicianId } = plan.assignment;
      return {
        changes: { technicianIds, leadTechnicianId },
        reason: plan.reason,
        details: {
          previous,
          technicianIds,
          leadTechnicianId,
          warnings: plan.warnings,
          appointedAt: move.appointedAt.toISOString(),
          ...(plan.overrideReason
            ? { override: { reason: plan.overrideReason, by: actor.userId } }
            : {}),
        },
        events: (n) => [
          {
            event: 'dispatched',
            data: { ...orderEventData(n), dispatchedAt: at, reassigned: true, reason: plan.reason },
          },
        ],
        warnings: plan.warnings,
      };
    }
    case 'changeStation': {
      // No event of its own: the next event of the order carries the new station.
      const change = planStationChange(o.status, o.stationCode, move.input);
      return {
        changes: { stationCode: change.to },
        reason: change.reason,
        details: { fromStationCode: change.from, stationCode: change.to },
      };
    }
    case 'answer':
      return { changes: { answeredAt: o.answeredAt ?? now }, reason: move.note ?? null };
    case 'depart':
      return { changes: { status: transition(o.status, 'depart') } };
    case 'arrive':
      return {
        changes: { status: transition(o.status, 'arrive'), arrivedAt: now },
        events: (n) => [
          {
            event: 'arrived',
            data: {
              ...orderEventData(n),
              arrivedAt: at,
              arrivalDueAt: n.arrivalDueAt?.toISOString() ?? null,
            },
          },
        ],
      };
    case 'resolveOnSite': {
      const report = parseServiceReport(move.report);
      return { changes: { status: transition(o.status, 'resolveOnSite'), report } };
    }
    case 'takeBack': {
      const status = transition(o.status, 'takeBack', { channel: o.channel });
      const goodsReceipt = issueGoodsReceipt(move.receiptNumber, move.items, now);
      return {
        changes: { status, goodsReceipt, repairCard: o.repairCard ?? newRepairCard() },
        details: { receiptNumber: goodsReceipt.number },
      };
    }
    case 'receiveInWorkshop': {
      const status = transition(o.status, 'receiveInWorkshop');
      const entry = registerGoods(o.goodsRegister, 'IN', o.goodsReceipt!, now, actor.userId);
      return { changes: { status, goodsRegister: [...o.goodsRegister, entry] } };
    }
    case 'repairCard': {
      if (o.status !== 'IN_WORKSHOP') {
        throw conflict(
          `the repair card of ${o.number} is kept while it is IN_WORKSHOP (it is ${o.status})`,
          'NOT_IN_WORKSHOP',
        );
      }
      const { hours, part } = move.work;
      let card = o.repairCard ?? newRepairCard();
      if (hours) card = addRepairHours(card, { technicianId: actor.userId, ...hours });
      if (part) card = addRepairPart(card, part);
      return {
        changes: { repairCard: card },
        details: { hours: hours ?? null, part: part ?? null },
      };
    }
    case 'finishRepair': {
      const report = parseServiceReport({
        ...move.report,
        partsReplaced: move.report.partsReplaced ?? o.repairCard?.parts ?? [],
      });
      return { changes: { report, status: transition(o.status, 'finishRepair') } };
    }
    case 'returnToCustomer': {
      const status = transition(o.status, 'returnToCustomer');
      const goodsReceipt = voidGoodsReceipt(o.goodsReceipt!, now);
      assertCanReturn(goodsReceipt);
      const entry = registerGoods(o.goodsRegister, 'OUT', goodsReceipt, now, actor.userId);
      return { changes: { status, goodsReceipt, goodsRegister: [...o.goodsRegister, entry] } };
    }
    case 'sign': {
      const signature = acceptSignature(o, move.input, now);
      if (o.charges) assertChargesSettled(o.charges);
      return {
        changes: { status: transition(o.status, 'sign'), signature, signedAt: now },
        events: (n) => [
          {
            event: 'signed',
            data: { ...orderEventData(n), signedAt: at, signerName: signature.signerName },
          },
        ],
      };
    }
    case 'close':
      return {
        changes: { status: transition(o.status, 'close'), closedAt: now },
        events: (n) => [{ event: 'closed', data: { ...orderEventData(n), closedAt: at } }],
      };
    case 'cancel': {
      const status = transition(o.status, 'cancel', { reason: move.reason });
      const cancelReason = move.reason!.trim();
      return {
        changes: { status, cancelledAt: now, cancelReason },
        reason: cancelReason,
        events: (n) => [
          {
            event: 'cancelled',
            data: { ...orderEventData(n), cancelledAt: at, reason: cancelReason },
          },
        ],
      };
    }
    case 'charges': {
      if (o.serviceType !== 'PAID') {
        throw conflict(
          `work order ${o.number} is ${o.serviceType} service: nothing to charge`,
          'NOT_PAID_SERVICE',
        );
      }
      const charges = computeCharges(move.input, actor, discountAuthority);
      return { changes: { charges }, details: { ...charges } };
    }
    case 'approveDiscount': {
      if (!o.charges)
        throw conflict(`work order ${o.number} has no charges`, 'NO_PENDING_DISCOUNT');
      const charges = approveDiscount(o.charges, actor, discountAuthority);
      return { changes: { charges }, details: { discountFen: charges.discountFen } };
    }
  }
}
