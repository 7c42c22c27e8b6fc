import { complaintClosed, complaintRegistered } from '@aftercare/events';
import type { EventCounter } from '@aftercare/kit';

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60_000;

/**
 * Business counters from this service's published events (SPEC §6 complaint rate and complaint
 * closure within 7 days). Labels are booleans only.
 */
export const COMPLAINT_COUNTERS: readonly EventCounter[] = [
  {
    eventType: 'complaint.registered',
    name: 'complaint_complaints_registered_total',
    help: 'Complaints registered, by whether they are major (R-CO-3)',
    labelNames: ['major'],
    labels: (data) => {
      const e = complaintRegistered.safeParse(data);
      return e.success ? [{ major: String(e.data.majorReasons.length > 0) }] : [];
    },
  },
  {
    eventType: 'complaint.closed',
    name: 'complaint_complaints_closed_total',
    help: 'Complaints closed, by validity and whether they closed within 7 days of receipt',
    labelNames: ['valid', 'within_7_days'],
    labels: (data) => {
      const e = complaintClosed.safeParse(data);
      if (!e.success) return [];
      const took = Date.parse(e.data.closedAt) - Date.parse(e.data.receivedAt);
      return [{ valid: String(e.data.valid), within_7_days: String(took <= SEVEN_DAYS_MS) }];
    },
  },
];
