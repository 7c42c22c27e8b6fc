import { ROLES, type Role } from '@aftercare/kit';
import { type ComplaintActionType, HANDLING_ROLES } from '../domain';

/** Every role that signs in (and services): reads where the use case narrows to the caller's own. */
export const ANYONE: Role[] = ROLES.filter((r) => r !== 'admin');

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
/** Who edits the complaint policy (routing, approval tiers, major-complaint rules). */
export const CAN_EDIT_RULES: Role[] = ['manager'];
export const CAN_READ_REPORTS: Role[] = ['customer_relations', 'manager', 'auditor', 'service'];
/** R-CO-2: who steers a complaint through its steps (the domain's handling roles). */
export const CAN_STEER = [...HANDLING_ROLES] as Role[];
/**
 * Who may attempt each step, checked before the complaint is looked up. Investigating and
 * proposing fall to the assigned handler, whoever that is; approval authority goes by amount
 * (policy data): the workflow decides those once the complaint is loaded.
 */
export const STEP_ROLES: Record<ComplaintActionType, Role[]> = {
  classify: CAN_STEER,
  invalidate: CAN_STEER,
  assign: CAN_STEER,
  investigate: CAN_WORK_COMPLAINTS,
  proposeSolution: CAN_WORK_COMPLAINTS,
  approveSolution: CAN_WORK_COMPLAINTS,
  rejectSolution: CAN_WORK_COMPLAINTS,
  notifyCustomer: CAN_STEER,
  close: CAN_STEER,
};
