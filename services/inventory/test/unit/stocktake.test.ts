import { adjustmentDocument, compareCount, movesOf, parseShelfCounts } from '../../src/domain';
import { errorOf } from './helpers';

const now = new Date('2026-11-30T09:00:00Z');
const book = new Map([
  ['P-1', 10],
  ['P-2', 4],
  ['P-3', 7],
]);
const prices = new Map([
  ['P-1', 500],
  ['P-2', 1_200],
]);

describe('stocktake', () => {
  it('R-IN-2 a count compares book and shelf and adjusts only the differences', () => {
    const counts = parseShelfCounts([
      { partCode: 'p-1', counted: 10 },
      { partCode: 'P-2', counted: 1 },
      { partCode: 'P-3', counted: 9 },
      { partCode: 'P-4', counted: 2 },
    ]);
    const result = compareCount(book, counts, prices);
    expect(result.lines).toEqual([
      { partCode: 'P-1', book: 10, counted: 10, difference: 0 },
      { partCode: 'P-2', book: 4, counted: 1, difference: -3 },
      { partCode: 'P-3', book: 7, counted: 9, difference: 2 },
      { partCode: 'P-4', book: 0, counted: 2, difference: 2 },
    ]);
    expect(result.adjustments).toEqual([
      { partCode: 'P-2', quantity: -3 },
      { partCode: 'P-3', quantity: 2 },
      { partCode: 'P-4', quantity: 2 },
    ]);
    expect(result.summary).toEqual({
      partsCounted: 4,
      partsMatching: 1,
      accuracy: 0.25,
      unitsSurplus: 4,
      unitsShort: 3,
      surplusFen: 0,
      shortageFen: 3_600,
    });
  });

  it('R-IN-2 the adjustment document posts the differences as a COUNT_ADJUSTMENT', () => {
    const result = compareCount(book, parseShelfCounts([{ partCode: 'P-1', counted: 8 }]));
    const document = adjustmentDocument(
      result,
      { warehouseCode: 'ST-SZ', by: 'keeper-1', at: now, reason: 'monthly count' },
      now,
    );
    expect(document).toMatchObject({
      type: 'COUNT_ADJUSTMENT',
      warehouseCode: 'ST-SZ',
      reason: 'monthly count',
    });
    expect(movesOf(document!)).toEqual([{ warehouseCode: 'ST-SZ', partCode: 'P-1', quantity: -2 }]);
  });

  it('R-IN-2 a count that matches the book posts nothing and scores full accuracy', () => {
    const result = compareCount(book, parseShelfCounts([{ partCode: 'P-1', counted: 10 }]));
    expect(result.summary.accuracy).toBe(1);
    expect(
      adjustmentDocument(result, { warehouseCode: 'CW', by: 'k', at: now, reason: 'x' }, now),
    ).toBeNull();
  });

  it.each([
    [[], 'counts', 'REQUIRED'],
    [[{ partCode: 'P-1', counted: -1 }], 'counts.0.counted', 'OUT_OF_RANGE'],
    [[{ partCode: 'P-1' }], 'counts.0.counted', 'REQUIRED'],
    [
      [
        { partCode: 'P-1', counted: 1 },
        { partCode: 'P-1', counted: 2 },
      ],
      'counts.1.partCode',
      'DUPLICATE_PART',
    ],
  ])('R-IN-2 refuses shelf counts %j', (input, field, reason) => {
    expect(errorOf(() => parseShelfCounts(input))).toMatchObject({ field, reason });
  });
});
