import { AppError, type Identity } from '@aftercare/kit';
import {
  type TestServiceEnv,
  startTestService,
  stopTestService,
  dbQuery,
} from '@aftercare/testkit';
import { createWarehouse, upsertPart } from '../../src/app/catalogue';
import type { InventoryDeps } from '../../src/app/deps';
import { postDocument } from '../../src/app/ledger';
import { postStocktake } from '../../src/app/stocktake';
import { loadInventoryConfig, startInventoryService } from '../../src';

const keeper: Identity = { userId: 'wh-1', roles: ['warehouse'] };
const manager: Identity = { userId: 'mgr-1', roles: ['manager'] };
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startInventoryService>>;
let deps: InventoryDeps;

beforeAll(async () => {
  ({ env, service } = await startTestService('inv-ledger', (e) =>
    startInventoryService(loadInventoryConfig({ ...e, DATABASE_POOL_MAX: '20' }), {
      onReady: (d) => (deps = d),
    }),
  ));
  await createWarehouse(deps, manager, {
    code: 'CENTRAL',
    name: 'Central',
    kind: 'CENTRAL',
    region: { province: 'Zhejiang', city: 'Hangzhou' },
  });
  await createWarehouse(deps, manager, {
    code: 'ST-HZ1',
    name: 'Station 1',
    kind: 'STATION',
    region: { province: 'Zhejiang', city: 'Hangzhou' },
  });
  await upsertPart(deps, keeper, {
    code: 'CTRL-48V',
    name: 'Controller 48V',
    unit: 'PCS',
    priceFen: 125000,
    critical: true,
    reorderPoint: 2,
  });
});
afterAll(() => stopTestService({ env, service }));

const sql = <T>(text: string, params: unknown[] = []) =>
  dbQuery<T>(env.env.DATABASE_URL!, text, params);

const onHand = async (warehouse: string, part: string) =>
  (
    await sql<{ on_hand: number }>(
      'SELECT on_hand FROM stock_level WHERE warehouse_code = $1 AND part_code = $2',
      [warehouse, part],
    )
  )[0]?.on_hand ?? 0;
const ledgerSum = async (warehouse: string, part: string) =>
  Number(
    (
      await sql<{ s: string }>(
        'SELECT coalesce(sum(quantity), 0) AS s FROM stock_move WHERE warehouse_code = $1 AND part_code = $2',
        [warehouse, part],
      )
    )[0]!.s,
  );

it('R-IN-2 many parallel issues of the last units: stock ends at exactly zero, the rest refused, book = ledger', async () => {
  await postDocument(deps, keeper, {
    type: 'RECEIPT',
    warehouseCode: 'ST-HZ1',
    lines: [{ partCode: 'CTRL-48V', quantity: 20 }],
    reference: 'PO-1',
  });
  const attempts = Array.from({ length: 40 }, (_, i) =>
    postDocument(deps, keeper, {
      type: 'ISSUE',
      warehouseCode: 'ST-HZ1',
      lines: [{ partCode: 'ctrl-48v', quantity: 1 }],
      reference: `REQ-${i}`,
    }),
  );
  const results = await Promise.allSettled(attempts);
  const ok = results.filter((r) => r.status === 'fulfilled');
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(ok).toHaveLength(20);
  expect(refused).toHaveLength(20);
  for (const r of refused)
    expect(r.reason).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'INSUFFICIENT_STOCK' });
  expect(await onHand('ST-HZ1', 'CTRL-48V')).toBe(0);
  expect(await ledgerSum('ST-HZ1', 'CTRL-48V')).toBe(0);
  // Refused documents left nothing behind.
  expect(
    (
      await sql<{ n: number }>(`SELECT count(*)::int AS n FROM stock_document WHERE type = 'ISSUE'`)
    )[0]!.n,
  ).toBe(20);
});

it('R-IN-1 R-IN-2 a transfer moves stock between separate ledgers; the ledger is append-only', async () => {
  await postDocument(deps, keeper, {
    type: 'RECEIPT',
    warehouseCode: 'CENTRAL',
    lines: [{ partCode: 'CTRL-48V', quantity: 5 }],
    reference: 'PO-2',
  });
  await postDocument(deps, keeper, {
    type: 'TRANSFER',
    warehouseCode: 'CENTRAL',
    toWarehouseCode: 'ST-HZ1',
    lines: [{ partCode: 'CTRL-48V', quantity: 3 }],
  });
  expect(await onHand('CENTRAL', 'CTRL-48V')).toBe(2);
  expect(await onHand('ST-HZ1', 'CTRL-48V')).toBe(3);
  expect(await ledgerSum('CENTRAL', 'CTRL-48V')).toBe(2);
  expect(await ledgerSum('ST-HZ1', 'CTRL-48V')).toBe(3);
  await expect(sql('UPDATE stock_move SET quantity = 99')).rejects.toThrow(/append-only/);
  await expect(sql('DELETE FROM stock_move')).rejects.toThrow(/append-only/);
});

