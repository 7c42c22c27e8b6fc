import {
  Actor,
  DEFAULT_DISCOUNT_AUTHORITY,
  DiscountAuthority,
  approveDiscount,
  assertChargesSettled,
  authorityOf,
  computeCharges,
} from '../../src/domain';
import { errorOf } from './helpers';

const tech: Actor = { userId: 'u-tech', roles: ['technician'] };
const manager: Actor = { userId: 'u-boss', roles: ['manager'] };
const base = { labourFen: 20_000, partsFen: 15_050, travelFen: 4_950 }; // 400.00 yuan

describe('paid service charges', () => {
  it('R-WO-7 sums labour, parts and travel in integer fen', () => {
    expect(computeCharges({ ...base, invoiceRequested: true }, tech)).toEqual({
      ...base,
      subtotalFen: 40_000,
      discountFen: 0,
      totalFen: 40_000,
      discountStatus: 'NONE',
      requestedBy: 'u-tech',
      approvedBy: null,
      invoiceRequested: true,
    });
    expect(computeCharges({ labourFen: 100 }, tech)).toMatchObject({
      subtotalFen: 100,
      invoiceRequested: false,
    });
  });

  it.each([
    [{ labourFen: -1 }, 'labourFen', 'OUT_OF_RANGE'],
    [{ partsFen: 10.5 }, 'partsFen', 'NOT_AN_INTEGER'],
    [{ travelFen: Number.MAX_SAFE_INTEGER + 1 }, 'travelFen', 'NOT_AN_INTEGER'],
    [{ labourFen: Number.MAX_SAFE_INTEGER, partsFen: 1 }, 'labourFen', 'OUT_OF_RANGE'],
    [{ discount: { kind: 'AMOUNT', fen: -5 } }, 'discount.fen', 'OUT_OF_RANGE'],
    [{ discount: { kind: 'AMOUNT', fen: 40_001 } }, 'discount.fen', 'DISCOUNT_EXCEEDS_TOTAL'],
    [{ discount: { kind: 'PERCENT', percent: 101 } }, 'discount.percent', 'OUT_OF_RANGE'],
    [{ discount: { kind: 'PERCENT', percent: 1.234 } }, 'discount.percent', 'TOO_PRECISE'],
    [{ discount: { kind: 'BOGOF' } }, 'discount.kind', 'INVALID_VALUE'],
  ])('R-WO-7 refuses %j', (patch, field, reason) => {
    expect(errorOf(() => computeCharges({ ...base, ...patch } as never, tech))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field,
      reason,
    });
  });

  it('R-WO-7 a percent discount becomes fen, rounded half up, and the total never goes negative', () => {
    expect(
      computeCharges({ labourFen: 999, discount: { kind: 'PERCENT', percent: 5 } }, tech),
    ).toMatchObject({
      discountFen: 50, // 49.95 → 50
      totalFen: 949,
    });
    expect(
      computeCharges({ labourFen: 1001, discount: { kind: 'PERCENT', percent: 12.5 } }, manager),
    ).toMatchObject({
      discountFen: 125, // 125.125 → 125
      totalFen: 876,
    });
    expect(
      computeCharges(
        { labourFen: 500, discount: { kind: 'PERCENT', percent: 100 } },
        { userId: 'x', roles: [] },
      ),
    ).toMatchObject({ totalFen: 0, discountStatus: 'PENDING_APPROVAL' });
  });

  it('R-WO-7 a discount within the employee’s authority needs no approval; beyond it waits for a manager', () => {
    expect(
      computeCharges({ ...base, discount: { kind: 'AMOUNT', fen: 2_000 } }, tech).discountStatus,
    ).toBe(
      'WITHIN_AUTHORITY', // exactly 5 %
    );
    const pending = computeCharges({ ...base, discount: { kind: 'AMOUNT', fen: 2_001 } }, tech);
    expect(pending.discountStatus).toBe('PENDING_APPROVAL');
    expect(errorOf(() => assertChargesSettled(pending))).toMatchObject({
      code: 'FAILED_PRECONDITION',
      reason: 'DISCOUNT_PENDING_APPROVAL',
    });
    const approved = approveDiscount(pending, manager);
    expect(approved).toMatchObject({
      discountStatus: 'APPROVED',
      approvedBy: 'u-boss',
      totalFen: 37_999,
    });
    expect(() => assertChargesSettled(approved)).not.toThrow();
  });

  it('R-WO-7 authority is data: an employee’s own limit wins over the most generous role', () => {
    const authority: DiscountAuthority = {
      ...DEFAULT_DISCOUNT_AUTHORITY,
      byEmployee: { 'u-senior': 15 },
    };
    expect(authorityOf({ userId: 'u-senior', roles: ['technician'] }, authority)).toBe(1500);
    expect(authorityOf({ userId: 'u-x', roles: ['technician', 'dispatcher'] }, authority)).toBe(
      1000,
    );
    expect(authorityOf({ userId: 'u-x', roles: ['auditor'] }, authority)).toBe(0);
    expect(
      computeCharges(
        { ...base, discount: { kind: 'PERCENT', percent: 15 } },
        { userId: 'u-senior', roles: ['technician'] },
        authority,
      ).discountStatus,
    ).toBe('WITHIN_AUTHORITY');
  });

  it('R-WO-7 only a manager other than the requester approves, and only a pending discount', () => {
    const pending = computeCharges(
      { ...base, discount: { kind: 'PERCENT', percent: 40 } },
      manager,
    );
    expect(pending.discountStatus).toBe('PENDING_APPROVAL');
    expect(errorOf(() => approveDiscount(pending, manager))).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    expect(errorOf(() => approveDiscount(pending, tech))).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    const other = { userId: 'u-boss-2', roles: ['manager'] };
    const approved = approveDiscount(pending, other);
    expect(errorOf(() => approveDiscount(approved, other))).toMatchObject({
      reason: 'NO_PENDING_DISCOUNT',
    });
    expect(errorOf(() => approveDiscount(computeCharges(base, tech), other))).toMatchObject({
      reason: 'NO_PENDING_DISCOUNT',
    });
  });
});
