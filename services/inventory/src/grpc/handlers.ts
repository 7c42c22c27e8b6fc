import {
  checkUuid,
  enumCodec,
  invalidArgument,
  MAX_BATCH_IDS,
  type MethodRoles,
  type ServiceHandlers,
  withRoles,
} from '@aftercare/kit';
import { inventoryV1 as pb } from '@aftercare/proto';
import { ACCURACY_READERS, accuracyOf } from '../app/accuracy';
import type { InventoryDeps } from '../app/deps';
import { stockLevels } from '../app/ledger';
import { CAN_READ, listParts, requisitionsOf } from '../app/queries';
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

/** Parts issued, used and returned on a work order, summed over its requisitions. */
function issuedParts(requisitions: readonly RequisitionRecord[]): pb.IssuedPart[] {
  const byPart = new Map<string, pb.IssuedPart>();
  for (const line of requisitions.flatMap((r) => r.lines)) {
    if (line.issued === 0) continue;
    const sum = byPart.get(line.partCode) ?? {
      partCode: line.partCode,
      issued: 0,
      used: 0,
      returned: 0,
    };
    sum.issued += line.issued;
    sum.used += line.used;
    sum.returned += line.returned;
    byPart.set(line.partCode, sum);
  }
  return [...byPart.values()].sort((a, b) => a.partCode.localeCompare(b.partCode));
}

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
      if (req.codes.length > MAX_BATCH_IDS) {
        throw invalidArgument(`at most ${MAX_BATCH_IDS} codes at once`, 'codes', 'TOO_MANY');
      }
      const codes = [...new Set(req.codes.map((c) => c.trim().toUpperCase()))];
      const found = codes.length ? await listParts(em(), identity, codes) : [];
      // Asked order, unknown codes left out (as the batch lookups of the other services).
      return {
        parts: codes
          .map((c) => found.find((p) => p.code === c))
          .filter((p): p is PartRecord => Boolean(p))
          .map(toPart),
      };
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
      const workOrderId = checkUuid(req.workOrderId, 'workOrderId');
      const [requisitions] = await requisitionsOf(em(), identity, [workOrderId]);
      return {
        requisitions: requisitions!.map(toRequisition),
        issuedParts: issuedParts(requisitions!),
      };
    },
    async getIssueAccuracy(req, { identity }) {
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
