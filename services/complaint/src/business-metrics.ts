import { events } from '@aftercare/events';
import { type EventCounter, eventCounter } from '@aftercare/kit';

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60_000;

/**
 * Business counters from this service's published events (docs/rules.md §6 complaint rate: service-caused
 * complaints against completed orders; complaint closure within 7 days). Labels are booleans only.
 */
export const COMPLAINT_COUNTERS: readonly EventCounter[] = [
  eventCounter({
    event: events.complaint.registered,
    name: 'complaint_complaints_registered_total',
    help: 'Complaints registered, by whether they are major (R-CO-3)',
    labelNames: ['major'],
    labels: (data) => [{ major: String(data.majorReasons.length > 0) }],
  }),
  eventCounter({
    event: events.complaint.progressed,
    name: 'complaint_investigations_total',
    help: 'Complaint investigations concluded (R-CO-2), by whether the service caused the complaint',
    labelNames: ['service_caused'],
    labels: (data) =>
      data.action === 'investigate' && data.investigation
        ? [{ service_caused: String(data.investigation.serviceCaused) }]
        : [],
  }),
  eventCounter({
    event: events.complaint.closed,
    name: 'complaint_complaints_closed_total',
    help: 'Complaints closed, by validity and whether they closed within 7 days of receipt',
    labelNames: ['valid', 'within_7_days'],
    labels: (data) => {
      const took = Date.parse(data.closedAt) - Date.parse(data.receivedAt);
      return [{ valid: String(data.valid), within_7_days: String(took <= SEVEN_DAYS_MS) }];
    },
  }),
];
