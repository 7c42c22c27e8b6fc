import { conflict, invalidArgument } from '@aftercare/kit/domain';
import { MAX_DOCUMENT_LINES } from './ledger';
import {
  assertDistinct,
  parseCode,
  parseFen,
  instant,
  nonEmptyList,
  notInFuture,
  optionalText,
  parseQuantity,
  requiredText,
  parseStaffId,
} from './values';

/**
 * The part of the `workorder.completed` event (R-WO-6 service report) old parts are matched
 * against; the event data type of `@aftercare/events` fits it.
 */
export interface CompletedWorkOrder {
  workOrderId: string;
  serviceType: string;
  partsReplaced: readonly { code: string | null; name: string; quantity: number; reason: string }[];
  oldPartsCollected: boolean;
  oldParts: readonly { name: string; quantity: number }[];
}

/** One part replaced under warranty whose old part (旧件) must come back to the warehouse. */
export interface OldPartExpectation {
  workOrderId: string;
  partCode: string | null;
  name: string;
  quantity: number;
}

/** An old part handed in at the warehouse. */
export interface OldPartReceipt {
  workOrderId: string;
  partCode: string | null;
  name: string;
  quantity: number;
  receivedBy: string;
  receivedAt: Date;
}

/** Only warranty work is claimed back from the manufacturer, so only it owes old parts. */
export const OLD_PART_SERVICE_TYPES: readonly string[] = Object.freeze(['WARRANTY']);

const nameKey = (name: string) => name.replace(/\s+/g, '').toLowerCase();
const sameName = (a: string, b: string) => nameKey(a) === nameKey(b);

/** Parts are matched by code when both sides have one, else by name ignoring case and spaces. */
function matches(e: OldPartExpectation, partCode: string | null, name: string): boolean {
  if (e.partCode && partCode) return e.partCode === partCode.trim().toUpperCase();
  return sameName(e.name, name);
}

/** R-IN-4 each warranty part replaced expects its old part back (one expectation per part line). */
export function oldPartExpectations(order: CompletedWorkOrder): OldPartExpectation[] {
  if (!OLD_PART_SERVICE_TYPES.includes(order.serviceType)) return [];
  return order.partsReplaced.map((p) => ({
    workOrderId: order.workOrderId,
    partCode: p.code ? p.code.trim().toUpperCase() : null,
    name: p.name.trim(),
    quantity: p.quantity,
  }));
}

export interface MissingOldPart extends OldPartExpectation {
  received: number;
  missing: number;
}

/**
 * R-IN-4 what has not come back, per expectation. Receipts fill expectations in order, so a
 * receipt is never counted twice when two lines name the same part.
 */
export function missingOldParts(
  expectations: readonly OldPartExpectation[],
  receipts: readonly Pick<OldPartReceipt, 'workOrderId' | 'partCode' | 'name' | 'quantity'>[],
): MissingOldPart[] {
  const left = receipts.map((r) => ({ ...r }));
  return expectations
    .map((e) => {
      let received = 0;
      for (const r of left) {
        if (r.workOrderId !== e.workOrderId || !matches(e, r.partCode, r.name)) continue;
        const take = Math.min(r.quantity, e.quantity - received);
        r.quantity -= take;
        received += take;
      }
      return { ...e, received, missing: e.quantity - received };
    })
    .filter((m) => m.missing > 0);
}

export interface OldPartReceiptInput {
  workOrderId?: string | null;
  partCode?: string | null;
  name?: string | null;
  quantity?: number | null;
  receivedBy?: string | null;
  receivedAt?: Date | string | null;
}

/**
 * R-IN-4 records an old part handed in. Only what is still missing for the work order is taken
 * (`OLD_PART_NOT_EXPECTED` otherwise), so a stray part is not booked against a warranty claim.
 */
export function receiveOldPart(
  expectations: readonly OldPartExpectation[],
  receipts: readonly OldPartReceipt[],
  input: OldPartReceiptInput,
  now: Date,
): OldPartReceipt {
  const receipt: OldPartReceipt = {
    workOrderId: requiredText(input.workOrderId, 'workOrderId', 64),
    partCode: input.partCode ? parseCode(input.partCode, 'partCode') : null,
    name: requiredText(input.name, 'name', 200),
    quantity: parseQuantity(input.quantity ?? 1, 'quantity'),
    receivedBy: parseStaffId(input.receivedBy, 'receivedBy'),
    receivedAt: notInFuture(
      input.receivedAt ? instant(input.receivedAt, 'receivedAt') : now,
      now,
      'receivedAt',
    ),
  };
  const outstanding = missingOldParts(expectations, receipts)
    .filter(
      (m) => m.workOrderId === receipt.workOrderId && matches(m, receipt.partCode, receipt.name),
    )
    .reduce((sum, m) => sum + m.missing, 0);
  if (receipt.quantity > outstanding) {
    throw conflict(
      `work order ${receipt.workOrderId} owes ${outstanding} old ${receipt.name}, not ${receipt.quantity}`,
      'OLD_PART_NOT_EXPECTED',
    );
  }
  return receipt;
}

export const WRITE_OFF_STATUSES = ['OPEN', 'CLOSED'] as const;
export type WriteOffStatus = (typeof WRITE_OFF_STATUSES)[number];

