import { type EntityManager, type Identity, requireRole } from '@aftercare/kit';
import {
  type KpiScope,
  type KpiScopeArgs,
  parseKpiScopeArgs,
  scopeForReader,
} from '@aftercare/kernel';
import { ComplaintRecord, CompletedWorkOrderRecord } from '../db/entities';
import {
  type ComplaintClosureKpi,
  type ComplaintRateKpi,
  complaintClosureKpi,
  complaintInScope,
  complaintRateKpi,
  periodRange,
} from '../domain';
import { ANYONE, CAN_READ_REPORTS } from './access';
import type { ComplaintDeps } from './deps';

export interface ComplaintKpis extends Omit<KpiScope, 'district'> {
  complaintRate: ComplaintRateKpi;
  closure: ComplaintClosureKpi;
}

/**
 * docs/rules.md §6 complaint rate and complaint closure over business dates `from`..`to` (inclusive), for
 * the whole organisation or a region, a service station (of the work order) and/or a technician. Complaints count by
 * the day they were received, completed work orders by the day they were completed. Three
 * statements whatever the size: the period's complaints, their work orders, the completed count.
 */
export async function complaintKpis(
  deps: ComplaintDeps,
  em: EntityManager,
  caller: Identity | null,
  args: KpiScopeArgs,
): Promise<ComplaintKpis> {
  const me = requireRole(caller, ...ANYONE);
  // Beyond report readers, staff see their own technician figures only, and must name themselves.
  // Completed work orders are kept without their district: the figures cannot be narrowed by one.
  const { district: _district, ...scope } = scopeForReader(
    me,
    parseKpiScopeArgs(args, ['district']),
    {
      readers: CAN_READ_REPORTS,
      unnamed: 'refuse',
    },
  );
  const { from, to } = periodRange(scope, deps.calendar);
  const received = await em.find(ComplaintRecord, { receivedAt: { $gte: from, $lt: to } });
  const orderIds = [...new Set(received.flatMap((c) => (c.workOrderId ? [c.workOrderId] : [])))];
  const orders = orderIds.length
    ? await em.find(CompletedWorkOrderRecord, { workOrderId: { $in: orderIds } })
    : [];
  const orderOf = new Map(orders.map((o) => [o.workOrderId, o]));
  const complaints = received.filter((c) =>
    complaintInScope(c, c.workOrderId ? orderOf.get(c.workOrderId) : undefined, scope),
  );
  const [row] = (await em.execute(
    `SELECT count(*)::int AS n FROM completed_work_order
     WHERE completed_at >= ? AND completed_at < ?
       AND (CAST(? AS text) IS NULL OR province = ?)
       AND (CAST(? AS text) IS NULL OR city = ?)
       AND (CAST(? AS text) IS NULL OR station_code = ?)
       AND (CAST(? AS jsonb) IS NULL OR technician_ids @> CAST(? AS jsonb))`,
    [
      from,
      to,
      scope.province,
      scope.province,
      scope.city,
      scope.city,
      scope.stationCode,
      scope.stationCode,
      scope.technicianId && JSON.stringify([scope.technicianId]),
      scope.technicianId && JSON.stringify([scope.technicianId]),
    ],
  )) as { n: number }[];
  return {
    ...scope,
    complaintRate: complaintRateKpi(complaints, row?.n ?? 0),
    closure: complaintClosureKpi(complaints, deps.now(), deps.deadlinePolicy),
  };
}
