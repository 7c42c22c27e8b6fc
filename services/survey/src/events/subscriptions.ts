import { events } from '@aftercare/events';
import { type Subscription, subscription } from '@aftercare/kit';
import type { SurveyDeps } from '../app/deps';
import { onCustomerEvent } from '../app/reminders';
import { onComplaintClosed, onWorkOrderCompleted } from '../app/surveys';

/** The durable consumers of the survey service: one per (stream, filter), idempotent via the inbox. */
export const subscriptions = (deps: SurveyDeps): Subscription[] => [
  subscription({
    consumerName: 'survey-on-workorder-completed',
    events: [events.workorder.completed],
    handler: async (em, e) => {
      await onWorkOrderCompleted(deps, em, e.data, e.time);
    },
  }),
  subscription({
    consumerName: 'survey-on-complaint-closed',
    events: [events.complaint.closed],
    handler: async (em, e) => {
      await onComplaintClosed(deps, em, e.data);
    },
  }),
  subscription({
    consumerName: 'survey-on-customer',
    events: [
      events.customer.created,
      events.customer.updated,
      events.customer.assetRegistered,
      events.customer.assetUpdated,
    ],
    handler: (em, e) => onCustomerEvent(deps, em, e),
  }),
];
