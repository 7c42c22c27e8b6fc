import { EntitySchema } from '@mikro-orm/core';
import type { ArchiveDocumentKind, HandoverSource } from '../domain/archive';
import type { LoanStatus, LoanStep, ReturnCondition } from '../domain/archive-loan';
import type { AssetKind } from '../domain/asset';
import type { AssetChangeKind, UnitSwap } from '../domain/asset-lifecycle';
import type { ContactChannel, ContactDirection, ContactPurpose } from '../domain/contact-log';
import type { Address, Contact, CustomerGrade, CustomerKind, FileStatus } from '../domain/customer';
import type { ChangedField } from '../domain/customer-update';
import type { DestroyedRecords, DestructionStatus } from '../domain/retention';

/** Persistence shape of a customer; contacts and addresses belong to it and are stored with it. */
export class CustomerRecord {
  id!: string;
  code!: string;
  kind!: CustomerKind;
  name!: string;
  grade!: CustomerGrade;
  status!: FileStatus;
  tags: string[] = [];
  contacts: Contact[] = [];
  addresses: Address[] = [];
  /** Digits of every contact number, for search by phone (GIN-indexed). */
  phones: string[] = [];
  province: string | null = null;
  city: string | null = null;
  district: string | null = null;
  responsibleStaffId: string | null = null;
  createdAt!: Date;
  updatedAt!: Date;
  /**
   * R-CU-4 the retention clock: set with the customer's own changes here, moved forward by a
   * database trigger for every record added to the file (migration 0007, ADR 0033).
   */
  lastActivityAt!: Date;
  version = 1;
}

