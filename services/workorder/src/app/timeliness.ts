import { type EntityManager, type Identity, requireRole, type Role } from '@aftercare/kit';
import { dayAfter, type KpiScopeArgs, parseKpiScopeArgs, scopeForReader } from '@aftercare/kernel';
import type { FilterQuery } from '@mikro-orm/core';
import { WorkOrderRecord } from '../db/entities';
import { deadlinesOf, slaFactsOf, type Timeliness, timeliness } from '../domain';
import type { WorkOrderDeps } from './deps';

/** Who reads the KPI over all orders; a technician reads only their own figure. */
export const CAN_READ_TIMELINESS: readonly Role[] = ['dispatcher', 'manager', 'auditor'];

export interface TimelinessReport extends Timeliness {
  from: string;
  to: string;
  target: number;
}

/**
 * docs/rules.md §6 service timeliness over the orders called in on the business dates `from`..`to`
 * (both inclusive, business time zone), by region, service station and technician (an order counts for each of its
 * technicians). What "meeting the SLA" means is in domain/timeliness.ts.
 */
export async function serviceTimeliness(
  deps: WorkOrderDeps,
  em: EntityManager,
  caller: Identity | null,
  args: KpiScopeArgs,
): Promise<TimelinessReport> {
  const me = requireRole(caller, ...CAN_READ_TIMELINESS, 'technician');
  // A technician's own figure only: theirs by default, nobody else's.
  // Orders carry no district: the figure cannot be narrowed by one.
  const scope = scopeForReader(me, parseKpiScopeArgs(args, ['district']), {
    readers: CAN_READ_TIMELINESS,
    unnamed: 'own',
  });
  const start = deps.calendar.fromLocal(`${scope.from}T00:00:00`);
  const end = deps.calendar.fromLocal(`${dayAfter(scope.to)}T00:00:00`);
  const where: FilterQuery<WorkOrderRecord>[] = [{ calledAt: { $gte: start, $lt: end } }];
  if (scope.province) where.push({ province: scope.province });
  if (scope.city) where.push({ city: scope.city });
  if (scope.stationCode) where.push({ stationCode: scope.stationCode });
  if (scope.technicianId) where.push({ technicianIds: { $contains: [scope.technicianId] } });
  const orders = await em.find(
    WorkOrderRecord,
    { $and: where },
    {
      fields: [
        'status',
        'answerDueAt',
        'arrivalDueAt',
        'onSiteDueAt',
        'answeredAt',
        'arrivedAt',
      ] as never,
    },
  );
  const figures = timeliness(
    orders.map((o) => ({ status: o.status, deadlines: deadlinesOf(o), facts: slaFactsOf(o) })),
    deps.now(),
  );
  return { ...figures, from: scope.from, to: scope.to, target: deps.timelinessTarget };
}
