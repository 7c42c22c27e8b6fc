import { z } from 'zod';
import { isoDate, isoInstant, uuid } from './common';
import { defineEvent } from './define';

/**
 * `survey.dissatisfied`: a dissatisfied answer, or a complaint heard during a follow-up call
 * (R-SV-4). The complaint service opens one complaint per event (channel FOLLOW_UP).
 */
export const surveyDissatisfied = z.object({
  /** Survey the answer belongs to; null when heard on a follow-up call without a survey. */
  surveyId: uuid.nullable(),
  followUpId: uuid.nullable(),
  customerId: uuid.nullable(),
  workOrderId: uuid.nullable(),
  assetId: uuid.nullable(),
  /** Staff the dissatisfaction is about (the work order's technicians), for the complaint. */
  technicianIds: z.array(z.string()),
  reason: z.enum(['LOW_SCORE', 'COMPLAINT_ON_FOLLOW_UP']),
  /** What the customer said, or a summary of the low-scored items. */
  content: z.string().min(1),
  /** Items scored at or below the threshold, e.g. `[{ item: 'attitude', level: 1 }]`. */
  lowItems: z.array(z.object({ item: z.string(), level: z.number().int() })),
  recordedBy: z.string().nullable(),
  occurredAt: isoInstant,
});

export type SurveyDissatisfied = z.infer<typeof surveyDissatisfied>;

const level = z.enum(['VERY_DISSATISFIED', 'DISSATISFIED', 'SATISFIED', 'VERY_SATISFIED']);

/** `survey.created`: a survey for a completed work order or a closed complaint (R-SV-1, R-SV-5). */
export const surveyCreated = z.object({
  surveyId: uuid,
  kind: z.enum(['WORK_ORDER', 'COMPLAINT_HANDLING']),
  templateCode: z.string(),
  workOrderId: uuid.nullable(),
  complaintId: uuid.nullable(),
  customerId: uuid.nullable(),
  technicianIds: z.array(z.string()),
  /** When the surveyed service ended (completion, complaint close). */
  serviceAt: isoInstant,
});

/** `survey.answered`: the answers, by an agent on a call or by the customer's link (R-SV-1). */
export const surveyAnswered = z.object({
  surveyId: uuid,
  kind: z.enum(['WORK_ORDER', 'COMPLAINT_HANDLING']),
  workOrderId: uuid.nullable(),
  complaintId: uuid.nullable(),
  customerId: uuid.nullable(),
  technicianIds: z.array(z.string()),
  answers: z.array(z.object({ item: z.string(), level })),
  suggestions: z.string().nullable(),
  answeredVia: z.enum(['AGENT', 'LINK']),
  answeredAt: isoInstant,
});

/** `survey.follow_up_called`: one call of a follow-up plan and its outcome (R-SV-2). */
export const surveyFollowUpCalled = z.object({
  followUpId: uuid,
  callId: uuid,
  workOrderId: uuid,
  customerId: uuid,
  sequence: z.number().int().min(1).max(2),
  outcome: z.enum(['REACHED', 'NO_ANSWER', 'REFUSED', 'CALLBACK_REQUESTED']),
  /** The work order counts as followed up (KPI follow-up rate). */
  followedUp: z.boolean(),
  agentId: z.string(),
  calledAt: isoInstant,
  /**
   * What the customer's contact log needs to record the call (R-CU-5): the work order's number,
   * the agent's notes and a complaint the customer voiced. Added after version 1 (additive): an
   * earlier event carries none.
   */
  workOrderNumber: z.string().optional(),
  summary: z.string().nullable().optional(),
  complaint: z.string().nullable().optional(),
});

/** `survey.reminder_due`: a reminder to send, generated once per key (R-SV-3). */
export const surveyReminderDue = z.object({
  reminderId: uuid,
  kind: z.enum(['MAINTENANCE_DUE', 'CONTRACT_EXPIRY', 'WARRANTY_EXPIRY', 'EVENT_INVITATION']),
  customerId: uuid,
  assetId: uuid.nullable(),
  activityId: uuid.nullable(),
  /** The date reminded of (due date, contract or warranty end, event date), YYYY-MM-DD. */
  targetDate: isoDate,
  notifyDate: isoDate,
});

export type SurveyCreated = z.infer<typeof surveyCreated>;
export type SurveyAnswered = z.infer<typeof surveyAnswered>;
export type SurveyFollowUpCalled = z.infer<typeof surveyFollowUpCalled>;
export type SurveyReminderDue = z.infer<typeof surveyReminderDue>;

/** The events of the survey service, stream `<PREFIX>_SURVEY`. */
export const surveyEvents = {
  created: defineEvent({
    type: 'survey.created',
    version: 1,
    data: surveyCreated,
    subject: 'the survey',
    summary:
      'A survey is created for a completed work order (R-SV-1) or a closed complaint (R-SV-5); once per subject.',
  }),
  answered: defineEvent({
    type: 'survey.answered',
    version: 1,
    data: surveyAnswered,
    subject: 'the survey',
    summary:
      'Answered by an agent on a call or by the customer through a link (R-SV-1); once per survey.',
  }),
  dissatisfied: defineEvent({
    type: 'survey.dissatisfied',
    version: 1,
    data: surveyDissatisfied,
    subject: 'the survey, or the follow-up call the complaint was heard on',
    summary:
      'An answer at or below the threshold, or a complaint heard on a follow-up call (R-SV-4); once each.',
  }),
  followUpCalled: defineEvent({
    type: 'survey.follow_up_called',
    version: 1,
    data: surveyFollowUpCalled,
    subject: 'the follow-up plan',
    summary: "A follow-up call's outcome is recorded (R-SV-2).",
  }),
  reminderDue: defineEvent({
    type: 'survey.reminder_due',
    version: 1,
    data: surveyReminderDue,
    subject: 'the reminder',
    summary:
      "A reminder's day has come (R-SV-3); once per key (kind, asset or activity, customer, target date).",
  }),
};
