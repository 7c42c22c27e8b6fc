import { LockMode } from '@mikro-orm/core';
import { type Identity, requireRole } from '@aftercare/kit';
import { PartRecord, StockLevelRecord } from '../db/entities';
import {
  adjustmentDocument,
  compareCount,
  parseCode,
  parseShelfCounts,
  type ShelfCountInput,
  type StocktakeResult,
} from '../domain';
import type { InventoryDeps } from './deps';
import { CAN_POST, postStockDocument } from './ledger';

/**
 * R-IN-2 帐物一致: a count compares book and shelf for the counted parts of a warehouse and posts
 * the differences as one COUNT_ADJUSTMENT document, in the same transaction, with the levels
 * locked so no issue slips in between reading the book and adjusting it.
 */
export async function postStocktake(
  deps: InventoryDeps,
  caller: Identity | null,
  input: { warehouseCode: string; counts: ShelfCountInput[]; reason?: string | null },
): Promise<StocktakeResult & { documentId: string | null }> {
  const me = requireRole(caller, ...CAN_POST);
  const warehouseCode = parseCode(input.warehouseCode, 'warehouseCode');
  const counts = parseShelfCounts(input.counts);
  return deps.orm.em.fork().transactional(async (em) => {
    const codes = counts.map((c) => c.partCode);
    const levels = await em.find(
      StockLevelRecord,
      { warehouseCode, partCode: { $in: codes } },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const parts = await em.find(PartRecord, { code: { $in: codes } });
    const result = compareCount(
      new Map(levels.map((l) => [l.partCode, l.onHand])),
      counts,
      new Map(parts.map((p) => [p.code, p.priceFen])),
    );
    const now = deps.now();
    const document = adjustmentDocument(
      result,
      { warehouseCode, by: me.userId, at: now, reason: input.reason?.trim() || 'stocktake' },
      now,
    );
    const posted = document ? await postStockDocument(deps, em, document) : null;
    return { ...result, documentId: posted?.id ?? null };
  });
}
