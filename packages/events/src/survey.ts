import { z } from 'zod';
import { isoInstant, uuid } from './common';

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
