import { conflict, invalidArgument } from '@aftercare/kit/domain';
import { PartReplaced, PartReplacedInput, parsePartReplaced } from './parts';
import { isoDate, numberIn, optionalText, requiredText } from './values';

/** R-WO-5 goods receipt (客户商品领取收据): what the customer handed over, issued on take-back. */
export interface GoodsReceipt {
  number: string;
  items: GoodsItem[];
  issuedAt: Date;
  /** Set when the receipt is taken back on return. */
  voidedAt: Date | null;
}

export interface GoodsItem {
  description: string;
  quantity: number;
  serialNumber: string | null;
}

export interface GoodsItemInput {
  description?: string | null;
  quantity?: number | null;
  serialNumber?: string | null;
}

export const MAX_RECEIPT_ITEMS = 50;

export function issueGoodsReceipt(
  number: string,
  items: readonly GoodsItemInput[] | null | undefined,
  issuedAt: Date,
): GoodsReceipt {
  const list = items ?? [];
  if (list.length === 0)
    throw invalidArgument('a goods receipt lists at least one item', 'items', 'REQUIRED');
  if (list.length > MAX_RECEIPT_ITEMS)
    throw invalidArgument(`at most ${MAX_RECEIPT_ITEMS} items`, 'items', 'TOO_MANY');
  return {
    number: requiredText(number, 'number', 32),
    items: list.map((item, i) => ({
      description: requiredText(item.description, `items.${i}.description`, 300),
      quantity: numberIn(item.quantity ?? 1, `items.${i}.quantity`, {
        min: 1,
        max: 1000,
        integer: true,
      }),
      serialNumber: optionalText(item.serialNumber, `items.${i}.serialNumber`, 64),
    })),
    issuedAt,
    voidedAt: null,
  };
}

/** On return the customer gives the receipt back and it is voided, once. */
export function voidGoodsReceipt(receipt: GoodsReceipt, at: Date): GoodsReceipt {
  if (receipt.voidedAt) {
    throw conflict(`goods receipt ${receipt.number} is already voided`, 'RECEIPT_ALREADY_VOIDED');
  }
  if (at.getTime() < receipt.issuedAt.getTime()) {
    throw invalidArgument(
      'a receipt cannot be voided before it was issued',
      'voidedAt',
      'BEFORE_ISSUE',
    );
  }
  return { ...receipt, voidedAt: at };
}

/** The product goes back to the customer only against the voided receipt. */
export function assertCanReturn(receipt: GoodsReceipt | null): void {
  if (!receipt)
    throw conflict('no goods receipt was issued for this work order', 'NO_GOODS_RECEIPT');
  if (!receipt.voidedAt) {
    throw conflict(
      `take back and void goods receipt ${receipt.number} before returning the goods`,
      'RECEIPT_NOT_VOIDED',
    );
  }
}

/** The workshop's goods in/out register (R-WO-5), one IN and then one OUT per receipt. */
export interface GoodsRegisterEntry {
  direction: 'IN' | 'OUT';
  receiptNumber: string;
  at: Date;
  /** Staff id of who took the goods in or handed them out. */
  handledBy: string;
}

export function registerGoods(
  register: readonly GoodsRegisterEntry[],
  direction: GoodsRegisterEntry['direction'],
  receipt: GoodsReceipt,
  at: Date,
  handledBy: string,
): GoodsRegisterEntry {
  const ofReceipt = register.filter((e) => e.receiptNumber === receipt.number);
  const entryIn = ofReceipt.find((e) => e.direction === 'IN');
  if (ofReceipt.some((e) => e.direction === direction)) {
    throw conflict(
      `goods of receipt ${receipt.number} are already registered ${direction}`,
      'ALREADY_REGISTERED',
    );
  }
  if (direction === 'OUT') {
    if (!entryIn) {
      throw conflict(`goods of receipt ${receipt.number} never came in`, 'GOODS_NOT_REGISTERED_IN');
    }
    if (at.getTime() < entryIn.at.getTime())
      throw invalidArgument('goods cannot leave before they came in', 'at', 'BEFORE_GOODS_IN');
  }
  return {
    direction,
    receiptNumber: receipt.number,
    at,
    handledBy: requiredText(handledBy, 'handledBy', 64),
  };
}

/** R-WO-5 repair card (修护卡): hours spent and parts replaced in the workshop. */
export interface RepairCard {
  hours: RepairHours[];
  parts: PartReplaced[];
}

export interface RepairHours {
  technicianId: string;
  hours: number;
  /** Local business date the work was done, YYYY-MM-DD. */
  date: string;
  description: string;
}

export interface RepairHoursInput {
  technicianId?: string | null;
  hours?: number | null;
  date?: string | null;
  description?: string | null;
}

export const newRepairCard = (): RepairCard => ({ hours: [], parts: [] });
const DAY_HOURS = 24;

/** Adds an hours entry: more than 0 and at most 24, and no technician books more than 24 h a day. */
export function addRepairHours(card: RepairCard, input: RepairHoursInput): RepairCard {
  const entry: RepairHours = {
    technicianId: requiredText(input.technicianId, 'technicianId', 64),
    hours: numberIn(input.hours, 'hours', { min: 0, max: DAY_HOURS, minExclusive: true }),
    date: isoDate(input.date, 'date'),
    description: requiredText(input.description, 'description', 1000),
  };
  const sameDay = sumHours([
    ...card.hours.filter((h) => h.technicianId === entry.technicianId && h.date === entry.date),
    entry,
  ]);
  if (sameDay > DAY_HOURS) {
    throw invalidArgument(
      `${entry.technicianId} would have ${sameDay} h on ${entry.date}, more than a day`,
      'hours',
      'HOURS_EXCEED_DAY',
    );
  }
  return { ...card, hours: [...card.hours, entry] };
}

export function addRepairPart(card: RepairCard, input: PartReplacedInput): RepairCard {
  return { ...card, parts: [...card.parts, parsePartReplaced(input, 'part')] };
}

export const totalRepairHours = (card: RepairCard): number => sumHours(card.hours);

// Summed in hundredths so 23.9 + 0.1 is 24, not 24.000000000000004.
function sumHours(entries: readonly RepairHours[]): number {
  return entries.reduce((sum, h) => sum + Math.round(h.hours * 100), 0) / 100;
}
