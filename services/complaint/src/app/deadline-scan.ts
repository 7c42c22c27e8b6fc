import type { ComplaintEscalated, ComplaintOverdue } from '@aftercare/events';
import { events } from '@aftercare/events';
import { groupByKeys, recordOnce } from '@aftercare/kit';
import { ComplaintRecord } from '../db/entities';
import { complaintDeadlines, escalationDueAt, markEscalated, overdueKinds } from '../domain';
import { type ComplaintDeps, SERVICE_IDENTITY } from './deps';
import { historyLine } from './complaints';
import { publishMonthlyReport } from './monthly-report';

/**
 * R-CO-3: major complaints not yet escalated go to management now (`complaint.escalated`). The
 * rows are claimed with FOR UPDATE SKIP LOCKED and `escalated_at` is set in the same transaction as
 * the outbox row, so each complaint is escalated once however many replicas scan.
 */
export async function escalateMajorComplaints(deps: ComplaintDeps, limit = 200): Promise<number> {
  return deps.orm.em.fork().transactional(async (em) => {
    const rows = (await em.execute(
      `SELECT id FROM complaint
       WHERE escalated_at IS NULL AND major_reasons <> '[]'::jsonb AND status <> 'CLOSED_INVALID'
       ORDER BY received_at LIMIT ? FOR UPDATE SKIP LOCKED`,
      [limit],
    )) as { id: string }[];
    if (rows.length === 0) return 0;
    const now = deps.now();
    const complaints = await em.find(ComplaintRecord, { id: { $in: rows.map((r) => r.id) } });
    for (const c of complaints) {
      Object.assign(c, markEscalated({ ...c }, now));
      c.updatedAt = now;
      const escalation = {
        action: 'escalate',
        actorId: SERVICE_IDENTITY.userId,
        details: { majorReasons: c.majorReasons },
      };
      em.persist(historyLine(c, escalation, c.status, now));
      deps.events.publish(em, events.complaint.escalated, c.id, {
        complaintId: c.id,
        number: c.number,
        customerId: c.customerId,
        majorReasons: c.majorReasons,
        receivedAt: c.receivedAt.toISOString(),
        dueAt: escalationDueAt(c.majorSince ?? c.receivedAt, deps.deadlinePolicy).toISOString(),
        escalatedAt: now.toISOString(),
      } satisfies ComplaintEscalated);
    }
    await em.flush();
    return complaints.length;
  });
}

/**
 * R-CO-3: deadlines breached (solution 1 working day after assignment, closure 7 days after
 * receipt, escalation 24 h after receipt of a major complaint) emit `complaint.overdue` once per
 * complaint and kind: the `complaint_overdue` primary key makes the notice exactly-once with any
 * number of replicas (the insert and the outbox row commit together; a second insert does nothing).
 */
export async function scanOverdueComplaints(deps: ComplaintDeps, limit = 500): Promise<number> {
  const now = deps.now();
  const policy = deps.deadlinePolicy;
  return deps.orm.em.fork().transactional(async (em) => {
    // Candidates in SQL, per kind not yet noticed, with coarse bounds so the scan stays cheap and
    // never starves on old complaints already reported; the domain then decides exactly. A
    // working day is never shorter than 12 h, whatever the calendar.
    const rows = (await em.execute(
      `SELECT c.id FROM complaint c
       WHERE (NOT EXISTS (SELECT 1 FROM complaint_overdue o WHERE o.complaint_id = c.id AND o.kind = 'CLOSURE')
              AND c.received_at + make_interval(days => ?) < coalesce(c.closed_at, ?::timestamptz))
          OR (c.major_reasons <> '[]'::jsonb
              AND NOT EXISTS (SELECT 1 FROM complaint_overdue o WHERE o.complaint_id = c.id AND o.kind = 'ESCALATION')
              AND coalesce(c.major_since, c.received_at) + make_interval(hours => ?)
                  < coalesce(c.escalated_at, ?::timestamptz))
          OR (c.assigned_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM complaint_overdue o WHERE o.complaint_id = c.id AND o.kind = 'SOLUTION')
              AND c.assigned_at + make_interval(hours => 12 * ?) < coalesce(c.first_solution_at, ?::timestamptz))
       ORDER BY c.received_at LIMIT ?`,
      [
        policy.closureDays,
        now,
        policy.escalationHours,
        now,
        policy.solutionWorkingDays,
        now,
        limit,
      ],
    )) as { id: string }[];
    if (rows.length === 0) return 0;
    const complaints = await em.find(ComplaintRecord, { id: { $in: rows.map((r) => r.id) } });
    let noticed = 0;
    for (const c of complaints) {
      const options = { calendar: deps.calendar, major: c.majorReasons.length > 0, policy };
      const due = complaintDeadlines(c, options);
      for (const kind of overdueKinds(c, now, options)) {
        const dueAt = {
          SOLUTION: due.solutionDueAt,
          CLOSURE: due.closureDueAt,
          ESCALATION: due.escalationDueAt,
        }[kind]!;
        const notice = { complaint_id: c.id, kind, due_at: dueAt, detected_at: now };
        if (!(await recordOnce(em, 'complaint_overdue', notice))) continue;
        noticed++;
        deps.events.publish(em, events.complaint.overdue, c.id, {
          complaintId: c.id,
          number: c.number,
          customerId: c.customerId,
          status: c.status,
          kind,
          dueAt: dueAt.toISOString(),
          handlerId: c.handlerId,
          department: c.department,
          detectedAt: now.toISOString(),
        } satisfies ComplaintOverdue);
      }
    }
    return noticed;
  });
}

/** Which overdue notices went out for each complaint (GraphQL `Complaint.overdue`). */
export async function overdueNoticesOf(
  deps: ComplaintDeps,
  complaintIds: readonly string[],
): Promise<string[][]> {
  if (complaintIds.length === 0) return [];
  const rows = (await deps.orm.em.fork().execute(
    `SELECT complaint_id, kind FROM complaint_overdue
       WHERE complaint_id IN (SELECT jsonb_array_elements_text(?::jsonb)::uuid) ORDER BY kind`,
    [JSON.stringify(complaintIds)],
  )) as { complaint_id: string; kind: string }[];
  return groupByKeys(complaintIds, rows, (r) => r.complaint_id).map((notices) =>
    notices.map((r) => r.kind),
  );
}

/**
 * One round of the deadline scheduler: escalations first (they meet the escalation deadline), then
 * overdue, then last month's report (R-CO-4) if it has not gone out yet.
 */
export const deadlineRound = async (deps: ComplaintDeps): Promise<number> =>
  (await escalateMajorComplaints(deps)) +
  (await scanOverdueComplaints(deps)) +
  ((await publishMonthlyReport(deps)) ? 1 : 0);
