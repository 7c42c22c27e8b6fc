import type { ComplaintClosed, ComplaintProgressed, ComplaintRegistered } from '@aftercare/events';
import { events } from '@aftercare/events';
import {
  changeOne,
  checkUuid,
  createOnce,
  type EntityManager,
  type EventMessage,
  eventMessage,
  idempotencyKey,
  type Identity,
  invalidArgument,
  issueNumber,
  type NumberSeries,
  requireRole,
  type Role,
  uuidv7,
} from '@aftercare/kit';
import { fileDestroyed } from '@aftercare/kernel';
import { ComplaintHistoryRecord, ComplaintRecord } from '../db/entities';
import {
  type Complaint,
  type ComplaintAction,
  type ComplaintInput,
  type ComplaintIntake,
  type ImprovementActionInput,
  DEFAULT_REPEAT_COMPLAINT_WINDOW_DAYS,
  addImprovementAction,
  completeImprovementAction,
  findRepeatComplaint,
  majorReasons,
  openComplaint,
  parseComplaint,
  transition,
} from '../domain';
import { CAN_RECORD, CAN_STEER, CAN_WORK_COMPLAINTS, STEP_ROLES } from './access';
import { type ComplaintDeps, SERVICE_IDENTITY } from './deps';
import { type ComplaintFinding, proposeComplaintPenalties } from './penalties';
import { loadPolicy } from './policy';
import { canSee } from './queries';

const DAY_MS = 86_400_000;

export interface Change {
  action: string;
  actorId: string;
  details?: Record<string, unknown> | null;
  events?: EventMessage[];
}

/** The record is a domain `Complaint` plus bookkeeping; the workflow reads and returns that shape. */
const asComplaint = (record: ComplaintRecord): Complaint => ({ ...record });

/** Complaint numbers as staff quote them: `CP-20261124-00017`. */
const COMPLAINT_NUMBERS: NumberSeries = {
  prefix: 'CP',
  digits: 5,
  dated: true,
  source: { kind: 'sequence', name: 'complaint_number_seq' },
};

/**
 * The one way a complaint changes: lock the row, let `apply` check and change it, then record the
 * history line (who, when, what: R-CO-2) and the events in the same transaction. The caller must
 * hold one of `roles` before anything is looked up, and a complaint they may not read is
 * NOT_FOUND as it is to a reader: a refusal never tells what state a complaint is in.
 */
export async function mutateComplaint(
  deps: ComplaintDeps,
  caller: Identity | null,
  roles: readonly Role[],
  id: string,
  apply: (
    record: ComplaintRecord,
    em: EntityManager,
    now: Date,
    me: Identity,
  ) => Promise<Change> | Change,
): Promise<ComplaintRecord> {
  const me = requireRole(caller, ...roles);
  return changeOne<ComplaintRecord>(deps, {
    entity: ComplaintRecord,
    label: 'Complaint',
    id,
    field: 'complaintId',
    visible: (record) => canSee(me, record),
    apply: async (record, em) => {
      const from: string = record.status;
      const now = deps.now();
      const change = await apply(record, em, now, me);
      record.updatedAt = now;
      return { records: [historyLine(record, change, from, now)], events: change.events };
    },
  });
}

/** The history line of a change (R-CO-2: who, when, what); `from` is null for the first one. */
export const historyLine = (
  record: ComplaintRecord,
  change: Omit<Change, 'events'>,
  from: string | null,
  at: Date,
) =>
  Object.assign(new ComplaintHistoryRecord(), {
    id: uuidv7(),
    complaintId: record.id,
    action: change.action,
    fromStatus: from,
    toStatus: record.status,
    actorId: change.actorId,
    at,
    details: change.details ?? null,
  });

/**
 * R-CO-1 step 1 as a use case: validates the complaint, checks customer, work order and asset with
 * the services that own them (on behalf of the caller), and records it.
 */
