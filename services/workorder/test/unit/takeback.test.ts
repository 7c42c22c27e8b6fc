import {
  newRepairCard,
  GoodsRegisterEntry,
  addRepairHours,
  addRepairPart,
  assertCanReturn,
  issueGoodsReceipt,
  registerGoods,
  totalRepairHours,
  voidGoodsReceipt,
} from '../../src/domain';
import { errorOf } from './helpers';

const issuedAt = new Date('2026-11-24T03:00:00Z');
const later = new Date('2026-11-26T03:00:00Z');
const receipt = issueGoodsReceipt(
  'GR-20261124-0001',
  [
    { description: ' controller unit ', serialNumber: 'SN-1' },
    { description: 'charger', quantity: 2 },
  ],
  issuedAt,
);

describe('take-back repair', () => {
  it('R-WO-5 issues a goods receipt listing what the customer handed over', () => {
    expect(receipt).toEqual({
      number: 'GR-20261124-0001',
      items: [
        { description: 'controller unit', quantity: 1, serialNumber: 'SN-1' },
        { description: 'charger', quantity: 2, serialNumber: null },
      ],
      issuedAt,
      voidedAt: null,
    });
    expect(errorOf(() => issueGoodsReceipt('GR-1', [], issuedAt))).toMatchObject({
      field: 'items',
      reason: 'REQUIRED',
    });
    expect(
      errorOf(() => issueGoodsReceipt('GR-1', [{ description: 'x', quantity: 0 }], issuedAt)),
    ).toMatchObject({
      field: 'items.0.quantity',
      reason: 'OUT_OF_RANGE',
    });
    expect(errorOf(() => issueGoodsReceipt('GR-1', [{ quantity: 1 }], issuedAt))).toMatchObject({
      field: 'items.0.description',
    });
  });

  it('R-WO-5 on return the receipt is taken back and voided, once', () => {
    const voided = voidGoodsReceipt(receipt, later);
    expect(voided.voidedAt).toEqual(later);
    expect(receipt.voidedAt).toBeNull();
    expect(errorOf(() => voidGoodsReceipt(voided, later))).toMatchObject({
      code: 'FAILED_PRECONDITION',
      reason: 'RECEIPT_ALREADY_VOIDED',
    });
    expect(
      errorOf(() => voidGoodsReceipt(receipt, new Date(issuedAt.getTime() - 1))),
    ).toMatchObject({
      reason: 'BEFORE_ISSUE',
    });
  });

  it('R-WO-5 goods go back only against the voided receipt', () => {
    expect(() => assertCanReturn(voidGoodsReceipt(receipt, later))).not.toThrow();
    expect(errorOf(() => assertCanReturn(receipt))).toMatchObject({ reason: 'RECEIPT_NOT_VOIDED' });
    expect(errorOf(() => assertCanReturn(null))).toMatchObject({ reason: 'NO_GOODS_RECEIPT' });
  });

  it('R-WO-5 the goods in/out register takes each receipt in once, then out once', () => {
    const register: GoodsRegisterEntry[] = [];
    expect(errorOf(() => registerGoods(register, 'OUT', receipt, later, 'w1'))).toMatchObject({
      reason: 'GOODS_NOT_REGISTERED_IN',
    });
    register.push(registerGoods(register, 'IN', receipt, issuedAt, 'w1'));
    expect(register[0]).toEqual({
      direction: 'IN',
      receiptNumber: 'GR-20261124-0001',
      at: issuedAt,
      handledBy: 'w1',
    });
    expect(errorOf(() => registerGoods(register, 'IN', receipt, later, 'w1'))).toMatchObject({
      reason: 'ALREADY_REGISTERED',
    });
    expect(
      errorOf(() =>
        registerGoods(register, 'OUT', receipt, new Date(issuedAt.getTime() - 1), 'w2'),
      ),
    ).toMatchObject({ reason: 'BEFORE_GOODS_IN' });
    register.push(registerGoods(register, 'OUT', receipt, later, 'w2'));
    expect(errorOf(() => registerGoods(register, 'OUT', receipt, later, 'w2'))).toMatchObject({
      reason: 'ALREADY_REGISTERED',
    });
    expect(errorOf(() => registerGoods([], 'IN', receipt, later, ' '))).toMatchObject({
      field: 'handledBy',
    });
  });

  it('R-WO-5 the repair card records hours spent and parts replaced', () => {
    let card = addRepairHours(newRepairCard(), {
      technicianId: 't1',
      hours: 23.9,
      date: '2026-11-25',
      description: 'rewind motor',
    });
    card = addRepairHours(card, {
      technicianId: 't1',
      hours: 0.1,
      date: '2026-11-25',
      description: 'test',
    });
    card = addRepairHours(card, {
      technicianId: 't2',
      hours: 2,
      date: '2026-11-25',
      description: 'help',
    });
    card = addRepairPart(card, { code: 'P-100', name: 'bearing', quantity: 2, reason: 'worn' });
    expect(totalRepairHours(card)).toBe(26);
    expect(card.parts).toEqual([{ code: 'P-100', name: 'bearing', quantity: 2, reason: 'worn' }]);
  });

  it.each([
    [{ hours: 0 }, 'hours', 'OUT_OF_RANGE'],
    [{ hours: 24.5 }, 'hours', 'OUT_OF_RANGE'],
    [{ hours: -1 }, 'hours', 'OUT_OF_RANGE'],
    [{ date: '2026-02-30' }, 'date', 'INVALID_DATE'],
    [{ technicianId: '' }, 'technicianId', 'REQUIRED'],
    [{ description: '' }, 'description', 'REQUIRED'],
  ])('R-WO-5 refuses repair hours %j', (patch, field, reason) => {
    const entry = { technicianId: 't1', hours: 1, date: '2026-11-25', description: 'x', ...patch };
    expect(errorOf(() => addRepairHours(newRepairCard(), entry))).toMatchObject({
      field,
      reason,
    });
  });

  it('R-WO-5 no technician books more than 24 h on one day', () => {
    const card = addRepairHours(newRepairCard(), {
      technicianId: 't1',
      hours: 20,
      date: '2026-11-25',
      description: 'x',
    });
    expect(
      errorOf(() =>
        addRepairHours(card, {
          technicianId: 't1',
          hours: 5,
          date: '2026-11-25',
          description: 'y',
        }),
      ),
    ).toMatchObject({ reason: 'HOURS_EXCEED_DAY' });
  });

  it('R-WO-5 refuses a part without name, quantity or reason', () => {
    expect(
      errorOf(() => addRepairPart(newRepairCard(), { name: 'x', quantity: 0, reason: 'r' })),
    ).toMatchObject({
      field: 'part.quantity',
    });
    expect(errorOf(() => addRepairPart(newRepairCard(), { name: 'x', quantity: 1 }))).toMatchObject(
      {
        field: 'part.reason',
        reason: 'REQUIRED',
      },
    );
  });
});
