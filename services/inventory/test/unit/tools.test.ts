import { BusinessCalendar } from '@aftercare/calendar';
import {
  Tool,
  ToolLoan,
  lendTool,
  overdueLoans,
  parseTool,
  returnTool,
  specialToolDueAt,
  toolAfterReturn,
  toolCount,
} from '../../src/domain';
import { errorOf } from './helpers';

// Asia/Shanghai, 08:30–17:30 Mon–Fri: 00:30Z–09:30Z. 2026-11-27 is a Friday.
const calendar = new BusinessCalendar();
const at = (iso: string) => new Date(iso);
const fridayMorning = at('2026-11-27T02:00:00Z');
const now = at('2026-11-27T03:00:00Z');

const torque = parseTool({
  code: 'tq-200',
  name: 'torque wrench',
  special: true,
  originalPriceFen: 120_000,
  count: 2,
});
const lend = (input: Partial<Parameters<typeof lendTool>[2]> = {}, loans: ToolLoan[] = []) =>
  lendTool(
    torque,
    loans,
    {
      id: 'L-1',
      borrowerId: 'tech-1',
      signatureRef: 'sig/1.png',
      keeperId: 'keeper-1',
      condition: 'GOOD',
      lentAt: fridayMorning,
      ...input,
    },
    now,
  );

