import type { ComplaintRegistered, WorkOrderRegistered } from '@aftercare/events';
import type { ContactChannel, ContactLogInput } from './contact-log';

/**
 * R-CU-5 asks for every inbound repair or complaint call and every letter in the customer's
 * contact log. Those contacts are taken down by other services (intake, complaints); their
 * events become log entries here, so an agent never has to log the same call twice.
 */
export interface ContactFromEvent {
  customerId: string;
  entry: ContactLogInput & { occurredAt: Date };
}

const REPAIR_CHANNELS: Record<WorkOrderRegistered['channel'], ContactChannel> = {
  PHONE: 'PHONE',
  LETTER: 'LETTER',
  WALK_IN: 'VISIT',
  WEB: 'WEB',
};

/** Complaint channels that are the customer contacting us; the others are logged elsewhere or are not contacts (manufacturer, media, a follow-up call the survey service logs). */
const COMPLAINT_CHANNELS: Partial<Record<string, ContactChannel>> = {
  PHONE: 'PHONE',
  CALL_CENTRE: 'PHONE',
  LETTER: 'LETTER',
  VISIT: 'VISIT',
  WEB: 'WEB',
};

export function repairRequestContact(event: WorkOrderRegistered): ContactFromEvent | null {
  if (!event.customerId) return null;
  return {
    customerId: event.customerId,
    entry: {
      channel: REPAIR_CHANNELS[event.channel],
      direction: 'INBOUND',
      purpose: 'REPAIR_REQUEST',
      summary: `Repair request ${event.number} (${event.category})`,
      staffId: event.registeredBy,
      occurredAt: new Date(event.calledAt),
      reference: `workorder:${event.workOrderId}`,
    },
  };
}

export function complaintContact(event: ComplaintRegistered): ContactFromEvent | null {
  const channel = COMPLAINT_CHANNELS[event.channel];
  if (!channel) return null;
  return {
    customerId: event.customerId,
    entry: {
      channel,
      direction: 'INBOUND',
      purpose: 'COMPLAINT',
      summary: `Complaint ${event.number} (${event.category})`,
      staffId: event.recordedBy,
      occurredAt: new Date(event.receivedAt),
      reference: `complaint:${event.complaintId}`,
    },
  };
}
