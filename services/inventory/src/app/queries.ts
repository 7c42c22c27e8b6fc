import {
  checkUuid,
  type EntityManager,
  type Identity,
  findByUuid,
  groupByKeys,
  invalidArgument,
  keysetPageByKey,
  MAX_BATCH_IDS,
  type Page,
  type PageRequest,
  requireRole,
  type Role,
} from '@aftercare/kit';
import {
  PartRecord,
  RequisitionRecord,
  StockDocumentRecord,
  StockLevelRecord,
  WarehouseRecord,
} from '../db/entities';
import { codeKey, type IssuedPart, issuedPartsOf } from '../domain';

export const CAN_READ: Role[] = [
  'warehouse',
  'tool_keeper',
  'technician',
  'workshop',
  'dispatcher',
  'manager',
  'auditor',
  'service',
];

/** Parts by code, one per code asked, null where there is none (the graph's part loader). */
export async function partsByCode(
  em: EntityManager,
  caller: Identity | null,
  codes: readonly string[],
): Promise<(PartRecord | null)[]> {
  requireRole(caller, ...CAN_READ);
  const found = await em.find(PartRecord, { code: { $in: [...codes] } });
  const byCode = new Map(found.map((p) => [p.code, p]));
  return codes.map((c) => byCode.get(c) ?? null);
}

/**
 * Parts by code as other services quote them (any case, stray spaces): each once, in the order
 * asked, unknown codes left out — as the batch lookups of the other services.
 */
export async function batchGetParts(
  em: EntityManager,
  caller: Identity | null,
  quoted: readonly string[],
): Promise<PartRecord[]> {
  requireRole(caller, ...CAN_READ);
  if (quoted.length > MAX_BATCH_IDS) {
    throw invalidArgument(`at most ${MAX_BATCH_IDS} codes at once`, 'codes', 'TOO_MANY');
  }
  const codes = [...new Set(quoted.map(codeKey))];
  if (!codes.length) return [];
  return (await partsByCode(em, caller, codes)).filter((p): p is PartRecord => p !== null);
}

/** The catalogue by part code, paged. */
export async function pageParts(
  em: EntityManager,
  caller: Identity | null,
  request: PageRequest,
): Promise<Page<PartRecord>> {
  requireRole(caller, ...CAN_READ);
  return keysetPageByKey(em, PartRecord, 'code', {}, request);
}

export async function getWarehouse(
  em: EntityManager,
  caller: Identity | null,
  code: string,
): Promise<WarehouseRecord | null> {
  requireRole(caller, ...CAN_READ);
  return em.findOne(WarehouseRecord, { code });
}

/** Warehouses by code, paged. */
export async function pageWarehouses(
  em: EntityManager,
  caller: Identity | null,
  request: PageRequest,
): Promise<Page<WarehouseRecord>> {
  requireRole(caller, ...CAN_READ);
  return keysetPageByKey(em, WarehouseRecord, 'code', {}, request);
}

/**
 * One warehouse's stock by part code, paged in SQL: a stock list grows with the catalogue, so it
 * is never loaded whole (one query per warehouse asked for).
 */
export async function stockOf(
  em: EntityManager,
  caller: Identity | null,
  warehouseCode: string,
  request: PageRequest,
): Promise<Page<StockLevelRecord>> {
  requireRole(caller, ...CAN_READ);
  return keysetPageByKey(em, StockLevelRecord, 'partCode', { warehouseCode }, request);
}

export async function getRequisition(
  em: EntityManager,
  caller: Identity | null,
  id: string,
): Promise<RequisitionRecord> {
  requireRole(caller, ...CAN_READ);
  return findByUuid(em, RequisitionRecord, 'Requisition', id);
}

/** Requisitions of many work orders in one query (the `WorkOrder.requisitions` field of a list). */
export async function requisitionsOf(
  em: EntityManager,
  caller: Identity | null,
  workOrderIds: readonly string[],
): Promise<RequisitionRecord[][]> {
  requireRole(caller, ...CAN_READ);
  const found = await em.find(
    RequisitionRecord,
    { workOrderId: { $in: [...workOrderIds] } },
    { orderBy: { requestedAt: 'asc' } },
  );
  return groupByKeys(workOrderIds, found, (r) => r.workOrderId);
}

/** A work order's requisitions and the parts they issued, summed by part. */
export async function workOrderParts(
  em: EntityManager,
  caller: Identity | null,
  workOrderId: string,
): Promise<{ requisitions: RequisitionRecord[]; issuedParts: IssuedPart[] }> {
  requireRole(caller, ...CAN_READ);
  const [requisitions] = await requisitionsOf(em, caller, [checkUuid(workOrderId, 'workOrderId')]);
  return { requisitions: requisitions!, issuedParts: issuedPartsOf(requisitions!) };
}

/** The ISSUE and RETURN documents posted against requisitions (their reference is the requisition). */
export async function documentsOfRequisitions(
  em: EntityManager,
  caller: Identity | null,
  requisitionIds: readonly string[],
): Promise<StockDocumentRecord[][]> {
  requireRole(caller, ...CAN_READ);
  const found = await em.find(
    StockDocumentRecord,
    { reference: { $in: [...requisitionIds] } },
    { orderBy: { postedAt: 'asc', id: 'asc' } },
  );
  return groupByKeys<StockDocumentRecord, string | null>(requisitionIds, found, (d) => d.reference);
}
