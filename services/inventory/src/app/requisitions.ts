import {
  changeOne,
  checkUuid,
  createOnce,
  type EntityManager,
  type EventMessage,
  eventMessage,
  findByUuid,
  forbidden,
  hasRole,
  type Identity,
  idempotencyKey,
  notFound,
  requireRole,
  type Role,
  uuidv7,
} from '@aftercare/kit';
import { RequisitionRecord, WarehouseRecord } from '../db/entities';
import {
  approveRequisition,
  type ApprovalInput,
  issueAgainst,
  rejectRequisition,
  type Requisition,
  requestParts,
  returnUnused,
} from '../domain';
import type { InventoryRequisitionStep } from '@aftercare/events';
import { events } from '@aftercare/events';
import { type InventoryDeps } from './deps';
import { CAN_POST, postStockDocument } from './ledger';

const CAN_REQUEST: Role[] = ['technician', 'workshop', 'manager'];
const CAN_DECIDE: Role[] = ['dispatcher', 'manager', 'workshop'];

const toRequisition = (r: RequisitionRecord): Requisition => ({ ...r });

/** R-IN-3 each requisition step on the stream (requested, approved or rejected). */
function stepEvent(req: Requisition, at: Date): EventMessage {
  const type = {
    REQUESTED: events.inventory.requisitionRequested,
    APPROVED: events.inventory.requisitionApproved,
    REJECTED: events.inventory.requisitionRejected,
  }[req.status as 'REQUESTED' | 'APPROVED' | 'REJECTED'];
  return eventMessage(type, {
    requisitionId: req.id,
    workOrderId: req.workOrderId,
    warehouseCode: req.warehouseCode,
    status: req.status as InventoryRequisitionStep['status'],
    actorId: req.status === 'REQUESTED' ? req.requestedBy : req.decidedBy!,
    lines: req.lines.map((l) => ({
      partCode: l.partCode,
      quantity: req.status === 'REQUESTED' ? l.requested : l.approved,
    })),
    reason: req.statusReason,
    at: at.toISOString(),
  });
}

/** A domain step taken on the locked requisition: the requisition after it, and its events. */
type Stepped = { next: Requisition; events: EventMessage[] };
type Step = (req: Requisition, em: EntityManager, now: Date) => Promise<Stepped> | Stepped;

const change = (deps: InventoryDeps, id: string, step: Step): Promise<RequisitionRecord> =>
  changeOne(deps, {
    entity: RequisitionRecord,
    label: 'Requisition',
    id,
    field: 'requisitionId',
    apply: async (record, em) => {
      const stepped = await step(toRequisition(record), em, deps.now());
      Object.assign(record, stepped.next);
      return { events: stepped.events };
    },
  });

/**
 * R-IN-3: a technician requests parts for an open work order assigned to them (checked with the
 * work-order service over gRPC; a closed order or the service being down refuses the request).
 * With an idempotency key a repeat returns the requisition made the first time.
 */
export async function requestRequisition(
  deps: InventoryDeps,
  caller: Identity | null,
  input: {
    workOrderId: string;
    warehouseCode: string;
    note?: string | null;
    lines: { partCode: string; quantity: number }[];
    idempotencyKey?: string | null;
  },
): Promise<RequisitionRecord> {
  const me = requireRole(caller, ...CAN_REQUEST);
  const key = idempotencyKey(input.idempotencyKey);
  const order = await deps.workOrders.openForParts(checkUuid(input.workOrderId, 'workOrderId'), me);
  if (!hasRole(me, 'workshop', 'manager') && !order.technicianIds.includes(me.userId)) {
    throw forbidden(`work order ${order.number} is not assigned to you`);
  }
  const requisition = requestParts({ ...input, id: uuidv7(), requestedBy: me.userId }, deps.now());
  const once = {
    operation: 'inventory.requestParts',
    caller: me,
    key,
    request: input,
    load: (em: EntityManager, id: string) => em.findOneOrFail(RequisitionRecord, { id }),
  };
  return createOnce(deps.orm, once, async (em) => {
    if (!(await em.findOne(WarehouseRecord, { code: requisition.warehouseCode })))
      throw notFound('warehouse', requisition.warehouseCode);
    const record = Object.assign(new RequisitionRecord(), requisition);
    em.persist(record);
    deps.events.publishMessage(em, requisition.id, stepEvent(requisition, requisition.requestedAt));
    return record;
  });
}

/** R-IN-3: a supervisor (never the requester) approves, possibly cutting quantities. */
export const approve = (
  deps: InventoryDeps,
  caller: Identity | null,
  id: string,
  input: ApprovalInput = {},
) => {
  // The role is checked before the lookup: a refusal must not tell whether the requisition exists.
  const me = requireRole(caller, ...CAN_DECIDE);
  return change(deps, id, (req, _em, now) => {
    const next = approveRequisition(req, { id: me.userId, roles: me.roles }, now, input);
    return { next, events: [stepEvent(next, now)] };
  });
};

export const reject = (
  deps: InventoryDeps,
  caller: Identity | null,
  id: string,
  reason: string,
) => {
  const me = requireRole(caller, ...CAN_DECIDE);
  return change(deps, id, (req, _em, now) => {
    const next = rejectRequisition(req, { id: me.userId, roles: me.roles }, reason, now);
    return { next, events: [stepEvent(next, now)] };
  });
};

/**
 * R-IN-3 见单发料: the warehouse issues only against an approved requisition of a work order
 * that is still open; the ISSUE document is posted in the same transaction. The work-order check
 * is a call to another service, so it is made before the requisition row is locked: holding the
 * lock (and a pooled connection) across it made concurrent issues queue behind the network. The
 * order could close just after the check in either arrangement; the work order is the
 * requisition's fixed attribute, so reading it unlocked is safe.
 */
export async function issue(
  deps: InventoryDeps,
  caller: Identity | null,
  id: string,
  lines: { partCode: string; quantity: number }[],
): Promise<RequisitionRecord> {
  const me = requireRole(caller, ...CAN_POST);
  const { workOrderId } = await findByUuid(
    deps.orm.em.fork(),
    RequisitionRecord,
    'Requisition',
    id,
  );
  await deps.workOrders.openForParts(workOrderId, me);
  return change(deps, id, async (req, em, now) => {
    const posted = issueAgainst(req, lines, { by: me.userId }, now);
    const document = await postStockDocument(deps, em, posted.document);
    const issued = eventMessage(events.inventory.partsIssued, {
      requisitionId: req.id,
      workOrderId: req.workOrderId,
      warehouseCode: req.warehouseCode,
      documentId: document.id,
      lines: posted.document.lines,
    });
    return { next: posted.requisition, events: [issued] };
  });
}

/** R-IN-3: unused parts come back with the counted quantity; used ones cannot. */
export const returnParts = (
  deps: InventoryDeps,
  caller: Identity | null,
  id: string,
  lines: { partCode: string; quantity: number }[],
) => {
  const me = requireRole(caller, ...CAN_POST);
  return change(deps, id, async (req, em, now) => {
    const posted = returnUnused(req, lines, { by: me.userId }, now);
    const document = await postStockDocument(deps, em, posted.document);
    const returned = eventMessage(events.inventory.partsReturned, {
      requisitionId: req.id,
      workOrderId: req.workOrderId,
      documentId: document.id,
      lines: posted.document.lines,
    });
    return { next: posted.requisition, events: [returned] };
  });
};
