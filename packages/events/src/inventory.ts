import { z } from 'zod';
import { isoInstant, uuid } from './common';
import { defineEvent } from './define';

/**
 * `inventory.tool_lost`: lost or damaged pieces of a loan charged to the borrower at original
 * price (R-IN-6); the complaint service turns it into a proposed penalty (R-PN-1).
 */
export const inventoryToolLost = z.object({
  loanId: uuid,
  toolCode: z.string(),
  toolName: z.string(),
  borrowerId: z.string(),
  lostCount: z.number().int().nonnegative(),
  damagedCount: z.number().int().nonnegative(),
  originalPriceFen: z.number().int().nonnegative(),
  damagedSharePercent: z.number().int().min(0).max(100),
  amountFen: z.number().int().nonnegative(),
  at: isoInstant,
});

/** `inventory.tool_overdue`: a special tool still out after the end of its working day (R-IN-6). */
export const inventoryToolOverdue = z.object({
  loanId: uuid,
  toolCode: z.string(),
  borrowerId: z.string(),
  count: z.number().int().positive(),
  lentAt: isoInstant,
  dueAt: isoInstant,
});

export type InventoryToolLost = z.infer<typeof inventoryToolLost>;
export type InventoryToolOverdue = z.infer<typeof inventoryToolOverdue>;

/**
 * `inventory.claim_order_closed`: a claim order (索赔订货, R-IN-4) ended — SETTLED (part fitted,
 * deposit refunded), FORFEITED (customer never came, deposit kept) or CANCELLED before ordering
 * (deposit paid refunded). Finance pays `refundFen` back to the customer.
 */
export const inventoryClaimOrderClosed = z.object({
  claimOrderId: uuid,
  customerId: z.string(),
  workOrderId: uuid.nullable(),
  status: z.enum(['SETTLED', 'FORFEITED', 'CANCELLED']),
  depositPaidFen: z.number().int().nonnegative(),
  refundFen: z.number().int().nonnegative(),
  forfeitedFen: z.number().int().nonnegative(),
  closedBy: z.string(),
  at: isoInstant,
});

/** `inventory.wrong_part_corrected`: a wrong part went out on an issue and was put right (R-IN-5). */
export const inventoryWrongPartCorrected = z.object({
  correctionId: uuid,
  issueId: uuid,
  warehouseCode: z.string(),
  wrongPartCode: z.string(),
  rightPartCode: z.string(),
  quantity: z.number().int().positive(),
  correctedBy: z.string(),
  at: isoInstant,
});

export type InventoryClaimOrderClosed = z.infer<typeof inventoryClaimOrderClosed>;
export type InventoryWrongPartCorrected = z.infer<typeof inventoryWrongPartCorrected>;

const partLines = z.array(z.object({ partCode: z.string(), quantity: z.number().int() }));

/**
 * `inventory.requisition_requested` / `_approved` / `_rejected`: the requisition steps of R-IN-3
 * (a technician asks for parts for a work order, a supervisor decides). `lines` carry the quantity
 * requested, or approved once decided.
 */
export const inventoryRequisitionStep = z.object({
  requisitionId: uuid,
  workOrderId: uuid,
  warehouseCode: z.string(),
  status: z.enum(['REQUESTED', 'APPROVED', 'REJECTED']),
  actorId: z.string(),
  lines: partLines,
  reason: z.string().nullable(),
  at: isoInstant,
});

/**
 * `inventory.old_part_received`: an old part handed in against a work order (R-IN-4), with where
 * the warranty write-off stands afterwards (CLOSED once nothing is missing).
 */
export const inventoryOldPartReceived = z.object({
  workOrderId: uuid,
  partCode: z.string().nullable(),
  name: z.string(),
  quantity: z.number().int().positive(),
  receivedBy: z.string(),
  writeOffStatus: z.enum(['OPEN', 'CLOSED']),
  missing: z.array(z.object({ name: z.string(), missing: z.number().int() })),
  at: isoInstant,
});

export type InventoryRequisitionStep = z.infer<typeof inventoryRequisitionStep>;
export type InventoryOldPartReceived = z.infer<typeof inventoryOldPartReceived>;

