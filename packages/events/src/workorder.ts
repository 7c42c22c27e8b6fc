import { z } from 'zod';
import { isoDate, isoInstant, region, uuid } from './common';
import { defineEvent } from './define';

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

/**
 * What the job did to the asset file (R-CU-7), from the service report: the reading taken on site,
 * a maintenance done, an installation or commissioning (which can start the warranty), units or
 * modules swapped with both serial numbers.
 */
export const assetWork = z.object({
  mileageKm: z.number().nullable(),
  runningHours: z.number().nullable(),
  maintenanceDone: z.boolean(),
  commissioned: z.boolean(),
  unitSwaps: z.array(
    z.object({ module: z.string(), oldSerialNumber: z.string(), newSerialNumber: z.string() }),
  ),
});

export const workOrderCompleted = workOrderFacts.extend({
  completedAt: isoInstant.nullable(),
  resolution: z.enum(['ON_SITE', 'TAKE_BACK']),
  partsReplaced: z.array(part),
  oldPartsCollected: z.boolean(),
  oldParts: z.array(z.object({ name: z.string(), quantity: z.number().int().positive() })),
  responsibility: z.string().nullable(),
  repeatOfWorkOrderId: uuid.nullable(),
  /**
   * R-CU-7: what the job did to the asset file; absent when the order has no asset. Added after
   * version 1 went out (additive): an event published before carries none.
   */
  assetWork: assetWork.optional(),
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
export type AssetWork = z.infer<typeof assetWork>;
export type WorkOrderSlaBreached = z.infer<typeof workOrderSlaBreached>;
export type WorkOrderRepeatRepair = z.infer<typeof workOrderRepeatRepair>;

/** `workorder.dispatched`: technicians assigned, or (with `reassigned`) reassigned (R-WO-4). */
export const workOrderDispatched = workOrderFacts.extend({
  dispatchedAt: isoInstant,
  /** Assignment warnings the dispatcher accepted; absent on a reassignment. */
  warnings: z
    .array(
      z.object({
        technicianId: z.string(),
        /**
         * MISSING_SKILL only on events from before R-WO-10 (a missing skill is refused now); the
         * R-WO-10 refusals appear here when a supervisor overrode them.
         */
        code: z.enum([
          'OUTSIDE_REGION',
          'MISSING_SKILL',
          'TECHNICIAN_ABSENT',
          'NOT_QUALIFIED',
          'CERTIFICATE_EXPIRED',
        ]),
        message: z.string(),
      }),
    )
    .optional(),
  /** R-WO-10: the supervisor's reason for overriding refusals; absent when none were overridden. */
  overrideReason: z.string().optional(),
  /** Present (true) on a reassignment, with its reason. */
  reassigned: z.literal(true).optional(),
  reason: z.string().nullable().optional(),
});

export const workOrderArrived = workOrderFacts.extend({
  arrivedAt: isoInstant,
  arrivalDueAt: isoInstant.nullable(),
});

export const workOrderSigned = workOrderFacts.extend({
  signedAt: isoInstant,
  signerName: z.string(),
});

export const workOrderClosed = workOrderFacts.extend({ closedAt: isoInstant });

export const workOrderCancelled = workOrderFacts.extend({
  cancelledAt: isoInstant,
  reason: z.string(),
});

export type WorkOrderDispatched = z.infer<typeof workOrderDispatched>;
export type WorkOrderArrived = z.infer<typeof workOrderArrived>;
export type WorkOrderSigned = z.infer<typeof workOrderSigned>;
export type WorkOrderClosed = z.infer<typeof workOrderClosed>;
export type WorkOrderCancelled = z.infer<typeof workOrderCancelled>;

/**
 * `workorder.sla_policy_changed` (R-WO-12): a manager created, changed or retired an SLA policy;
 * the data is the new version as it stands, with who changed it, when and why.
 */
export const slaPolicyChanged = z.object({
  policyId: z.string(),
  version: z.number().int().positive(),
  change: z.enum(['CREATED', 'CHANGED', 'RETIRED']),
  retired: z.boolean(),
  areaType: z.enum(['URBAN', 'SUBURBAN', 'RURAL']).nullable(),
  category: z.string().nullable(),
  supplierInvolved: z.boolean().nullable(),
  minDistanceKm: z.number(),
  maxDistanceKm: z.number().nullable(),
  arrivalWorkingHours: z.number().nullable(),
  answerHours: z.number(),
  onSiteHours: z.number().nullable(),
  priority: z.number().int(),
  changedBy: z.string(),
  changedAt: isoInstant,
  reason: z.string(),
});

export type SlaPolicyChanged = z.infer<typeof slaPolicyChanged>;

/**
 * `workorder.certificate_expiring` (R-WO-10): a technician's certificate expires within the
 * reminder lead time (or has expired) — once per certificate and expiry date, so a renewal that
 * moves the date is reminded again when its time comes.
 */
export const certificateExpiring = z.object({
  staffId: z.string(),
  staffName: z.string(),
  team: z.string().nullable(),
  stationCode: z.string().nullable(),
  certificateCode: z.string(),
  certificateName: z.string(),
  /** The last business date it is valid. */
  expiresOn: isoDate,
  /** Calendar days from the reminder's business date to `expiresOn`: 0 on its last valid day, negative once expired. */
  daysLeft: z.number().int(),
  remindedAt: isoInstant,
});

export type CertificateExpiring = z.infer<typeof certificateExpiring>;

const workOrder = 'the work order';

/** The events of the work-order service, stream `<PREFIX>_WORKORDER`. */
export const workOrderEvents = {
  registered: defineEvent({
    type: 'workorder.registered',
    version: 1,
    data: workOrderRegistered,
    subject: workOrder,
    summary: 'A repair request is registered (R-WO-1).',
  }),
  dispatched: defineEvent({
    type: 'workorder.dispatched',
    version: 1,
    data: workOrderDispatched,
    subject: workOrder,
    summary: 'Technicians are assigned, or reassigned (R-WO-4).',
  }),
  arrived: defineEvent({
    type: 'workorder.arrived',
    version: 1,
    data: workOrderArrived,
    subject: workOrder,
    summary: 'A technician is on site.',
  }),
  completed: defineEvent({
    type: 'workorder.completed',
    version: 1,
    data: workOrderCompleted,
    subject: workOrder,
    summary: 'The work is done: resolved on site, or returned after a take-back repair (R-WO-6).',
  }),
  signed: defineEvent({
    type: 'workorder.signed',
    version: 1,
    data: workOrderSigned,
    subject: workOrder,
    summary: 'The customer signed, only after completion (R-WO-6).',
  }),
  closed: defineEvent({
    type: 'workorder.closed',
    version: 1,
    data: workOrderClosed,
    subject: workOrder,
    summary: 'The work order is closed.',
  }),
  cancelled: defineEvent({
    type: 'workorder.cancelled',
    version: 1,
    data: workOrderCancelled,
    subject: workOrder,
    summary: 'The work order is cancelled from an open state.',
  }),
  slaBreached: defineEvent({
    type: 'workorder.sla_breached',
    version: 1,
    data: workOrderSlaBreached,
    subject: workOrder,
    summary: 'A deadline passed unmet or was met late (R-WO-3); once per order and deadline.',
  }),
  repeatRepair: defineEvent({
    type: 'workorder.repeat_repair',
    version: 1,
    data: workOrderRepeatRepair,
    subject: workOrder,
    summary: 'The same fault on the same asset within the repeat window (R-WO-8).',
  }),
  slaPolicyChanged: defineEvent({
    type: 'workorder.sla_policy_changed',
    version: 1,
    data: slaPolicyChanged,
    subject: 'the SLA policy (its id)',
    summary: 'A manager created, changed or retired an SLA policy: a new version (R-WO-12).',
  }),
  certificateExpiring: defineEvent({
    type: 'workorder.certificate_expiring',
    version: 1,
    data: certificateExpiring,
    subject: 'the staff member (their id)',
    summary:
      "A technician's certificate expires within the reminder lead time, or has expired (R-WO-10).",
  }),
};
