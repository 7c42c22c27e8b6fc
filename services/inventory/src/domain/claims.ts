import { conflict, forbidden, hasRole, type Identity } from '@aftercare/kit/domain';
import {
  assertDepositPaid,
  type ClaimOrder,
  parseClaimOrder,
  type ClaimOrderInput,
} from './old-parts';
import { requiredText } from './values';

/**
 * R-IN-4 claim order (索赔订货) lifecycle, after the seed rulebook: the service adviser asks the
 * customer for a deposit, the part is ordered once it is paid (with the workshop manager's
 * signature, the after-sales director's for large amounts), and the deposit is refunded once
 * the part is fitted. Its purpose is that a claimed part does not lie in stock because the
 * customer never comes back — so a customer who does not come forfeits it.
 *
 *   OPEN ──order──▶ ORDERED ──fitted──▶ SETTLED   (deposit refunded)
 *    │                 └──no-show──▶ FORFEITED (deposit kept)
 *    └──cancel──▶ CANCELLED (any deposit paid refunded)
 */
export const CLAIM_ORDER_STATUSES = [
  'OPEN',
  'ORDERED',
  'SETTLED',
  'FORFEITED',
  'CANCELLED',
] as const;
export type ClaimOrderStatus = (typeof CLAIM_ORDER_STATUSES)[number];

/**
 * Above this value (fen) only a manager (the after-sales director) signs the order off; the seed
 * says "large amount" without a figure, so it is configurable (`CLAIM_LARGE_AMOUNT_FEN`).
 */
export const DEFAULT_LARGE_CLAIM_FEN = 500_000;

export interface ClaimOrderState extends ClaimOrder {
  status: ClaimOrderStatus;
  createdBy: string;
  createdAt: Date;
  orderedBy: string | null;
  orderedAt: Date | null;
  closedBy: string | null;
  closedAt: Date | null;
  /** Deposit handed back to the customer (fitted, or cancelled before ordering). */
  depositRefundedFen: number;
  /** Deposit kept because the customer never came for the part. */
  depositForfeitedFen: number;
  closeReason: string | null;
}

export interface ClaimActor extends Pick<Identity, 'roles'> {
  id: string;
}

/** A new claim order, OPEN until its deposit is paid and it is signed off. */
export function openClaimOrder(input: ClaimOrderInput, by: string, now: Date): ClaimOrderState {
  return {
    ...parseClaimOrder(input),
    status: 'OPEN',
    createdBy: by,
    createdAt: now,
    orderedBy: null,
    orderedAt: null,
    closedBy: null,
    closedAt: null,
    depositRefundedFen: 0,
    depositForfeitedFen: 0,
    closeReason: null,
  };
}

function assertStatus(order: ClaimOrderState, allowed: ClaimOrderStatus, action: string): void {
  if (order.status !== allowed) {
    throw conflict(
      `claim order ${order.id} is ${order.status}: cannot ${action}`,
      'ILLEGAL_TRANSITION',
    );
  }
}

/** Deposit payments are taken only while the order is OPEN (before it goes to the supplier). */
export function assertTakesPayment(order: ClaimOrderState): void {
  assertStatus(order, 'OPEN', 'take a deposit payment');
}

/**
 * The order goes to the supplier: only with the deposit paid in full (`DEPOSIT_NOT_PAID`), signed
 * by the workshop lead or a manager, and by a manager alone above `largeFen`.
 */
export function placeClaimOrder(
  order: ClaimOrderState,
  by: ClaimActor,
  now: Date,
  largeFen = DEFAULT_LARGE_CLAIM_FEN,
): ClaimOrderState {
  assertStatus(order, 'OPEN', 'place the order');
  const isManager = hasRole(by, 'manager');
  if (!hasRole(by, 'manager', 'workshop')) {
    throw forbidden('a claim order is signed by the workshop lead or a manager');
  }
  if (order.valueFen > largeFen && !isManager) {
    throw forbidden(
      `a claim order over ${largeFen} fen is signed by the after-sales director (manager)`,
      'LARGE_CLAIM_NEEDS_MANAGER',
    );
  }
  assertDepositPaid(order);
  return { ...order, status: 'ORDERED', orderedBy: by.id, orderedAt: now };
}

/** The claimed part was fitted: the deposit goes back to the customer. */
export function settleClaimOrder(order: ClaimOrderState, by: string, now: Date): ClaimOrderState {
  assertStatus(order, 'ORDERED', 'settle');
  return {
    ...order,
    status: 'SETTLED',
    closedBy: by,
    closedAt: now,
    depositRefundedFen: order.depositPaidFen,
  };
}

/** The customer never came for the ordered part: the deposit is kept (why the seed asks for it). */
export function forfeitClaimOrder(
  order: ClaimOrderState,
  by: string,
  reason: string | null | undefined,
  now: Date,
): ClaimOrderState {
  assertStatus(order, 'ORDERED', 'forfeit the deposit');
  return {
    ...order,
    status: 'FORFEITED',
    closedBy: by,
    closedAt: now,
    depositForfeitedFen: order.depositPaidFen,
    closeReason: requiredText(reason, 'reason', 500),
  };
}

/** Cancelled before it was ordered: whatever deposit was paid goes back. */
export function cancelClaimOrder(
  order: ClaimOrderState,
  by: string,
  reason: string | null | undefined,
  now: Date,
): ClaimOrderState {
  assertStatus(order, 'OPEN', 'cancel');
  return {
    ...order,
    status: 'CANCELLED',
    closedBy: by,
    closedAt: now,
    depositRefundedFen: order.depositPaidFen,
    closeReason: requiredText(reason, 'reason', 500),
  };
}
