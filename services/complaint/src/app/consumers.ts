import { events, type InventoryToolLost } from '@aftercare/events';
import { type EntityManager, type EventHandler, type Logger } from '@aftercare/kit';
import { ComplaintRecord, CompletedWorkOrderRecord } from '../db/entities';
import { type ComplaintCategory, parseComplaint } from '../domain';
import { recordComplaint } from './complaints';
import { type ComplaintDeps, SERVICE_IDENTITY } from './deps';
import { type Proposal, proposePenaltyIn } from './penalties';

/** A low score on technical skill points at the repair; anything else at the service (reclassified at step 2). */
const followUpCategory = (items: readonly { item: string }[]): ComplaintCategory =>
  items.some((i) => /skill|repair|quality/i.test(i.item)) ? 'REPAIR_QUALITY' : 'SERVICE_ATTITUDE';

/**
 * R-SV-4 → R-CO-1: a dissatisfied survey answer or a complaint heard on a follow-up call opens one
 * complaint (channel FOLLOW_UP) per event; the complainant is the customer's contact on file.
 */
export function onSurveyDissatisfied(
  deps: ComplaintDeps,
  logger: Logger,
): EventHandler<typeof events.survey.dissatisfied> {
  return async (em, envelope) => {
    const event = envelope.data;
    if (await em.findOne(ComplaintRecord, { sourceEventId: envelope.id })) return;
    const order = event.workOrderId
      ? await deps.workOrders.workOrder(event.workOrderId, SERVICE_IDENTITY)
      : null;
    const customerId = event.customerId ?? order?.customerId ?? null;
    if (!customerId) {
      logger.error(
        { eventId: envelope.id },
        'survey.dissatisfied names neither a customer nor a work order with one; no complaint opened',
      );
      return;
    }
    const contact = await deps.customers.customer(customerId, SERVICE_IDENTITY);
    const intake = parseComplaint(
      {
        complainant: { name: contact.name, phone: contact.phone },
        customerId,
        workOrderId: event.workOrderId,
        assetId: event.assetId ?? order?.assetId ?? null,
        channel: 'FOLLOW_UP',
        category: followUpCategory(event.lowItems),
        content: event.content.slice(0, 4000),
        aboutStaffIds: [...new Set(event.technicianIds)],
        receivedAt: event.occurredAt,
      },
      { now: deps.now() },
    );
    await recordComplaint(
      em,
      deps,
      intake,
      event.recordedBy ?? SERVICE_IDENTITY.userId,
      envelope.id,
      order?.stationCode ?? null,
    );
  };
}

/**
 * R-CO-4 / docs/rules.md §6 denominator: completed work orders counted into our own table, with the region,
 * technicians and service station the KPIs are scoped by.
 */
export const onWorkOrderCompleted =
  (): EventHandler<typeof events.workorder.completed> => async (em, envelope) => {
    const event = envelope.data;
    await em.upsert(CompletedWorkOrderRecord, {
      workOrderId: event.workOrderId,
      completedAt: new Date(event.completedAt ?? envelope.time),
      province: event.region.province,
      city: event.region.city,
      district: event.region.district,
      technicianIds: [...new Set(event.technicianIds)],
      stationCode: event.stationCode,
    });
  };

async function proposeAll(em: EntityManager, deps: ComplaintDeps, proposals: Proposal[]) {
  for (const p of proposals) await proposePenaltyIn(em, deps, p);
}

/**
 * R-PN-1 "SLA breach": the lead technician (or, without one, each assigned technician) is proposed
 * an SLA_BREACH penalty, once per work order, deadline and person (the source key). A breach before
 * anyone was dispatched has no technician to propose and is left to a manager.
 */
export function onSlaBreached(
  deps: ComplaintDeps,
  logger: Logger,
): EventHandler<typeof events.workorder.slaBreached> {
  return async (em, envelope) => {
    const e = envelope.data;
    const carriers = e.leadTechnicianId ? [e.leadTechnicianId] : e.technicianIds;
    if (carriers.length === 0) {
      logger.info({ workOrderId: e.workOrderId, kind: e.kind }, 'SLA breach without a technician');
      return;
    }
    await proposeAll(
      em,
      deps,
      carriers.map((staffId) => ({
        ruleCode: 'SLA_BREACH',
        staffId,
        culpritKnown: true,
        occurredAt: new Date(e.dueAt),
        reference: e.workOrderId,
        sourceKey: `SLA_BREACH:${e.workOrderId}:${e.kind}:${staffId}`,
        proposedBy: SERVICE_IDENTITY.userId,
      })),
    );
  };
}

/** R-PN-1 "repeat repair": the technicians of the earlier repair are proposed a penalty each. */
export function onRepeatRepair(
  deps: ComplaintDeps,
): EventHandler<typeof events.workorder.repeatRepair> {
  return async (em, envelope) => {
    const e = envelope.data;
    await proposeAll(
      em,
      deps,
      [...new Set(e.previousTechnicianIds)].map((staffId) => ({
        ruleCode: 'REPEAT_REPAIR',
        staffId,
        culpritKnown: true,
        occurredAt: new Date(e.calledAt),
        reference: e.workOrderId,
        sourceKey: `REPEAT_REPAIR:${e.workOrderId}:${staffId}`,
        proposedBy: SERVICE_IDENTITY.userId,
      })),
    );
  };
}

/** R-PN-1 "tool loss": the borrower, with the charge (original price share) as restitution on top. */
export function onToolLost(deps: ComplaintDeps): EventHandler<typeof events.inventory.toolLost> {
  return async (em, envelope) => {
    const e: InventoryToolLost = envelope.data;
    await proposePenaltyIn(em, deps, {
      ruleCode: 'TOOL_LOSS',
      staffId: e.borrowerId,
      culpritKnown: true,
      occurredAt: new Date(e.at),
      reference: e.loanId,
      sourceKey: `TOOL_LOSS:${e.loanId}`,
      proposedBy: SERVICE_IDENTITY.userId,
      chargeFen: e.amountFen,
    });
  };
}

/**
 * R-CU-3 → R-PN-1 "archive handover late or incomplete": the sales or service advisor responsible
 * for the handover is proposed one ARCHIVE_HANDOVER_LATE penalty per handover (the source key), so
 * a redelivered event never costs twice. Doubling for sales/service advisors follows the rule.
 */
export function onArchiveHandoverLate(
  deps: ComplaintDeps,
  logger: Logger,
): EventHandler<typeof events.customer.archiveHandoverLate> {
  return async (em, envelope) => {
    const e = envelope.data;
    if (!e.responsibleStaffId) {
      logger.info({ handoverId: e.handoverId }, 'archive handover violation without a responsible');
      return;
    }
    await proposePenaltyIn(em, deps, {
      ruleCode: 'ARCHIVE_HANDOVER_LATE',
      staffId: e.responsibleStaffId,
      culpritKnown: true,
      occurredAt: new Date(e.violatedAt),
      reference: e.handoverId,
      sourceKey: `ARCHIVE_HANDOVER:${e.handoverId}`,
      proposedBy: SERVICE_IDENTITY.userId,
    });
  };
}
