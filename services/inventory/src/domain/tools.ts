import { BusinessCalendar } from '@aftercare/calendar';
import { conflict, invalidArgument } from '@aftercare/kit/domain';
import {
  assertDistinct,
  parseCode,
  parseCount,
  parseFen,
  instant,
  nonEmptyList,
  notInFuture,
  numberIn,
  oneOf,
  parseQuantity,
  requiredText,
  parseStaffId,
} from './values';

/** Condition of a tool, best first. */
export const TOOL_CONDITIONS = ['GOOD', 'WORN', 'DAMAGED', 'LOST'] as const;
export type ToolCondition = (typeof TOOL_CONDITIONS)[number];
/** A tool in one of these may go out; a damaged or lost one may not. */
const LENDABLE: readonly ToolCondition[] = ['GOOD', 'WORN'];

/** R-IN-6 a tool of the tool room (工具房); `count` identical pieces share one record. */
export interface Tool {
  code: string;
  name: string;
  /** Special tools never stay out overnight. */
  special: boolean;
  condition: ToolCondition;
  originalPriceFen: number;
  count: number;
}

export interface ToolInput {
  code?: string | null;
  name?: string | null;
  special?: boolean | null;
  condition?: string | null;
  originalPriceFen?: number | null;
  count?: number | null;
}

export function parseTool(input: ToolInput): Tool {
  return {
    code: parseCode(input.code, 'code'),
    name: requiredText(input.name, 'name', 200),
    special: Boolean(input.special),
    condition: oneOf(TOOL_CONDITIONS, input.condition, 'condition', 'GOOD'),
    originalPriceFen: parseFen(input.originalPriceFen, 'originalPriceFen'),
    count: parseCount(input.count ?? 1, 'count'),
  };
}

/** R-IN-6 a registered loan (tool code, count, borrower, signature), checked by the keeper. */
export interface ToolLoan {
  id: string;
  toolCode: string;
  special: boolean;
  count: number;
  borrowerId: string;
  /** Reference to the borrower's stored signature. */
  signatureRef: string;
  /** Keeper who checked the tool out. */
  keeperId: string;
  lentAt: Date;
  conditionAtLend: ToolCondition;
  returnedAt: Date | null;
  /** Pieces that came back; the rest of `count` are lost. */
  returnedCount: number | null;
  conditionAtReturn: ToolCondition | null;
  /** Keeper who checked the tool back in. */
  returnKeeperId: string | null;
}

export interface LendInput {
  id?: string | null;
  borrowerId?: string | null;
  signatureRef?: string | null;
  keeperId?: string | null;
  count?: number | null;
  condition?: string | null;
  lentAt?: Date | string | null;
}

/** Pieces of a tool out on loans not yet returned. */
export const piecesOut = (toolCode: string, loans: readonly ToolLoan[]): number =>
  loans
    .filter((l) => l.toolCode === toolCode && l.returnedAt === null)
    .reduce((sum, l) => sum + l.count, 0);

/**
 * R-IN-6 registers a loan. The keeper records the condition at lending; only a GOOD or WORN tool
 * goes out (`TOOL_NOT_SERVICEABLE`), and no more pieces than are on the shelf
 * (`TOOL_NOT_AVAILABLE`, counting the loans still out).
 */
export function lendTool(
  tool: Tool,
  loans: readonly ToolLoan[],
  input: LendInput,
  now: Date,
): ToolLoan {
  const conditionAtLend = oneOf(TOOL_CONDITIONS, input.condition, 'condition');
  if (!LENDABLE.includes(tool.condition) || !LENDABLE.includes(conditionAtLend)) {
    throw conflict(
      `${tool.code} is ${LENDABLE.includes(tool.condition) ? conditionAtLend : tool.condition} and cannot be lent`,
      'TOOL_NOT_SERVICEABLE',
    );
  }
  const wanted = parseQuantity(input.count ?? 1, 'count');
  const onShelf = tool.count - piecesOut(tool.code, loans);
  if (wanted > onShelf) {
    throw conflict(`only ${onShelf} of ${tool.code} on the shelf`, 'TOOL_NOT_AVAILABLE');
  }
  return {
    id: requiredText(input.id, 'id', 64),
    toolCode: tool.code,
    special: tool.special,
    count: wanted,
    borrowerId: parseStaffId(input.borrowerId, 'borrowerId'),
    signatureRef: requiredText(input.signatureRef, 'signatureRef', 500),
    keeperId: parseStaffId(input.keeperId, 'keeperId'),
    lentAt: notInFuture(input.lentAt ? instant(input.lentAt, 'lentAt') : now, now, 'lentAt'),
    conditionAtLend,
    returnedAt: null,
    returnedCount: null,
    conditionAtReturn: null,
    returnKeeperId: null,
  };
}

