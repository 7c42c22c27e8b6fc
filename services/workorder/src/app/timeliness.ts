import {
  type EntityManager,
  type Identity,
  forbidden,
  invalidArgument,
  isoDate,
  optionalText,
  requireRole,
  staffId,
} from '@aftercare/kit';
import { optionalStationCode } from '@aftercare/kernel';
import type { FilterQuery } from '@mikro-orm/core';
import { WorkOrderRecord } from '../db/entities';
import { type Timeliness, timeliness } from '../domain';
import type { WorkOrderDeps } from './deps';

/** Who reads the KPI over all orders; a technician reads only their own figure. */
export const CAN_READ_TIMELINESS = ['dispatcher', 'manager', 'auditor'] as const;

export interface TimelinessFilter {
  from?: string | null;
  to?: string | null;
  province?: string | null;
  city?: string | null;
  stationCode?: string | null;
  technicianId?: string | null;
}

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
  f: TimelinessFilter,
): Promise<TimelinessReport> {
  const me = requireRole(caller, ...CAN_READ_TIMELINESS, 'technician');
  const from = isoDate(f.from, 'from');
  const to = isoDate(f.to, 'to');
  if (from > to) throw invalidArgument('from must not be after to', 'to', 'INVALID_PERIOD');
  const province = optionalText(f.province, 'province', 50);
  const city = optionalText(f.city, 'city', 50);
  const stationCode = optionalStationCode(f.stationCode, 'stationCode');
  let technicianId = f.technicianId ? staffId(f.technicianId, 'technicianId') : null;
  const readsAll =
    me.roles.includes('admin') || me.roles.some((r) => CAN_READ_TIMELINESS.includes(r as never));
  if (!readsAll) {
    // A technician's own figure only: theirs by default, nobody else's.
    if (technicianId && technicianId !== me.userId)
      throw forbidden("a technician sees only their own timeliness, not a colleague's");
    technicianId = me.userId;
  }
  const start = deps.calendar.fromLocal(`${from}T00:00:00`);
  const end = deps.calendar.fromLocal(`${nextDay(to)}T00:00:00`);
  const where: FilterQuery<WorkOrderRecord>[] = [{ calledAt: { $gte: start, $lt: end } }];
  if (province) where.push({ province });
  if (city) where.push({ city });
  if (stationCode) where.push({ stationCode });
  if (technicianId) where.push({ technicianIds: { $contains: [technicianId] } });
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
    orders.map((o) => ({
      status: o.status,
      // Every SLA policy sets the answer deadline; without one the order has no SLA.
      deadlines: o.answerDueAt
        ? { answerDueAt: o.answerDueAt, arrivalDueAt: o.arrivalDueAt, onSiteDueAt: o.onSiteDueAt }
        : null,
      facts: { answeredAt: o.answeredAt, arrivedAt: o.arrivedAt },
    })),
    deps.now(),
  );
  return { ...figures, from, to, target: deps.timelinessTarget };
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
