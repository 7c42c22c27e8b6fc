import fc from 'fast-check';
import { AppError } from '@aftercare/kit';
import {
  DocumentType,
  LedgerMove,
  StockDocument,
  applyMoves,
  movesOf,
  onHandOf,
  parseStockDocument,
  stockKey,
} from '../../src/domain';
import { errorOf } from './helpers';

const now = new Date('2026-11-24T06:00:00Z');
const doc = (input: Parameters<typeof parseStockDocument>[0]) =>
  parseStockDocument({ by: 'keeper-1', ...input }, now);

describe('stock documents and the ledger', () => {
  it('R-IN-2 a document carries type, warehouse, lines, who, when and reference', () => {
    expect(
      doc({
        type: 'ISSUE',
        warehouseCode: 'st-sz',
        lines: [{ partCode: 'p-1', quantity: 2 }],
        reference: 'REQ-1',
      }),
    ).toEqual({
      type: 'ISSUE',
      warehouseCode: 'ST-SZ',
      toWarehouseCode: null,
      lines: [{ partCode: 'P-1', quantity: 2 }],
      by: 'keeper-1',
      at: now,
      reference: 'REQ-1',
      reason: null,
    });
  });

  it.each([
    [{ type: 'SALE' }, 'type', 'INVALID_VALUE'],
    [{ lines: [] }, 'lines', 'REQUIRED'],
    [{ lines: [{ partCode: 'P-1', quantity: 0 }] }, 'lines.0.quantity', 'OUT_OF_RANGE'],
    [{ lines: [{ partCode: 'P-1', quantity: -2 }] }, 'lines.0.quantity', 'OUT_OF_RANGE'],
    [{ lines: [{ partCode: 'P-1', quantity: 1.5 }] }, 'lines.0.quantity', 'NOT_AN_INTEGER'],
    [
      {
        lines: [
          { partCode: 'P-1', quantity: 1 },
          { partCode: 'p-1', quantity: 2 },
        ],
      },
      'lines.1.partCode',
      'DUPLICATE_PART',
    ],
    [{ toWarehouseCode: 'ST-BJ' }, 'toWarehouseCode', 'NOT_A_TRANSFER'],
    [{ type: 'TRANSFER' }, 'toWarehouseCode', 'REQUIRED'],
    [{ type: 'TRANSFER', toWarehouseCode: 'cw' }, 'toWarehouseCode', 'SAME_WAREHOUSE'],
    [{ type: 'ISSUE' }, 'reference', 'REQUIRED'],
    [{ type: 'RETURN' }, 'reference', 'REQUIRED'],
    [{ type: 'WRITE_OFF' }, 'reason', 'REQUIRED'],
    [
      { type: 'COUNT_ADJUSTMENT', reason: 'count', lines: [{ partCode: 'P-1', quantity: 0 }] },
      'lines.0.quantity',
      'ZERO_QUANTITY',
    ],
    [{ type: 'COUNT_ADJUSTMENT' }, 'reason', 'REQUIRED'],
    [{ by: ' ' }, 'by', 'REQUIRED'],
    [{ at: '2026-11-25T06:00:00Z' }, 'at', 'IN_FUTURE'],
  ])('R-IN-2 refuses a document with %j', (patch, field, reason) => {
    const input = {
      type: 'RECEIPT',
      warehouseCode: 'CW',
      lines: [{ partCode: 'P-1', quantity: 1 }],
      ...patch,
    };
    expect(errorOf(() => doc(input))).toMatchObject({ code: 'INVALID_ARGUMENT', field, reason });
  });

  it('R-IN-2 each document type posts signed moves; a transfer is −q at the source, +q at the destination', () => {
    const line = [{ partCode: 'P-1', quantity: 3 }];
    const base = { warehouseCode: 'CW', lines: line, reference: 'R-1', reason: 'why' };
    const signOf = (type: DocumentType) => movesOf(doc({ ...base, type }))[0]?.quantity;
    expect(signOf('RECEIPT')).toBe(3);
    expect(signOf('ISSUE')).toBe(-3);
    expect(signOf('RETURN')).toBe(3);
    expect(signOf('WRITE_OFF')).toBe(-3);
    expect(movesOf(doc({ ...base, type: 'TRANSFER', toWarehouseCode: 'ST-SZ' }))).toEqual([
      { warehouseCode: 'CW', partCode: 'P-1', quantity: -3 },
      { warehouseCode: 'ST-SZ', partCode: 'P-1', quantity: 3 },
    ]);
    const adjustment = doc({
      ...base,
      type: 'COUNT_ADJUSTMENT',
      lines: [
        { partCode: 'P-1', quantity: -2 },
        { partCode: 'P-2', quantity: 4 },
      ],
    });
    expect(movesOf(adjustment).map((m) => m.quantity)).toEqual([-2, 4]);
  });

  it('R-IN-2 on-hand never goes negative: a move that would is refused naming part and warehouse', () => {
    const onHand = new Map([[stockKey('CW', 'P-1'), 2]]);
    const moves: LedgerMove[] = [{ warehouseCode: 'CW', partCode: 'P-1', quantity: -3 }];
    const error = errorOf(() => applyMoves(onHand, moves));
    expect(error).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'INSUFFICIENT_STOCK' });
    expect(error.message).toContain('P-1');
    expect(error.message).toContain('CW');
    expect(onHand.get('CW/P-1')).toBe(2);
    const next = applyMoves(onHand, [{ warehouseCode: 'CW', partCode: 'P-1', quantity: -2 }]);
    expect(onHandOf(next, 'CW', 'P-1')).toBe(0);
    expect(onHandOf(next, 'ST-SZ', 'P-1')).toBe(0);
    expect(onHand.get('CW/P-1')).toBe(2);
  });

  it('R-IN-2 a document applies whole or not at all', () => {
    const onHand = new Map([[stockKey('CW', 'P-1'), 5]]);
    const transfer = doc({
      type: 'TRANSFER',
      warehouseCode: 'CW',
      toWarehouseCode: 'ST-SZ',
      lines: [
        { partCode: 'P-1', quantity: 5 },
        { partCode: 'P-2', quantity: 1 },
      ],
    });
    expect(errorOf(() => applyMoves(onHand, movesOf(transfer))).message).toContain('P-2');
    expect([...onHand]).toEqual([['CW/P-1', 5]]);
  });

  it('R-IN-2 random document sequences never make on-hand negative and on-hand equals the sum of accepted moves', () => {
    const warehouses = ['CW', 'ST-A', 'ST-B'];
    const parts = ['P-1', 'P-2', 'P-3'];
    const documentArb = fc
      .record({
        type: fc.constantFrom<DocumentType>(
          'RECEIPT',
          'ISSUE',
          'RETURN',
          'TRANSFER',
          'WRITE_OFF',
          'COUNT_ADJUSTMENT',
        ),
        from: fc.constantFrom(...warehouses),
        toOffset: fc.integer({ min: 1, max: warehouses.length - 1 }),
        lines: fc.uniqueArray(
          fc.record({
            partCode: fc.constantFrom(...parts),
            quantity: fc.integer({ min: 1, max: 20 }),
            negative: fc.boolean(),
          }),
          { minLength: 1, maxLength: parts.length, selector: (l) => l.partCode },
        ),
      })
      .map(({ type, from, toOffset, lines }): StockDocument => {
        const to = warehouses[(warehouses.indexOf(from) + toOffset) % warehouses.length];
        return doc({
          type,
          warehouseCode: from,
          toWarehouseCode: type === 'TRANSFER' ? to : null,
          lines: lines.map((l) => ({
            partCode: l.partCode,
            quantity: type === 'COUNT_ADJUSTMENT' && l.negative ? -l.quantity : l.quantity,
          })),
          reference: 'REF',
          reason: 'reason',
        });
      });

    fc.assert(
      fc.property(fc.array(documentArb, { maxLength: 40 }), (documents) => {
        let onHand: ReadonlyMap<string, number> = new Map();
        const accepted: LedgerMove[] = [];
        for (const document of documents) {
          const before = new Map(onHand);
          const moves = movesOf(document);
          try {
            onHand = applyMoves(onHand, moves);
            accepted.push(...moves);
          } catch (e) {
            if (!(e instanceof AppError) || e.reason !== 'INSUFFICIENT_STOCK') throw e;
            expect(onHand).toEqual(before);
          }
          for (const w of warehouses) {
            for (const p of parts) {
              const sum = accepted
                .filter((m) => m.warehouseCode === w && m.partCode === p)
                .reduce((s, m) => s + m.quantity, 0);
              expect(onHandOf(onHand, w, p)).toBe(sum);
              expect(onHandOf(onHand, w, p)).toBeGreaterThanOrEqual(0);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
