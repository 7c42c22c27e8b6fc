import { z } from 'zod';
import { isoInstant, region, uuid } from './common';

/**
 * Data of the work-order events (docs/events.md), version 1. The producer builds them with these
 * types; consumers parse incoming events with the schemas, so a malformed event is refused at
 * the edge instead of corrupting a ledger.
 */
export const workOrderFacts = z.object({
  workOrderId: uuid,
  number: z.string(),
  status: z.string(),
  customerId: uuid.nullable(),
  assetId: uuid.nullable(),
  serviceType: z.enum(['WARRANTY', 'CONTRACT', 'PAID', 'INTERNAL']),
  category: z.string(),
  region,
  technicianIds: z.array(z.string()),
  leadTechnicianId: z.string().nullable(),
  calledAt: isoInstant,
  /**
   * The service station (服务站) handling the order at the time of the event; null when none is
   * set. Added after version 1 went out: an event published before carries none and parses as null.
   */
  stationCode: z.string().nullable().default(null),
  /**
   * When the customer was first answered (R-WO-3: a call back, or the first dispatch); null while
   * not yet. Added after version 1 (additive): an earlier event carries none. Reporting jobs need it
   * because an answer given before dispatch publishes no event of its own.
   */
  answeredAt: isoInstant.nullable().optional(),
});

const part = z.object({
  code: z.string().nullable(),
  name: z.string(),
  quantity: z.number().int().positive(),
  reason: z.string(),
});

export const workOrderCompleted = workOrderFacts.extend({
  completedAt: isoInstant.nullable(),
  resolution: z.enum(['ON_SITE', 'TAKE_BACK']),
  partsReplaced: z.array(part),
  oldPartsCollected: z.boolean(),
  oldParts: z.array(z.object({ name: z.string(), quantity: z.number().int().positive() })),
  responsibility: z.string().nullable(),
  repeatOfWorkOrderId: uuid.nullable(),
});

export const workOrderRegistered = workOrderFacts.extend({
  channel: z.enum(['PHONE', 'LETTER', 'WALK_IN', 'WEB']),
  answerDueAt: isoInstant.nullable(),
  arrivalDueAt: isoInstant.nullable(),
  onSiteDueAt: isoInstant.nullable(),
  /** The agent who took the repair request. */
  registeredBy: z.string(),
});

export const workOrderSlaBreached = workOrderFacts.extend({
  kind: z.enum(['ANSWER', 'ARRIVAL', 'ON_SITE']),
  dueAt: isoInstant,
  metAt: isoInstant.nullable(),
  detectedAt: isoInstant,
});

export const workOrderRepeatRepair = workOrderFacts.extend({
  repeatOfWorkOrderId: uuid,
  previousCompletedAt: isoInstant,
  windowDays: z.number().int().positive(),
  previousTechnicianIds: z.array(z.string()),
});

export type WorkOrderFacts = z.infer<typeof workOrderFacts>;
export type WorkOrderRegistered = z.infer<typeof workOrderRegistered>;
export type WorkOrderCompleted = z.infer<typeof workOrderCompleted>;
export type WorkOrderSlaBreached = z.infer<typeof workOrderSlaBreached>;
export type WorkOrderRepeatRepair = z.infer<typeof workOrderRepeatRepair>;
