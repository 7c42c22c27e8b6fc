import { z } from 'zod';
import { isoDate, isoInstant, region, uuid } from './common';
import { defineEvent } from './define';

/**
 * `customer.archive_handover_late` (R-CU-3): an archive handover (sales: 3 working days after the
 * sale; after-sales: 1 working day after the vehicle is returned) was received late, received
 * incomplete (required documents or customer signatures missing), or not handed over at all by
 * its deadline. Emitted once per handover; the complaint service proposes a penalty (R-PN-1).
 */
export const customerArchiveHandoverLate = z.object({
  handoverId: uuid,
  customerId: uuid,
  assetId: uuid.nullable(),
  workOrderId: uuid.nullable(),
  source: z.enum(['SALES', 'AFTER_SALES']),
  /** The sales or service advisor responsible for the handover; null when nobody is known. */
  responsibleStaffId: z.string().nullable(),
  dueAt: isoInstant,
  /** Null: nothing handed over by the deadline. */
  receivedAt: isoInstant.nullable(),
  late: z.boolean(),
  missingKinds: z.array(z.string()),
  unsignedKinds: z.array(z.string()),
  /** When the violation happened: the deadline when late, the receipt when only incomplete. */
  violatedAt: isoInstant,
});

export type CustomerArchiveHandoverLate = z.infer<typeof customerArchiveHandoverLate>;

/**
 * `customer.file_late` (R-CU-6): a new customer's file was still incomplete when its deadline (2
 * days after their first visit or repair) passed. Emitted once per customer; the complaint service
 * proposes a penalty on the responsible advisor (R-PN-1), as for a late archive handover.
 */
export const customerFileLate = z.object({
  customerId: uuid,
  /** The work order of the first visit or repair, which started the clock. */
  workOrderId: uuid,
  /** The customer's responsible advisor, else the agent who registered the first visit. */
  responsibleStaffId: z.string().nullable(),
  firstVisitAt: isoInstant,
  dueAt: isoInstant,
  /** What the file lacked at the deadline (CONTACT, ADDRESS, RESPONSIBLE_STAFF, ASSET, ID_COPY). */
  missingItems: z.array(z.string()).min(1),
  detectedAt: isoInstant,
});

export type CustomerFileLate = z.infer<typeof customerFileLate>;

/** Where a loan of a customer's paper file stands (R-CU-4). */
export const archiveLoanStatus = z.enum([
  'REQUESTED',
  'APPROVED',
  'REJECTED',
  'LENT',
  'RETURNED',
  'CANCELLED',
]);

/**
 * `customer.archive_loan_*` (R-CU-4): one step of a loan of a customer's paper file — requested,
 * approved, rejected, lent, returned, cancelled, or found overdue — with the loan after the step
 * and who took it, when and why. The audit trail of the borrowing cycle (借阅).
 */
export const customerArchiveLoan = z.object({
  loanId: uuid,
  customerId: uuid,
  status: archiveLoanStatus,
  /** Who asked for the file and takes it out. */
  borrowerId: z.string(),
  purpose: z.string(),
  /** The business-local day the file is due back, `YYYY-MM-DD`. */
  dueOn: isoDate,
  /** When it is overdue: the close of business of `dueOn`. */
  dueAt: isoInstant,
  lentAt: isoInstant.nullable(),
  returnedAt: isoInstant.nullable(),
  /** The file's state when it came back; null before. */
  returnCondition: z.enum(['INTACT', 'DAMAGED', 'INCOMPLETE']).nullable(),
  /** Who took this step; null when the scheduler found the loan overdue. */
  by: z.string().nullable(),
  at: isoInstant,
  /** The purpose, decision reason, cancellation reason or return notes given with the step. */
  note: z.string().nullable(),
});

export type CustomerArchiveLoan = z.infer<typeof customerArchiveLoan>;

