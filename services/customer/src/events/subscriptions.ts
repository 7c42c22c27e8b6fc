import { events } from '@aftercare/events';
import { type Logger, type Subscription, subscription } from '@aftercare/kit';
import { openReturnHandover } from '../app/archive';
import { logContactFromEvent } from '../app/contact-log';
import type { CustomerDeps } from '../app/deps';
import {
  complaintContact,
  followUpCallContact,
  repairRequestContact,
} from '../domain/contact-sources';

/** The durable consumers of the customer service: one per (stream, filter), idempotent via the inbox. */
export const subscriptions = (deps: CustomerDeps, logger: Logger): Subscription[] => [
  subscription({
    consumerName: 'customer-on-workorder-registered',
    events: [events.workorder.registered],
    handler: (em, e) => logContactFromEvent(deps, em, repairRequestContact(e.data)),
  }),
  subscription({
    consumerName: 'customer-on-complaint-registered',
    events: [events.complaint.registered],
    handler: (em, e) => logContactFromEvent(deps, em, complaintContact(e.data)),
  }),
  subscription({
    consumerName: 'customer-on-survey-follow-up-called',
    events: [events.survey.followUpCalled],
    handler: (em, e) => logContactFromEvent(deps, em, followUpCallContact(e.data)),
  }),
  subscription({
    consumerName: 'customer-on-workorder-completed',
    events: [events.workorder.completed],
    handler: (em, e) => openReturnHandover(deps, logger, em, e.data, e.time),
  }),
];
