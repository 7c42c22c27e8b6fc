import {
  type EntityManager,
  type Identity,
  notFound,
  requireRole,
  type Role,
  uuidv7,
} from '@aftercare/kit';
import { PartRecord, StockDocumentRecord, StockLevelRecord, WarehouseRecord } from '../db/entities';
import {
  applyMoves,
  lowStockAlerts,
  movesOf,
  parseStockDocument,
  stockKey,
  type StockDocument,
  type StockDocumentInput,
} from '../domain';
import { INVENTORY_EVENTS, type InventoryDeps } from './deps';
import { CAN_READ } from './queries';

export const CAN_POST: Role[] = ['warehouse', 'manager'];

/**
 * R-IN-2: posts a stock document — the only way stock moves. In one transaction: lock the
 * affected stock levels in a fixed order (so concurrent documents queue instead of deadlocking),
 * check with the domain that nothing goes negative, append the signed moves to the ledger,
 * update on-hand, and emit low-stock alerts that this document caused (R-IN-5). The
 * `on_hand >= 0` check constraint backs the domain check up.
 */
export async function postDocument(
  deps: InventoryDeps,
  caller: Identity | null,
  input: StockDocumentInput,
  em?: EntityManager,
): Promise<StockDocumentRecord> {
  const me = requireRole(caller, ...CAN_POST);
  const document = parseStockDocument({ ...input, by: me.userId }, deps.now());
  const run = (tx: EntityManager) => postStockDocument(deps, tx, document);
  return em ? run(em) : deps.orm.em.fork().transactional(run);
}

/** Posts an already validated document in the caller's transaction (requisitions issue this way). */
export async function postStockDocument(
  deps: InventoryDeps,
  em: EntityManager,
  document: StockDocument,
): Promise<StockDocumentRecord> {
  const moves = movesOf(document);
  await assertKnown(em, document);
  const keys = [...new Set(moves.map((m) => stockKey(m.warehouseCode, m.partCode)))].sort();
  // Create missing levels at zero first, then lock every level this document touches, in key order.
  await em.execute(
    `INSERT INTO stock_level (warehouse_code, part_code, on_hand)
     SELECT split_part(k, '/', 1), split_part(k, '/', 2), 0 FROM jsonb_array_elements_text(?::jsonb) AS k
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(keys)],
  );
  const locked = (await em.execute(
    `SELECT warehouse_code, part_code, on_hand FROM stock_level
     WHERE warehouse_code || '/' || part_code IN (SELECT jsonb_array_elements_text(?::jsonb))
     ORDER BY warehouse_code, part_code FOR UPDATE`,
    // Knex would spread an array binding into a list; one JSON value binds as one parameter.
    [JSON.stringify(keys)],
  )) as { warehouse_code: string; part_code: string; on_hand: number }[];
  const before = new Map(locked.map((l) => [stockKey(l.warehouse_code, l.part_code), l.on_hand]));
  const after = applyMoves(before, moves);

  const record = Object.assign(new StockDocumentRecord(), {
    id: uuidv7(),
    type: document.type,
    warehouseCode: document.warehouseCode,
    toWarehouseCode: document.toWarehouseCode,
    lines: document.lines,
    postedBy: document.by,
    postedAt: document.at,
    reference: document.reference,
    reason: document.reason,
  });
  em.persist(record);
  await em.flush();
  for (const m of moves) {
    await em.execute(
      `INSERT INTO stock_move (document_id, warehouse_code, part_code, quantity, posted_at) VALUES (?, ?, ?, ?, ?)`,
      [record.id, m.warehouseCode, m.partCode, m.quantity, document.at],
    );
  }
  for (const [key, onHand] of after) {
    if (before.get(key) === onHand) continue;
    const [warehouseCode, partCode] = key.split('/') as [string, string];
    await em.nativeUpdate(StockLevelRecord, { warehouseCode, partCode }, { onHand });
  }
  const parts = await em.find(PartRecord, {
    code: { $in: [...new Set(document.lines.map((l) => l.partCode))] },
  });
  for (const alert of lowStockAlerts(before, after, new Map(parts.map((p) => [p.code, p])))) {
    deps.events.add(em, {
      type: INVENTORY_EVENTS.lowStock,
      aggregateId: record.id,
      data: { ...alert, documentId: record.id },
    });
  }
  return record;
}

async function assertKnown(em: EntityManager, document: StockDocument): Promise<void> {
  const warehouses = [document.warehouseCode, document.toWarehouseCode].filter((w): w is string =>
    Boolean(w),
  );
  const foundWarehouses = await em.find(
    WarehouseRecord,
    { code: { $in: warehouses } },
    { fields: ['code'] },
  );
  const missingWarehouse = warehouses.find((w) => !foundWarehouses.some((f) => f.code === w));
  if (missingWarehouse) throw notFound('Warehouse', missingWarehouse);
  const codes = document.lines.map((l) => l.partCode);
  const found = await em.find(PartRecord, { code: { $in: codes } }, { fields: ['code'] });
  const missingPart = codes.find((c) => !found.some((f) => f.code === c));
  if (missingPart) throw notFound('Part', missingPart);
}

/** On-hand per (warehouse, part), either filter optional; derived from the ledger's running balance. */
export async function stockLevels(
  em: EntityManager,
  caller: Identity | null,
  filter: { warehouseCode?: string | null; partCode?: string | null } = {},
): Promise<StockLevelRecord[]> {
  requireRole(caller, ...CAN_READ);
  const warehouseCode = filter.warehouseCode?.trim().toUpperCase();
  const partCode = filter.partCode?.trim().toUpperCase();
  return em.find(
    StockLevelRecord,
    { ...(warehouseCode ? { warehouseCode } : {}), ...(partCode ? { partCode } : {}) },
    { orderBy: { warehouseCode: 'asc', partCode: 'asc' }, limit: 10_000 },
  );
}