/** `inventory.low_stock`: a posted document made on-hand cross down to the reorder point (R-IN-5). */
export const inventoryLowStock = z.object({
  warehouseCode: z.string(),
  partCode: z.string(),
  onHand: z.number().int(),
  reorderPoint: z.number().int(),
  critical: z.boolean(),
  documentId: uuid,
});

/** `inventory.parts_issued`: parts issued against an approved requisition (R-IN-3). */
export const inventoryPartsIssued = z.object({
  requisitionId: uuid,
  workOrderId: uuid,
  warehouseCode: z.string(),
  documentId: uuid,
  lines: partLines,
});

/** `inventory.parts_returned`: unused parts of a requisition back in stock (R-IN-3). */
export const inventoryPartsReturned = z.object({
  requisitionId: uuid,
  workOrderId: uuid,
  documentId: uuid,
  lines: partLines,
});

export type InventoryLowStock = z.infer<typeof inventoryLowStock>;
export type InventoryPartsIssued = z.infer<typeof inventoryPartsIssued>;
export type InventoryPartsReturned = z.infer<typeof inventoryPartsReturned>;

/** The events of the inventory service, stream `<PREFIX>_INVENTORY`. */
export const inventoryEvents = {
  lowStock: defineEvent({
    type: 'inventory.low_stock',
    version: 1,
    data: inventoryLowStock,
    subject: 'the stock document that made stock fall',
    summary:
      "A posted document makes on-hand fall to or below the part's reorder point (R-IN-5); once per crossing.",
  }),
  partsIssued: defineEvent({
    type: 'inventory.parts_issued',
    version: 1,
    data: inventoryPartsIssued,
    subject: 'the requisition',
    summary: 'Parts are issued against an approved requisition (R-IN-3).',
  }),
  partsReturned: defineEvent({
    type: 'inventory.parts_returned',
    version: 1,
    data: inventoryPartsReturned,
    subject: 'the requisition',
    summary: 'Unused parts are returned to stock (R-IN-3).',
  }),
  requisitionRequested: defineEvent({
    type: 'inventory.requisition_requested',
    version: 1,
    data: inventoryRequisitionStep,
    subject: 'the requisition',
    summary: 'A technician requests parts for a work order (R-IN-3).',
  }),
  requisitionApproved: defineEvent({
    type: 'inventory.requisition_approved',
    version: 1,
    data: inventoryRequisitionStep,
    subject: 'the requisition',
    summary:
      'A supervisor approves a requisition, possibly cutting quantities (R-IN-3); `lines` carry the approved quantities.',
  }),
  requisitionRejected: defineEvent({
    type: 'inventory.requisition_rejected',
    version: 1,
    data: inventoryRequisitionStep,
    subject: 'the requisition',
    summary: 'A supervisor rejects a requisition (R-IN-3).',
  }),
  oldPartReceived: defineEvent({
    type: 'inventory.old_part_received',
    version: 1,
    data: inventoryOldPartReceived,
    subject: 'the work order',
    summary: 'An old part is handed in against a warranty work order (R-IN-4); once per receipt.',
  }),
  toolOverdue: defineEvent({
    type: 'inventory.tool_overdue',
    version: 1,
    data: inventoryToolOverdue,
    subject: 'the tool loan',
    summary:
      'A special tool is still out after the end of the working day it was lent on (R-IN-6); once per loan.',
  }),
  toolLost: defineEvent({
    type: 'inventory.tool_lost',
    version: 1,
    data: inventoryToolLost,
    subject: 'the tool loan',
    summary:
      'A loan comes back with lost or damaged pieces, charged to the borrower at original price (R-IN-6).',
  }),
  claimOrderClosed: defineEvent({
    type: 'inventory.claim_order_closed',
    version: 1,
    data: inventoryClaimOrderClosed,
    subject: 'the claim order',
    summary:
      'A claim order ends (R-IN-4): SETTLED, FORFEITED (deposit kept) or CANCELLED before ordering.',
  }),
  wrongPartCorrected: defineEvent({
    type: 'inventory.wrong_part_corrected',
    version: 1,
    data: inventoryWrongPartCorrected,
    subject: 'the issue document',
    summary: 'A wrong part that went out on an issue is recorded and put right (R-IN-5).',
  }),
};
