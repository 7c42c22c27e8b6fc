import type { WorkOrderSlaBreached } from '@aftercare/events';
import { events } from '@aftercare/events';
import { recordOnce } from '@aftercare/kit';
import { WorkOrderRecord } from '../db/entities';
import { breachesAt, deadlinesOf, orderEventData, slaFactsOf } from '../domain';
import { type WorkOrderDeps } from './deps';

/**
 * R-WO-3: finds deadlines that have passed unmet (or were met late) and emits
 * `workorder.sla_breached` once per work order and deadline. The `sla_breach` primary key makes
 * that exactly-once even when several scheduler replicas scan at the same moment: the insert
 * and the outbox row commit together, and a second scanner's insert does nothing.
 * Returns the number of breaches recorded by this call.
 */
export async function scanSlaBreaches(deps: WorkOrderDeps, limit = 500): Promise<number> {
  const now = deps.now();
  return deps.orm.em.fork().transactional(async (em) => {
    // Candidates in SQL so the scan stays cheap however many breaches are already on record.
    const rows = (await em.execute(
      `SELECT DISTINCT w.id FROM work_order w
       CROSS JOIN LATERAL (VALUES ('ANSWER', w.answer_due_at, w.answered_at),
                                  ('ARRIVAL', w.arrival_due_at, w.arrived_at),
                                  ('ON_SITE', w.on_site_due_at, w.arrived_at)) AS k(kind, due_at, met_at)
       WHERE w.status <> 'CANCELLED' AND k.due_at IS NOT NULL AND k.due_at <= ?
         AND (k.met_at IS NULL OR k.met_at > k.due_at)
         AND NOT EXISTS (SELECT 1 FROM sla_breach b WHERE b.work_order_id = w.id AND b.kind = k.kind)
       LIMIT ?`,
      [now, limit],
    )) as { id: string }[];
    const orders = rows.length
      ? await em.find(WorkOrderRecord, { id: { $in: rows.map((r) => r.id) } })
      : [];
    let recorded = 0;
    for (const o of orders) {
      const deadlines = deadlinesOf(o);
      if (!deadlines) continue;
      for (const kind of breachesAt(deadlines, slaFactsOf(o), now)) {
        const dueAt = { ANSWER: o.answerDueAt, ARRIVAL: o.arrivalDueAt, ON_SITE: o.onSiteDueAt }[
          kind
        ]!;
        const fact = { work_order_id: o.id, kind, due_at: dueAt, detected_at: now };
        if (!(await recordOnce(em, 'sla_breach', fact))) continue;
        recorded++;
        deps.events.publish(em, events.workorder.slaBreached, o.id, {
          ...orderEventData(o),
          kind,
          dueAt: dueAt.toISOString(),
          metAt: (kind === 'ANSWER' ? o.answeredAt : o.arrivedAt)?.toISOString() ?? null,
          detectedAt: now.toISOString(),
        } satisfies WorkOrderSlaBreached);
      }
    }
    return recorded;
  });
}
