import { LockMode } from '@mikro-orm/core';
import {
  changeOneIn,
  checkUuid,
  createOnce,
  decodeCursor,
  encodeCursor,
  type EntityManager,
  eventMessage,
  groupByKeys,
  type Identity,
  idempotencyKey,
  isoDate,
  notFound,
  type Page,
  pageFromRows,
  pageSize,
  requireRole,
  uuidv7,
} from '@aftercare/kit';
import { events } from '@aftercare/events';
import { z } from 'zod';
import { FollowUpCallRecord, FollowUpRecord, SurveyRecord } from '../db/entities';
import { type CallInput, countsAsFollowedUp, recordCall, secondCallWindow } from '../domain';
import { CAN_CALL, CAN_READ } from './access';
import type { SurveyDeps } from './deps';

/**
 * R-SV-2: records one call of a follow-up. The call row, `survey.follow_up_called` (which the
 * customer service turns into the contact-log entry, R-CU-5) and, for a complaint heard on the
 * call, `survey.dissatisfied` (R-SV-4) commit together, so the call reaches the contact log
 * however long the customer service is down. With an idempotency key of its own the call is
 * recorded once; a repeat gets the follow-up as it stands.
 */
export async function recordFollowUpCall(
  deps: SurveyDeps,
  caller: Identity | null,
  followUpId: string,
  input: CallInput & { idempotencyKey?: string | null },
): Promise<FollowUpRecord> {
  const me = requireRole(caller, ...CAN_CALL);
  const once = {
    operation: 'survey.recordFollowUpCall',
    caller: me,
    key: idempotencyKey(input.idempotencyKey),
    request: { ...input, followUpId },
    load: (em: EntityManager, id: string) => em.findOneOrFail(FollowUpRecord, { id }),
  };
  return createOnce(deps.orm, once, async (em) => {
    // Published after the call's own event, with the call as subject (see complaintHeard).
    let heard = null as Heard | null;
    const followUp = await changeOneIn(em, deps.events, {
      entity: FollowUpRecord,
      label: 'FollowUp',
      id: followUpId,
      field: 'followUpId',
      apply: async (followUp, em) => {
        const now = deps.now();
        const recorded = recordCall(followUp, input, now);
        const call = em.create(FollowUpCallRecord, {
          id: uuidv7(),
          followUpId: followUp.id,
          customerId: followUp.customerId,
          outcome: recorded.outcome,
          summary: recorded.summary,
          complaint: recorded.complaint,
          callbackAt: recorded.callbackAt,
          agentId: me.userId,
          calledAt: now,
        });
        followUp.status = recorded.status;
        followUp.attempts += 1;
        followUp.lastOutcome = recorded.outcome;
        followUp.followedUp ||= countsAsFollowedUp(recorded.outcome);
        followUp.callbackAt = recorded.callbackAt;
        if (recorded.callbackAt) followUp.callDate = deps.calendar.localDate(recorded.callbackAt);
        if (followUp.sequence === 1 && followUp.status === 'DONE')
          await openSecondCall(deps, em, followUp.workOrderId, deps.calendar.localDate(now));
        if (recorded.complaint) heard = { call, complaint: recorded.complaint, at: now };
        return {
          records: [call],
          events: [
            eventMessage(events.survey.followUpCalled, {
              followUpId: followUp.id,
              callId: call.id,
              workOrderId: followUp.workOrderId,
              customerId: followUp.customerId,
              sequence: followUp.sequence,
              outcome: recorded.outcome,
              followedUp: followUp.followedUp,
              agentId: me.userId,
              calledAt: now.toISOString(),
              workOrderNumber: followUp.workOrderNumber,
              summary: recorded.summary,
              complaint: recorded.complaint,
            }),
          ],
        };
      },
    });
    if (heard) await complaintHeard(deps, em, followUp, heard, me.userId);
    return followUp;
  });
}

interface Heard {
  call: FollowUpCallRecord;
  complaint: string;
  at: Date;
}