function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/** R-CO-2 step 1: a complaint recorded after its references are checked; once per idempotency key. */
export async function registerComplaint(
  deps: ComplaintDeps,
  caller: Identity | null,
  input: ComplaintInput & { idempotencyKey?: string | null },
): Promise<ComplaintRecord> {
  const me = requireRole(caller, ...CAN_RECORD);
  const intake = parseComplaint(input, { now: deps.now() });
  const key = idempotencyKey(input.idempotencyKey);
  // The three checks are independent: ask at once, report in the order of the form.
  const [customer, workOrder, assetOwner] = await Promise.allSettled([
    deps.customers.customer(intake.customerId, me),
    intake.workOrderId ? deps.workOrders.workOrder(intake.workOrderId, me) : null,
    intake.assetId ? deps.customers.assetOwner(intake.assetId, me) : null,
  ]);
  // R-CU-4 a destroyed file takes no new complaint; its check answered the tombstone already.
  if (settled(customer).destroyed) throw fileDestroyed(intake.customerId, 'customerId');
  const order = settled(workOrder);
  let stationCode: string | null = null;
  if (order) {
    stationCode = order.stationCode;
    if (order.customerId && order.customerId !== intake.customerId) {
      throw invalidArgument(
        `work order ${order.number} belongs to another customer`,
        'workOrderId',
        'CUSTOMER_MISMATCH',
      );
    }
    if (intake.assetId && order.assetId && order.assetId !== intake.assetId) {
      throw invalidArgument(
        `work order ${order.number} is about another asset`,
        'assetId',
        'ASSET_MISMATCH',
      );
    }
  }
  if (intake.assetId) {
    if (settled(assetOwner) !== intake.customerId) {
      throw invalidArgument(
        'the asset belongs to another customer',
        'assetId',
        'CUSTOMER_MISMATCH',
      );
    }
  }
  const once = {
    operation: 'complaint.registerComplaint',
    caller: me,
    key,
    request: input,
    load: (em: EntityManager, id: string) => em.findOneOrFail(ComplaintRecord, { id }),
  };
  return createOnce(deps.orm, once, (em) =>
    recordComplaint(em, deps, intake, me.userId, null, stationCode),
  );
}

/**
 * Records a validated complaint in `em`'s transaction: number, major-complaint reasons (R-CO-3,
 * repeats judged against the customer's earlier complaints), history and `complaint.registered`.
 */
export async function recordComplaint(
  em: EntityManager,
  deps: ComplaintDeps,
  intake: ComplaintIntake,
  recordedBy: string,
  sourceEventId: string | null,
  /** The station handling the complaint's work order (docs/rules.md §6 per station), if any. */
  stationCode: string | null = null,
): Promise<ComplaintRecord> {
  const now = deps.now();
  const id = uuidv7();
  const judged = await judgeMajor(em, deps, { ...intake, id });
  const number = await issueNumber(
    em,
    COMPLAINT_NUMBERS,
    deps.calendar.localDate(intake.receivedAt),
  );
  const record = Object.assign(new ComplaintRecord(), {
    ...openComplaint(id, intake),
    number,
    ...judged,
    majorSince: judged.majorReasons.length > 0 ? intake.receivedAt : null,
    sourceEventId,
    stationCode,
    recordedBy,
    createdAt: now,
    updatedAt: now,
  });
  em.persist(record);
  em.persist(
    historyLine(record, { action: 'record', actorId: recordedBy, details: judged }, null, now),
  );
  await em.flush();
  deps.events.publish(em, events.complaint.registered, record.id, {
    complaintId: record.id,
    number,
    customerId: record.customerId,
    workOrderId: record.workOrderId,
    category: record.category,
    channel: record.channel,
    majorReasons: record.majorReasons,
    repeatOfComplaintId: record.repeatOfId,
    aboutStaffIds: record.aboutStaffIds,
    receivedAt: record.receivedAt.toISOString(),
    recordedBy,
  } satisfies ComplaintRegistered);
  return record;
}

/** R-CO-3: what makes the complaint major, and the earlier complaint it repeats. */
async function judgeMajor(
  em: EntityManager,
  deps: ComplaintDeps,
  subject: Pick<
    Complaint,
    | 'id'
    | 'customerId'
    | 'category'
    | 'workOrderId'
    | 'receivedAt'
    | 'channel'
    | 'demands'
    | 'highImpact'
    | 'disturbance'
  >,
): Promise<Pick<ComplaintRecord, 'majorReasons' | 'repeatOfId'>> {
  const { majorRules } = await loadPolicy(em);
  // A repeat is still found when repeats no longer make a complaint major: R-PN-2 doubles the
  // penalty of a repeated complaint whatever the major-complaint rules say.
  const windowDays = majorRules.repeatWindowDays ?? DEFAULT_REPEAT_COMPLAINT_WINDOW_DAYS;
  const previous = await em.find(ComplaintRecord, {
    id: { $ne: subject.id },
    customerId: subject.customerId,
    status: { $ne: 'CLOSED_INVALID' },
    receivedAt: {
      $gte: new Date(subject.receivedAt.getTime() - windowDays * DAY_MS),
      $lte: subject.receivedAt,
    },
  });
  const repeat = findRepeatComplaint(subject, previous, windowDays);
  return {
    majorReasons: majorReasons(subject, previous, majorRules),
    repeatOfId: repeat?.id ?? null,
  };
}

const actionDetails = (action: ComplaintAction): Record<string, unknown> => {
  const { type: _type, ...rest } = action;
  return rest;
};

/**
 * R-CO-2 steps 2–8 (classify … close): the pure workflow decides legality, self-handling, authority
 * and payload; this adds what needs the database: re-judging a reclassified complaint as major,
 * penalties proposed from the investigation's findings, and `complaint.closed`.
 */
