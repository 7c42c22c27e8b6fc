import type { Role } from '@aftercare/kit';

/** R-CO-1: who records complaints (the call centre, customer relations, managers). */
export const CAN_RECORD: Role[] = ['agent', 'customer_relations', 'manager'];
/** Who reads every complaint; a handler also reads the complaints assigned to them. */
export const CAN_READ_COMPLAINTS: Role[] = [
  'agent',
  'dispatcher',
  'customer_relations',
  'manager',
  'auditor',
  'service',
];
/**
 * Who may act on a complaint's steps at all; the domain then decides per step (customer relations
 * and managers steer, the assigned handler investigates, approval by amount, never the person the
 * complaint is about). The auditor is read-only.
 */
export const CAN_WORK_COMPLAINTS: Role[] = [
  'customer_relations',
  'manager',
  'agent',
  'dispatcher',
  'technician',
  'workshop',
  'warehouse',
  'tool_keeper',
];
/** Who reads every ledger line; any other staff member reads only their own (R-PN-3). */
export const CAN_READ_ALL_PENALTIES: Role[] = ['manager', 'auditor', 'service'];
/** Who proposes penalties by hand (inspection findings, late archive handover) and edits rules. */
export const CAN_PROPOSE_PENALTIES: Role[] = ['manager', 'customer_relations'];
export const CAN_EDIT_RULES: Role[] = ['manager'];
/** Payroll export (R-PN-3). */
export const CAN_EXPORT_PAYROLL: Role[] = ['manager', 'auditor', 'service'];
export const CAN_READ_REPORTS: Role[] = ['customer_relations', 'manager', 'auditor', 'service'];