/** The customer file as every customer event carries it (R-CU-1). */
export const customerCreated = z.object({
  customerId: uuid,
  /** `CUS-000123`, the customer's code. */
  code: z.string(),
  kind: z.enum(['PERSON', 'ORGANISATION', 'DEALER', 'AGENT']),
  name: z.string(),
  /** A and B are key accounts. */
  grade: z.enum(['A', 'B', 'C', 'D']),
  status: z.enum(['ACTIVE', 'INACTIVE']),
  region,
  responsibleStaffId: z.string().nullable(),
  /** Grows with every change: a consumer never lets an older version overwrite a newer one. */
  version: z.number().int().positive(),
});

/** `customer.updated`: the file after the change, what changed and who changed it. */
export const customerUpdated = customerCreated.extend({
  changedFields: z.array(
    z.enum(['name', 'grade', 'status', 'tags', 'contacts', 'addresses', 'responsibleStaffId']),
  ),
  changedBy: z.string(),
});

/** `customer.asset_registered` (R-CU-2); dates are `YYYY-MM-DD` in the business time zone. */
export const customerAssetRegistered = z.object({
  assetId: uuid,
  customerId: uuid,
  kind: z.enum(['VEHICLE', 'EQUIPMENT', 'APPLIANCE', 'OTHER']),
  model: z.string(),
  serialNumber: z.string().nullable(),
  vin: z.string().nullable(),
  plateNumber: z.string().nullable(),
  purchaseDate: isoDate.nullable(),
  sellingDealer: z.string().nullable(),
  mileageKm: z.number().nullable(),
  runningHours: z.number().nullable(),
  warrantyStart: isoDate.nullable(),
  warrantyEnd: isoDate.nullable(),
  contract: z
    .object({
      number: z.string(),
      kind: z.string().nullable(),
      startDate: isoDate,
      endDate: isoDate,
    })
    .nullable(),
  maintenanceCycleDays: z.number().int().nullable(),
  nextMaintenanceDue: isoDate.nullable(),
});

/** What an asset-file change (R-CU-7) was; `customer.asset_updated` carries one. */
export const assetChangeKind = z.enum([
  'READING',
  'MAINTENANCE',
  'CONTRACT',
  'OWNERSHIP',
  'UNIT_SWAP',
  'WARRANTY',
]);

/**
 * `customer.asset_updated` (R-CU-7): the asset file after one change — a mileage or running-hours
 * reading, a maintenance done, a contract renewed or extended, a new owner, a unit swapped, the
 * warranty started — with what changed, who, when and why.
 */
export const customerAssetUpdated = customerAssetRegistered.extend({
  change: assetChangeKind,
  /** The owner before an ownership transfer; null for every other change. */
  previousCustomerId: uuid.nullable(),
  lastMaintenance: isoDate.nullable(),
  /** The unit or module a `UNIT_SWAP` exchanged, both serial numbers; null for other changes. */
  unitSwap: z
    .object({
      module: z.string(),
      oldSerialNumber: z.string(),
      newSerialNumber: z.string(),
      swappedOn: isoDate,
    })
    .nullable(),
  /** The work order whose completion made the change; null for a change made at the desk. */
  workOrderId: uuid.nullable(),
  reason: z.string().nullable(),
  changedBy: z.string(),
  changedAt: isoInstant,
  /** Grows with every change: a consumer never lets an older version overwrite a newer one. */
  version: z.number().int().positive(),
});

/** `customer.contact_logged`: one entry of the customer's contact log (R-CU-5). */
export const customerContactLogged = z.object({
  entryId: uuid,
  customerId: uuid,
  channel: z.enum(['PHONE', 'LETTER', 'VISIT', 'WEB', 'SMS', 'EMAIL']),
  direction: z.enum(['INBOUND', 'OUTBOUND']),
  purpose: z.enum([
    'FOLLOW_UP',
    'CONSULTATION',
    'COMPLAINT',
    'NOTICE',
    'INVITATION',
    'REPLY',
    'REPAIR_REQUEST',
  ]),
  staffId: z.string().nullable(),
  occurredAt: isoInstant,
  /** What the entry answers to (a work order or complaint number, an event id), if anything. */
  reference: z.string().nullable(),
});

