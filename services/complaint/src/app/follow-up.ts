import type { SurveyDissatisfied } from '@aftercare/events';
import type { EntityManager, Logger } from '@aftercare/kit';
import { ComplaintRecord } from '../db/entities';
import { type ComplaintCategory, parseComplaint } from '../domain';
import { recordComplaint } from './complaints';
import { type ComplaintDeps, SERVICE_IDENTITY } from './deps';

/** A low score on technical skill points at the repair; anything else at the service (reclassified at step 2). */
const followUpCategory = (items: readonly { item: string }[]): ComplaintCategory =>
  items.some((i) => /skill|repair|quality/i.test(i.item)) ? 'REPAIR_QUALITY' : 'SERVICE_ATTITUDE';

/**
 * R-SV-4 → R-CO-1: a dissatisfied survey answer or a complaint heard on a follow-up call opens one
 * complaint (channel FOLLOW_UP) per event; the complainant is the customer's contact on file.
 */
export async function openFollowUpComplaint(
  em: EntityManager,
  deps: ComplaintDeps,
  logger: Logger,
  envelope: { id: string; data: SurveyDissatisfied },
): Promise<void> {
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
}
