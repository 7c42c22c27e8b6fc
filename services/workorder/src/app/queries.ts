import {
  type EntityManager,
  type Identity,
  type Page,
  type PageRequest,
  checkUuid,
  forbidden,
  invalidArgument,
  keysetPage,
  keysetPagesByParent,
  type ParentPageRequest,
  requireRole,
  findByUuid,
  conflict,
  hasRole,
  findByUuids,
} from '@aftercare/kit';
import { optionalStationCode } from '@aftercare/kernel';
import type { FilterQuery } from '@mikro-orm/core';
import { StaffRecord, WorkOrderHistoryRecord, WorkOrderRecord } from '../db/entities';
import {
  boardOrder,
  type BoardRow,
  type CompletedOrder,
  dailyReport,
  minutesOnDay,
  workersOnDay,
  type DailyReport,
  boardDueAt,
  CLOSED_STATUSES,
  isOpen,
  WORK_ORDER_STATUSES,
  type WorkOrderStatus,
} from '../domain';
import { CAN_READ, CAN_READ_ALL, CAN_READ_BOARD, canSee } from './access';
import type { WorkOrderDeps } from './deps';

export async function getWorkOrder(
  em: EntityManager,
  caller: Identity | null,
  id: string,
): Promise<WorkOrderRecord> {
  const me = requireRole(caller, ...CAN_READ);
  const order = await findByUuid(em, WorkOrderRecord, 'WorkOrder', id);
  if (!canSee(me, order)) throw forbidden(`work order ${order.number} is not assigned to you`);
  return order;
}

/** R-IN-3: parts are requested and issued only against an open work order. */
export async function orderOpenForParts(
  em: EntityManager,
  caller: Identity | null,
  id: string,
): Promise<WorkOrderRecord> {
  const order = await getWorkOrder(em, caller, checkUuid(id, 'workOrderId'));
  if (!isOpen(order.status)) {
    throw conflict(
      `work order ${order.number} is ${order.status}: no parts can be requisitioned or issued`,
      'WORK_ORDER_NOT_OPEN',
    );
  }
  return order;
}

/** In the order asked; unknown ids and orders the caller may not see are left out. */
export async function batchGetWorkOrders(
  em: EntityManager,
  caller: Identity | null,
  ids: readonly string[],
): Promise<WorkOrderRecord[]> {
  const me = requireRole(caller, ...CAN_READ);
  return (await findByUuids(em, WorkOrderRecord, ids)).filter((o) => canSee(me, o));
}

export interface WorkOrderFilter extends PageRequest {
  customerId?: string | null;
  assetId?: string | null;
  status?: string | null;
  technicianId?: string | null;
  province?: string | null;
  city?: string | null;
  stationCode?: string | null;
  openOnly?: boolean | null;
}

const seesAll = (me: Identity) => hasRole(me, ...CAN_READ_ALL);

function filterOf(me: Identity, f: WorkOrderFilter): FilterQuery<WorkOrderRecord> {
  const where: FilterQuery<WorkOrderRecord>[] = [];
  if (f.customerId) where.push({ customerId: checkUuid(f.customerId, 'customerId') });
  if (f.assetId) where.push({ assetId: checkUuid(f.assetId, 'assetId') });
  if (f.status) {
    if (!(WORK_ORDER_STATUSES as readonly string[]).includes(f.status)) {
      throw invalidArgument(
        `status must be one of ${WORK_ORDER_STATUSES.join(', ')}`,
        'status',
        'INVALID_VALUE',
      );
    }
    where.push({ status: f.status as WorkOrderStatus });
  }
  if (f.openOnly) where.push({ status: { $nin: [...CLOSED_STATUSES] } });
  if (f.technicianId) where.push({ technicianIds: { $contains: [f.technicianId] } });
  if (f.province) where.push({ province: f.province });
  if (f.city) where.push({ city: f.city });
  const stationCode = optionalStationCode(f.stationCode, 'stationCode');
  if (stationCode) where.push({ stationCode });
  if (!seesAll(me)) where.push({ technicianIds: { $contains: [me.userId] } });
  return where.length ? { $and: where } : {};
}

export async function listWorkOrders(
  em: EntityManager,
  caller: Identity | null,
  f: WorkOrderFilter,
): Promise<Page<WorkOrderRecord>> {
  const me = requireRole(caller, ...CAN_READ);
  return keysetPage<WorkOrderRecord>(em, WorkOrderRecord, filterOf(me, f), f);
}

/**
 * Work orders of many customers (or assets) at once, for `Customer.workOrders` in lists: a keyset
 * page each, all in one query. A technician sees only orders assigned to them, a filter the batch
 * does not apply, so theirs are paged per parent (one `listWorkOrders` each).
 */
export async function workOrderPagesOf(
  em: EntityManager,
  caller: Identity | null,
  key: 'customerId' | 'assetId',
  requests: readonly ParentPageRequest[],
): Promise<(Page<WorkOrderRecord> | Error)[]> {
  const me = requireRole(caller, ...CAN_READ);
  if (seesAll(me)) return keysetPagesByParent(em, WorkOrderRecord, key, requests);
  return Promise.all(
    requests.map((r) =>
      listWorkOrders(em, me, { [key]: r.parentId, first: r.first, after: r.after }).catch(
        (e: Error) => e,
      ),
    ),
  );
}

