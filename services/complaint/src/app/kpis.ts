import {
  type EntityManager,
  type Identity,
  forbidden,
  optionalText,
  requireRole,
  staffId,
} from '@aftercare/kit';
import { optionalStationCode } from '@aftercare/kernel';
import { ComplaintRecord, CompletedWorkOrderRecord } from '../db/entities';
import {
  type ComplaintClosureKpi,
  type ComplaintRateKpi,
  type KpiScope,
  complaintClosureKpi,
  complaintInScope,
  complaintRateKpi,
  parseKpiPeriod,
  periodRange,
} from '../domain';
import { ANYONE, CAN_READ_REPORTS } from './access';
import type { ComplaintDeps } from './deps';

export interface KpiFilter {
  from?: string | null;
  to?: string | null;
  province?: string | null;
  city?: string | null;
  stationCode?: string | null;
  technicianId?: string | null;
}

export interface ComplaintKpis extends KpiScope {
  from: string;
  to: string;
  complaintRate: ComplaintRateKpi;
  closure: ComplaintClosureKpi;
}

/**
 * Report readers see every scope; any other signed-in staff member only their own technician figures
 * (a technician's app shows them their complaint rate).
 */
function requireKpiReader(caller: Identity | null, technicianId: string | null): Identity {
  const me = requireRole(caller, ...ANYONE);
  const reader =
    me.roles.includes('admin') || me.roles.some((r) => CAN_READ_REPORTS.includes(r as never));
  if (reader || (technicianId !== null && technicianId === me.userId)) return me;
  throw forbidden('only report readers see complaint KPIs beyond their own');
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
  filter: KpiFilter,
): Promise<ComplaintKpis> {
  requireRole(caller, ...ANYONE);
  const period = parseKpiPeriod(filter.from, filter.to);
  const scope = {
    province: optionalText(filter.province, 'province', 50),
    city: optionalText(filter.city, 'city', 50),
    stationCode: optionalStationCode(filter.stationCode, 'stationCode'),
    technicianId: filter.technicianId ? staffId(filter.technicianId, 'technicianId') : null,
  };
  requireKpiReader(caller, scope.technicianId);
  const { from, to } = periodRange(period, deps.calendar);
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
    ...period,
    ...scope,
    complaintRate: complaintRateKpi(complaints, row?.n ?? 0),
    closure: complaintClosureKpi(complaints, deps.now(), deps.deadlinePolicy),
  };
}
