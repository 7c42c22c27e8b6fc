import { LockMode } from '@mikro-orm/core';
import {
  checkUuid,
  type EntityManager,
  type EventMessage,
  type Identity,
  notFound,
  requireRole,
  type Role,
  uuidv7,
} from '@aftercare/kit';
import { WorkOrderHistoryRecord, WorkOrderRecord } from '../db/entities';
import type { WorkOrderStatus } from '../domain';

import { requireAssigned } from './access';
import type { WorkOrderDeps } from './deps';

export interface Change {
  action: string;
  reason?: string | null;
  details?: Record<string, unknown> | null;
  events?: EventMessage[];
}

type Apply = (
  order: WorkOrderRecord,
  em: EntityManager,
  now: Date,
  me: Identity,
) => Promise<Change> | Change;

/**
 * The one way a work order changes: lock the row, let `apply` check and change it, then record
 * the history line and the events in the same transaction (R-WO-2: every move with who and when).
 * The caller must hold one of `roles`, checked before the lookup: a refusal never tells whether
 * an order exists or what state it is in.
 */
export async function mutateOrder(
  deps: WorkOrderDeps,
  caller: Identity | null,
  roles: readonly Role[],
  id: string,
  apply: Apply,
): Promise<WorkOrderRecord> {
  const me = requireRole(caller, ...roles);
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
    const change = await apply(order, em, now, me);
    order.updatedAt = now;
    em.persist(
      em.create(WorkOrderHistoryRecord, {
        id: uuidv7(),
        workOrderId: order.id,
        action: change.action,
        fromStatus: from,
        toStatus: order.status,
        actorId: me.userId,
        at: now,
        reason: change.reason ?? null,
        details: change.details ?? null,
      }),
    );
    await em.flush();
    for (const event of change.events ?? []) deps.events.publishMessage(em, order.id, event);
    return order;
  });
}

/** `mutateOrder` for field and workshop work: a technician acts only on orders assigned to them. */
export const mutateAssignedOrder = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  roles: readonly Role[],
  id: string,
  apply: Apply,
): Promise<WorkOrderRecord> =>
  mutateOrder(deps, caller, roles, id, (order, em, now, me) => {
    requireAssigned(me, order, roles);
    return apply(order, em, now, me);
  });
