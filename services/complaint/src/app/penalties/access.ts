import { ROLES, type Role } from '@aftercare/kit';
import { PENALTY_DECIDER_ROLES } from '../../domain/penalties';

/** Any signed-in staff member (they see their own lines; the use case narrows further). */
export const ANY_STAFF: Role[] = ROLES.filter((r) => r !== 'admin');
/** Who reads every ledger line; any other staff member reads only their own (R-PN-3). */
export const CAN_READ_ALL_PENALTIES: Role[] = ['manager', 'auditor', 'service'];
/** Who proposes penalties by hand (inspection findings, late archive handover). */
export const CAN_PROPOSE_PENALTIES: Role[] = ['manager', 'customer_relations'];
export const CAN_EDIT_PENALTY_RULES: Role[] = ['manager'];
/** Payroll export (R-PN-3). */
export const CAN_EXPORT_PAYROLL: Role[] = ['manager', 'auditor', 'service'];
/** R-PN-3: confirm, uphold and void a ledger line. */
export const CAN_DECIDE_PENALTIES: Role[] = [...PENALTY_DECIDER_ROLES];
/** R-PN-3: staff appeal their own penalties; the auditor only reads, services never appeal. */
export const CAN_APPEAL: Role[] = ANY_STAFF.filter((r) => r !== 'auditor' && r !== 'service');
