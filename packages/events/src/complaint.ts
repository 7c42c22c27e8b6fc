import { z } from 'zod';
import { isoInstant, uuid } from './common';
import { defineEvent } from './define';

/**
 * `complaint.closed`: a complaint closed, valid (with the customer's satisfaction) or invalid
 * (with the reason). The survey service surveys the complaint handling after close (R-SV-5).
 */
export const complaintClosed = z.object({
  complaintId: uuid,
  number: z.string(),
  customerId: uuid.nullable(),
  workOrderId: uuid.nullable(),
  category: z.string(),
  channel: z.string(),
  valid: z.boolean(),
  /** The customer's satisfaction with the handling when closed as valid; null when invalid. */
  satisfaction: z.string().nullable(),
  receivedAt: isoInstant,
  closedAt: isoInstant,
});

export type ComplaintClosed = z.infer<typeof complaintClosed>;

/** `complaint.registered`: a complaint recorded (R-CO-1), with what made it major if anything. */
export const complaintRegistered = z.object({
  complaintId: uuid,
  number: z.string(),
  customerId: uuid,
  workOrderId: uuid.nullable(),
  category: z.string(),
  channel: z.string(),
  /** R-CO-3 reasons (REPEAT, CHANNEL_MEDIA, DEMAND_RETURN …); empty when not major. */
  majorReasons: z.array(z.string()),
  repeatOfComplaintId: uuid.nullable(),
  aboutStaffIds: z.array(z.string()),
  receivedAt: isoInstant,
  /** Who took the complaint down (a staff id), or the service that opened it from an event. */
  recordedBy: z.string(),
});

/** `complaint.escalated`: a major complaint went to management (R-CO-3), once per complaint. */
export const complaintEscalated = z.object({
  complaintId: uuid,
  number: z.string(),
  customerId: uuid,
  majorReasons: z.array(z.string()),
  receivedAt: isoInstant,
  /** Receipt + 24 h (default): when escalation was due. */
  dueAt: isoInstant,
  escalatedAt: isoInstant,
});

/** `complaint.overdue`: a complaint deadline breached (R-CO-3), once per complaint and kind. */
export const complaintOverdue = z.object({
  complaintId: uuid,
  number: z.string(),
  customerId: uuid,
  status: z.string(),
  kind: z.enum(['SOLUTION', 'CLOSURE', 'ESCALATION']),
  dueAt: isoInstant,
  handlerId: z.string().nullable(),
  department: z.string().nullable(),
  detectedAt: isoInstant,
});

const penaltyFacts = z.object({
  penaltyId: uuid,
  staffId: z.string(),
  ruleCode: z.string(),
  source: z.string(),
  kind: z.enum(['PENALTY', 'REWARD']),
  /** Signed: negative for a penalty, positive for a reward. */
  points: z.number().int(),
  amountFen: z.number().int(),
  nthViolation: z.number().int().nullable(),
  occurredAt: isoInstant,
  reference: z.string().nullable(),
  status: z.enum(['PROPOSED', 'CONFIRMED', 'APPEALED', 'UPHELD', 'VOID']),
});

/** `complaint.penalty_proposed`: a ledger line proposed (R-PN-3), from a finding, event or by hand. */
export const penaltyProposed = penaltyFacts;

/**
 * `complaint.penalty_decided`: a ledger line confirmed, appealed, upheld or voided (R-PN-3);
 * `notifyStaff` says the staff member is to be told (on confirmation and on an appeal's decision).
 */
export const penaltyDecided = penaltyFacts.extend({
  action: z.enum(['confirm', 'appeal', 'uphold', 'void']),
  decidedBy: z.string(),
  notifyStaff: z.boolean(),
});

/**
 * `complaint.progressed`: one of the R-CO-2 steps between record and close (classify, assign,
 * investigate, propose / approve / reject the solution, notify the customer) — who, when, and
 * where the complaint stands. Closing and invalidating are `complaint.closed`.
 */
export const complaintProgressed = z.object({
  complaintId: uuid,
  number: z.string(),
  customerId: uuid.nullable(),
  workOrderId: uuid.nullable(),
  action: z.string(),
  fromStatus: z.string(),
  toStatus: z.string(),
  actorId: z.string(),
  handlerId: z.string().nullable(),
  department: z.string().nullable(),
  at: isoInstant,
  /**
   * The category after the step (classifying may change it). Added after version 1 (additive):
   * an earlier event carries none.
   */
  category: z.string().optional(),
  /**
   * The investigation's findings once there is one (R-CO-2 step 4), null before: whether the
   * service caused the complaint (the complaint rate counts it) and who is responsible (a
   * technician's complaints). Added after version 1 (additive): an earlier event carries none.
   */
  investigation: z
    .object({ serviceCaused: z.boolean(), responsibleStaffIds: z.array(z.string()) })
    .nullable()
    .optional(),
});

