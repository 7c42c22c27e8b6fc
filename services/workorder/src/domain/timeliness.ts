import { breachesAt, type SlaDeadlines, type SlaFacts } from './sla';

/**
 * docs/rules.md §6 "service timeliness": work orders meeting their SLA / all (R-WO-3 "a breach counts
 * against timeliness").
 *
 * An order **meets** its SLA when every deadline it carries (answer, arrival, on-site) was met at
 * or before its due instant. It **misses** it as soon as one deadline is breached — met late, or
 * passed unmet — by the same rule the SLA scheduler records `sla_breach` rows with (`breachesAt`).
 * Otherwise it is **pending**: nothing breached yet but a deadline still open and not yet due;
 * pending orders are counted but left out of the rate until they are decided.
 * Cancelled orders and orders without an SLA (internal jobs carry no deadlines) are not counted.
 */
export type SlaOutcome = 'MET' | 'MISSED' | 'PENDING';

export function slaOutcome(deadlines: SlaDeadlines, facts: SlaFacts, now: Date): SlaOutcome {
  if (breachesAt(deadlines, facts, now).length > 0) return 'MISSED';
  const open =
    (deadlines.arrivalDueAt !== null && !facts.arrivedAt) ||
    (deadlines.onSiteDueAt !== null && !facts.arrivedAt) ||
    !facts.answeredAt;
  return open ? 'PENDING' : 'MET';
}

export interface TimelinessSubject {
  status: string;
  deadlines: SlaDeadlines | null;
  facts: SlaFacts;
}

export interface Timeliness {
  /** Orders with an SLA in the period, decided or not. */
  workOrders: number;
  met: number;
  missed: number;
  pending: number;
  /** met / (met + missed); null when nothing is decided yet. */
  rate: number | null;
}

export function timeliness(orders: readonly TimelinessSubject[], now: Date): Timeliness {
  const counts = { MET: 0, MISSED: 0, PENDING: 0 };
  for (const o of orders) {
    if (o.status === 'CANCELLED' || !o.deadlines) continue;
    counts[slaOutcome(o.deadlines, o.facts, now)]++;
  }
  const decided = counts.MET + counts.MISSED;
  return {
    workOrders: decided + counts.PENDING,
    met: counts.MET,
    missed: counts.MISSED,
    pending: counts.PENDING,
    rate: decided === 0 ? null : counts.MET / decided,
  };
}
