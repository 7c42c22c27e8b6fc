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