export interface WarrantyWriteOff {
  workOrderId: string;
  status: WriteOffStatus;
  /** Old parts not yet handed in at the warehouse. */
  missing: MissingOldPart[];
  /** Parts replaced whose old part the service report does not declare collected. */
  undeclared: { name: string; expected: number; declared: number }[];
}

/**
 * R-IN-4 the warranty write-off of a work order closes against the service report and the old
 * parts: CLOSED when the report declares every old part collected and every one is in the
 * warehouse; OPEN otherwise, saying what is missing. Work that owes no old parts closes at once.
 */
export function warrantyWriteOff(
  order: CompletedWorkOrder,
  receipts: readonly OldPartReceipt[],
): WarrantyWriteOff {
  const expectations = oldPartExpectations(order);
  const missing = missingOldParts(expectations, receipts);
  const undeclared = undeclaredOldParts(order, expectations);
  return {
    workOrderId: order.workOrderId,
    status: missing.length === 0 && undeclared.length === 0 ? 'CLOSED' : 'OPEN',
    missing,
    undeclared,
  };
}

// The report lists old parts by name only, so names are compared (ignoring case and spaces).
function undeclaredOldParts(
  order: CompletedWorkOrder,
  expectations: readonly OldPartExpectation[],
): WarrantyWriteOff['undeclared'] {
  const expected = new Map<string, { name: string; quantity: number }>();
  for (const e of expectations) {
    const key = nameKey(e.name);
    expected.set(key, { name: e.name, quantity: (expected.get(key)?.quantity ?? 0) + e.quantity });
  }
  const declaredOf = (name: string) =>
    order.oldPartsCollected
      ? order.oldParts.filter((o) => sameName(o.name, name)).reduce((s, o) => s + o.quantity, 0)
      : 0;
  return [...expected.values()]
    .map(({ name, quantity: q }) => ({ name, expected: q, declared: declaredOf(name) }))
    .filter((u) => u.declared < u.expected);
}

/** A claim order (索赔订货): parts ordered for a customer, possibly against a deposit. */
export interface ClaimOrder {
  id: string;
  workOrderId: string | null;
  customerId: string;
  lines: { partCode: string; quantity: number; unitPriceFen: number }[];
  valueFen: number;
  /** Deposit the customer must pay before the order goes out; 0 when none is asked. */
  depositFen: number;
  depositPaidFen: number;
  note: string | null;
}

export interface ClaimOrderInput {
  id?: string | null;
  workOrderId?: string | null;
  customerId?: string | null;
  lines?:
    | readonly {
        partCode?: string | null;
        quantity?: number | null;
        unitPriceFen?: number | null;
      }[]
    | null;
  depositFen?: number | null;
  note?: string | null;
}

/** R-IN-4 validates a claim order: its value is the sum of its lines, the deposit at most that. */
export function parseClaimOrder(input: ClaimOrderInput): ClaimOrder {
  const lines = nonEmptyList(input.lines, 'lines', MAX_DOCUMENT_LINES).map((l, i) => ({
    partCode: parseCode(l.partCode, `lines.${i}.partCode`),
    quantity: parseQuantity(l.quantity, `lines.${i}.quantity`),
    unitPriceFen: parseFen(l.unitPriceFen, `lines.${i}.unitPriceFen`),
  }));
  assertDistinct(
    lines.map((l) => l.partCode),
    'lines',
  );
  const valueFen = parseFen(
    lines.reduce((sum, l) => sum + l.quantity * l.unitPriceFen, 0),
    'lines',
  );
  const depositFen = parseFen(input.depositFen ?? 0, 'depositFen');
  if (depositFen > valueFen) {
    throw invalidArgument(
      `a deposit of ${depositFen} fen exceeds the order value of ${valueFen} fen`,
      'depositFen',
      'DEPOSIT_EXCEEDS_VALUE',
    );
  }
  return {
    id: requiredText(input.id, 'id', 64),
    workOrderId: optionalText(input.workOrderId, 'workOrderId', 64),
    customerId: requiredText(input.customerId, 'customerId', 64),
    lines,
    valueFen,
    depositFen,
    depositPaidFen: 0,
    note: optionalText(input.note, 'note', 500),
  };
}

/** Records a deposit payment; paying more than asked is refused (`DEPOSIT_OVERPAID`). */
export function payDeposit(order: ClaimOrder, amountFen: number | null | undefined): ClaimOrder {
  const amount = parseFen(amountFen, 'amountFen');
  if (amount === 0)
    throw invalidArgument('a payment is more than 0 fen', 'amountFen', 'OUT_OF_RANGE');
  const owed = order.depositFen - order.depositPaidFen;
  if (amount > owed) {
    throw conflict(`only ${owed} fen of the deposit is still owed`, 'DEPOSIT_OVERPAID');
  }
  return { ...order, depositPaidFen: order.depositPaidFen + amount };
}

/** The order goes to the supplier only once the deposit asked is paid in full. */
export function assertDepositPaid(order: ClaimOrder): void {
  if (order.depositPaidFen < order.depositFen) {
    throw conflict(
      `claim order ${order.id} waits for ${order.depositFen - order.depositPaidFen} fen of deposit`,
      'DEPOSIT_NOT_PAID',
    );
  }
}