/** R-SV-4: a complaint heard on a call; its subject is the call, so each call's is once. */
async function complaintHeard(
  deps: SurveyDeps,
  em: EntityManager,
  followUp: FollowUpRecord,
  heard: Heard,
  recordedBy: string,
): Promise<void> {
  const survey = await em.findOne(SurveyRecord, {
    kind: 'WORK_ORDER',
    workOrderId: followUp.workOrderId,
  });
  deps.events.publish(em, events.survey.dissatisfied, heard.call.id, {
    surveyId: survey?.id ?? null,
    followUpId: followUp.id,
    customerId: followUp.customerId,
    workOrderId: followUp.workOrderId,
    assetId: followUp.assetId,
    technicianIds: followUp.technicianIds,
    reason: 'COMPLAINT_ON_FOLLOW_UP',
    content: heard.complaint,
    lowItems: [],
    recordedBy,
    occurredAt: heard.at.toISOString(),
  });
}

/** R-SV-2: the first call is done, so the second goes on the call list a week after it. */
async function openSecondCall(
  deps: SurveyDeps,
  em: EntityManager,
  workOrderId: string,
  firstCallDate: string,
): Promise<void> {
  const second = await em.findOne(
    FollowUpRecord,
    { workOrderId, sequence: 2, status: 'WAITING' },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!second) return;
  const window = secondCallWindow(firstCallDate, deps.settings.plan);
  Object.assign(second, window, { status: 'PLANNED', callDate: window.windowStart });
}

const callListCursor = z.object({ d: z.string(), id: z.uuid() });

/**
 * R-SV-2: the call list of `date` (default today): planned follow-ups whose window has opened or
 * whose callback is due, oldest first (overdue ones lead), paged with a keyset cursor.
 */
export async function callList(
  deps: SurveyDeps,
  em: EntityManager,
  caller: Identity | null,
  args: {
    date?: string | null;
    province?: string | null;
    first?: number | null;
    after?: string | null;
  },
): Promise<Page<FollowUpRecord>> {
  requireRole(caller, ...CAN_CALL, 'manager');
  const date = args.date ? isoDate(args.date, 'date') : deps.calendar.localDate(deps.now());
  const first = pageSize(args.first);
  const base = {
    status: 'PLANNED' as const,
    callDate: { $lte: date },
    ...(args.province ? { province: args.province } : {}),
  };
  const after = args.after ? decodeCursor(args.after, (v) => callListCursor.parse(v)) : null;
  const filter = after
    ? {
        $and: [
          base,
          { $or: [{ callDate: { $gt: after.d } }, { callDate: after.d, id: { $gt: after.id } }] },
        ],
      }
    : base;
  const [rows, total] = await Promise.all([
    em.find(FollowUpRecord, filter, {
      orderBy: [{ callDate: 'asc' }, { id: 'asc' }],
      limit: first + 1,
    }),
    em.count(FollowUpRecord, base),
  ]);
  return pageFromRows(rows, first, total, (row) => encodeCursor({ d: row.callDate, id: row.id }));
}

export async function followUpsOfWorkOrders(
  em: EntityManager,
  caller: Identity | null,
  workOrderIds: readonly string[],
): Promise<FollowUpRecord[][]> {
  requireRole(caller, ...CAN_READ);
  const found = await em.find(
    FollowUpRecord,
    { workOrderId: { $in: [...workOrderIds] } },
    { orderBy: { sequence: 'asc' } },
  );
  return groupByKeys(workOrderIds, found, (f) => f.workOrderId);
}

export async function callsOfFollowUps(
  em: EntityManager,
  caller: Identity | null,
  ids: readonly string[],
): Promise<FollowUpCallRecord[][]> {
  requireRole(caller, ...CAN_READ);
  const found = await em.find(
    FollowUpCallRecord,
    { followUpId: { $in: [...ids] } },
    { orderBy: { calledAt: 'asc' } },
  );
  return groupByKeys(ids, found, (c) => c.followUpId);
}

export async function getFollowUp(em: EntityManager, caller: Identity | null, id: string) {
  requireRole(caller, ...CAN_READ);
  const found = await em.findOne(FollowUpRecord, { id: checkUuid(id) });
  if (!found) throw notFound('FollowUp', id);
  return found;
}
