import { events } from '@aftercare/events';
import {
  changeOne,
  type EntityManager,
  type EventMessage,
  type Identity,
  requireRole,
  type Role,
  uuidv7,
} from '@aftercare/kit';
import { WorkOrderHistoryRecord, WorkOrderRecord } from '../db/entities';
import {
  act,
  type DispatchWarning,
  type HistoryLine,
  type WorkOrderEvent,
  type WorkOrderMove,
} from '../domain';
import { requireAssigned } from './access';
import type { WorkOrderDeps } from './deps';

/** Who may make a move: one of `roles`; with `assigned`, a technician only on their own orders. */
export interface Acting {
  roles: readonly Role[];
  assigned?: boolean;
}

/** The move, or how to make it from the locked order (lookups, a goods receipt number). */
export type MoveOf =
  | WorkOrderMove
  | ((order: WorkOrderRecord, em: EntityManager, now: Date) => Promise<WorkOrderMove>);

export interface Moved {
  order: WorkOrderRecord;
  warnings: DispatchWarning[];
}

/**
 * The one way a work order changes (R-WO-2: every move on record with who and when). The roles are
 * checked before the lookup, so a refusal never tells whether an order exists or what state it is
 * in; whether a technician is assigned can only be checked on the locked order.
 */
export async function moveOrder(
  deps: WorkOrderDeps,
  caller: Identity | null,
  acting: Acting,
  id: string,
  moveOf: MoveOf,
): Promise<Moved> {
  const me = requireRole(caller, ...acting.roles);
  let warnings: DispatchWarning[] = [];
  const order = await changeOne<WorkOrderRecord>(deps, {
    entity: WorkOrderRecord,
    label: 'WorkOrder',
    id,
    async apply(row, em) {
      if (acting.assigned) requireAssigned(me, row, acting.roles);
      const now = deps.now();
      const move = typeof moveOf === 'function' ? await moveOf(row, em, now) : moveOf;
      const result = act(row, move, {
        now,
        actor: me,
        discountAuthority: deps.discountAuthority,
        calendar: deps.calendar,
      });
      Object.assign(row, result.next, { updatedAt: now });
      warnings = result.warnings;
      return {
        records: [historyRecord(row.id, result.history, me, now)],
        events: result.events.map(eventMessageOf),
      };
    },
  });
  return { order, warnings };
}

/** `moveOrder` for the use cases that answer with the order alone. */
export const orderAfter = (...args: Parameters<typeof moveOrder>): Promise<WorkOrderRecord> =>
  moveOrder(...args).then((moved) => moved.order);

/** A history line, not yet persisted: the caller inserts it or hands it to `changeOne`. */
export const historyRecord = (
  workOrderId: string,
  line: Omit<HistoryLine, 'action' | 'fromStatus'> & {
    action: string;
    /** Null for the first line, the registration. */
    fromStatus: HistoryLine['fromStatus'] | null;
  },
  actor: Identity,
  at: Date,
): WorkOrderHistoryRecord =>
  Object.assign(new WorkOrderHistoryRecord(), {
    id: uuidv7(),
    workOrderId,
    action: line.action,
    fromStatus: line.fromStatus,
    toStatus: line.toStatus,
    actorId: actor.userId,
    at,
    reason: line.reason ?? null,
    details: line.details ?? null,
  });

export const eventMessageOf = (e: WorkOrderEvent): EventMessage => ({
  event: events.workorder[e.event],
  data: e.data,
});
