import { complaintEvents } from './complaint';
import { customerEvents } from './customer';
import { inventoryEvents } from './inventory';
import { surveyEvents } from './survey';
import { workOrderEvents } from './workorder';

/**
 * Every event the services publish, by producing service: `events.workorder.completed`. The
 * outbox publishes and the consumers subscribe only with these (ADR 0018).
 */
export const events = {
  customer: customerEvents,
  workorder: workOrderEvents,
  inventory: inventoryEvents,
  complaint: complaintEvents,
  survey: surveyEvents,
};

type Values<T> = T[keyof T];

/** Any declared event: what publishing and subscribing accept. */
export type DeclaredEvent = Values<{ [S in keyof typeof events]: Values<(typeof events)[S]> }>;

/** The declared events as a list, in catalogue order (service, then declaration). */
export const eventCatalogue: readonly DeclaredEvent[] = Object.values(events).flatMap(
  (byService) => Object.values(byService) as DeclaredEvent[],
);

/** The producing services, in catalogue order; each owns the stream `<PREFIX>_<SERVICE>`. */
export const producingServices = Object.keys(events) as (keyof typeof events)[];
