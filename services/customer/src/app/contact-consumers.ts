import { type EventHandler, type Subscription, subscription } from '@aftercare/kit';
import { type DeclaredEvent, type EventOutput, events } from '@aftercare/events';
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
function logFrom<E extends DeclaredEvent>(
  deps: CustomerDeps,
  contactOf: (data: EventOutput<E>) => ContactFromEvent | null,
): EventHandler<E> {
  return async (em, event) => {
    const contact = contactOf(event.data as EventOutput<E>);
    if (!contact) return;
    // A fact from another service: only our own clock's skew could put it "in the future".
    const now = new Date(Math.max(deps.now().getTime(), contact.entry.occurredAt.getTime()));
    const details = newContactLogEntry(contact.entry, contact.entry.staffId ?? 'system', now);
    await appendContactLog(em, deps, contact.customerId, details);
  };
}

export const contactLogSubscriptions = (deps: CustomerDeps): Subscription[] => [
  subscription({
    consumerName: 'customer-on-workorder-registered',
    events: [events.workorder.registered],
    handler: logFrom(deps, repairRequestContact),
  }),
  subscription({
    consumerName: 'customer-on-complaint-registered',
    events: [events.complaint.registered],
    handler: logFrom(deps, complaintContact),
  }),
];
