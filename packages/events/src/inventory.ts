import { z } from 'zod';
import { isoInstant, uuid } from './common';

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
