import {
  Part,
  PostedIssue,
  issueAccuracy,
  lowStockAlerts,
  recordWrongPartCorrection,
  stockKey,
} from '../../src/domain';
import { errorOf } from './helpers';

const issueAt = new Date('2026-11-10T02:00:00Z');
const now = new Date('2026-11-12T02:00:00Z');
const issue: PostedIssue = {
  id: 'doc-1',
  at: issueAt,
  lines: [
    { partCode: 'BRG-6', quantity: 4 },
    { partCode: 'MTR-1', quantity: 1 },
  ],
};

describe('issue accuracy and low stock', () => {
  it('R-IN-5 a wrong-part correction is recorded against the issue', () => {
    expect(
      recordWrongPartCorrection(
        issue,
        { wrongPartCode: 'brg-6', rightPartCode: 'BRG-6Z', quantity: 2, correctedBy: 'k1' },
        now,
      ),
    ).toEqual({
      issueId: 'doc-1',
      wrongPartCode: 'BRG-6',
      rightPartCode: 'BRG-6Z',
      quantity: 2,
      correctedBy: 'k1',
      correctedAt: now,
      note: null,
    });
    expect(
      recordWrongPartCorrection(
        issue,
        { wrongPartCode: 'MTR-1', rightPartCode: 'MTR-2', correctedBy: 'k1' },
        now,
      ).quantity,
    ).toBe(1);
  });

  it.each([
    [{ wrongPartCode: 'X-1' }, 'wrongPartCode', 'NOT_ON_ISSUE'],
    [{ rightPartCode: 'BRG-6' }, 'rightPartCode', 'SAME_PART'],
    [{ quantity: 5 }, 'quantity', 'EXCEEDS_ISSUED'],
    [{ correctedAt: '2026-11-10T01:59:00Z' }, 'correctedAt', 'BEFORE_ISSUE'],
    [{ correctedBy: '' }, 'correctedBy', 'REQUIRED'],
  ])('R-IN-5 refuses a correction with %j', (patch, field, reason) => {
    const input = { wrongPartCode: 'BRG-6', rightPartCode: 'BRG-7', correctedBy: 'k1', ...patch };
    expect(errorOf(() => recordWrongPartCorrection(issue, input, now))).toMatchObject({
      field,
      reason,
    });
  });

  it('R-IN-5 issue accuracy is correct issues over issues in the period, against a 98% target', () => {
    const at = (day: number) => new Date(Date.UTC(2026, 10, day, 2));
    const issues = Array.from({ length: 50 }, (_, i) => ({ id: `d${i}`, at: at(1 + (i % 28)) }));
    const outside = { id: 'old', at: new Date('2026-10-31T23:59:59Z') };
    const period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
    const one = [{ issueId: 'd3' }, { issueId: 'd3' }, { issueId: 'old' }];
    expect(issueAccuracy([...issues, outside], one, period)).toEqual({
      issues: 50,
      correct: 49,
      wrong: 1,
      accuracy: 0.98,
      meetsTarget: true,
    });
    const two = [...one, { issueId: 'd4' }];
    expect(issueAccuracy(issues, two, period)).toMatchObject({
      accuracy: 0.96,
      meetsTarget: false,
    });
    expect(issueAccuracy(issues, two, period, 0.95).meetsTarget).toBe(true);
    expect(issueAccuracy([], [], period)).toMatchObject({ accuracy: null, meetsTarget: null });
  });

  it('R-IN-5 a low-stock alert fires when on-hand falls to or below the reorder point, once', () => {
    const parts = new Map<string, Pick<Part, 'reorderPoint' | 'critical'>>([
      ['MTR-1', { reorderPoint: 2, critical: true }],
      ['BRG-6', { reorderPoint: 0, critical: false }],
    ]);
    const key = (p: string, w = 'ST-SZ') => stockKey(w, p);
    const before = new Map([
      [key('MTR-1'), 3],
      [key('MTR-1', 'CW'), 2],
      [key('BRG-6'), 1],
      [key('UNKNOWN'), 5],
    ]);
    const after = new Map([
      [key('MTR-1'), 2],
      [key('MTR-1', 'CW'), 1],
      [key('BRG-6'), 0],
      [key('UNKNOWN'), 0],
    ]);
    expect(lowStockAlerts(before, after, parts)).toEqual([
      { warehouseCode: 'ST-SZ', partCode: 'MTR-1', onHand: 2, reorderPoint: 2, critical: true },
      { warehouseCode: 'ST-SZ', partCode: 'BRG-6', onHand: 0, reorderPoint: 0, critical: false },
    ]);
    // Already below: further issues do not fire again; a receipt above the point re-arms it.
    expect(lowStockAlerts(after, new Map([[key('MTR-1'), 1]]), parts)).toEqual([]);
    expect(lowStockAlerts(after, new Map([[key('MTR-1'), 5]]), parts)).toEqual([]);
    expect(lowStockAlerts(new Map([[key('MTR-1'), 5]]), after, parts)).toHaveLength(1);
  });
});