describe('tool lending', () => {
  it('R-IN-6 a tool has code, name, special flag, condition, original price and count', () => {
    expect(torque).toEqual({
      code: 'TQ-200',
      name: 'torque wrench',
      special: true,
      condition: 'GOOD',
      originalPriceFen: 120_000,
      count: 2,
    });
    expect(
      errorOf(() => parseTool({ code: 'T-1', name: 'x', originalPriceFen: 1, condition: 'NEW' })),
    ).toMatchObject({
      field: 'condition',
    });
  });

  it('R-IN-6 every loan is registered with count, borrower, signature and the condition the keeper checked', () => {
    expect(lend()).toEqual({
      id: 'L-1',
      toolCode: 'TQ-200',
      special: true,
      count: 1,
      borrowerId: 'tech-1',
      signatureRef: 'sig/1.png',
      keeperId: 'keeper-1',
      lentAt: fridayMorning,
      conditionAtLend: 'GOOD',
      returnedAt: null,
      returnedCount: null,
      conditionAtReturn: null,
      returnKeeperId: null,
    });
    expect(errorOf(() => lend({ signatureRef: '' }))).toMatchObject({ field: 'signatureRef' });
    expect(errorOf(() => lend({ condition: null }))).toMatchObject({ field: 'condition' });
  });

  it('R-IN-6 no more pieces go out than are on the shelf, and no damaged or lost tool', () => {
    const first = lend();
    expect(errorOf(() => lend({ count: 2 }, [first]))).toMatchObject({
      reason: 'TOOL_NOT_AVAILABLE',
    });
    expect(lend({ id: 'L-2' }, [first]).count).toBe(1);
    expect(errorOf(() => lend({ condition: 'DAMAGED' }))).toMatchObject({
      reason: 'TOOL_NOT_SERVICEABLE',
    });
    expect(
      errorOf(() => lendTool({ ...torque, condition: 'LOST' }, [], { condition: 'GOOD' }, now)),
    ).toMatchObject({ reason: 'TOOL_NOT_SERVICEABLE' });
  });

  it('R-IN-6 who borrows returns', () => {
    const loan = lend();
    const back = { returnedBy: 'tech-1', keeperId: 'keeper-2', condition: 'GOOD' };
    expect(
      errorOf(() => returnTool(torque, loan, { ...back, returnedBy: 'tech-2' }, now)),
    ).toMatchObject({
      code: 'FAILED_PRECONDITION',
      reason: 'NOT_THE_BORROWER',
    });
    const { loan: returned, charge } = returnTool(torque, loan, back, now);
    expect(charge).toBeNull();
    expect(returned).toMatchObject({
      returnedAt: now,
      returnedCount: 1,
      conditionAtReturn: 'GOOD',
      returnKeeperId: 'keeper-2',
    });
    expect(errorOf(() => returnTool(torque, returned, back, now))).toMatchObject({
      reason: 'ALREADY_RETURNED',
    });
    expect(
      errorOf(() => returnTool(torque, loan, { ...back, returnedAt: '2026-11-27T01:00:00Z' }, now)),
    ).toMatchObject({ reason: 'BEFORE_LENDING' });
  });

  it('R-IN-6 a lost tool is charged to the borrower at original price (tool_lost data)', () => {
    const loan = lend({ count: 2 });
    const { charge } = returnTool(
      torque,
      loan,
      { returnedBy: 'tech-1', keeperId: 'k', condition: 'LOST' },
      now,
    );
    expect(charge).toEqual({
      loanId: 'L-1',
      toolCode: 'TQ-200',
      toolName: 'torque wrench',
      borrowerId: 'tech-1',
      lostCount: 2,
      damagedCount: 0,
      originalPriceFen: 120_000,
      damagedSharePercent: 100,
      amountFen: 240_000,
      at: now,
    });
    expect(
      errorOf(() =>
        returnTool(
          torque,
          loan,
          { returnedBy: 'tech-1', keeperId: 'k', condition: 'LOST', returnedCount: 1 },
          now,
        ),
      ),
    ).toMatchObject({ reason: 'LOST_WITH_PIECES' });
  });

  it('R-IN-6 a damaged tool is charged at the configured share of its price (default all of it)', () => {
    const loan = lend({ count: 2 });
    const input = { returnedBy: 'tech-1', keeperId: 'k', condition: 'DAMAGED', returnedCount: 1 };
    expect(returnTool(torque, loan, input, now).charge).toMatchObject({
      lostCount: 1,
      damagedCount: 1,
      amountFen: 240_000,
    });
    expect(returnTool(torque, loan, input, now, { damagedSharePercent: 50 }).charge).toMatchObject({
      damagedSharePercent: 50,
      amountFen: 180_000,
    });
    expect(
      errorOf(() => returnTool(torque, loan, { ...input, returnedCount: 3 }, now)),
    ).toMatchObject({ field: 'returnedCount', reason: 'OUT_OF_RANGE' });
  });

  it('R-IN-6 the tool record loses lost pieces and takes a worse condition', () => {
    const loan = lend({ count: 2 });
    const back = (condition: string, returnedCount?: number) =>
      returnTool(
        torque,
        loan,
        { returnedBy: 'tech-1', keeperId: 'k', condition, returnedCount },
        now,
      ).loan;
    expect(toolAfterReturn(torque, back('DAMAGED', 1))).toMatchObject({
      count: 1,
      condition: 'DAMAGED',
    });
    expect(toolAfterReturn({ ...torque, condition: 'WORN' }, back('GOOD'))).toMatchObject({
      count: 2,
      condition: 'WORN',
    });
    expect(toolAfterReturn(torque, back('LOST'))).toMatchObject({ count: 0, condition: 'LOST' });
  });

  it('R-IN-6 a special tool is due at the close of the working day it was lent on', () => {
    expect(specialToolDueAt(fridayMorning, calendar)).toEqual(at('2026-11-27T09:30:00Z'));
    // Before opening on a working day: that day's close.
    expect(specialToolDueAt(at('2026-11-29T23:00:00Z'), calendar)).toEqual(
      at('2026-11-30T09:30:00Z'),
    );
    // After hours or on a day off: back at the next opening.
    expect(specialToolDueAt(at('2026-11-27T12:00:00Z'), calendar)).toEqual(
      at('2026-11-30T00:30:00Z'),
    );
    expect(specialToolDueAt(at('2026-11-28T03:00:00Z'), calendar)).toEqual(
      at('2026-11-30T00:30:00Z'),
    );
    const withHoliday = new BusinessCalendar({ holidays: ['2026-11-30'] });
    expect(specialToolDueAt(at('2026-11-27T12:00:00Z'), withHoliday)).toEqual(
      at('2026-12-01T00:30:00Z'),
    );
  });

  it('R-IN-6 special tools never stay out overnight: overdue once the close has passed', () => {
    const special = lend();
    const ordinary: ToolLoan = { ...lend({ id: 'L-2' }), special: false };
    const returned: ToolLoan = { ...lend({ id: 'L-3' }), returnedAt: now };
    const earlier: ToolLoan = { ...lend({ id: 'L-4' }), lentAt: at('2026-11-26T02:00:00Z') };
    const loans = [special, ordinary, returned, earlier];
    expect(overdueLoans(loans, at('2026-11-27T09:30:00Z'), calendar).map((o) => o.loan.id)).toEqual(
      ['L-4'],
    );
    expect(overdueLoans(loans, at('2026-11-27T09:30:00.001Z'), calendar)).toEqual([
      { loan: earlier, dueAt: at('2026-11-26T09:30:00Z') },
      { loan: special, dueAt: at('2026-11-27T09:30:00Z') },
    ]);
  });

  it('R-IN-6 the monthly count compares every tool with owned less on loan', () => {
    const drill: Tool = { ...torque, code: 'DR-1', special: false, count: 3 };
    const loans = [lend(), { ...lend({ id: 'L-9' }), returnedAt: now }];
    const result = toolCount([torque, drill], loans, [
      { toolCode: 'tq-200', counted: 1 },
      { toolCode: 'DR-1', counted: 2 },
    ]);
    expect(result.lines).toEqual([
      { toolCode: 'TQ-200', owned: 2, onLoan: 1, expected: 1, counted: 1, difference: 0 },
      { toolCode: 'DR-1', owned: 3, onLoan: 0, expected: 3, counted: 2, difference: -1 },
    ]);
    expect(result.discrepancies.map((l) => l.toolCode)).toEqual(['DR-1']);
    expect(
      errorOf(() => toolCount([torque, drill], [], [{ toolCode: 'TQ-200', counted: 2 }])),
    ).toMatchObject({
      reason: 'NOT_COUNTED',
    });
    expect(errorOf(() => toolCount([torque], [], [{ toolCode: 'X-1', counted: 1 }]))).toMatchObject(
      { field: 'counts.0.toolCode', reason: 'UNKNOWN_TOOL' },
    );
    expect(
      errorOf(() =>
        toolCount(
          [torque],
          [],
          [
            { toolCode: 'TQ-200', counted: 1 },
            { toolCode: 'TQ-200', counted: 1 },
          ],
        ),
      ),
    ).toMatchObject({ reason: 'DUPLICATE_TOOL' });
  });
});
