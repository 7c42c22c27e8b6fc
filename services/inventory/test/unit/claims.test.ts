import {
  cancelClaimOrder,
  forfeitClaimOrder,
  openClaimOrder,
  payDeposit,
  placeClaimOrder,
  settleClaimOrder,
  type ClaimActor,
  type ClaimOrderState,
} from '../../src/domain';
import { errorOf } from './helpers';

const now = new Date('2026-11-26T03:00:00Z');
const lead: ClaimActor = { id: 'lead-1', roles: ['workshop'] };
const director: ClaimActor = { id: 'dir-1', roles: ['manager'] };
const open = (unitPriceFen = 12_000, depositFen = 5_000): ClaimOrderState =>
  openClaimOrder(
    {
      id: 'c-1',
      customerId: 'cust-1',
      lines: [{ partCode: 'ctl-1', quantity: 2, unitPriceFen }],
      depositFen,
    },
    'adv-1',
    now,
  );
const paid = (o: ClaimOrderState) => ({ ...o, ...payDeposit(o, o.depositFen) });

describe('R-IN-4 claim order lifecycle (索赔订货需交订金, 更换完之后退还)', () => {
  it('opens OPEN with its value and the deposit asked', () => {
    expect(open()).toMatchObject({
      status: 'OPEN',
      valueFen: 24_000,
      depositFen: 5_000,
      depositPaidFen: 0,
    });
  });

  it('goes to the supplier only with the deposit paid in full', () => {
    expect(errorOf(() => placeClaimOrder(open(), lead, now))).toMatchObject({
      reason: 'DEPOSIT_NOT_PAID',
    });
    expect(placeClaimOrder(paid(open()), lead, now)).toMatchObject({
      status: 'ORDERED',
      orderedBy: 'lead-1',
    });
    // No deposit asked: the order may go at once.
    expect(placeClaimOrder(open(12_000, 0), lead, now).status).toBe('ORDERED');
  });

  it('is signed by the workshop lead, by the director (manager) above the large amount', () => {
    const big = paid(open(300_000, 100_000));
    expect(errorOf(() => placeClaimOrder(big, lead, now))).toMatchObject({
      code: 'PERMISSION_DENIED',
      reason: 'LARGE_CLAIM_NEEDS_MANAGER',
    });
    expect(placeClaimOrder(big, director, now).status).toBe('ORDERED');
    expect(
      errorOf(() => placeClaimOrder(paid(open()), { id: 'w', roles: ['warehouse'] }, now)).code,
    ).toBe('PERMISSION_DENIED');
  });

  it('refunds the deposit when the part is fitted, keeps it when the customer never comes', () => {
    const ordered = placeClaimOrder(paid(open()), lead, now);
    expect(settleClaimOrder(ordered, 'wh-1', now)).toMatchObject({
      status: 'SETTLED',
      depositRefundedFen: 5_000,
      depositForfeitedFen: 0,
    });
    expect(forfeitClaimOrder(ordered, 'wh-1', 'no show for 30 days', now)).toMatchObject({
      status: 'FORFEITED',
      depositRefundedFen: 0,
      depositForfeitedFen: 5_000,
    });
    expect(errorOf(() => forfeitClaimOrder(ordered, 'wh-1', '  ', now)).field).toBe('reason');
  });

  it('cancels only before ordering, refunding what was paid; closed orders stay closed', () => {
    const part = { ...open(), ...payDeposit(open(), 2_000) };
    expect(cancelClaimOrder(part, 'adv-1', 'customer changed mind', now)).toMatchObject({
      status: 'CANCELLED',
      depositRefundedFen: 2_000,
    });
    const ordered = placeClaimOrder(paid(open()), lead, now);
    expect(errorOf(() => cancelClaimOrder(ordered, 'adv-1', 'x', now)).reason).toBe(
      'ILLEGAL_TRANSITION',
    );
    const settled = settleClaimOrder(ordered, 'wh-1', now);
    expect(errorOf(() => settleClaimOrder(settled, 'wh-1', now)).reason).toBe('ILLEGAL_TRANSITION');
    expect(errorOf(() => settleClaimOrder(open(), 'wh-1', now)).reason).toBe('ILLEGAL_TRANSITION');
  });
});