export const historyOf = (em: EntityManager, workOrderId: string) =>
  em.find(WorkOrderHistoryRecord, { workOrderId }, { orderBy: { id: 'asc' } });

/** What an intake reads before it writes (R-WO-1, R-WO-8). */
export interface IntakeContext {
  /** The registrar's own station, when the intake names none. */
  registrarStation: string | null;
  /** R-WO-8: the earlier completed work on the asset, newest first (at most 50). */
  previous: (CompletedOrder & { technicianIds: string[] })[];
}

/**
 * The registrar's station and the asset's earlier completed orders, in one statement: each round
 * trip costs more than its rows (ADR 0034). Plain rows, not entities: nothing to keep or flush.
 */
export async function intakeContext(
  em: EntityManager,
  of: { registrarId: string | null; assetId: string | null },
): Promise<IntakeContext> {
  if (!of.registrarId && !of.assetId) return { registrarStation: null, previous: [] };
  const [row] = (await em.execute(
    `SELECT (SELECT station_code FROM staff WHERE id = ?) AS registrar_station,
            (SELECT coalesce(json_agg(json_build_object('id', o.id, 'assetId', o.asset_id,
                                        'category', o.category, 'completedAt', o.completed_at,
                                        'technicianIds', o.technician_ids)
                                      ORDER BY o.completed_at DESC), '[]')
               FROM (SELECT id, asset_id, category, completed_at, technician_ids FROM work_order
                      WHERE asset_id = ? AND completed_at IS NOT NULL AND status <> 'CANCELLED'
                      ORDER BY completed_at DESC LIMIT 50) o) AS previous`,
    [of.registrarId, of.assetId],
  )) as [
    {
      registrar_station: string | null;
      previous: (IntakeContext['previous'][number] & { completedAt: string })[];
    },
  ];
  return {
    registrarStation: row.registrar_station,
    previous: row.previous.map((p) => ({ ...p, completedAt: new Date(p.completedAt) })),
  };
}

export interface BoardFilter {
  province?: string | null;
  city?: string | null;
  /** One service station's orders (its dispatcher's board). */
  stationCode?: string | null;
  status?: string | null;
  technicianId?: string | null;
  overdueOnly?: boolean | null;
  first?: number | null;
}

/**
 * R-WO-4 dispatch board: open orders by their next deadline; orders called in before today's
 * working day and still not dispatched come first.
 */
export async function dispatchBoard(
  deps: WorkOrderDeps,
  em: EntityManager,
  caller: Identity | null,
  f: BoardFilter,
): Promise<BoardRow<WorkOrderRecord & { dueAt: Date | null }>[]> {
  const me = requireRole(caller, ...CAN_READ_BOARD);
  const first = f.first ?? 100;
  if (!Number.isInteger(first) || first < 1 || first > 500)
    throw invalidArgument('first must be between 1 and 500', 'first', 'INVALID_PAGE_SIZE');
  const orders = await em.find(
    WorkOrderRecord,
    { $and: [filterOf(me, { ...f, openOnly: true })] },
    { limit: 2000, orderBy: { calledAt: 'asc' } },
  );
  const entries = orders.map((o) => Object.assign(o, { dueAt: boardDueAt(o) }));
  const rows = boardOrder(entries, deps.now(), deps.calendar);
  return (f.overdueOnly ? rows.filter((r) => r.overdue) : rows).slice(0, first);
}

/**
 * R-WO-9: each technician's jobs of a local business day by category with time spent (repair
 * card hours, or on-site time from arrival to completion), rolled up by team.
 */
export async function dailyReportFor(
  deps: WorkOrderDeps,
  em: EntityManager,
  caller: Identity | null,
  date: string,
): Promise<DailyReport> {
  requireRole(caller, 'dispatcher', 'manager', 'auditor', 'workshop');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw invalidArgument('date must be YYYY-MM-DD', 'date', 'INVALID_DATE');
  const start = deps.calendar.fromLocal(`${date}T00:00:00`);
  const end = new Date(start.getTime() + 86_400_000);
  const orders = await em.find(WorkOrderRecord, {
    $or: [
      { arrivedAt: { $gte: start, $lt: end } },
      { completedAt: { $gte: start, $lt: end } },
      { dispatchedAt: { $gte: start, $lt: end } },
    ],
  });
  const day = { date, start, end };
  const staff = await em.find(StaffRecord, {
    id: { $in: [...new Set(orders.flatMap((o) => workersOnDay(o, day)))] },
  });
  const teamOf = new Map(staff.map((s) => [s.id, s.team ?? 'unassigned']));
  const jobs = orders.flatMap((o) =>
    workersOnDay(o, day).map((technicianId) => ({
      workOrderId: o.id,
      technicianId,
      team: teamOf.get(technicianId) ?? 'unassigned',
      category: o.category,
      minutes: minutesOnDay(o, technicianId, day),
      status: o.status,
    })),
  );
  return dailyReport(date, jobs);
}
