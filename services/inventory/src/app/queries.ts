import {
  type EntityManager,
  type Identity,
  findByUuid,
  keysetPageByKey,
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

export async function listParts(
  em: EntityManager,
  caller: Identity | null,
  codes?: readonly string[],
): Promise<PartRecord[]> {
  requireRole(caller, ...CAN_READ);
  return em.find(PartRecord, codes ? { code: { $in: [...codes] } } : {}, {
    orderBy: { code: 'asc' },
  });
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
  return workOrderIds.map((id) => found.filter((r) => r.workOrderId === id));
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
  return requisitionIds.map((id) => found.filter((d) => d.reference === id));
}
