import { type DeclaredEvent, type EventOutput, events } from '@aftercare/events';
import { type Logger, type Subscription, subscription } from '@aftercare/kit';
import { openReturnHandover } from '../app/archive';
import { applyServiceToAsset } from '../app/asset-lifecycle';
import { logContactFromEvent, logRepairRequest } from '../app/contact-log';
import type { CustomerDeps } from '../app/deps';
import {
  complaintContact,
  type ContactFromEvent,
  followUpCallContact,
} from '../domain/contact-sources';

/** The durable consumers of the customer service: one per (stream, filter), idempotent via the inbox. */
export function subscriptions(deps: CustomerDeps, logger: Logger): Subscription[] {
  /** R-CU-5: contacts another service took down, logged from its event. */
  const contactsFrom = <E extends DeclaredEvent>(
    consumerName: string,
    event: E,
    contactOf: (data: EventOutput<E>) => ContactFromEvent | null,
  ) =>
    subscription({
      consumerName,
      events: [event],
      handler: (em, e) =>
        logContactFromEvent(deps, logger, em, contactOf(e.data as EventOutput<E>)),
    });
  return [
    subscription({
      consumerName: 'customer-on-workorder-registered',
      events: [events.workorder.registered],
      // R-CU-5 the repair request's contact; R-CU-6 a new customer's first visit starts the clock.
      handler: (em, e) => logRepairRequest(deps, logger, em, e.data),
    }),
    contactsFrom('customer-on-complaint-registered', events.complaint.registered, complaintContact),
    contactsFrom(
      'customer-on-survey-follow-up-called',
      events.survey.followUpCalled,
      followUpCallContact,
    ),
    subscription({
      consumerName: 'customer-on-workorder-completed',
      events: [events.workorder.completed],
      // R-CU-3 the returned vehicle's archive handover; R-CU-7 the asset file follows the service.
      handler: async (em, e) => {
        await openReturnHandover(deps, logger, em, e.data, e.time);
        await applyServiceToAsset(deps, logger, em, e.data, e.time);
      },
    }),
  ];
}
