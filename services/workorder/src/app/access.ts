import { forbidden, hasRole, type Identity, type Role } from '@aftercare/kit';
import type { WorkOrderRecord } from '../db/entities';

export const CAN_REGISTER: Role[] = ['agent', 'dispatcher', 'manager'];
export const CAN_DISPATCH: Role[] = ['dispatcher', 'manager'];
/** R-WO-10 the supervisor who may override a refusal of dispatch (absent, unqualified) with a reason. */
export const CAN_OVERRIDE_DISPATCH: Role[] = ['manager'];
export const CAN_CANCEL: Role[] = ['agent', 'dispatcher', 'manager'];
export const CAN_CLOSE: Role[] = ['dispatcher', 'manager', 'agent'];
export const CAN_MANAGE_STAFF: Role[] = ['manager'];
export const CAN_APPROVE: Role[] = ['manager'];
/** R-WO-12 SLA policies are edited by managers. */
export const CAN_MANAGE_SLA: Role[] = ['manager'];
/** R-WO-12 who reads the policies and their history: the desks that promise and watch deadlines. */
export const CAN_READ_SLA: Role[] = [
  'agent',
  'dispatcher',
  'customer_relations',
  'manager',
  'auditor',
];
/** R-WO-3: the answer to the customer before dispatch. */
export const CAN_ANSWER: Role[] = ['agent', 'dispatcher', 'manager'];
/** Read every work order; technicians read only their own (checked per order). */
export const CAN_READ_ALL: Role[] = [
  'agent',
  'dispatcher',
  'workshop',
  'warehouse',
  'customer_relations',
  'manager',
  'auditor',
  'service',
];
export const CAN_READ: Role[] = [...CAN_READ_ALL, 'technician'];
/**
 * R-WO-4 the dispatch board (open orders with their site contacts): who dispatches, answers the
 * customer or oversees; a technician sees their own queue. Not the warehouse (ADR 0014).
 */
export const CAN_READ_BOARD: Role[] = ['agent', 'dispatcher', 'technician', 'manager', 'auditor'];
/** Field work: the assigned technicians; the workshop and managers may act for them. */
export const FIELD_WORK: Role[] = ['technician', 'workshop', 'manager'];
export const WORKSHOP_WORK: Role[] = ['workshop', 'technician', 'manager'];
/** R-WO-7 charges: whoever did the work, or the desk that settles with the customer. */
export const CAN_CHARGE: Role[] = [...FIELD_WORK, 'dispatcher', 'agent'];

/**
 * A technician acts only on orders assigned to them; whoever holds another of `roles` acts on
 * any order. Checked after the lookup, once `requireRole(caller, ...roles)` has let the caller in.
 */
export function requireAssigned(
  me: Identity,
  order: WorkOrderRecord,
  roles: readonly Role[],
): void {
  const onlyTechnician = !hasRole(me, ...roles.filter((r) => r !== 'technician'));
  if (onlyTechnician && !order.technicianIds.includes(me.userId)) {
    throw forbidden(`work order ${order.number} is not assigned to you`);
  }
}

/** Technicians see only their own orders; everyone in CAN_READ_ALL sees all. */
export function canSee(caller: Identity, order: WorkOrderRecord): boolean {
  return hasRole(caller, ...CAN_READ_ALL) || order.technicianIds.includes(caller.userId);
}