/**
 * How a damaged tool is charged: `damagedSharePercent` of the original price per damaged piece
 * (default 100: the rulebook charges lost *or damaged* tools at original price). Lost pieces are
 * always charged in full.
 */
export interface ToolChargePolicy {
  damagedSharePercent: number;
}

export const DEFAULT_TOOL_CHARGE_POLICY: ToolChargePolicy = Object.freeze({
  damagedSharePercent: 100,
});

/** Data of the `inventory.tool_lost` event: a charge to the borrower, for the penalty ledger (R-PN-1). */
export interface ToolCharge {
  loanId: string;
  toolCode: string;
  toolName: string;
  borrowerId: string;
  lostCount: number;
  damagedCount: number;
  originalPriceFen: number;
  damagedSharePercent: number;
  amountFen: number;
  at: Date;
}

export interface ReturnInput {
  /** Who hands the tool back; must be the borrower. */
  returnedBy?: string | null;
  keeperId?: string | null;
  /** The keeper's check: the condition of the pieces handed back, or LOST when none come back. */
  condition?: string | null;
  /** Pieces handed back (default all but when LOST, then 0); the rest are lost. */
  returnedCount?: number | null;
  returnedAt?: Date | string | null;
}

/**
 * R-IN-6 checks a tool back in. Who borrows returns (`NOT_THE_BORROWER`); the keeper records the
 * condition. Lost pieces are charged to the borrower at the original price and damaged ones at
 * the policy's share of it; the charge is null when nothing is owed.
 */
export function returnTool(
  tool: Tool,
  loan: ToolLoan,
  input: ReturnInput,
  now: Date,
  policy: ToolChargePolicy = DEFAULT_TOOL_CHARGE_POLICY,
): { loan: ToolLoan; charge: ToolCharge | null } {
  if (loan.returnedAt) throw conflict(`loan ${loan.id} is already returned`, 'ALREADY_RETURNED');
  const returnedBy = parseStaffId(input.returnedBy, 'returnedBy');
  if (returnedBy !== loan.borrowerId) {
    throw conflict(
      `${loan.toolCode} was borrowed by ${loan.borrowerId} and only they can return it`,
      'NOT_THE_BORROWER',
    );
  }
  const condition = oneOf(TOOL_CONDITIONS, input.condition, 'condition');
  const returnedCount = piecesBack(loan, condition, input.returnedCount);
  const returnedAt = notInFuture(
    input.returnedAt ? instant(input.returnedAt, 'returnedAt') : now,
    now,
    'returnedAt',
  );
  if (returnedAt.getTime() < loan.lentAt.getTime()) {
    throw invalidArgument('a tool comes back after it went out', 'returnedAt', 'BEFORE_LENDING');
  }
  const returned: ToolLoan = {
    ...loan,
    returnedAt,
    returnedCount,
    conditionAtReturn: condition,
    returnKeeperId: parseStaffId(input.keeperId, 'keeperId'),
  };
  return { loan: returned, charge: chargeFor(tool, returned, policy) };
}

function piecesBack(
  loan: ToolLoan,
  condition: ToolCondition,
  raw: number | null | undefined,
): number {
  if (condition === 'LOST') {
    if (raw) {
      throw invalidArgument(
        'LOST means nothing came back; give the condition of the pieces that did',
        'returnedCount',
        'LOST_WITH_PIECES',
      );
    }
    return 0;
  }
  return numberIn(raw ?? loan.count, 'returnedCount', { min: 1, max: loan.count, integer: true });
}

function chargeFor(tool: Tool, loan: ToolLoan, policy: ToolChargePolicy): ToolCharge | null {
  const share = numberIn(policy.damagedSharePercent, 'damagedSharePercent', {
    min: 0,
    max: 100,
    integer: true,
  });
  const back = loan.returnedCount ?? 0;
  const lostCount = loan.count - back;
  const damagedCount = loan.conditionAtReturn === 'DAMAGED' ? back : 0;
  if (lostCount === 0 && damagedCount === 0) return null;
  const amountFen =
    lostCount * tool.originalPriceFen +
    Math.round((damagedCount * tool.originalPriceFen * share) / 100);
  return {
    loanId: loan.id,
    toolCode: tool.code,
    toolName: tool.name,
    borrowerId: loan.borrowerId,
    lostCount,
    damagedCount,
    originalPriceFen: tool.originalPriceFen,
    damagedSharePercent: share,
    amountFen,
    at: loan.returnedAt as Date,
  };
}

