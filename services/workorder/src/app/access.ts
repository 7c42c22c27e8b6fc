import { type Identity, forbidden, type Role, requireRole } from '@aftercare/kit';
import type { WorkOrderRecord } from '../db/entities';

export const CAN_REGISTER: Role[] = ['agent', 'dispatcher', 'manager'];
export const CAN_DISPATCH: Role[] = ['dispatcher', 'manager'];
export const CAN_CANCEL: Role[] = ['agent', 'dispatcher', 'manager'];
export const CAN_CLOSE: Role[] = ['dispatcher', 'manager', 'agent'];
export const CAN_MANAGE_STAFF: Role[] = ['manager'];
export const CAN_APPROVE: Role[] = ['manager'];
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
/** Field work: the assigned technicians; the workshop and managers may act for them. */
export const FIELD_WORK: Role[] = ['technician', 'workshop', 'manager'];
export const WORKSHOP_WORK: Role[] = ['workshop', 'technician', 'manager'];
/** Everyone who may change some work order: anyone else is refused before the order is looked up. */
export const ORDER_WRITERS: Role[] = [
  ...new Set([
    ...CAN_REGISTER,
    ...CAN_DISPATCH,
    ...CAN_CANCEL,
    ...CAN_CLOSE,
    ...CAN_APPROVE,
    ...FIELD_WORK,
    ...WORKSHOP_WORK,
  ]),
];

const has = (caller: Identity, roles: Role[]) =>
  caller.roles.includes('admin') || caller.roles.some((r) => roles.includes(r));

/** A technician acts only on orders assigned to them; other roles in `roles` act on any order. */
export function requireOrderRole(
  caller: Identity | null,
  order: WorkOrderRecord,
  ...roles: Role[]
): Identity {
  const me = requireRole(caller, ...roles);
  const onlyTechnician = !has(
    me,
    roles.filter((r) => r !== 'technician'),
  );
  if (onlyTechnician && !order.technicianIds.includes(me.userId)) {
    throw forbidden(`work order ${order.number} is not assigned to you`);
  }
  return me;
}

/** Technicians see only their own orders; everyone in CAN_READ_ALL sees all. */
export function canSee(caller: Identity, order: WorkOrderRecord): boolean {
  return has(caller, CAN_READ_ALL) || order.technicianIds.includes(caller.userId);
}
