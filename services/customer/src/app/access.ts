import type { Role } from '@aftercare/kit';

/** Who may do what with customer archives (docs/rules.md, Roles). `admin` may do everything. */
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
/**
 * R-CU-7: what a service does to an asset file — a reading, a maintenance done, a unit swapped —
 * is recorded by who did or took it down; contracts, owners and warranties by the front desk.
 */
export const CAN_RECORD_SERVICE: Role[] = [
  'agent',
  'technician',
  'workshop',
  'customer_relations',
  'manager',
];
export const CAN_LOG_CONTACT: Role[] = [
  'agent',
  'dispatcher',
  'technician',
  'customer_relations',
  'manager',
  'service',
];

/**
 * R-CU-3 archive handovers. A sale is recorded by sales staff (`agent`) or a manager; the receipt
 * is recorded at the archive desk — the customer-care clerk (`customer_relations`), or the
 * handing-over side's desk (`agent` for sales, `workshop` for after-sales) — or a manager.
 * Archives are confidential (R-CU-4): technicians and dispatchers do not read them.
 */
export const CAN_RECORD_SALE: Role[] = ['agent', 'manager'];
export const CAN_RECEIVE_ARCHIVE: Role[] = ['agent', 'workshop', 'customer_relations', 'manager'];
/**
 * R-CU-4 retention: the archive keeper (customer care, 客户关爱部) and managers propose files past
 * retention for destruction; a manager other than the proposer approves; auditors see it all.
 */
export const CAN_SEE_RETENTION: Role[] = ['customer_relations', 'manager', 'auditor'];
export const CAN_REQUEST_DESTRUCTION: Role[] = ['customer_relations', 'manager'];
export const CAN_APPROVE_DESTRUCTION: Role[] = ['manager'];
export const CAN_READ_ARCHIVE: Role[] = [
  'agent',
  'workshop',
  'customer_relations',
  'manager',
  'auditor',
  'service',
];
/** R-CU-4 who reads the read log of the archives (auditors; managers answer for their staff). */
export const CAN_AUDIT_READS: Role[] = ['auditor', 'manager'];

/**
 * R-CU-4 borrowing a paper file. Staff who work with archives ask for one (the auditor only
 * reads, and another service never borrows paper); the archive keeper (`customer_relations`,
 * 客户关爱部档案管理员) or a manager decides, hands it out and takes it back.
 */
export const CAN_REQUEST_LOAN: Role[] = ['agent', 'workshop', 'customer_relations', 'manager'];
export const CAN_KEEP_ARCHIVE: Role[] = ['customer_relations', 'manager'];
