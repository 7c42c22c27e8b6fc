import { BusinessCalendar } from '@aftercare/calendar';
import { numberIn } from '@aftercare/kit/domain';
import { ComplaintCategory, ComplaintChannel, CustomerDemand } from './complaint';
import { Complaint } from './workflow';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * R-CO-2/R-CO-3 deadlines as settings. A solution is due `solutionWorkingDays` working days after
 * assignment (business calendar); closure `closureDays` × 24 h after receipt and escalation of a
 * major complaint `escalationHours` after receipt, both elapsed time: the rulebook says "days" and
 * "24 h", not working days, and an upset customer waits through weekends too.
 */
export interface ComplaintDeadlinePolicy {
  solutionWorkingDays: number;
  closureDays: number;
  escalationHours: number;
}

export const DEFAULT_COMPLAINT_DEADLINES: ComplaintDeadlinePolicy = Object.freeze({
  solutionWorkingDays: 1,
  closureDays: 7,
  escalationHours: 24,
});

/** Why a complaint is major (R-CO-3); channel and demand reasons name the value that made it so. */
export type MajorReason =
  | 'REPEAT'
  | `CHANNEL_${ComplaintChannel}`
  | `DEMAND_${CustomerDemand}`
  | 'HIGH_IMPACT'
  | 'DISTURBANCE';

/** R-CO-3 major-complaint rules as data; `repeatWindowDays: null` stops repeats counting as major. */
export interface MajorRules {
  repeatWindowDays: number | null;
  channels: readonly ComplaintChannel[];
  demands: readonly CustomerDemand[];
  highImpact: boolean;
  disturbance: boolean;
}

export const DEFAULT_REPEAT_COMPLAINT_WINDOW_DAYS = 90;

export const DEFAULT_MAJOR_RULES: MajorRules = Object.freeze({
  repeatWindowDays: DEFAULT_REPEAT_COMPLAINT_WINDOW_DAYS,
  channels: Object.freeze(['MANUFACTURER', 'MEDIA'] as const),
  demands: Object.freeze(['RETURN', 'EXCHANGE'] as const),
  highImpact: true,
  disturbance: true,
});

/** What repeat detection needs of a complaint, new or earlier. */
export interface ComplaintMatter {
  id: string;
  customerId: string;
  category: ComplaintCategory;
  workOrderId: string | null;
  receivedAt: Date;
}

/**
 * The earlier complaint `subject` repeats — same customer, same category and, when both name a work
 * order, the same work order — received within `windowDays` × 24 h before it; the most recent one
 * if several, null if none. A complaint without a work order matches on customer and category
 * alone, since a caller often cannot name the order.
 */
export function findRepeatComplaint(
  subject: ComplaintMatter,
  previous: readonly ComplaintMatter[],
  windowDays = DEFAULT_REPEAT_COMPLAINT_WINDOW_DAYS,
): ComplaintMatter | null {
  numberIn(windowDays, 'windowDays', { min: 1, max: 3650, integer: true });
  const at = subject.receivedAt.getTime();
  return previous
    .filter((p) => {
      const since = at - p.receivedAt.getTime();
      return (
        p.id !== subject.id &&
        p.customerId === subject.customerId &&
        p.category === subject.category &&
        (!p.workOrderId || !subject.workOrderId || p.workOrderId === subject.workOrderId) &&
        since >= 0 &&
        since <= windowDays * DAY_MS
      );
    })
    .reduce<ComplaintMatter | null>(
      (latest, p) => (!latest || p.receivedAt > latest.receivedAt ? p : latest),
      null,
    );
}

export type MajorSubject = ComplaintMatter &
  Pick<Complaint, 'channel' | 'demands' | 'highImpact' | 'disturbance'>;

/** R-CO-3: every reason that makes the complaint major; empty when it is not. */
export function majorReasons(
  complaint: MajorSubject,
  previous: readonly ComplaintMatter[],
  rules: MajorRules = DEFAULT_MAJOR_RULES,
): MajorReason[] {
  const reasons: MajorReason[] = [];
  if (
    rules.repeatWindowDays !== null &&
    findRepeatComplaint(complaint, previous, rules.repeatWindowDays)
  ) {
    reasons.push('REPEAT');
  }
  if (rules.channels.includes(complaint.channel)) reasons.push(`CHANNEL_${complaint.channel}`);
  for (const demand of complaint.demands) {
    if (rules.demands.includes(demand)) reasons.push(`DEMAND_${demand}`);
  }
  if (rules.highImpact && complaint.highImpact) reasons.push('HIGH_IMPACT');
  if (rules.disturbance && complaint.disturbance) reasons.push('DISTURBANCE');
  return reasons;
}

export type DeadlineSubject = Pick<
  Complaint,
  'receivedAt' | 'assignedAt' | 'firstSolutionAt' | 'closedAt' | 'escalatedAt'
> & {
  /**
   * When the complaint became major: at receipt, or later when judged high impact at step 2. The
   * 24 h run from then; a complaint cannot be escalated late before anyone knew it was major.
   */
  majorSince?: Date | null;
};

export interface ComplaintDeadlines {
  /** Null until the complaint is assigned. */
  solutionDueAt: Date | null;
  closureDueAt: Date;
  /** Null unless the complaint is major. */
  escalationDueAt: Date | null;
}

export interface DeadlineOptions {
  calendar: BusinessCalendar;
  major: boolean;
  policy?: ComplaintDeadlinePolicy;
}

/** R-CO-3: a major complaint goes to management within 24 h (default) of becoming major. */
export const escalationDueAt = (
  receivedAt: Date,
  policy: ComplaintDeadlinePolicy = DEFAULT_COMPLAINT_DEADLINES,
): Date => new Date(receivedAt.getTime() + policy.escalationHours * HOUR_MS);

export function complaintDeadlines(
  complaint: DeadlineSubject,
  options: DeadlineOptions,
): ComplaintDeadlines {
  const policy = options.policy ?? DEFAULT_COMPLAINT_DEADLINES;
  return {
    solutionDueAt: complaint.assignedAt
      ? options.calendar.addWorkingDays(complaint.assignedAt, policy.solutionWorkingDays)
      : null,
    closureDueAt: new Date(complaint.receivedAt.getTime() + policy.closureDays * DAY_MS),
    escalationDueAt: options.major
      ? escalationDueAt(complaint.majorSince ?? complaint.receivedAt, policy)
      : null,
  };
}

export const OVERDUE_KINDS = ['SOLUTION', 'CLOSURE', 'ESCALATION'] as const;
export type OverdueKind = (typeof OVERDUE_KINDS)[number];

/**
 * Deadlines breached as of `now`: met after the deadline, or still unmet once it has passed. Met
 * exactly on time is no breach. SOLUTION is met by the first proposal, CLOSURE by closing or by
 * answering an invalid complaint, ESCALATION by escalating.
 */
export function overdueKinds(
  complaint: DeadlineSubject,
  now: Date,
  options: DeadlineOptions,
): OverdueKind[] {
  const due = complaintDeadlines(complaint, options);
  const checks: Record<OverdueKind, { due: Date | null; met: Date | null }> = {
    SOLUTION: { due: due.solutionDueAt, met: complaint.firstSolutionAt },
    CLOSURE: { due: due.closureDueAt, met: complaint.closedAt },
    ESCALATION: { due: due.escalationDueAt, met: complaint.escalatedAt },
  };
  return OVERDUE_KINDS.filter((kind) => {
    const { due: at, met } = checks[kind];
    return at !== null && (met ?? now).getTime() > at.getTime();
  });
}
