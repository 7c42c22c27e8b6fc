import {
  type EntityManager,
  type Identity,
  findByUuid,
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

export async function listWarehouses(
  em: EntityManager,
  caller: Identity | null,
): Promise<WarehouseRecord[]> {
  requireRole(caller, ...CAN_READ);
  return em.find(WarehouseRecord, {}, { orderBy: { code: 'asc' } });
}

export async function stockOf(
  em: EntityManager,
  caller: Identity | null,
  warehouseCodes: readonly string[],
): Promise<StockLevelRecord[][]> {
  requireRole(caller, ...CAN_READ);
  const levels = await em.find(
    StockLevelRecord,
    { warehouseCode: { $in: [...warehouseCodes] } },
    { orderBy: { partCode: 'asc' } },
  );
  return warehouseCodes.map((w) => levels.filter((l) => l.warehouseCode === w));
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
