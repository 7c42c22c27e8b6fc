import {
  type EntityManager,
  type Identity,
  checkUuid,
  groupByKeys,
  hasRole,
  keysetPage,
  notFound,
  oneOf,
  requireRole,
  inRequestedOrder,
} from '@aftercare/kit';
import type { FilterQuery } from '@mikro-orm/core';
import {
  ComplaintHistoryRecord,
  type ComplaintPolicyRecord,
  ComplaintRecord,
  CompletedWorkOrderRecord,
} from '../db/entities';
import {
  type ComplaintActionType,
  COMPLAINT_CATEGORIES,
  COMPLAINT_CHANNELS,
  COMPLAINT_STATUSES,
  type MonthlyComplaintReport,
  allowedActions,
  complaintDeadlines,
  overdueKinds,
  monthRange,
  monthlyComplaintReport,
  parseMonth,
} from '../domain';
import { CAN_READ_COMPLAINTS, CAN_READ_REPORTS, CAN_WORK_COMPLAINTS } from './access';
import type { ComplaintDeps } from './deps';

/** Everyone in CAN_READ_COMPLAINTS sees all; other staff only the complaints assigned to them. */
export const canSee = (caller: Identity, c: ComplaintRecord): boolean =>
  hasRole(caller, ...CAN_READ_COMPLAINTS) || c.handlerId === caller.userId;

export async function getComplaint(
  em: EntityManager,
  caller: Identity | null,
  id: string,
): Promise<ComplaintRecord> {
  const me = requireRole(caller, ...CAN_READ_COMPLAINTS, ...CAN_WORK_COMPLAINTS);
  const complaintId = checkUuid(id, 'id');
  const found = await em.findOne(ComplaintRecord, { id: complaintId });
  if (!found || !canSee(me, found)) throw notFound('Complaint', complaintId);
  return found;
}

export async function batchGetComplaints(
  em: EntityManager,
  caller: Identity | null,
  ids: readonly string[],
): Promise<ComplaintRecord[]> {
  const me = requireRole(caller, ...CAN_READ_COMPLAINTS, ...CAN_WORK_COMPLAINTS);
  const wanted = ids.map((id, i) => checkUuid(id, `ids.${i}`));
  const found = wanted.length
    ? await em.find(ComplaintRecord, { id: { $in: [...new Set(wanted)] } })
    : [];
  return inRequestedOrder(
    wanted,
    found.filter((c) => canSee(me, c)),
  );
}

export interface ComplaintFilter {
  customerId?: string | null;
  workOrderId?: string | null;
  status?: string | null;
  /** True: not closed yet; false: closed (also as invalid). */
  open?: boolean | null;
  category?: string | null;
  channel?: string | null;
  /** Only those assigned to the caller. */
  mine?: boolean | null;
  first?: number | null;
  after?: string | null;
}

/** Newest first; staff outside CAN_READ_COMPLAINTS list only what is assigned to them. */
export async function listComplaints(
  em: EntityManager,
  caller: Identity | null,
  f: ComplaintFilter,
) {
  const me = requireRole(caller, ...CAN_READ_COMPLAINTS, ...CAN_WORK_COMPLAINTS);
  const onlyMine = Boolean(f.mine) || !hasRole(me, ...CAN_READ_COMPLAINTS);
  const filter: FilterQuery<ComplaintRecord> = {
    ...(f.customerId ? { customerId: checkUuid(f.customerId, 'customerId') } : {}),
    ...(f.workOrderId ? { workOrderId: checkUuid(f.workOrderId, 'workOrderId') } : {}),
    ...(f.status ? { status: oneOf(COMPLAINT_STATUSES, f.status, 'status') } : {}),
    ...(typeof f.open === 'boolean' ? { closedAt: f.open ? null : { $ne: null } } : {}),
    ...(f.category ? { category: oneOf(COMPLAINT_CATEGORIES, f.category, 'category') } : {}),
    ...(f.channel ? { channel: oneOf(COMPLAINT_CHANNELS, f.channel, 'channel') } : {}),
    ...(onlyMine ? { handlerId: me.userId } : {}),
  };
  return keysetPage(em, ComplaintRecord, filter, { first: f.first, after: f.after });
}

/**
 * Complaints per customer / work order, newest first (as `listComplaints`, so later pages follow
 * on), for the first page of the `Customer` and `WorkOrder` entity extensions.
 */
export async function complaintsBy(
  em: EntityManager,
  caller: Identity | null,
  key: 'customerId' | 'workOrderId',
  ids: readonly string[],
): Promise<ComplaintRecord[][]> {
  const me = requireRole(caller, ...CAN_READ_COMPLAINTS, ...CAN_WORK_COMPLAINTS);
  const found = ids.length
    ? await em.find(
        ComplaintRecord,
        { [key]: { $in: [...new Set(ids)] } },
        { orderBy: { id: 'desc' } },
      )
    : [];
  return groupByKeys(
    ids,
    found.filter((c) => canSee(me, c)),
    (c) => c[key],
  );
}

export async function historyOf(
  em: EntityManager,
  complaintIds: readonly string[],
): Promise<ComplaintHistoryRecord[][]> {
  const found = complaintIds.length
    ? await em.find(
        ComplaintHistoryRecord,
        { complaintId: { $in: [...new Set(complaintIds)] } },
        { orderBy: { at: 'asc', id: 'asc' } },
      )
    : [];
  return groupByKeys(complaintIds, found, (h) => h.complaintId);
}

/**
 * R-CO-4: the month's statistics. Complaints received in the business month; the complaint rate
 * against work orders completed in it, counted from `workorder.completed` into our own table.
 */
export async function complaintReport(
  deps: ComplaintDeps,
  em: EntityManager,
  caller: Identity | null,
  rawMonth: string,
): Promise<MonthlyComplaintReport> {
  requireRole(caller, ...CAN_READ_REPORTS);
  const month = parseMonth(rawMonth);
  const { from, to } = monthRange(month, deps.calendar);
  const [complaints, completedWorkOrders] = await Promise.all([
    em.find(ComplaintRecord, { receivedAt: { $gte: from, $lt: to } }),
    em.count(CompletedWorkOrderRecord, { completedAt: { $gte: from, $lt: to } }),
  ]);
  return monthlyComplaintReport({
    complaints,
    completedWorkOrders,
    month,
    calendar: deps.calendar,
    now: deps.now(),
    majorIds: complaints.filter((c) => c.majorReasons.length > 0).map((c) => c.id),
    policy: deps.deadlinePolicy,
  });
}

/** The steps the caller may take on a complaint now, under the policy in force (none signed out). */
export const complaintActionsFor = (
  caller: Identity | null,
  complaint: ComplaintRecord,
  policy: ComplaintPolicyRecord,
): ComplaintActionType[] =>
  caller ? allowedActions(complaint, { actor: caller, approvalTiers: policy.approvalTiers }) : [];

/** R-CO-3: a complaint's deadlines under the service's deadline policy, and which have passed. */
export function deadlinesOf(deps: ComplaintDeps, complaint: ComplaintRecord) {
  const options = {
    calendar: deps.calendar,
    major: complaint.majorReasons.length > 0,
    policy: deps.deadlinePolicy,
  };
  return {
    ...complaintDeadlines(complaint, options),
    overdueKinds: overdueKinds(complaint, deps.now(), options),
  };
}
