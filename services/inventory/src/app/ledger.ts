import { events } from '@aftercare/events';
import {
  createOnce,
  type EntityManager,
  type Identity,
  idempotencyKey,
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
import { type InventoryDeps } from './deps';
import { CAN_READ } from './queries';

export const CAN_POST: Role[] = ['warehouse', 'manager'];

/**
 * R-IN-2: posts a stock document — the only way stock moves. In one transaction: lock the
 * affected stock levels in a fixed order (so concurrent documents queue instead of deadlocking),
 * check with the domain that nothing goes negative, append the signed moves to the ledger,
 * update on-hand, and emit low-stock alerts that this document caused (R-IN-5). The
 * `on_hand >= 0` check constraint backs the domain check up. With an idempotency key a repeated
 * receipt (or any document) is posted once and the repeat gets the document posted the first time.
 */
export async function postDocument(
  deps: InventoryDeps,
  caller: Identity | null,
  input: StockDocumentInput & { idempotencyKey?: string | null },
): Promise<StockDocumentRecord> {
  const me = requireRole(caller, ...CAN_POST);
  const document = parseStockDocument({ ...input, by: me.userId }, deps.now());
  const once = {
    operation: 'inventory.postStockDocument',
    caller: me,
    key: idempotencyKey(input.idempotencyKey),
    request: input,
    load: (em: EntityManager, id: string) => em.findOneOrFail(StockDocumentRecord, { id }),
  };
  return createOnce(deps.orm, once, (em) => postStockDocument(deps, em, document));
}

/**
 * Posts an already validated document in the caller's transaction (requisitions issue this way).
 * Statements do not grow with the number of lines: the moves and the new on-hand figures go in
 * one statement each (a 200-line receipt used to take 400 round trips inside the locks).
 */
export async function postStockDocument(
  deps: InventoryDeps,
  em: EntityManager,
  document: StockDocument,
): Promise<StockDocumentRecord> {
  const moves = movesOf(document);
  const parts = await assertKnown(em, document);
  const keys = [...new Set(moves.map((m) => stockKey(m.warehouseCode, m.partCode)))].sort();
  let locked = await lockLevels(em, keys);
  if (locked.length < keys.length) {
    // Levels this document is the first to touch start at zero; then lock again, all in key order.
    await em.execute(
      `INSERT INTO stock_level (warehouse_code, part_code, on_hand)
       SELECT split_part(k, '/', 1), split_part(k, '/', 2), 0 FROM jsonb_array_elements_text(?::jsonb) AS k
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(keys)],
    );
    locked = await lockLevels(em, keys);
  }
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
  await em.execute(
    `INSERT INTO stock_move (document_id, warehouse_code, part_code, quantity, posted_at)
     SELECT ?, m.w, m.p, m.q, ? FROM jsonb_to_recordset(?::jsonb) AS m(w text, p text, q integer)`,
    [
      record.id,
      document.at,
      JSON.stringify(moves.map((m) => ({ w: m.warehouseCode, p: m.partCode, q: m.quantity }))),
    ],
  );
  const changed = [...after].filter(([key, onHand]) => before.get(key) !== onHand);
  if (changed.length)
    await em.execute(
      `UPDATE stock_level s SET on_hand = c.on_hand
       FROM jsonb_to_recordset(?::jsonb) AS c(w text, p text, on_hand integer)
       WHERE s.warehouse_code = c.w AND s.part_code = c.p`,
      [
        JSON.stringify(
          changed.map(([key, onHand]) => {
            const [w, p] = key.split('/') as [string, string];
            return { w, p, on_hand: onHand };
          }),
        ),
      ],
    );
  for (const alert of lowStockAlerts(before, after, parts)) {
    deps.events.publish(em, events.inventory.lowStock, record.id, {
      ...alert,
      documentId: record.id,
    });
  }
  return record;
}

/**
 * Locks the stock levels of `keys` ("warehouse/part", sorted) in key order, so concurrent
 * documents queue instead of deadlocking. Matching on the two key columns lets PostgreSQL use the
 * primary key; matching on `warehouse_code || '/' || part_code` scanned every stock level.
 */
const lockLevels = async (em: EntityManager, keys: readonly string[]) =>
  (await em.execute(
    `SELECT warehouse_code, part_code, on_hand FROM stock_level
     WHERE (warehouse_code, part_code) IN (
       SELECT split_part(k, '/', 1), split_part(k, '/', 2) FROM jsonb_array_elements_text(?::jsonb) AS k)
     ORDER BY warehouse_code, part_code FOR UPDATE`,
    // Knex would spread an array binding into a list; one JSON value binds as one parameter.
    [JSON.stringify(keys)],
  )) as { warehouse_code: string; part_code: string; on_hand: number }[];

/** Refuses unknown warehouses and parts; returns the document's parts by code. */
async function assertKnown(
  em: EntityManager,
  document: StockDocument,
): Promise<Map<string, PartRecord>> {
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
  const codes = [...new Set(document.lines.map((l) => l.partCode))];
  const parts = new Map(
    (await em.find(PartRecord, { code: { $in: codes } })).map((p) => [p.code, p]),
  );
  const missingPart = codes.find((c) => !parts.has(c));
  if (missingPart) throw notFound('Part', missingPart);
  return parts;
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
