import type { WorkOrderCompleted } from '@aftercare/events';
import type { EntityManager } from '@aftercare/kit';
import { CompletedWorkOrderRecord } from '../db/entities';

/**
 * R-CO-4 / docs/rules.md §6 denominator: completed work orders counted into our own table, with the region,
 * technicians and service station the KPIs are scoped by. `time` is the event's, for an order
 * that carries no completion time.
 */
export async function recordCompletedWorkOrder(
  em: EntityManager,
  event: WorkOrderCompleted,
  time: string,
): Promise<void> {
  await em.upsert(CompletedWorkOrderRecord, {
    workOrderId: event.workOrderId,
    completedAt: new Date(event.completedAt ?? time),
    province: event.region.province,
    city: event.region.city,
    district: event.region.district,
    technicianIds: [...new Set(event.technicianIds)],
    stationCode: event.stationCode,
  });
}