export type CustomerCreated = z.infer<typeof customerCreated>;
export type CustomerUpdated = z.infer<typeof customerUpdated>;
export type CustomerAssetRegistered = z.infer<typeof customerAssetRegistered>;
export type CustomerContactLogged = z.infer<typeof customerContactLogged>;
export type CustomerAssetUpdated = z.infer<typeof customerAssetUpdated>;

/** The events of the customer service, stream `<PREFIX>_CUSTOMER`. */
export const customerEvents = {
  created: defineEvent({
    type: 'customer.created',
    version: 1,
    data: customerCreated,
    subject: 'the customer',
    summary: 'A customer file is created (R-CU-1).',
  }),
  updated: defineEvent({
    type: 'customer.updated',
    version: 1,
    data: customerUpdated,
    subject: 'the customer',
    summary: 'Details of a customer file change (R-CU-1).',
  }),
  assetRegistered: defineEvent({
    type: 'customer.asset_registered',
    version: 1,
    data: customerAssetRegistered,
    subject: 'the asset',
    summary: 'An asset file is registered (R-CU-2).',
  }),
  assetUpdated: defineEvent({
    type: 'customer.asset_updated',
    version: 1,
    data: customerAssetUpdated,
    subject: 'the asset',
    summary:
      'An asset file changes (R-CU-7): a reading, a maintenance done, a contract renewed, a new owner, a unit swapped or the warranty started; one event per change.',
  }),
  contactLogged: defineEvent({
    type: 'customer.contact_logged',
    version: 1,
    data: customerContactLogged,
    subject: 'the contact-log entry',
    summary: 'A call, letter, visit or message is logged (R-CU-5).',
  }),
  archiveHandoverLate: defineEvent({
    type: 'customer.archive_handover_late',
    version: 1,
    data: customerArchiveHandoverLate,
    subject: 'the archive handover',
    summary:
      'An archive handover (R-CU-3) is received late or incomplete, or its deadline passes with nothing handed over; once per handover.',
  }),
  fileLate: defineEvent({
    type: 'customer.file_late',
    version: 1,
    data: customerFileLate,
    subject: 'the customer',
    summary:
      "A new customer's file is still incomplete 2 days after their first visit or repair (R-CU-6); once per customer.",
  }),
  archiveLoanRequested: defineEvent({
    type: 'customer.archive_loan_requested',
    version: 1,
    data: customerArchiveLoan,
    subject: 'the archive loan',
    summary: "A staff member asks to borrow a customer's paper file (R-CU-4).",
  }),
  archiveLoanApproved: defineEvent({
    type: 'customer.archive_loan_approved',
    version: 1,
    data: customerArchiveLoan,
    subject: 'the archive loan',
    summary: 'The archive keeper or a manager approves a loan request (R-CU-4).',
  }),
  archiveLoanRejected: defineEvent({
    type: 'customer.archive_loan_rejected',
    version: 1,
    data: customerArchiveLoan,
    subject: 'the archive loan',
    summary: 'The archive keeper or a manager rejects a loan request, with the reason (R-CU-4).',
  }),
  archiveLoanLent: defineEvent({
    type: 'customer.archive_loan_lent',
    version: 1,
    data: customerArchiveLoan,
    subject: 'the archive loan',
    summary: 'The paper file is handed out at the archive desk (R-CU-4).',
  }),
  archiveLoanReturned: defineEvent({
    type: 'customer.archive_loan_returned',
    version: 1,
    data: customerArchiveLoan,
    subject: 'the archive loan',
    summary: 'The paper file comes back to the archive desk, with its condition (R-CU-4).',
  }),
  archiveLoanCancelled: defineEvent({
    type: 'customer.archive_loan_cancelled',
    version: 1,
    data: customerArchiveLoan,
    subject: 'the archive loan',
    summary: 'A loan request is withdrawn before the file is handed out (R-CU-4).',
  }),
  archiveLoanOverdue: defineEvent({
    type: 'customer.archive_loan_overdue',
    version: 1,
    data: customerArchiveLoan,
    subject: 'the archive loan',
    summary: 'A lent paper file is not back by the close of its due day (R-CU-4); once per loan.',
  }),
};
