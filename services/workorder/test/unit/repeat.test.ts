import { CompletedOrder, isRepeatRepair } from '../../src/domain';
import { errorOf } from './helpers';

const DAY = 86_400_000;
const completedAt = new Date('2026-11-01T08:00:00Z');
const earlier: CompletedOrder = { id: 'wo-1', assetId: 'a-1', category: 'ELECTRICAL', completedAt };
const call = (
  daysAfter: number,
  patch: Partial<{ assetId: string | null; category: string }> = {},
) => ({
  id: 'wo-new',
  assetId: 'a-1',
  category: 'ELECTRICAL',
  calledAt: new Date(completedAt.getTime() + daysAfter * DAY),
  ...patch,
});

describe('repeat repair', () => {
  it('R-WO-8 the same asset with the same fault within 30 days of completion is a repeat', () => {
    expect(isRepeatRepair(call(3), [earlier])).toBe(earlier);
    expect(isRepeatRepair(call(30), [earlier])).toBe(earlier);
    expect(isRepeatRepair(call(30.001), [earlier])).toBeNull();
  });

  it('R-WO-8 another asset, another fault, or an order that completed later is no repeat', () => {
    expect(isRepeatRepair(call(3, { assetId: 'a-2' }), [earlier])).toBeNull();
    expect(isRepeatRepair(call(3, { category: 'BODY' }), [earlier])).toBeNull();
    expect(isRepeatRepair(call(-1), [earlier])).toBeNull();
    expect(isRepeatRepair(call(3, { assetId: null }), [{ ...earlier, assetId: null }])).toBeNull();
    expect(isRepeatRepair({ ...call(3), id: 'wo-1' }, [earlier])).toBeNull();
  });

  it('R-WO-8 the window is configurable; the most recent earlier order is named', () => {
    expect(isRepeatRepair(call(40), [earlier], 45)).toBe(earlier);
    expect(isRepeatRepair(call(8), [earlier], 7)).toBeNull();
    const recent = {
      ...earlier,
      id: 'wo-2',
      completedAt: new Date(completedAt.getTime() + 5 * DAY),
    };
    expect(isRepeatRepair(call(10), [recent, earlier])?.id).toBe('wo-2');
    expect(isRepeatRepair(call(10), [earlier, recent])?.id).toBe('wo-2');
    expect(errorOf(() => isRepeatRepair(call(1), [earlier], 0))).toMatchObject({
      field: 'windowDays',
    });
  });
});
