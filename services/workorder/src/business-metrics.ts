import { workOrderCompleted, workOrderRegistered, workOrderSlaBreached } from '@aftercare/events';
import type { EventCounter } from '@aftercare/kit';

/**
 * Business counters from this service's published events (SPEC §6 service timeliness: SLA
 * breaches against completed orders). Labels are the events' enums only.
 */
export const WORKORDER_COUNTERS: readonly EventCounter[] = [
  {
    eventType: 'workorder.registered',
    name: 'workorder_orders_registered_total',
    help: 'Work orders registered, by service type',
    labelNames: ['service_type'],
    labels: (data) => {
      const e = workOrderRegistered.safeParse(data);
      return e.success ? [{ service_type: e.data.serviceType }] : [];
    },
  },
  {
    eventType: 'workorder.completed',
    name: 'workorder_orders_completed_total',
    help: 'Work orders completed, by service type',
    labelNames: ['service_type'],
    labels: (data) => {
      const e = workOrderCompleted.safeParse(data);
      return e.success ? [{ service_type: e.data.serviceType }] : [];
    },
  },
  {
    eventType: 'workorder.sla_breached',
    name: 'workorder_sla_breaches_total',
    help: 'SLA breaches detected (R-WO SLA), by kind (ANSWER, ARRIVAL, ON_SITE)',
    labelNames: ['kind'],
    labels: (data) => {
      const e = workOrderSlaBreached.safeParse(data);
      return e.success ? [{ kind: e.data.kind }] : [];
    },
  },
];
