import type { Role } from '@aftercare/kit';

/** Who may do what with customer archives (SPEC §7). `admin` may do everything. */
export const CAN_READ: Role[] = [
  'agent',
  'dispatcher',
  'technician',
  'workshop',
  'customer_relations',
  'manager',
  'auditor',
  'service',
];
export const CAN_WRITE: Role[] = ['agent', 'customer_relations', 'manager'];
export const CAN_LOG_CONTACT: Role[] = [
  'agent',
  'dispatcher',
  'technician',
  'customer_relations',
  'manager',
  'service',
];
