import {
  alignByIds,
  checkUuid,
  type EntityManager,
  forbidden,
  groupByKeys,
  hasRole,
  type Identity,
  keysetPage,
  notFound,
  oneOf,
  type Page,
  requireRole,
} from '@aftercare/kit';
import { PenaltyRecord } from '../../db/penalties';
import {
  PENALTY_STATUSES,
  type PenaltyActionType,
  type PayrollRow,
  allowedPenaltyActions,
  monthlyExport,
} from '../../domain/penalties';
import { monthRange, parseMonth } from '../../domain/month';
import { ANY_STAFF, CAN_EXPORT_PAYROLL, CAN_READ_ALL_PENALTIES } from './access';
import type { PenaltyDeps } from './deps';

/** R-PN-3: staff see only their own lines; managers, auditors and services see all. */
export function mayReadPenaltiesOf(caller: Identity, staffId: string): boolean {
  return hasRole(caller, ...CAN_READ_ALL_PENALTIES) || caller.userId === staffId;
}

export async function getPenalty(em: EntityManager, caller: Identity | null, id: string) {
  const me = requireRole(caller, ...ANY_STAFF);
  const record = await em.findOne(PenaltyRecord, { id: checkUuid(id, 'id') });
  if (!record || !mayReadPenaltiesOf(me, record.staffId)) throw notFound('Penalty', id);
  return record;
}

/** Ledger lines by id, in the order asked; null for one missing or not the caller's to read. */
export async function batchGetPenalties(
  em: EntityManager,
  caller: Identity | null,
  ids: readonly string[],
): Promise<(PenaltyRecord | null)[]> {
  const found = await em.find(PenaltyRecord, { id: { $in: [...ids] } });
  return alignByIds(ids, readable(caller, found));
}

/** Ledger lines by what they stem from (a complaint's findings), only those the caller may see. */
export async function penaltiesByReference(
  em: EntityManager,
  caller: Identity | null,
  references: readonly string[],
): Promise<PenaltyRecord[][]> {
  const found = await em.find(
    PenaltyRecord,
    { reference: { $in: [...references] } },
    { orderBy: { occurredAt: 'asc', id: 'asc' } },
  );
  return groupByKeys(references, readable(caller, found), (p) => p.reference!);
}

const readable = (caller: Identity | null, found: PenaltyRecord[]) =>
  caller ? found.filter((p) => mayReadPenaltiesOf(caller, p.staffId)) : [];

/** The lifecycle actions the caller may take on a ledger line now (none when signed out). */
export const penaltyActionsFor = (
  caller: Identity | null,
  record: PenaltyRecord,
): PenaltyActionType[] => (caller ? allowedPenaltyActions(record, caller) : []);

export interface PenaltyFilter {
  staffId?: string | null;
  month?: string | null;
  status?: string | null;
  first?: number | null;
  after?: string | null;
}

/** R-PN-3 ledger lines, newest first, paged: staff see only their own lines. */
export async function listPenalties(
  deps: PenaltyDeps,
  em: EntityManager,
  caller: Identity | null,
  filter: PenaltyFilter,
): Promise<Page<PenaltyRecord>> {
  const me = requireRole(caller, ...ANY_STAFF);
  const readsAll = hasRole(me, ...CAN_READ_ALL_PENALTIES);
  const staffId = filter.staffId ?? (readsAll ? null : me.userId);
  if (!staffId && !readsAll) throw forbidden('staff see only their own penalties');
  if (staffId && !mayReadPenaltiesOf(me, staffId))
    throw forbidden('staff see only their own penalties');
  const range = filter.month ? monthRange(parseMonth(filter.month), deps.calendar) : null;
  return keysetPage(
    em,
    PenaltyRecord,
    {
      ...(staffId ? { staffId } : {}),
      ...(filter.status ? { status: oneOf(PENALTY_STATUSES, filter.status, 'status') } : {}),
      ...(range ? { occurredAt: { $gte: range.from, $lt: range.to } } : {}),
    },
    { first: filter.first, after: filter.after },
  );
}

/**
 * A staff member's ledger lines (GraphQL `Staff.penalties`), newest first, paged; empty for a
 * caller who may not read them, as the field sits on another subgraph's entity.
 */
export async function penaltiesOfStaff(
  deps: PenaltyDeps,
  em: EntityManager,
  caller: Identity | null,
  staffId: string,
  request: { month?: string | null; first?: number | null; after?: string | null },
): Promise<Page<PenaltyRecord>> {
  const me = requireRole(caller, ...ANY_STAFF);
  const range = request.month ? monthRange(parseMonth(request.month), deps.calendar) : null;
  return keysetPage(
    em,
    PenaltyRecord,
    mayReadPenaltiesOf(me, staffId)
      ? { staffId, ...(range ? { occurredAt: { $gte: range.from, $lt: range.to } } : {}) }
      : { id: { $in: [] } },
    request,
  );
}

/** R-PN-3: the month's payable totals per staff member, for payroll. */
export async function payrollExport(
  deps: PenaltyDeps,
  em: EntityManager,
  caller: Identity | null,
  rawMonth: string,
): Promise<PayrollRow[]> {
  requireRole(caller, ...CAN_EXPORT_PAYROLL);
  const month = parseMonth(rawMonth);
  const { from, to } = monthRange(month, deps.calendar);
  const entries = await em.find(PenaltyRecord, { occurredAt: { $gte: from, $lt: to } });
  return monthlyExport(entries, month, deps.calendar);
}
