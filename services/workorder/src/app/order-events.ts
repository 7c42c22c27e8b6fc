import type { WorkOrderCompleted, WorkOrderFacts } from '@aftercare/events';
import type { WorkOrderRecord } from '../db/entities';

/** The facts every work-order event carries, so consumers rarely need to call back. */
export const orderEventData = (o: WorkOrderRecord): WorkOrderFacts => ({
  workOrderId: o.id,
  number: o.number,
  status: o.status,
  customerId: o.customerId,
  assetId: o.assetId,
  serviceType: o.serviceType,
  category: o.category,
  region: { province: o.province, city: o.city, district: o.district },
  technicianIds: o.technicianIds,
  leadTechnicianId: o.leadTechnicianId,
  calledAt: o.calledAt.toISOString(),
  stationCode: o.stationCode,
  answeredAt: o.answeredAt?.toISOString() ?? null,
});

/** `workorder.completed`: what inventory (old parts), survey and complaint statistics need. */
export const completedEventData = (o: WorkOrderRecord): WorkOrderCompleted => ({
  ...orderEventData(o),
  completedAt: o.completedAt?.toISOString() ?? null,
  resolution: o.status === 'RETURNED' ? 'TAKE_BACK' : 'ON_SITE',
  partsReplaced: o.report?.partsReplaced ?? o.repairCard?.parts ?? [],
  oldPartsCollected: o.report?.oldPartsCollected ?? false,
  oldParts: o.report?.oldParts ?? [],
  responsibility: o.report?.responsibility ?? null,
  repeatOfWorkOrderId: o.repeatOfId,
});
