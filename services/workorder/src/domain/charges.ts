import { conflict, forbidden, invalidArgument } from '@aftercare/kit/domain';
import { numberIn } from './values';

/** Who asks for or approves a discount; matches the kit's `Identity`. */
export interface Actor {
  userId: string;
  roles: readonly string[];
}

/**
 * R-WO-7 discount authority as data: the largest discount (percent of the subtotal) an employee may
 * grant alone. An employee's own entry wins over their roles; among roles the most generous counts.
 */
export interface DiscountAuthority {
  byEmployee: Readonly<Record<string, number>>;
  byRole: Readonly<Record<string, number>>;
  /** Roles whose holders approve discounts beyond someone's authority. */
  approverRoles: readonly string[];
}

export const DEFAULT_DISCOUNT_AUTHORITY: DiscountAuthority = Object.freeze({
  byEmployee: Object.freeze({}),
  byRole: Object.freeze({ technician: 5, workshop: 5, dispatcher: 10, manager: 30 }),
  approverRoles: Object.freeze(['manager']),
});

export type DiscountInput =
  { kind: 'AMOUNT'; fen?: number | null } | { kind: 'PERCENT'; percent?: number | null };

export interface ChargesInput {
  labourFen?: number | null;
  partsFen?: number | null;
  travelFen?: number | null;
  discount?: DiscountInput | null;
  invoiceRequested?: boolean | null;
}

export type DiscountStatus = 'NONE' | 'WITHIN_AUTHORITY' | 'PENDING_APPROVAL' | 'APPROVED';

/** Paid-service charges, all money in integer fen (1 yuan = 100 fen). */
export interface Charges {
  labourFen: number;
  partsFen: number;
  travelFen: number;
  subtotalFen: number;
  discountFen: number;
  totalFen: number;
  discountStatus: DiscountStatus;
  requestedBy: string;
  approvedBy: string | null;
  invoiceRequested: boolean;
}

const fen = (raw: number | null | undefined, field: string) =>
  numberIn(raw ?? 0, field, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });

/** Percent with at most two decimals, as basis points (12.5 % = 1250), so money stays integer. */
function basisPoints(percent: number | null | undefined, field: string): number {
  const value = numberIn(percent, field, { min: 0, max: 100 });
  const bp = Math.round(value * 100);
  if (Math.abs(bp - value * 100) > 1e-6)
    throw invalidArgument(`${field} has at most two decimals`, field, 'TOO_PRECISE');
  return bp;
}

/** Largest discount `actor` may grant alone, in basis points. */
export function authorityOf(actor: Actor, authority: DiscountAuthority): number {
  const own = authority.byEmployee[actor.userId];
  const percent = own ?? Math.max(0, ...actor.roles.map((role) => authority.byRole[role] ?? 0));
  return Math.round(percent * 100);
}

/**
 * R-WO-7: subtotal = labour + parts + travel; a percent discount becomes fen (rounded half up);
 * total = subtotal − discount, never below zero. A discount beyond the requester's authority is
 * `PENDING_APPROVAL` until a manager approves it.
 */
export function computeCharges(
  input: ChargesInput,
  requester: Actor,
  authority: DiscountAuthority = DEFAULT_DISCOUNT_AUTHORITY,
): Charges {
  const labourFen = fen(input.labourFen, 'labourFen');
  const partsFen = fen(input.partsFen, 'partsFen');
  const travelFen = fen(input.travelFen, 'travelFen');
  const subtotalFen = labourFen + partsFen + travelFen;
  if (!Number.isSafeInteger(subtotalFen))
    throw invalidArgument('the charges are too large', 'labourFen', 'OUT_OF_RANGE');
  const discountFen = discountOf(input.discount ?? null, subtotalFen);
  if (discountFen > subtotalFen) {
    throw invalidArgument(
      `the discount (${discountFen} fen) exceeds the charges (${subtotalFen} fen)`,
      'discount.fen',
      'DISCOUNT_EXCEEDS_TOTAL',
    );
  }
  return {
    labourFen,
    partsFen,
    travelFen,
    subtotalFen,
    discountFen,
    totalFen: subtotalFen - discountFen,
    discountStatus:
      discountFen === 0
        ? 'NONE'
        : exceeds(discountFen, subtotalFen, authorityOf(requester, authority))
          ? 'PENDING_APPROVAL'
          : 'WITHIN_AUTHORITY',
    requestedBy: requester.userId,
    approvedBy: null,
    invoiceRequested: Boolean(input.invoiceRequested),
  };
}

function discountOf(discount: DiscountInput | null, subtotalFen: number): number {
  if (!discount) return 0;
  if (discount.kind === 'AMOUNT') return fen(discount.fen, 'discount.fen');
  if (discount.kind === 'PERCENT') {
    const bp = BigInt(basisPoints(discount.percent, 'discount.percent'));
    return Number((BigInt(subtotalFen) * bp + 5_000n) / 10_000n);
  }
  throw invalidArgument(
    'discount.kind must be AMOUNT or PERCENT',
    'discount.kind',
    'INVALID_VALUE',
  );
}

/** discount / subtotal > authority, in integers. */
const exceeds = (discountFen: number, subtotalFen: number, authorityBp: number) =>
  BigInt(discountFen) * 10_000n > BigInt(subtotalFen) * BigInt(authorityBp);

/** A manager approves a pending discount; nobody approves their own request. */
export function approveDiscount(
  charges: Charges,
  approver: Actor,
  authority: DiscountAuthority = DEFAULT_DISCOUNT_AUTHORITY,
): Charges {
  if (charges.discountStatus !== 'PENDING_APPROVAL')
    throw conflict('there is no discount waiting for approval', 'NO_PENDING_DISCOUNT');
  if (!approver.roles.some((role) => authority.approverRoles.includes(role)))
    throw forbidden('only a manager can approve a discount beyond the employee’s authority');
  if (approver.userId === charges.requestedBy)
    throw forbidden('a discount cannot be approved by the person who asked for it');
  return { ...charges, discountStatus: 'APPROVED', approvedBy: approver.userId };
}

/** Charges are final (for invoicing and signing) once no discount waits for approval. */
export function assertChargesSettled(charges: Charges): void {
  if (charges.discountStatus === 'PENDING_APPROVAL')
    throw conflict('the discount is waiting for a manager’s approval', 'DISCOUNT_PENDING_APPROVAL');
}
