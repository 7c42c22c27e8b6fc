import {
  createOnce,
  type EntityManager,
  type EventHandler,
  groupByKeys,
  type Identity,
  idempotencyKey,
  type Logger,
  notFound,
  requireRole,
  uuidv7,
  checkUuid,
} from '@aftercare/kit';
import { events, type InventoryOldPartReceived } from '@aftercare/events';
import { CompletedWorkOrderRecord, OldPartReceiptRecord, RequisitionRecord } from '../db/entities';
import {
  OLD_PART_SERVICE_TYPES,
  oldPartExpectations,
  receiveOldPart,
  recordUsage,
  type WarrantyWriteOff,
  warrantyWriteOff,
} from '../domain';
import { type InventoryDeps } from './deps';

/**
 * Consumer of `workorder.completed` (R-IN-3, R-IN-4): remembers what the service report says
 * was replaced and collected, and books the parts used on the work order's requisitions, so
 * used parts can no longer be "returned" to stock. Runs in the consumer's inbox transaction.
 */
export function onWorkOrderCompleted(
  logger: Logger,
): EventHandler<typeof events.workorder.completed> {
  return async (em, event) => {
    const order = event.data;
    await em.upsert(CompletedWorkOrderRecord, {
      workOrderId: order.workOrderId,
      serviceType: order.serviceType,
      partsReplaced: order.partsReplaced,
      oldPartsCollected: order.oldPartsCollected,
      oldParts: order.oldParts,
      completedAt: order.completedAt ? new Date(order.completedAt) : null,
    });
    const requisitions = await em.find(RequisitionRecord, {
      workOrderId: order.workOrderId,
      status: { $in: ['ISSUED', 'PARTLY_ISSUED'] },
    });
    for (const record of requisitions) {
      try {
        Object.assign(record, recordUsage({ ...record }, order.partsReplaced));
      } catch (err) {
        // The report claims more than this requisition issued (another requisition, or a report
        // error): keep the issue as it is and let the warehouse look, rather than poison the event.
        logger.warn(
          { err, requisitionId: record.id, workOrderId: order.workOrderId },
          'parts used do not match the requisition',
        );
      }
    }
  };
}

/**
 * R-IN-4: an old part handed in at the warehouse, matched against what the work order owes. With
 * an idempotency key the part is received once; a repeat gets the work order's write-off.
 */
export async function receiveOldPartFor(
  deps: InventoryDeps,
  caller: Identity | null,
  input: {
    workOrderId: string;
    partCode?: string | null;
    name: string;
    quantity?: number | null;
    idempotencyKey?: string | null;
  },
): Promise<WarrantyWriteOff> {
  const me = requireRole(caller, 'warehouse', 'manager');
  const once = {
    operation: 'inventory.receiveOldPart',
    caller: me,
    key: idempotencyKey(input.idempotencyKey),
    request: input,
    idOf: (w: WarrantyWriteOff) => w.workOrderId,
    load: (em: EntityManager, workOrderId: string) => writeOffOf(em, me, workOrderId),
  };
  return createOnce(deps.orm, once, async (em) => {
    const order = await completedOrder(em, input.workOrderId);
    const receipts = await em.find(OldPartReceiptRecord, { workOrderId: order.workOrderId });
    const receipt = receiveOldPart(
      oldPartExpectations(order),
      receipts,
      { ...input, receivedBy: me.userId },
      deps.now(),
    );
    em.persist(Object.assign(new OldPartReceiptRecord(), { id: uuidv7(), ...receipt }));
    const writeOff = warrantyWriteOff(order, [...receipts, receipt]);
    deps.events.publish(em, events.inventory.oldPartReceived, order.workOrderId, {
      workOrderId: order.workOrderId,
      partCode: receipt.partCode,
      name: receipt.name,
      quantity: receipt.quantity,
      receivedBy: receipt.receivedBy,
      writeOffStatus: writeOff.status,
      missing: writeOff.missing
        .filter((m) => m.missing > 0)
        .map((m) => ({ name: m.name, missing: m.missing })),
      at: receipt.receivedAt.toISOString(),
    } satisfies InventoryOldPartReceived);
    return writeOff;
  });
}

/** R-IN-4: where the warranty write-off of a work order stands, and which old parts are missing. */
export async function writeOffOf(
  em: EntityManager,
  caller: Identity | null,
  workOrderId: string,
): Promise<WarrantyWriteOff> {
  requireRole(caller, 'warehouse', 'manager', 'auditor', 'dispatcher');
  const order = await completedOrder(em, workOrderId);
  return warrantyWriteOff(order, await em.find(OldPartReceiptRecord, { workOrderId }));
}

async function completedOrder(
  em: EntityManager,
  workOrderId: string,
): Promise<CompletedWorkOrderRecord> {
  const order = await em.findOne(CompletedWorkOrderRecord, {
    workOrderId: checkUuid(workOrderId, 'workOrderId'),
  });
  if (!order) throw notFound('CompletedWorkOrder', workOrderId);
  return order;
}

/**
 * R-IN-4 "missing old parts are listed": every warranty write-off still OPEN — old parts not yet
 * handed in, or not declared collected on the service report — oldest completion first.
 */
export async function openWriteOffs(
  em: EntityManager,
  caller: Identity | null,
): Promise<WarrantyWriteOff[]> {
  requireRole(caller, 'warehouse', 'manager', 'auditor', 'dispatcher', 'workshop');
  const orders = await em.find(
    CompletedWorkOrderRecord,
    { serviceType: { $in: [...OLD_PART_SERVICE_TYPES] } },
    { orderBy: { completedAt: 'asc', workOrderId: 'asc' } },
  );
  const receipts = await em.find(OldPartReceiptRecord, {
    workOrderId: { $in: orders.map((o) => o.workOrderId) },
  });
  const receiptsOf = groupByKeys(
    orders.map((o) => o.workOrderId),
    receipts,
    (r) => r.workOrderId,
  );
  return orders
    .map((o, i) => warrantyWriteOff(o, receiptsOf[i]!))
    .filter((w) => w.status === 'OPEN');
}