it('R-IN-2 a document of many lines, some levels new and some existing, books every line: book = ledger per part', async () => {
  const codes = Array.from({ length: 60 }, (_, i) => `BULK-${i}`);
  for (const code of codes)
    await upsertPart(deps, keeper, { code, name: code, unit: 'PCS', priceFen: 100 });
  // Half the levels exist before the big receipt, half are created by it.
  await postDocument(deps, keeper, {
    type: 'RECEIPT',
    warehouseCode: 'CENTRAL',
    lines: codes.slice(0, 30).map((partCode) => ({ partCode, quantity: 1 })),
  });
  await postDocument(deps, keeper, {
    type: 'RECEIPT',
    warehouseCode: 'CENTRAL',
    lines: codes.map((partCode, i) => ({ partCode, quantity: i + 1 })),
  });
  await postDocument(deps, keeper, {
    type: 'TRANSFER',
    warehouseCode: 'CENTRAL',
    toWarehouseCode: 'ST-HZ1',
    lines: codes.map((partCode) => ({ partCode, quantity: 1 })),
  });
  // Book (on hand) and ledger (sum of moves) per level, in one query.
  const rows = await sql<{ w: string; p: string; book: number; ledger: number }>(
    `SELECT l.warehouse_code AS w, l.part_code AS p, l.on_hand AS book,
            (SELECT sum(quantity)::int FROM stock_move m
              WHERE m.warehouse_code = l.warehouse_code AND m.part_code = l.part_code) AS ledger
       FROM stock_level l WHERE l.part_code LIKE 'BULK-%'`,
  );
  const level = (w: string, p: string) => rows.find((r) => r.w === w && r.p === p);
  for (const [i, code] of codes.entries()) {
    const central = (i < 30 ? 1 : 0) + i; // received, less the one transferred
    expect(level('CENTRAL', code)).toMatchObject({ book: central, ledger: central });
    expect(level('ST-HZ1', code)).toMatchObject({ book: 1, ledger: 1 });
  }
  expect(rows).toHaveLength(120);
});

it('R-IN-2 bad documents are refused with the field at fault and change nothing; only warehouse staff post', async () => {
  const before = await onHand('CENTRAL', 'CTRL-48V');
  const refuse = async (input: Parameters<typeof postDocument>[2], caller: Identity = keeper) => {
    const e = await postDocument(deps, caller, input).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  };
  expect(
    await refuse({
      type: 'WRITE_OFF',
      warehouseCode: 'CENTRAL',
      lines: [{ partCode: 'CTRL-48V', quantity: 1 }],
    }),
  ).toMatchObject({ field: 'reason' });
  expect(
    await refuse({
      type: 'RECEIPT',
      warehouseCode: 'CENTRAL',
      lines: [{ partCode: 'CTRL-48V', quantity: 0 }],
    }),
  ).toMatchObject({ field: 'lines.0.quantity' });
  expect(
    await refuse({
      type: 'RECEIPT',
      warehouseCode: 'NOWHERE',
      lines: [{ partCode: 'CTRL-48V', quantity: 1 }],
    }),
  ).toMatchObject({ code: 'NOT_FOUND' });
  expect(
    await refuse({
      type: 'RECEIPT',
      warehouseCode: 'CENTRAL',
      lines: [{ partCode: 'NO-SUCH', quantity: 1 }],
    }),
  ).toMatchObject({ code: 'NOT_FOUND' });
  expect(
    await refuse(
      { type: 'RECEIPT', warehouseCode: 'CENTRAL', lines: [{ partCode: 'CTRL-48V', quantity: 1 }] },
      { userId: 't', roles: ['technician'] },
    ),
  ).toMatchObject({ code: 'PERMISSION_DENIED' });
  expect(await onHand('CENTRAL', 'CTRL-48V')).toBe(before);
});

it('R-IN-5 falling to the reorder point emits one low-stock event', async () => {
  await upsertPart(deps, keeper, {
    code: 'AXLE-R',
    name: 'Rear axle',
    unit: 'PCS',
    priceFen: 300000,
    critical: true,
    reorderPoint: 2,
  });
  await postDocument(deps, keeper, {
    type: 'RECEIPT',
    warehouseCode: 'CENTRAL',
    lines: [{ partCode: 'AXLE-R', quantity: 4 }],
    reference: 'PO-3',
  });
  for (let i = 0; i < 3; i++) {
    await postDocument(deps, keeper, {
      type: 'ISSUE',
      warehouseCode: 'CENTRAL',
      lines: [{ partCode: 'AXLE-R', quantity: 1 }],
      reference: `REQ-A${i}`,
    });
  }
  const alerts = await sql<{ payload: { data: { partCode: string; onHand: number } } }>(
    `SELECT payload FROM outbox WHERE type = 'inventory.low_stock'`,
  );
  const axle = alerts.filter((a) => a.payload.data.partCode === 'AXLE-R');
  expect(axle).toHaveLength(1);
  expect(axle[0]!.payload.data.onHand).toBe(2);
});

it('R-IN-2 a stocktake posts only the differences between book and shelf, and the book follows', async () => {
  await upsertPart(deps, keeper, {
    code: 'FRAME-S',
    name: 'Frame S',
    unit: 'PCS',
    priceFen: 50000,
    reorderPoint: 0,
  });
  await postDocument(deps, keeper, {
    type: 'RECEIPT',
    warehouseCode: 'CENTRAL',
    lines: [{ partCode: 'FRAME-S', quantity: 10 }],
    reference: 'PO-4',
  });
  const short = await postStocktake(deps, keeper, {
    warehouseCode: 'CENTRAL',
    counts: [{ partCode: 'FRAME-S', counted: 8 }],
    reason: 'monthly count',
  });
  expect(short.lines).toEqual([
    expect.objectContaining({ partCode: 'FRAME-S', book: 10, counted: 8, difference: -2 }),
  ]);
  expect(short.summary).toMatchObject({
    partsCounted: 1,
    partsMatching: 0,
    unitsShort: 2,
    shortageFen: 100000,
  });
  expect(short.documentId).toEqual(expect.any(String));
  expect(await onHand('CENTRAL', 'FRAME-S')).toBe(8);
  expect(await ledgerSum('CENTRAL', 'FRAME-S')).toBe(8);
  const agreed = await postStocktake(deps, keeper, {
    warehouseCode: 'CENTRAL',
    counts: [{ partCode: 'FRAME-S', counted: 8 }],
  });
  expect(agreed).toMatchObject({ documentId: null, summary: { accuracy: 1 } });
});
