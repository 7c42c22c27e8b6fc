import {
  CompletedWorkOrder,
  OldPartReceipt,
  assertDepositPaid,
  missingOldParts,
  oldPartExpectations,
  parseClaimOrder,
  payDeposit,
  receiveOldPart,
  warrantyWriteOff,
} from '../../src/domain';
import { errorOf } from './helpers';

const now = new Date('2026-11-26T03:00:00Z');
const completed: CompletedWorkOrder = {
  workOrderId: 'wo-1',
  serviceType: 'WARRANTY',
  partsReplaced: [
    { code: 'ctl-1', name: 'Controller', quantity: 1, reason: 'burnt' },
    { code: null, name: 'Brake pad', quantity: 2, reason: 'worn' },
  ],
  oldPartsCollected: true,
  oldParts: [
    { name: 'controller', quantity: 1 },
    { name: 'brake  pad', quantity: 2 },
  ],
};
const expectations = oldPartExpectations(completed);
const receive = (
  receipts: readonly OldPartReceipt[],
  input: Parameters<typeof receiveOldPart>[2],
): OldPartReceipt[] => [
  ...receipts,
  receiveOldPart(expectations, receipts, { workOrderId: 'wo-1', receivedBy: 'k1', ...input }, now),
];

describe('old parts', () => {
  it('R-IN-4 each warranty part replaced expects its old part back', () => {
    expect(expectations).toEqual([
      { workOrderId: 'wo-1', partCode: 'CTL-1', name: 'Controller', quantity: 1 },
      { workOrderId: 'wo-1', partCode: null, name: 'Brake pad', quantity: 2 },
    ]);
    expect(oldPartExpectations({ ...completed, serviceType: 'PAID' })).toEqual([]);
  });

  it('R-IN-4 missing old parts are listed until they come back', () => {
    expect(missingOldParts(expectations, []).map((m) => [m.name, m.missing])).toEqual([
      ['Controller', 1],
      ['Brake pad', 2],
    ]);
    let receipts = receive([], { partCode: 'CTL-1', name: 'controller board' });
    receipts = receive(receipts, { name: 'BRAKE PAD', quantity: 1 });
    expect(missingOldParts(expectations, receipts)).toEqual([
      {
        workOrderId: 'wo-1',
        partCode: null,
        name: 'Brake pad',
        quantity: 2,
        received: 1,
        missing: 1,
      },
    ]);
    receipts = receive(receipts, { name: 'Brake pad', quantity: 1 });
    expect(missingOldParts(expectations, receipts)).toEqual([]);
  });

  it('R-IN-4 a receipt is matched once even when two lines name the same part', () => {
    const twice = oldPartExpectations({
      ...completed,
      partsReplaced: [
        { code: 'P-1', name: 'pad', quantity: 1, reason: 'a' },
        { code: 'P-1', name: 'pad', quantity: 1, reason: 'b' },
      ],
    });
    const receipts = [
      { workOrderId: 'wo-1', partCode: 'P-1', name: 'pad', quantity: 1 },
      { workOrderId: 'wo-2', partCode: 'P-1', name: 'pad', quantity: 1 },
    ];
    expect(missingOldParts(twice, receipts)).toHaveLength(1);
  });

  it('R-IN-4 only old parts still owed are received', () => {
    const receipts = receive([], { partCode: 'CTL-1', name: 'controller' });
    expect(
      errorOf(() => receive(receipts, { partCode: 'CTL-1', name: 'controller' })),
    ).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'OLD_PART_NOT_EXPECTED' });
    expect(errorOf(() => receive([], { name: 'mirror' }))).toMatchObject({
      reason: 'OLD_PART_NOT_EXPECTED',
    });
    expect(errorOf(() => receive([], { name: 'Brake pad', quantity: 0 }))).toMatchObject({
      field: 'quantity',
    });
    expect(
      errorOf(() => receive([], { name: 'Brake pad', receivedAt: '2026-12-01T00:00:00Z' })),
    ).toMatchObject({ reason: 'IN_FUTURE' });
  });

  it('R-IN-4 the write-off closes when the service report and all old parts match', () => {
    expect(warrantyWriteOff(completed, []).status).toBe('OPEN');
    let receipts = receive([], { partCode: 'CTL-1', name: 'Controller' });
    receipts = receive(receipts, { name: 'Brake pad', quantity: 2 });
    expect(warrantyWriteOff(completed, receipts)).toEqual({
      workOrderId: 'wo-1',
      status: 'CLOSED',
      missing: [],
      undeclared: [],
    });
    const notDeclared = { ...completed, oldParts: [{ name: 'Controller', quantity: 1 }] };
    expect(warrantyWriteOff(notDeclared, receipts)).toMatchObject({
      status: 'OPEN',
      undeclared: [{ name: 'Brake pad', expected: 2, declared: 0 }],
    });
    const notCollected = { ...completed, oldPartsCollected: false };
    expect(warrantyWriteOff(notCollected, receipts).undeclared).toHaveLength(2);
    expect(warrantyWriteOff({ ...completed, serviceType: 'CONTRACT' }, []).status).toBe('CLOSED');
  });

  it('R-IN-4 a claim order may ask a deposit no larger than its value', () => {
    const order = parseClaimOrder({
      id: 'CO-1',
      customerId: 'cust-1',
      lines: [
        { partCode: 'frm-1', quantity: 1, unitPriceFen: 80_000 },
        { partCode: 'AXL-2', quantity: 2, unitPriceFen: 10_000 },
      ],
      depositFen: 30_000,
    });
    expect(order).toMatchObject({
      valueFen: 100_000,
      depositFen: 30_000,
      depositPaidFen: 0,
      workOrderId: null,
    });
    expect(errorOf(() => assertDepositPaid(order))).toMatchObject({ reason: 'DEPOSIT_NOT_PAID' });
    const part = payDeposit(order, 10_000);
    expect(errorOf(() => payDeposit(part, 20_001))).toMatchObject({ reason: 'DEPOSIT_OVERPAID' });
    expect(errorOf(() => payDeposit(part, 0))).toMatchObject({ field: 'amountFen' });
    expect(() => assertDepositPaid(payDeposit(part, 20_000))).not.toThrow();
    expect(() => assertDepositPaid({ ...order, depositFen: 0 })).not.toThrow();
  });

  it.each([
    [{ depositFen: 100_001 }, 'depositFen', 'DEPOSIT_EXCEEDS_VALUE'],
    [{ depositFen: 10.5 }, 'depositFen', 'NOT_AN_INTEGER'],
    [{ depositFen: -1 }, 'depositFen', 'OUT_OF_RANGE'],
    [{ customerId: '' }, 'customerId', 'REQUIRED'],
    [{ lines: [] }, 'lines', 'REQUIRED'],
    [
      { lines: [{ partCode: 'P-1', quantity: 1_000_000, unitPriceFen: 1_000_000_000 }] },
      'lines',
      'OUT_OF_RANGE',
    ],
  ])('R-IN-4 refuses a claim order with %j', (patch, field, reason) => {
    const input = {
      id: 'CO-1',
      customerId: 'c',
      lines: [{ partCode: 'P-1', quantity: 1, unitPriceFen: 100_000 }],
      ...patch,
    };
    expect(errorOf(() => parseClaimOrder(input))).toMatchObject({ field, reason });
  });
});
