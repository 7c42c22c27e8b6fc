import { LockMode } from '@mikro-orm/core';
import {
  type EntityManager,
  type Identity,
  checkUuid,
  notFound,
  requireRole,
  uuidv7,
} from '@aftercare/kit';
import { WorkOrderHistoryRecord, WorkOrderRecord } from '../db/entities';
import type { WorkOrderStatus } from '../domain';

import { ORDER_WRITERS } from './access';
import type { WorkOrderDeps } from './deps';

export interface Change {
  action: string;
  /** Who acted (after the role check). */
  actor: Identity;
  reason?: string | null;
  details?: Record<string, unknown> | null;
  events?: { type: string; data: object }[];
}

/**
 * The one way a work order changes: lock the row, let `apply` check and change it, then record
 * the history line and the events in the same transaction (R-WO-2: every move with who and when).
 * Callers who may change no work order at all (anonymous, auditor, …) are refused before the
 * lookup, so a refusal never tells whether an order exists; `apply` still does the exact check.
 */
export async function mutateOrder(
  deps: WorkOrderDeps,
  caller: Identity | null,
  id: string,
  apply: (order: WorkOrderRecord, em: EntityManager, now: Date) => Promise<Change> | Change,
): Promise<WorkOrderRecord> {
  requireRole(caller, ...ORDER_WRITERS);
  const orderId = checkUuid(id);
  return deps.orm.em.fork().transactional(async (em) => {
    const order = await em.findOne(
      WorkOrderRecord,
      { id: orderId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!order) throw notFound('WorkOrder', orderId);
    const from: WorkOrderStatus = order.status;
    const now = deps.now();
    const change = await apply(order, em, now);
    order.updatedAt = now;
    em.persist(
      em.create(WorkOrderHistoryRecord, {
        id: uuidv7(),
        workOrderId: order.id,
        action: change.action,
        fromStatus: from,
        toStatus: order.status,
        actorId: change.actor.userId,
        at: now,
        reason: change.reason ?? null,
        details: change.details ?? null,
      }),
    );
    await em.flush();
    for (const event of change.events ?? [])
      deps.events.add(em, { type: event.type, aggregateId: order.id, data: event.data });
    return order;
  });
}
