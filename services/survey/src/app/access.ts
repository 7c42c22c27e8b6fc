import { forbidden, hasRole, type Identity, type Role, requireRole } from '@aftercare/kit';

/** Answer surveys and make follow-up calls: the call centre and customer relations. */
export const CAN_CALL: Role[] = ['agent', 'customer_relations'];
export const CAN_READ: Role[] = [
  'agent',
  'customer_relations',
  'dispatcher',
  'manager',
  'auditor',
  'service',
];
/** Scores and KPIs: managers and auditors (technicians see their own rating only). */
export const CAN_READ_SCORES: Role[] = ['manager', 'auditor', 'service'];
export const CAN_MANAGE_TEMPLATES: Role[] = ['manager'];
export const CAN_PLAN_ACTIVITIES: Role[] = ['customer_relations', 'manager'];

/** A technician reads only their own rating; score readers read anyone's. */
export function requireRatingReader(caller: Identity | null, technicianId: string): Identity {
  const me = requireRole(caller, ...CAN_READ_SCORES, 'technician');
  if (!hasRole(me, ...CAN_READ_SCORES) && me.userId !== technicianId)
    throw forbidden('technicians see their own rating only', 'NOT_YOUR_RATING');
  return me;
}
