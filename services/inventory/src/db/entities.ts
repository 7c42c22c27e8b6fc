import { BigIntType, EntitySchema } from '@mikro-orm/core';
import type {
  ClaimOrderStatus,
  DocumentType,
  ToolCountLine,
  PartUnit,
  RequisitionLine,
  RequisitionStatus,
  WarehouseKind,
  ToolCondition,
} from '../domain';

export class PartRecord {
  code!: string;
  name!: string;
  spec: string | null = null;
  unit!: PartUnit;
  priceFen!: number;
  critical = false;
  reorderPoint = 0;
  createdAt!: Date;
  updatedAt!: Date;
}

export const PartSchema = new EntitySchema<PartRecord>({
  class: PartRecord,
  tableName: 'part',
  properties: {
    code: { type: 'string', primary: true },
    name: { type: 'string' },
    spec: { type: 'string', nullable: true },
    unit: { type: 'string' },
    priceFen: { type: new BigIntType('number'), columnType: 'bigint' },
    critical: { type: 'boolean' },
    reorderPoint: { type: 'integer' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

export class WarehouseRecord {
  code!: string;
  name!: string;
  kind!: WarehouseKind;
  province!: string;
  city!: string;
  district: string | null = null;
  createdAt!: Date;
}

export const WarehouseSchema = new EntitySchema<WarehouseRecord>({
  class: WarehouseRecord,
  tableName: 'warehouse',
  properties: {
    code: { type: 'string', primary: true },
    name: { type: 'string' },
    kind: { type: 'string' },
    province: { type: 'string' },
    city: { type: 'string' },
    district: { type: 'string', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

/** On-hand per (warehouse, part): derived from the ledger, kept for locking and fast reads. */
export class StockLevelRecord {
  warehouseCode!: string;
  partCode!: string;
  onHand!: number;
}

export const StockLevelSchema = new EntitySchema<StockLevelRecord>({
  class: StockLevelRecord,
  tableName: 'stock_level',
  properties: {
    warehouseCode: { type: 'string', primary: true },
    partCode: { type: 'string', primary: true },
    onHand: { type: 'integer' },
  },
});

export class StockDocumentRecord {
  id!: string;
  type!: DocumentType;
  warehouseCode!: string;
  toWarehouseCode: string | null = null;
  lines!: { partCode: string; quantity: number }[];
  postedBy!: string;
  postedAt!: Date;
  reference: string | null = null;
  reason: string | null = null;
}

export const StockDocumentSchema = new EntitySchema<StockDocumentRecord>({
  class: StockDocumentRecord,
  tableName: 'stock_document',
  properties: {
    id: { type: 'uuid', primary: true },
    type: { type: 'string' },
    warehouseCode: { type: 'string' },
    toWarehouseCode: { type: 'string', nullable: true },
    lines: { type: 'json' },
    postedBy: { type: 'string' },
    postedAt: { type: 'Date', columnType: 'timestamptz' },
    reference: { type: 'string', nullable: true },
    reason: { type: 'string', nullable: true },
  },
});

/** R-IN-3: a technician's request for parts for a work order; lines carry approved/issued/used/returned. */
export class RequisitionRecord {
  id!: string;
  workOrderId!: string;
  warehouseCode!: string;
  requestedBy!: string;
  requestedAt!: Date;
  note: string | null = null;
  status!: RequisitionStatus;
  lines!: RequisitionLine[];
  decidedBy: string | null = null;
  decidedAt: Date | null = null;
  statusReason: string | null = null;
  version = 1;
}

export const RequisitionSchema = new EntitySchema<RequisitionRecord>({
  class: RequisitionRecord,
  tableName: 'requisition',
  properties: {
    id: { type: 'uuid', primary: true },
    workOrderId: { type: 'uuid' },
    warehouseCode: { type: 'string' },
    requestedBy: { type: 'string' },
    requestedAt: { type: 'Date', columnType: 'timestamptz' },
    note: { type: 'string', nullable: true },
    status: { type: 'string' },
    lines: { type: 'json' },
    decidedBy: { type: 'string', nullable: true },
    decidedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    statusReason: { type: 'string', nullable: true },
    version: { type: 'integer', version: true },
  },
});

/** The facts of a completed work order that old parts are matched against (from `workorder.completed`). */
export class CompletedWorkOrderRecord {
  workOrderId!: string;
  serviceType!: string;
  partsReplaced!: { code: string | null; name: string; quantity: number; reason: string }[];
  oldPartsCollected!: boolean;
  oldParts!: { name: string; quantity: number }[];
  completedAt: Date | null = null;
}

export const CompletedWorkOrderSchema = new EntitySchema<CompletedWorkOrderRecord>({
  class: CompletedWorkOrderRecord,
  tableName: 'completed_work_order',
  properties: {
    workOrderId: { type: 'uuid', primary: true },
    serviceType: { type: 'string' },
    partsReplaced: { type: 'json' },
    oldPartsCollected: { type: 'boolean' },
    oldParts: { type: 'json' },
    completedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

export class OldPartReceiptRecord {
  id!: string;
  workOrderId!: string;
  partCode: string | null = null;
  name!: string;
  quantity!: number;
  receivedBy!: string;
  receivedAt!: Date;
}

export const OldPartReceiptSchema = new EntitySchema<OldPartReceiptRecord>({
  class: OldPartReceiptRecord,
  tableName: 'old_part_receipt',
  properties: {
    id: { type: 'uuid', primary: true },
    workOrderId: { type: 'uuid' },
    partCode: { type: 'string', nullable: true },
    name: { type: 'string' },
    quantity: { type: 'integer' },
    receivedBy: { type: 'string' },
    receivedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

export class ToolRecord {
  code!: string;
  name!: string;
  special!: boolean;
  condition!: ToolCondition;
  originalPriceFen!: number;
  count!: number;
}

export const ToolSchema = new EntitySchema<ToolRecord>({
  class: ToolRecord,
  tableName: 'tool',
  properties: {
    code: { type: 'string', primary: true },
    name: { type: 'string' },
    special: { type: 'boolean' },
    condition: { type: 'string' },
    originalPriceFen: { type: new BigIntType('number'), columnType: 'bigint' },
    count: { type: 'integer' },
  },
});

/** R-IN-6: every loan registered, with borrower, signature, keeper and condition both ways. */
export class ToolLoanRecord {
  id!: string;
  toolCode!: string;
  special!: boolean;
  count!: number;
  borrowerId!: string;
  signatureRef!: string;
  keeperId!: string;
  lentAt!: Date;
  conditionAtLend!: ToolCondition;
  returnedAt: Date | null = null;
  returnedCount: number | null = null;
  conditionAtReturn: ToolCondition | null = null;
  returnKeeperId: string | null = null;
  overdueNotifiedAt: Date | null = null;
}

export const ToolLoanSchema = new EntitySchema<ToolLoanRecord>({
  class: ToolLoanRecord,
  tableName: 'tool_loan',
  properties: {
    id: { type: 'uuid', primary: true },
    toolCode: { type: 'string' },
    special: { type: 'boolean' },
    count: { type: 'integer' },
    borrowerId: { type: 'string' },
    signatureRef: { type: 'string' },
    keeperId: { type: 'string' },
    lentAt: { type: 'Date', columnType: 'timestamptz' },
    conditionAtLend: { type: 'string' },
    returnedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    returnedCount: { type: 'integer', nullable: true },
    conditionAtReturn: { type: 'string', nullable: true },
    returnKeeperId: { type: 'string', nullable: true },
    overdueNotifiedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

const fen = () => ({ type: new BigIntType('number'), columnType: 'bigint' });

/** R-IN-4 a claim order (索赔订货) and where its deposit stands. */
export class ClaimOrderRecord {
  id!: string;
  workOrderId: string | null = null;
  customerId!: string;
  lines!: { partCode: string; quantity: number; unitPriceFen: number }[];
  valueFen!: number;
  depositFen!: number;
  depositPaidFen = 0;
  depositRefundedFen = 0;
  depositForfeitedFen = 0;
  note: string | null = null;
  status!: ClaimOrderStatus;
  createdBy!: string;
  createdAt!: Date;
  orderedBy: string | null = null;
  orderedAt: Date | null = null;
  closedBy: string | null = null;
  closedAt: Date | null = null;
  closeReason: string | null = null;
  version = 1;
}

export const ClaimOrderSchema = new EntitySchema<ClaimOrderRecord>({
  class: ClaimOrderRecord,
  tableName: 'claim_order',
  properties: {
    id: { type: 'uuid', primary: true },
    workOrderId: { type: 'uuid', nullable: true },
    customerId: { type: 'string' },
    lines: { type: 'json' },
    valueFen: fen(),
    depositFen: fen(),
    depositPaidFen: fen(),
    depositRefundedFen: fen(),
    depositForfeitedFen: fen(),
    note: { type: 'string', nullable: true },
    status: { type: 'string' },
    createdBy: { type: 'string' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    orderedBy: { type: 'string', nullable: true },
    orderedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    closedBy: { type: 'string', nullable: true },
    closedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    closeReason: { type: 'string', nullable: true },
    version: { type: 'integer', version: true },
  },
});

export class ClaimDepositPaymentRecord {
  id!: string;
  claimOrderId!: string;
  amountFen!: number;
  receivedBy!: string;
  receivedAt!: Date;
}

export const ClaimDepositPaymentSchema = new EntitySchema<ClaimDepositPaymentRecord>({
  class: ClaimDepositPaymentRecord,
  tableName: 'claim_deposit_payment',
  properties: {
    id: { type: 'uuid', primary: true },
    claimOrderId: { type: 'uuid' },
    amountFen: fen(),
    receivedBy: { type: 'string' },
    receivedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

/** R-IN-5 a wrong part that went out on an ISSUE document, put right. */
export class WrongPartCorrectionRecord {
  id!: string;
  issueId!: string;
  warehouseCode!: string;
  /** When the issue was posted (copied so accuracy per period needs no join). */
  issuedAt!: Date;
  wrongPartCode!: string;
  rightPartCode!: string;
  quantity!: number;
  correctedBy!: string;
  correctedAt!: Date;
  note: string | null = null;
}

export const WrongPartCorrectionSchema = new EntitySchema<WrongPartCorrectionRecord>({
  class: WrongPartCorrectionRecord,
  tableName: 'wrong_part_correction',
  properties: {
    id: { type: 'uuid', primary: true },
    issueId: { type: 'uuid' },
    warehouseCode: { type: 'string' },
    issuedAt: { type: 'Date', columnType: 'timestamptz' },
    wrongPartCode: { type: 'string' },
    rightPartCode: { type: 'string' },
    quantity: { type: 'integer' },
    correctedBy: { type: 'string' },
    correctedAt: { type: 'Date', columnType: 'timestamptz' },
    note: { type: 'string', nullable: true },
  },
});

/** R-IN-6 the monthly count of every tool (one per business month). */
export class ToolCountRecord {
  id!: string;
  month!: string;
  countedBy!: string;
  countedAt!: Date;
  lines!: ToolCountLine[];
  discrepancies!: number;
}

export const ToolCountSchema = new EntitySchema<ToolCountRecord>({
  class: ToolCountRecord,
  tableName: 'tool_count',
  properties: {
    id: { type: 'uuid', primary: true },
    month: { type: 'string' },
    countedBy: { type: 'string' },
    countedAt: { type: 'Date', columnType: 'timestamptz' },
    lines: { type: 'json' },
    discrepancies: { type: 'integer' },
  },
});

export const inventoryEntities = [
  PartSchema,
  WarehouseSchema,
  StockLevelSchema,
  StockDocumentSchema,
  RequisitionSchema,
  CompletedWorkOrderSchema,
  OldPartReceiptSchema,
  ToolSchema,
  ToolLoanSchema,
  ClaimOrderSchema,
  ClaimDepositPaymentSchema,
  WrongPartCorrectionSchema,
  ToolCountSchema,
];
