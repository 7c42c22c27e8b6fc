import { LockMode } from '@mikro-orm/core';
import {
  checkUuid,
  createOnce,
  decodeCursor,
  encodeCursor,
  type EntityManager,
  type Identity,
  idempotencyKey,
  isoDate,
  type Logger,
  type Metrics,
  notFound,
  type Page,
  pageFromRows,
  pageSize,
  requireRole,
  startPeriodicWorker,
  uuidv7,
  type Worker,
} from '@aftercare/kit';
import type { SurveyDissatisfied, SurveyFollowUpCalled } from '@aftercare/events';
import { events } from '@aftercare/events';
import { z } from 'zod';
import { FollowUpCallRecord, FollowUpRecord, SurveyRecord } from '../db/entities';
import { type CallInput, countsAsFollowedUp, recordCall, secondCallWindow } from '../domain';
import { CAN_CALL, CAN_READ } from './access';
import { isTransient, type SurveyDeps } from './deps';

/**
 * R-SV-2: records one call of a follow-up. The call row and, for a complaint heard on the call,
 * `survey.dissatisfied` (R-SV-4) commit together; the contact log (customer service, gRPC) is
 * written after commit and retried by a worker until it succeeds, with the call id as
 * idempotency key, so it is logged exactly once even when the customer service is down. With an
 * idempotency key of its own the call is recorded once; a repeat gets the follow-up as it stands.
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
  let callId: string | null = null;
  const followUp = await createOnce(deps.orm, once, async (em) => {
    const followUp = await em.findOne(
      FollowUpRecord,
      { id: checkUuid(followUpId, 'followUpId') },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!followUp) throw notFound('FollowUp', followUpId);
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
    await em.flush();
    deps.events.publish(em, events.survey.followUpCalled, followUp.id, {
      followUpId: followUp.id,
      callId: call.id,
      workOrderId: followUp.workOrderId,
      customerId: followUp.customerId,
      sequence: followUp.sequence,
      outcome: recorded.outcome,
      followedUp: followUp.followedUp,
      agentId: me.userId,
      calledAt: now.toISOString(),
    } satisfies SurveyFollowUpCalled);
    if (recorded.complaint) {
      const survey = await em.findOne(SurveyRecord, {
        kind: 'WORK_ORDER',
        workOrderId: followUp.workOrderId,
      });
      deps.events.publish(em, events.survey.dissatisfied, call.id, {
        surveyId: survey?.id ?? null,
        followUpId: followUp.id,
        customerId: followUp.customerId,
        workOrderId: followUp.workOrderId,
        assetId: followUp.assetId,
        technicianIds: followUp.technicianIds,
        reason: 'COMPLAINT_ON_FOLLOW_UP',
        content: recorded.complaint,
        lowItems: [],
        recordedBy: me.userId,
        occurredAt: now.toISOString(),
      } satisfies SurveyDissatisfied);
    }
    callId = call.id;
    return followUp;
  });
  // Now if the customer service answers; the retry worker logs whatever this misses. The call
  // is recorded either way, so a failure here is not the caller's error. A repeat recorded nothing.
  if (callId)
    await logCalls(deps, [callId]).catch((err: unknown) =>
      deps.logger.warn({ err, callId }, 'contact log entry left to the retry worker'),
    );
  return followUp;
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

const OUTCOME_TEXT: Record<string, string> = {
  REACHED: 'reached',
  NO_ANSWER: 'no answer',
  REFUSED: 'refused to talk',
  CALLBACK_REQUESTED: 'asked to be called back',
};

/**
 * Writes calls to the customer's contact log (R-CU-5) and marks them logged. Rows are claimed
 * with SKIP LOCKED so replicas never log the same call concurrently (the idempotency key makes
 * a repeat harmless anyway). While the customer service is down the round ends quietly and the
 * next one tries again: a dependency outage must not make this service unready. Returns how many
 * were logged.
 */
export async function logCalls(deps: SurveyDeps, ids?: string[]): Promise<number> {
  return deps.orm.em.fork().transactional(async (em) => {
    const calls = await em.find(
      FollowUpCallRecord,
      ids ? { id: { $in: ids }, contactLoggedAt: null } : { contactLoggedAt: null },
      { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, orderBy: { calledAt: 'asc' }, limit: 100 },
    );
    // One query for the follow-ups of the whole round, not one per call.
    const followUps = new Map(
      (
        await em.find(FollowUpRecord, { id: { $in: [...new Set(calls.map((c) => c.followUpId))] } })
      ).map((f) => [f.id, f]),
    );
    let logged = 0;
    for (const call of calls) {
      const followUp = followUps.get(call.followUpId)!;
      try {
        await deps.customers.logContact({
          callId: call.id,
          customerId: call.customerId,
          staffId: call.agentId,
          summary: [
            `Follow-up call ${followUp.sequence} for ${followUp.workOrderNumber}: ${OUTCOME_TEXT[call.outcome]}`,
            call.summary,
          ]
            .filter(Boolean)
            .join('. '),
          customerRequest: call.complaint,
          occurredAt: call.calledAt,
          reference: `workorder:${followUp.workOrderId}`,
          complaint: Boolean(call.complaint),
        });
      } catch (e) {
        if (isTransient(e)) {
          deps.logger.warn({ err: e }, 'customer service unavailable: contact log entries wait');
          break;
        }
        // Refused (e.g. the customer file is unknown there): left unlogged and reported, without
        // holding back the others.
        deps.logger.error({ err: e, callId: call.id }, 'contact log entry refused');
        continue;
      }
      call.contactLoggedAt = deps.now();
      logged += 1;
    }
    return logged;
  });
}

export const startContactLogRetry = (
  deps: SurveyDeps,
  logger: Logger,
  intervalMs: number,
  metrics?: Metrics,
): Worker =>
  startPeriodicWorker('contact log retry', intervalMs, () => logCalls(deps), logger, metrics);

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
  return workOrderIds.map((id) => found.filter((f) => f.workOrderId === id));
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
  return ids.map((id) => found.filter((c) => c.followUpId === id));
}

export async function getFollowUp(em: EntityManager, caller: Identity | null, id: string) {
  requireRole(caller, ...CAN_READ);
  const found = await em.findOne(FollowUpRecord, { id: checkUuid(id) });
  if (!found) throw notFound('FollowUp', id);
  return found;
}