export type ComplaintProgressed = z.infer<typeof complaintProgressed>;
export type ComplaintRegistered = z.infer<typeof complaintRegistered>;
export type ComplaintEscalated = z.infer<typeof complaintEscalated>;
export type ComplaintOverdue = z.infer<typeof complaintOverdue>;
export type PenaltyProposed = z.infer<typeof penaltyProposed>;
export type PenaltyDecided = z.infer<typeof penaltyDecided>;

const countLine = z.object({ key: z.string(), count: z.number().int().nonnegative() });

/**
 * `complaint.monthly_report`: R-CO-4 statistics of a business month, published once early in the
 * next month (well before the 10th), as of publication, for reporting jobs.
 */
export const complaintMonthlyReport = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  dueDate: z.iso.date(),
  publishedAt: isoInstant,
  total: z.number().int().nonnegative(),
  invalid: z.number().int().nonnegative(),
  byCategory: z.array(countLine),
  byChannel: z.array(countLine),
  byDepartment: z.array(countLine),
  closed: z.number().int().nonnegative(),
  averageHoursToClose: z.number().nullable(),
  medianHoursToClose: z.number().nullable(),
  closedWithinDeadline: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
  overdueByKind: z.object({
    SOLUTION: z.number().int().nonnegative(),
    CLOSURE: z.number().int().nonnegative(),
    ESCALATION: z.number().int().nonnegative(),
  }),
  serviceCaused: z.number().int().nonnegative(),
  completedWorkOrders: z.number().int().nonnegative(),
  complaintRate: z.number().nullable(),
  complaintRateTarget: z.number(),
  meetsTarget: z.boolean().nullable(),
});

export type ComplaintMonthlyReport = z.infer<typeof complaintMonthlyReport>;

const complaint = 'the complaint';

/** The events of the complaint service, stream `<PREFIX>_COMPLAINT`. */
export const complaintEvents = {
  registered: defineEvent({
    type: 'complaint.registered',
    version: 1,
    data: complaintRegistered,
    subject: complaint,
    summary: 'A complaint is recorded (R-CO-1), by hand or from `survey.dissatisfied`.',
  }),
  escalated: defineEvent({
    type: 'complaint.escalated',
    version: 1,
    data: complaintEscalated,
    subject: complaint,
    summary: 'A major complaint is escalated to management (R-CO-3); once per complaint.',
  }),
  overdue: defineEvent({
    type: 'complaint.overdue',
    version: 1,
    data: complaintOverdue,
    subject: complaint,
    summary: 'A deadline passed unmet or was met late (R-CO-3); once per complaint and deadline.',
  }),
  closed: defineEvent({
    type: 'complaint.closed',
    version: 1,
    data: complaintClosed,
    subject: complaint,
    summary: "Closed as valid with the customer's satisfaction, or answered as invalid (R-CO-2).",
  }),
  progressed: defineEvent({
    type: 'complaint.progressed',
    version: 1,
    data: complaintProgressed,
    subject: complaint,
    summary:
      'One R-CO-2 step between record and close: classify, assign, investigate, propose / approve / reject the solution, notify the customer.',
  }),
  penaltyProposed: defineEvent({
    type: 'complaint.penalty_proposed',
    version: 1,
    data: penaltyProposed,
    subject: 'the ledger line',
    summary:
      'A penalty or reward ledger line is proposed (R-PN-1/3): from a finding, an event, a re-count or by hand.',
  }),
  penaltyDecided: defineEvent({
    type: 'complaint.penalty_decided',
    version: 1,
    data: penaltyDecided,
    subject: 'the ledger line',
    summary:
      'A ledger line is confirmed, appealed, upheld or voided (R-PN-3); `notifyStaff` when the staff member is to be told.',
  }),
  monthlyReport: defineEvent({
    type: 'complaint.monthly_report',
    version: 1,
    data: complaintMonthlyReport,
    subject: 'the business month (YYYY-MM)',
    summary:
      'R-CO-4 statistics of the past business month, once, early in the next month (due by the 10th).',
  }),
};