export const CustomerSchema = new EntitySchema<CustomerRecord>({
  class: CustomerRecord,
  tableName: 'customer',
  properties: {
    id: { type: 'uuid', primary: true },
    code: { type: 'string', unique: true },
    kind: { type: 'string' },
    name: { type: 'string' },
    grade: { type: 'string' },
    status: { type: 'string' },
    tags: { type: 'string[]' },
    contacts: { type: 'json' },
    addresses: { type: 'json' },
    phones: { type: 'string[]' },
    province: { type: 'string', nullable: true },
    city: { type: 'string', nullable: true },
    district: { type: 'string', nullable: true },
    responsibleStaffId: { type: 'string', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
    lastActivityAt: { type: 'Date', columnType: 'timestamptz' },
    version: { type: 'integer', version: true },
  },
});

export class CustomerChangeRecord {
  id!: string;
  customerId!: string;
  field!: ChangedField;
  oldValue: unknown;
  newValue: unknown;
  reason: string | null = null;
  changedBy!: string;
  changedAt!: Date;
}

export const CustomerChangeSchema = new EntitySchema<CustomerChangeRecord>({
  class: CustomerChangeRecord,
  tableName: 'customer_change',
  properties: {
    id: { type: 'uuid', primary: true },
    customerId: { type: 'uuid' },
    field: { type: 'string' },
    oldValue: { type: 'json', nullable: true },
    newValue: { type: 'json', nullable: true },
    reason: { type: 'string', nullable: true },
    changedBy: { type: 'string' },
    changedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

export class AssetRecord {
  id!: string;
  customerId!: string;
  kind!: AssetKind;
  model!: string;
  serialNumber: string | null = null;
  vin: string | null = null;
  plateNumber: string | null = null;
  purchaseDate: string | null = null;
  sellingDealer: string | null = null;
  mileageKm: number | null = null;
  runningHours: number | null = null;
  warrantyStart: string | null = null;
  warrantyEnd: string | null = null;
  contractNumber: string | null = null;
  contractKind: string | null = null;
  contractStart: string | null = null;
  contractEnd: string | null = null;
  maintenanceCycleDays: number | null = null;
  nextMaintenanceDue: string | null = null;
  lastMaintenance: string | null = null;
  /** R-CU-7: units and modules exchanged, both serial numbers of each. */
  unitSwaps: UnitSwap[] = [];
  createdAt!: Date;
  /** Grows with every change (R-CU-7), so consumers of `customer.asset_updated` keep the newest. */
  version = 1;
  /**
   * R-CU-4 the owner's file status, read in the asset's own statement when asked for (`fields` or
   * `populate`): work on an asset of a destroyed file is refused at no extra cost.
   */
  ownerStatus?: FileStatus;
}

const date = { type: 'string', columnType: 'date', nullable: true } as const;

export const AssetSchema = new EntitySchema<AssetRecord>({
  class: AssetRecord,
  tableName: 'asset',
  properties: {
    id: { type: 'uuid', primary: true },
    customerId: { type: 'uuid' },
    kind: { type: 'string' },
    model: { type: 'string' },
    serialNumber: { type: 'string', nullable: true },
    vin: { type: 'string', nullable: true },
    plateNumber: { type: 'string', nullable: true },
    purchaseDate: date,
    sellingDealer: { type: 'string', nullable: true },
    mileageKm: { type: 'integer', nullable: true },
    runningHours: { type: 'integer', nullable: true },
    warrantyStart: date,
    warrantyEnd: date,
    contractNumber: { type: 'string', nullable: true },
    contractKind: { type: 'string', nullable: true },
    contractStart: date,
    contractEnd: date,
    maintenanceCycleDays: { type: 'integer', nullable: true },
    nextMaintenanceDue: date,
    lastMaintenance: date,
    unitSwaps: { type: 'json' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    version: { type: 'integer' },
    ownerStatus: {
      type: 'string',
      lazy: true,
      formula: (a) => `(SELECT c.status FROM customer c WHERE c.id = ${a}.customer_id)`,
    },
  },
});

/** R-CU-7 one change of an asset file: what, before and after, who, when and why. */
export class AssetChangeRecord {
  id!: string;
  assetId!: string;
  kind!: AssetChangeKind;
  oldValue: unknown;
  newValue: unknown;
  reason: string | null = null;
  workOrderId: string | null = null;
  changedBy!: string;
  changedAt!: Date;
}

export const AssetChangeSchema = new EntitySchema<AssetChangeRecord>({
  class: AssetChangeRecord,
  tableName: 'asset_change',
  properties: {
    id: { type: 'uuid', primary: true },
    assetId: { type: 'uuid' },
    kind: { type: 'string' },
    oldValue: { type: 'json', nullable: true },
    newValue: { type: 'json', nullable: true },
    reason: { type: 'string', nullable: true },
    workOrderId: { type: 'uuid', nullable: true },
    changedBy: { type: 'string' },
    changedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

export class ContactLogRecord {
  id!: string;
  customerId!: string;
  channel!: ContactChannel;
  direction!: ContactDirection;
  purpose!: ContactPurpose;
  summary!: string;
  customerRequest: string | null = null;
  staffId!: string;
  occurredAt!: Date;
  reference: string | null = null;
  createdAt!: Date;
}

export const ContactLogSchema = new EntitySchema<ContactLogRecord>({
  class: ContactLogRecord,
  tableName: 'contact_log',
  properties: {
    id: { type: 'uuid', primary: true },
    customerId: { type: 'uuid' },
    channel: { type: 'string' },
    direction: { type: 'string' },
    purpose: { type: 'string' },
    summary: { type: 'text' },
    customerRequest: { type: 'text', nullable: true },
    staffId: { type: 'string' },
    occurredAt: { type: 'Date', columnType: 'timestamptz' },
    reference: { type: 'string', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

/** R-CU-3 an expected archive handover (sale or vehicle return) and its receipt by the archive clerk. */
export class ArchiveHandoverRecord {
  id!: string;
  customerId!: string;
  assetId: string | null = null;
  workOrderId: string | null = null;
  source!: HandoverSource;
  /** What made it due (`SALE:<asset>`, `WORKORDER:<id>`): one handover per fact, however often told. */
  triggerKey!: string;
  eventAt!: Date;
  dueAt!: Date;
  responsibleStaffId: string | null = null;
  receivedAt: Date | null = null;
  receivedBy: string | null = null;
  handedOverBy: string | null = null;
  late: boolean | null = null;
  missingKinds: string[] = [];
  unsignedKinds: string[] = [];
  /** Set with the `customer.archive_handover_late` event in one transaction: at most one per handover. */
  violationNotifiedAt: Date | null = null;
  createdAt!: Date;
}

export const ArchiveHandoverSchema = new EntitySchema<ArchiveHandoverRecord>({
  class: ArchiveHandoverRecord,
  tableName: 'archive_handover',
  properties: {
    id: { type: 'uuid', primary: true },
    customerId: { type: 'uuid' },
    assetId: { type: 'uuid', nullable: true },
    workOrderId: { type: 'uuid', nullable: true },
    source: { type: 'string' },
    triggerKey: { type: 'string', unique: true },
    eventAt: { type: 'Date', columnType: 'timestamptz' },
    dueAt: { type: 'Date', columnType: 'timestamptz' },
    responsibleStaffId: { type: 'string', nullable: true },
    receivedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    receivedBy: { type: 'string', nullable: true },
    handedOverBy: { type: 'string', nullable: true },
    late: { type: 'boolean', nullable: true },
    missingKinds: { type: 'string[]' },
    unsignedKinds: { type: 'string[]' },
    violationNotifiedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

/** R-CU-3 one archive document handed over, with who handed it over, who received it and when. */
export class ArchiveDocumentRecord {
  id!: string;
  handoverId!: string;
  customerId!: string;
  assetId: string | null = null;
  kind!: ArchiveDocumentKind;
  reference: string | null = null;
  customerSigned!: boolean;
  handedOverBy!: string;
  receivedBy!: string;
  receivedAt!: Date;
}

export const ArchiveDocumentSchema = new EntitySchema<ArchiveDocumentRecord>({
  class: ArchiveDocumentRecord,
  tableName: 'archive_document',
  properties: {
    id: { type: 'uuid', primary: true },
    handoverId: { type: 'uuid' },
    customerId: { type: 'uuid' },
    assetId: { type: 'uuid', nullable: true },
    kind: { type: 'string' },
    reference: { type: 'string', nullable: true },
    customerSigned: { type: 'boolean' },
    handedOverBy: { type: 'string' },
    receivedBy: { type: 'string' },
    receivedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

/**
 * R-CU-6 a new customer's file, opened with the customer; their first visit or repair starts the
 * clock (`dueAt`). Closed when complete; a late file is reported once (`reportedAt`, set with the
 * `customer.file_late` event in one transaction).
 */
export class CustomerFileCheckRecord {
  id!: string;
  customerId!: string;
  workOrderId: string | null = null;
  firstVisitAt: Date | null = null;
  dueAt: Date | null = null;
  /** The agent who registered the first visit: answers for the file when the customer names nobody. */
  registeredBy: string | null = null;
  completedAt: Date | null = null;
  reportedAt: Date | null = null;
  /** What the file lacked when reported late. */
  missingItems: string[] = [];
  createdAt!: Date;
}

export const CustomerFileCheckSchema = new EntitySchema<CustomerFileCheckRecord>({
  class: CustomerFileCheckRecord,
  tableName: 'customer_file_check',
  properties: {
    id: { type: 'uuid', primary: true },
    customerId: { type: 'uuid', unique: true },
    workOrderId: { type: 'uuid', nullable: true },
    firstVisitAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    dueAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    registeredBy: { type: 'string', nullable: true },
    completedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    reportedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    missingItems: { type: 'string[]' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

/**
 * R-CU-4 one staff read of a customer or asset file (append-only: written in batches by the read
 * log, never updated or deleted; see migration 0005).
 */
export class ArchiveReadRecord {
  id!: string;
  readAt!: Date;
  /** The staff member's user id, or the calling service's for a service's own reads. */
  readerId!: string;
  readerRoles: string[] = [];
  /** gRPC: the service whose signed token made the call (for a person or on its own behalf). */
  callerService: string | null = null;
  channel!: 'graphql' | 'grpc';
  /** The field or method read through, e.g. `Query.customer`, `Customer.contactLog`, `GetAsset`. */
  operation!: string;
  purpose!: string;
  customerId: string | null = null;
  assetId: string | null = null;
}

export const ArchiveReadSchema = new EntitySchema<ArchiveReadRecord>({
  class: ArchiveReadRecord,
  tableName: 'archive_read_log',
  properties: {
    id: { type: 'uuid', primary: true },
    readAt: { type: 'Date', columnType: 'timestamptz' },
    readerId: { type: 'string' },
    readerRoles: { type: 'string[]' },
    callerService: { type: 'string', nullable: true },
    channel: { type: 'string' },
    operation: { type: 'string' },
    purpose: { type: 'string' },
    customerId: { type: 'uuid', nullable: true },
    assetId: { type: 'uuid', nullable: true },
  },
});

/** R-CU-4 one loan of a customer's paper file, from the request to the return. */
export class ArchiveLoanRecord {
  id!: string;
  customerId!: string;
  status!: LoanStatus;
  /** The borrower: who asked for the file and takes it out. */
  requestedBy!: string;
  purpose!: string;
  requestedAt!: Date;
  /** The business-local day the file is due back. */
  dueOn!: string;
  /** When it is overdue: the close of business of `dueOn`. */
  dueAt!: Date;
  decidedBy: string | null = null;
  decidedAt: Date | null = null;
  lentBy: string | null = null;
  lentAt: Date | null = null;
  returnedAt: Date | null = null;
  returnReceivedBy: string | null = null;
  returnCondition: ReturnCondition | null = null;
  returnNotes: string | null = null;
  /** Set with the `customer.archive_loan_overdue` event in one transaction: at most one per loan. */
  overdueReportedAt: Date | null = null;
  version = 1;
}

export const ArchiveLoanSchema = new EntitySchema<ArchiveLoanRecord>({
  class: ArchiveLoanRecord,
  tableName: 'archive_loan',
  properties: {
    id: { type: 'uuid', primary: true },
    customerId: { type: 'uuid' },
    status: { type: 'string' },
    requestedBy: { type: 'string' },
    purpose: { type: 'string' },
    requestedAt: { type: 'Date', columnType: 'timestamptz' },
    dueOn: { type: 'string', columnType: 'date' },
    dueAt: { type: 'Date', columnType: 'timestamptz' },
    decidedBy: { type: 'string', nullable: true },
    decidedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    lentBy: { type: 'string', nullable: true },
    lentAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    returnedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    returnReceivedBy: { type: 'string', nullable: true },
    returnCondition: { type: 'string', nullable: true },
    returnNotes: { type: 'string', nullable: true },
    overdueReportedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    version: { type: 'integer' },
  },
});

/** R-CU-4 one step of a loan — who, when, why — the borrowing cycle's audit trail. */
export class ArchiveLoanStepRecord {
  id!: string;
  loanId!: string;
  step!: LoanStep;
  /** Null for the scheduler's overdue finding. */
  by: string | null = null;
  at!: Date;
  note: string | null = null;
}

export const ArchiveLoanStepSchema = new EntitySchema<ArchiveLoanStepRecord>({
  class: ArchiveLoanStepRecord,
  tableName: 'archive_loan_step',
  properties: {
    id: { type: 'uuid', primary: true },
    loanId: { type: 'uuid' },
    step: { type: 'string' },
    by: { type: 'string', fieldName: 'by_user', nullable: true },
    at: { type: 'Date', columnType: 'timestamptz' },
    note: { type: 'string', nullable: true },
  },
});

/**
 * R-CU-4 a request to destroy a customer file past retention and its decision; once approved, the
 * destruction record: the fact (who, when, why, what kinds and how many records) without content.
 */
export class ArchiveDestructionRecord {
  id!: string;
  customerId!: string;
  customerCode!: string;
  status!: DestructionStatus;
  reason!: string;
  requestedBy!: string;
  requestedAt!: Date;
  /** The file's last activity when requested: newer activity refuses the approval. */
  lastActivityAt!: Date;
  retentionEndsOn!: string;
  decidedBy: string | null = null;
  decidedAt: Date | null = null;
  rejectionReason: string | null = null;
  destroyedRecords: DestroyedRecords[] = [];
}

export const ArchiveDestructionSchema = new EntitySchema<ArchiveDestructionRecord>({
  class: ArchiveDestructionRecord,
  tableName: 'archive_destruction',
  properties: {
    id: { type: 'uuid', primary: true },
    customerId: { type: 'uuid' },
    customerCode: { type: 'string' },
    status: { type: 'string' },
    reason: { type: 'text' },
    requestedBy: { type: 'string' },
    requestedAt: { type: 'Date', columnType: 'timestamptz' },
    lastActivityAt: { type: 'Date', columnType: 'timestamptz' },
    retentionEndsOn: { type: 'string', columnType: 'date' },
    decidedBy: { type: 'string', nullable: true },
    decidedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    rejectionReason: { type: 'text', nullable: true },
    destroyedRecords: { type: 'json' },
  },
});

export const customerEntities = [
  CustomerSchema,
  CustomerChangeSchema,
  AssetSchema,
  AssetChangeSchema,
  ContactLogSchema,
  ArchiveHandoverSchema,
  ArchiveDocumentSchema,
  CustomerFileCheckSchema,
  ArchiveReadSchema,
  ArchiveLoanSchema,
  ArchiveLoanStepSchema,
  ArchiveDestructionSchema,
];
