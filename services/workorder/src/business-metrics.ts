import { events } from '@aftercare/events';
import { type EventCounter, eventCounter } from '@aftercare/kit';

/**
 * Business counters from this service's published events (docs/rules.md §6 service timeliness: SLA
 * breaches against completed orders; the denominator of the complaint and follow-up rates).
 * Labels are the events' enums only.
 */
export const WORKORDER_COUNTERS: readonly EventCounter[] = [
  eventCounter({
    event: events.workorder.registered,
    name: 'workorder_orders_registered_total',
    help: 'Work orders registered, by service type',
    labelNames: ['service_type'],
    labels: (data) => [{ service_type: data.serviceType }],
  }),
  eventCounter({
    event: events.workorder.completed,
    name: 'workorder_orders_completed_total',
    help: 'Work orders completed, by service type',
    labelNames: ['service_type'],
    labels: (data) => [{ service_type: data.serviceType }],
  }),
  eventCounter({
    event: events.workorder.slaBreached,
    name: 'workorder_sla_breaches_total',
    help: 'SLA breaches detected (R-WO-3), by kind (ANSWER, ARRIVAL, ON_SITE)',
    labelNames: ['kind'],
    labels: (data) => [{ kind: data.kind }],
  }),
];
