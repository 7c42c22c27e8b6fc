import { events } from '@aftercare/events';
import { type Logger, type Subscription, subscription } from '@aftercare/kit';
import { recordCompletedWorkOrder } from '../app/completed-work-orders';
import type { ComplaintDeps } from '../app/deps';
import { openFollowUpComplaint } from '../app/follow-up';

/** What the complaint side consumes: follow-up complaints and the KPI denominator. */
export const complaintSubscriptions = (deps: ComplaintDeps, logger: Logger): Subscription[] => [
  subscription({
    consumerName: 'complaint-on-survey-dissatisfied',
    events: [events.survey.dissatisfied],
    handler: (em, envelope) => openFollowUpComplaint(em, deps, logger, envelope),
  }),
  subscription({
    consumerName: 'complaint-on-workorder-completed',
    events: [events.workorder.completed],
    handler: (em, envelope) => recordCompletedWorkOrder(em, envelope.data, envelope.time),
  }),
];
