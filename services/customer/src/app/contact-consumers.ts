import { type EventHandler, eventData, type Subscription } from '@aftercare/kit';
import { complaintRegistered, workOrderRegistered } from '@aftercare/events';
import type { z } from 'zod';
import { newContactLogEntry } from '../domain/contact-log';
import {
  complaintContact,
  type ContactFromEvent,
  repairRequestContact,
} from '../domain/contact-sources';
import { appendContactLog } from './contact-log';
import type { CustomerDeps } from './deps';

/**
 * R-CU-5: a contact taken down by another service becomes one contact-log entry; the consumer's
 * inbox makes sure a redelivered event never logs it twice. An event about a customer we do not
 * know is a producer bug: it fails and is given up with an error after the retries.
 */
function logFrom<S extends z.ZodType>(
  deps: CustomerDeps,
  schema: S,
  contactOf: (event: z.infer<S>) => ContactFromEvent | null,
): EventHandler {
  return async (em, envelope) => {
    const contact = contactOf(eventData(schema, envelope));
    if (!contact) return;
    // A fact from another service: only our own clock's skew could put it "in the future".
    const now = new Date(Math.max(deps.now().getTime(), contact.entry.occurredAt.getTime()));
    const details = newContactLogEntry(contact.entry, contact.entry.staffId ?? 'system', now);
    await appendContactLog(em, deps, contact.customerId, details);
  };
}

export const contactLogSubscriptions = (deps: CustomerDeps): Subscription[] => [
  {
    consumerName: 'customer-on-workorder-registered',
    streamService: 'workorder',
    eventTypes: ['workorder.registered'],
    handler: logFrom(deps, workOrderRegistered, repairRequestContact),
  },
  {
    consumerName: 'customer-on-complaint-registered',
    streamService: 'complaint',
    eventTypes: ['complaint.registered'],
    handler: logFrom(deps, complaintRegistered, complaintContact),
  },
];
