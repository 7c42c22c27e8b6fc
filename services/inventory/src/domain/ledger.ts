import { conflict, invalidArgument } from '@aftercare/kit/domain';
import {
  MAX_QUANTITY,
  assertDistinct,
  parseCode,
  instant,
  nonEmptyList,
  notInFuture,
  numberIn,
  oneOf,
  optionalText,
  parseQuantity,
  parseStaffId,
} from './values';

/** R-IN-2 stock moves only through these documents. */
export const DOCUMENT_TYPES = [
  'RECEIPT',
  'ISSUE',
  'RETURN',
  'TRANSFER',
  'WRITE_OFF',
  'COUNT_ADJUSTMENT',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export interface DocumentLine {
  partCode: string;
  /**
   * Units moved, a positive whole number — except on a COUNT_ADJUSTMENT, where it is the signed
   * difference shelf − book (never 0): the count says by how much the book was wrong.
   */
  quantity: number;
}

/** A stock document (接收单, 领料/发料, 退料, 调拨, 报废, 盘点调整). */
export interface StockDocument {
  type: DocumentType;
  /** The warehouse whose stock changes; for a TRANSFER the source. */
  warehouseCode: string;
  /** TRANSFER only: the destination. */
  toWarehouseCode: string | null;
  lines: DocumentLine[];
  /** Staff id of who posted it. */
  by: string;
  at: Date;
  /** What it answers to: requisition id (ISSUE, RETURN), supplier delivery note, work order id … */
  reference: string | null;
  /** Why stock is written off or adjusted; required for WRITE_OFF and COUNT_ADJUSTMENT. */
  reason: string | null;
}

export interface StockDocumentInput {
  type?: string | null;
  warehouseCode?: string | null;
  toWarehouseCode?: string | null;
  lines?: readonly { partCode?: string | null; quantity?: number | null }[] | null;
  by?: string | null;
  at?: Date | string | null;
  reference?: string | null;
  reason?: string | null;
}

export const MAX_DOCUMENT_LINES = 200;

/** Issues and returns are posted only against a requisition (见单发料), so they must name it. */
const NEEDS_REFERENCE: readonly DocumentType[] = ['ISSUE', 'RETURN'];
/** Stock that leaves the books without a counterpart must say why. */
const NEEDS_REASON: readonly DocumentType[] = ['WRITE_OFF', 'COUNT_ADJUSTMENT'];

/**
 * R-IN-2 validates a document: positive whole quantities (signed and non-zero on a count
 * adjustment), one line per part, a destination other than the source for a transfer and none
 * otherwise, a reference on issues and returns, a reason on write-offs and adjustments. `at`
 * defaults to `now` and may not lie in the future.
 */
export function parseStockDocument(input: StockDocumentInput, now: Date): StockDocument {
  const type = oneOf(DOCUMENT_TYPES, input.type, 'type');
  const warehouseCode = parseCode(input.warehouseCode, 'warehouseCode');
  const toWarehouseCode = destination(type, warehouseCode, input.toWarehouseCode);
  const lines = nonEmptyList(input.lines, 'lines', MAX_DOCUMENT_LINES).map((line, i) => ({
    partCode: parseCode(line.partCode, `lines.${i}.partCode`),
    quantity:
      type === 'COUNT_ADJUSTMENT'
        ? difference(line.quantity, `lines.${i}.quantity`)
        : parseQuantity(line.quantity, `lines.${i}.quantity`),
  }));
  assertDistinct(
    lines.map((l) => l.partCode),
    'lines',
  );
  const reference = optionalText(input.reference, 'reference', 64);
  if (NEEDS_REFERENCE.includes(type) && !reference) {
    throw invalidArgument(`a ${type} names the requisition it answers to`, 'reference', 'REQUIRED');
  }
  const reason = optionalText(input.reason, 'reason', 500);
  if (NEEDS_REASON.includes(type) && !reason) {
    throw invalidArgument(`a ${type} needs a reason`, 'reason', 'REQUIRED');
  }
  return {
    type,
    warehouseCode,
    toWarehouseCode,
    lines,
    by: parseStaffId(input.by, 'by'),
    at: notInFuture(input.at ? instant(input.at, 'at') : now, now, 'at'),
    reference,
    reason,
  };
}

function destination(
  type: DocumentType,
  source: string,
  raw: string | null | undefined,
): string | null {
  if (type !== 'TRANSFER') {
    if (optionalText(raw, 'toWarehouseCode', 32)) {
      throw invalidArgument(
        'only a transfer has a destination warehouse',
        'toWarehouseCode',
        'NOT_A_TRANSFER',
      );
    }
    return null;
  }
  const to = parseCode(raw, 'toWarehouseCode');
  if (to === source) {
    throw invalidArgument(
      'a transfer goes to another warehouse',
      'toWarehouseCode',
      'SAME_WAREHOUSE',
    );
  }
  return to;
}

function difference(raw: number | null | undefined, field: string): number {
  const value = numberIn(raw, field, { min: -MAX_QUANTITY, max: MAX_QUANTITY, integer: true });
  if (value === 0)
    throw invalidArgument('an adjustment line states a difference', field, 'ZERO_QUANTITY');
  return value;
}

/** One signed entry of the append-only ledger for one (warehouse, part). */
export interface LedgerMove {
  warehouseCode: string;
  partCode: string;
  /** Positive adds to on-hand, negative takes away. */
  quantity: number;
}

const SIGN: Record<Exclude<DocumentType, 'TRANSFER'>, 1 | -1> = {
  RECEIPT: 1,
  ISSUE: -1,
  // Unused parts a technician brings back to the warehouse they were issued from (R-IN-3).
  RETURN: 1,
  WRITE_OFF: -1,
  // The line quantity already carries the sign of the difference.
  COUNT_ADJUSTMENT: 1,
};

/** R-IN-2 the ledger entries a document posts: a transfer is −q at the source and +q at the destination. */
export function movesOf(document: StockDocument): LedgerMove[] {
  return document.lines.flatMap(({ partCode, quantity: q }) => {
    if (document.type !== 'TRANSFER') {
      return [
        { warehouseCode: document.warehouseCode, partCode, quantity: SIGN[document.type] * q },
      ];
    }
    return [
      { warehouseCode: document.warehouseCode, partCode, quantity: -q },
      { warehouseCode: document.toWarehouseCode as string, partCode, quantity: q },
    ];
  });
}

/** On-hand per (warehouse, part), keyed by `stockKey`. */
export type OnHand = ReadonlyMap<string, number>;

/** `WAREHOUSE/PART`: "/" is not a code character, so the key splits back unambiguously. */
export const stockKey = (warehouseCode: string, partCode: string): string =>
  `${warehouseCode}/${partCode}`;

export function parseStockKey(key: string): { warehouseCode: string; partCode: string } {
  const [warehouseCode = '', partCode = ''] = key.split('/');
  return { warehouseCode, partCode };
}

export const onHandOf = (onHand: OnHand, warehouseCode: string, partCode: string): number =>
  onHand.get(stockKey(warehouseCode, partCode)) ?? 0;

/**
 * R-IN-2 on-hand after the moves of one document, as a new map (the input is left alone). The
 * moves are atomic: each balance is checked after netting all of them, and if any would go below
 * zero nothing applies and a FAILED_PRECONDITION `INSUFFICIENT_STOCK` names the part and warehouse.
 * (The database enforces the same with a check constraint; this gives the clear message.)
 */
export function applyMoves(onHand: OnHand, moves: readonly LedgerMove[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const m of moves) {
    const key = stockKey(m.warehouseCode, m.partCode);
    net.set(key, (net.get(key) ?? 0) + m.quantity);
  }
  const next = new Map(onHand);
  for (const [key, delta] of net) {
    const have = onHand.get(key) ?? 0;
    if (have + delta < 0) {
      const { warehouseCode, partCode } = parseStockKey(key);
      throw conflict(
        `not enough ${partCode} in ${warehouseCode}: ${have} on hand, ${-delta} needed`,
        'INSUFFICIENT_STOCK',
      );
    }
    next.set(key, have + delta);
  }
  return next;
}
