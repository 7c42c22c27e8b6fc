import type {
  ComplaintRegistered,
  SurveyFollowUpCalled,
  WorkOrderRegistered,
} from '@aftercare/events';
import type { ContactChannel, ContactLogInput } from './contact-log';

/**
 * R-CU-5 asks for every repair, complaint and follow-up call and every letter in the customer's
 * contact log. Those contacts are taken down by other services (intake, complaints, surveys);
 * their events become log entries here, so an agent never has to log the same call twice.
 */
export interface ContactFromEvent {
  customerId: string;
  /**
   * The entry's id when the source names the contact itself (a follow-up call's id): however
   * often its event comes, under whatever event id, it is one entry.
   */
  entryId?: string;
  entry: ContactLogInput & { occurredAt: Date };
}

const REPAIR_CHANNELS: Record<WorkOrderRegistered['channel'], ContactChannel> = {
  PHONE: 'PHONE',
  LETTER: 'LETTER',
  WALK_IN: 'VISIT',
  WEB: 'WEB',
};

/** Complaint channels that are the customer contacting us; the others are not contacts (manufacturer, media) or are logged as the follow-up call they were heard on. */
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

const OUTCOME_TEXT: Record<SurveyFollowUpCalled['outcome'], string> = {
  REACHED: 'reached',
  NO_ANSWER: 'no answer',
  REFUSED: 'refused to talk',
  CALLBACK_REQUESTED: 'asked to be called back',
};

/**
 * R-SV-2: a follow-up call is the agent's outbound call, with what the customer asked for. An
 * event without the work order's number was published before calls came by event: the survey
 * service logged that call itself, so it is no new contact (a replay of the stream logs nothing).
 */
export function followUpCallContact(event: SurveyFollowUpCalled): ContactFromEvent | null {
  if (!event.workOrderNumber) return null;
  return {
    customerId: event.customerId,
    entryId: event.callId,
    entry: {
      channel: 'PHONE',
      direction: 'OUTBOUND',
      purpose: 'FOLLOW_UP',
      summary: [
        `Follow-up call ${event.sequence} for ${event.workOrderNumber}: ${OUTCOME_TEXT[event.outcome]}`,
        event.summary,
      ]
        .filter(Boolean)
        .join('. '),
      customerRequest: event.complaint ?? null,
      staffId: event.agentId,
      occurredAt: new Date(event.calledAt),
      reference: `workorder:${event.workOrderId}`,
    },
  };
}