/**
 * The tool record after a return: lost pieces leave the count, and the record takes the returned
 * condition when it is worse (the keeper resets it after repair). No pieces left means LOST.
 */
export function toolAfterReturn(tool: Tool, loan: ToolLoan): Tool {
  const lost = loan.count - (loan.returnedCount ?? 0);
  const remaining = Math.max(0, tool.count - lost);
  const rank = (c: ToolCondition) => TOOL_CONDITIONS.indexOf(c);
  const back = loan.returnedCount ? loan.conditionAtReturn : null;
  const worse = back && rank(back) > rank(tool.condition) ? back : tool.condition;
  return { ...tool, count: remaining, condition: remaining === 0 ? 'LOST' : worse };
}

/**
 * R-IN-6 when a special tool is due back: the close of the working day it was lent on. Lent after
 * that close, or on a day off, it is due at the next opening — it had to go out at night, and
 * must be in the keeper's hands the moment the tool room opens again.
 */
export function specialToolDueAt(lentAt: Date, calendar: BusinessCalendar): Date {
  const close = calendar.endOfWorkingDay(lentAt);
  if (calendar.isWorkingDay(lentAt) && lentAt.getTime() < close.getTime()) return close;
  return calendar.nextWorkingMoment(lentAt);
}

/** R-IN-6 special tools still out once their due time has passed (strictly after it), earliest due first. */
export function overdueLoans(
  loans: readonly ToolLoan[],
  now: Date,
  calendar: BusinessCalendar,
): { loan: ToolLoan; dueAt: Date }[] {
  return loans
    .filter((l) => l.special && l.returnedAt === null)
    .map((loan) => ({ loan, dueAt: specialToolDueAt(loan.lentAt, calendar) }))
    .filter(({ dueAt }) => now.getTime() > dueAt.getTime())
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

export interface ToolCountLine {
  toolCode: string;
  owned: number;
  onLoan: number;
  /** On the shelf by the book: owned − on loan. */
  expected: number;
  counted: number;
  /** counted − expected. */
  difference: number;
}

/**
 * R-IN-6 the monthly count of every tool: each tool must be counted (`NOT_COUNTED` names the
 * first one left out), and each line compares the shelf with owned − on loan.
 */
export function toolCount(
  tools: readonly Tool[],
  loans: readonly ToolLoan[],
  input: readonly { toolCode?: string | null; counted?: number | null }[] | null | undefined,
): { lines: ToolCountLine[]; discrepancies: ToolCountLine[] } {
  const counts = nonEmptyList(input, 'counts', 10_000).map((c, i) => ({
    toolCode: parseCode(c.toolCode, `counts.${i}.toolCode`),
    counted: parseCount(c.counted, `counts.${i}.counted`),
  }));
  assertDistinct(
    counts.map((c) => c.toolCode),
    'counts',
    'toolCode',
    'DUPLICATE_TOOL',
  );
  const byCode = new Map(counts.map((c) => [c.toolCode, c.counted]));
  counts.forEach((c, i) => {
    if (!tools.some((t) => t.code === c.toolCode)) {
      throw invalidArgument(`no tool ${c.toolCode}`, `counts.${i}.toolCode`, 'UNKNOWN_TOOL');
    }
  });
  const lines = tools.map((tool) => {
    const counted = byCode.get(tool.code);
    if (counted === undefined) {
      throw invalidArgument(`${tool.code} was not counted`, 'counts', 'NOT_COUNTED');
    }
    const onLoan = piecesOut(tool.code, loans);
    const expected = tool.count - onLoan;
    return {
      toolCode: tool.code,
      owned: tool.count,
      onLoan,
      expected,
      counted,
      difference: counted - expected,
    };
  });
  return { lines, discrepancies: discrepanciesOf(lines) };
}

/** The lines of a count where the shelf and the book disagree. */
export const discrepanciesOf = (lines: readonly ToolCountLine[]): ToolCountLine[] =>
  lines.filter((l) => l.difference !== 0);