export async function moveComplaint(
  deps: ComplaintDeps,
  caller: Identity | null,
  id: string,
  action: ComplaintAction,
): Promise<ComplaintRecord> {
  return mutateComplaint(deps, caller, STEP_ROLES[action.type], id, async (record, em, now, me) => {
    const policy = await loadPolicy(em);
    const fromStatus: string = record.status;
    const next = transition(asComplaint(record), action, {
      actor: me,
      now,
      routing: policy.routing,
      approvalTiers: policy.approvalTiers,
    });
    Object.assign(record, next);
    const change: Change = {
      action: action.type,
      actorId: me.userId,
      details: actionDetails(action),
    };
    if (action.type === 'classify') {
      Object.assign(record, await judgeMajor(em, deps, record));
      if (record.majorReasons.length > 0 && !record.majorSince) record.majorSince = now;
      change.details = { ...change.details, majorReasons: record.majorReasons };
    }
    if (action.type === 'investigate') {
      const { ids, noCarrier } = await proposeComplaintPenalties(
        em,
        deps,
        findingOf(deps, record),
        me.userId,
      );
      change.details = {
        ...change.details,
        penaltiesProposed: ids,
        // No culprit named and no team lead on the roster for this person: a manager proposes by hand.
        ...(noCarrier ? { penaltyWithoutCarrier: noCarrier } : {}),
      };
    }
    if (action.type === 'invalidate' || action.type === 'close') {
      change.events = [eventMessage(events.complaint.closed, closedEventData(record))];
    } else {
      change.events = [
        eventMessage(events.complaint.progressed, {
          complaintId: record.id,
          number: record.number,
          customerId: record.customerId,
          workOrderId: record.workOrderId,
          action: action.type,
          fromStatus,
          toStatus: record.status,
          actorId: me.userId,
          handlerId: record.handlerId,
          department: record.department,
          at: now.toISOString(),
          category: record.category,
          investigation: record.investigation && {
            serviceCaused: record.investigation.serviceCaused,
            responsibleStaffIds: record.investigation.responsibleStaffIds,
          },
        } satisfies ComplaintProgressed),
      ];
    }
    return change;
  });
}

/**
 * What the penalty ledger learns of an investigation. Nobody named: the team lead of the work
 * order's lead technician carries it or, without a technician on a work order, of the first
 * person the complaint is about.
 */
const findingOf = (deps: ComplaintDeps, complaint: ComplaintRecord): ComplaintFinding => ({
  complaintId: complaint.id,
  receivedAt: complaint.receivedAt,
  repeated: complaint.repeatOfId !== null,
  serviceCaused: complaint.investigation?.serviceCaused ?? false,
  responsibleStaffIds: complaint.investigation?.responsibleStaffIds ?? [],
  async teamMember() {
    const order = complaint.workOrderId
      ? await deps.workOrders.workOrder(complaint.workOrderId, SERVICE_IDENTITY)
      : null;
    return order?.leadTechnicianId ?? order?.technicianIds[0] ?? complaint.aboutStaffIds[0] ?? null;
  },
});

export const closedEventData = (c: ComplaintRecord): ComplaintClosed => ({
  complaintId: c.id,
  number: c.number,
  customerId: c.customerId,
  workOrderId: c.workOrderId,
  category: c.category,
  channel: c.channel,
  valid: c.status !== 'CLOSED_INVALID',
  satisfaction: c.satisfaction,
  receivedAt: c.receivedAt.toISOString(),
  closedAt: (c.closedAt ?? c.updatedAt).toISOString(),
});

/** R-CO-2 follow-through after close: an improvement action added. */
export function addComplaintImprovement(
  deps: ComplaintDeps,
  caller: Identity | null,
  id: string,
  input: ImprovementActionInput,
): Promise<ComplaintRecord> {
  return mutateComplaint(deps, caller, CAN_STEER, id, (record, _em, now, me) => {
    Object.assign(
      record,
      addImprovementAction(
        asComplaint(record),
        { ...input, id: input.id ?? uuidv7() },
        {
          actor: me,
          now,
        },
      ),
    );
    return { action: 'addImprovementAction', actorId: me.userId, details: { ...input } };
  });
}

/** R-CO-2 follow-through: an improvement action done (its owner or customer relations). */
export function completeComplaintImprovement(
  deps: ComplaintDeps,
  caller: Identity | null,
  id: string,
  actionId: string,
): Promise<ComplaintRecord> {
  return mutateComplaint(deps, caller, CAN_WORK_COMPLAINTS, id, (record, _em, now, me) => {
    Object.assign(
      record,
      completeImprovementAction(asComplaint(record), checkUuid(actionId, 'actionId'), {
        actor: me,
        now,
      }),
    );
    return { action: 'completeImprovementAction', actorId: me.userId, details: { actionId } };
  });
}
