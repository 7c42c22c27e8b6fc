import { events } from '@aftercare/events';
import { type EventCounter, eventCounter } from '@aftercare/kit';

/**
 * Business counters from this service's published events (docs/rules.md §6 parts issue accuracy: issues
 * put right as wrong parts against all issues against requisitions).
 */
export const INVENTORY_COUNTERS: readonly EventCounter[] = [
  eventCounter({
    event: events.inventory.partsIssued,
    name: 'inventory_parts_issues_total',
    help: 'Parts issue documents posted against approved requisitions (R-IN-3)',
  }),
  eventCounter({
    event: events.inventory.wrongPartCorrected,
    name: 'inventory_wrong_parts_corrected_total',
    help: 'Wrong parts found on an issue and put right (R-IN-5)',
  }),
];
