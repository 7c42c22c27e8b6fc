import {
  enumCodec,
  invalidArgument,
  type MethodRoles,
  type ServiceHandlers,
  withRoles,
} from '@aftercare/kit';
import { inventoryV1 as pb } from '@aftercare/proto';
import { ACCURACY_READERS, accuracyOf } from '../app/accuracy';
import type { InventoryDeps } from '../app/deps';
import { stockLevels } from '../app/ledger';
import { batchGetParts, CAN_READ, workOrderParts } from '../app/queries';
import type { PartRecord, RequisitionRecord } from '../db/entities';
import type { PartUnit, RequisitionStatus } from '../domain';

const units = enumCodec<PartUnit>(pb.PartUnit, 'PART_UNIT_');
const statuses = enumCodec<RequisitionStatus>(pb.RequisitionStatus, 'REQUISITION_STATUS_');

const toPart = (p: PartRecord): pb.Part => ({
  code: p.code,
  name: p.name,
  spec: p.spec ?? '',
  unit: units.encode(p.unit),
  price: { fen: String(p.priceFen), currency: 'CNY' },
  critical: p.critical,
  reorderPoint: p.reorderPoint,
});

const toRequisition = (r: RequisitionRecord): pb.Requisition => ({
  id: r.id,
  workOrderId: r.workOrderId,
  warehouseCode: r.warehouseCode,
  status: statuses.encode(r.status),
  requestedBy: r.requestedBy,
  requestedAt: r.requestedAt,
  lines: r.lines.map((l) => ({
    partCode: l.partCode,
    requested: l.requested,
    approved: l.approved,
    issued: l.issued,
    used: l.used,
    returned: l.returned,
  })),
});

/** Who may call each method: checked before the request is decoded (the use cases check again). */
export const INVENTORY_GRPC_ROLES: MethodRoles<typeof pb.InventoryServiceService> = {
  batchGetParts: CAN_READ,
  getStockLevels: CAN_READ,
  listWorkOrderParts: CAN_READ,
  getIssueAccuracy: ACCURACY_READERS,
};

/** gRPC adapter for the other services. */
export function inventoryHandlers(
  deps: InventoryDeps,
): ServiceHandlers<typeof pb.InventoryServiceService> {
  const em = () => deps.orm.em.fork();
  return withRoles(INVENTORY_GRPC_ROLES, {
    async batchGetParts(req, { identity }) {
      return { parts: (await batchGetParts(em(), identity, req.codes)).map(toPart) };
    },
    async getStockLevels(req, { identity }) {
      const levels = await stockLevels(em(), identity, {
        warehouseCode: req.warehouseCode,
        partCode: req.partCode,
      });
      return {
        stockLevels: levels.map((l) => ({
          warehouseCode: l.warehouseCode,
          partCode: l.partCode,
          onHand: l.onHand,
        })),
      };
    },
    async listWorkOrderParts(req, { identity }) {
      const parts = await workOrderParts(em(), identity, req.workOrderId);
      return {
        requisitions: parts.requisitions.map(toRequisition),
        issuedParts: parts.issuedParts,
      };
    },
    async getIssueAccuracy(req, { identity }) {
      // A message field left out decodes as undefined; the period is the question itself.
      if (!req.period?.start || !req.period.end) {
        throw invalidArgument('the period needs a start and an end', 'period', 'REQUIRED');
      }
      const report = await accuracyOf(em(), identity, {
        from: req.period.start,
        to: req.period.end,
        warehouseCode: req.warehouseCode || null,
      });
      return {
        issues: report.issues,
        correct: report.correct,
        wrong: report.wrong,
        accuracy: report.accuracy ?? undefined,
        target: report.target,
        meetsTarget: report.meetsTarget ?? undefined,
      };
    },
  });
}
