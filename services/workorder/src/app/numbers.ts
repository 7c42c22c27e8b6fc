import type { BusinessCalendar } from '@aftercare/calendar';
import {
  type EntityManager,
  issueNumber,
  type NumberSeries,
  pendingNumber,
  type PendingNumber,
} from '@aftercare/kit';
import { NUMBER_FORMATS, type NumberPrefix } from '../domain';

const series = (prefix: NumberPrefix): NumberSeries => ({
  ...NUMBER_FORMATS[prefix],
  source: { kind: 'daily-row', table: 'number_sequence' },
});

/**
 * The next WO or GR number of the local business day of `at`, taken in the caller's transaction:
 * the day's row stays locked until commit, so numbers are gap-free and intakes of a day queue.
 */
export const issueOrderNumber = (
  em: EntityManager,
  prefix: NumberPrefix,
  at: Date,
  calendar: BusinessCalendar,
): Promise<string> => issueNumber(em, series(prefix), calendar.localDate(at));

/**
 * The same number, drawn by the statement that inserts the rows carrying it (`insertPending`):
 * the day's row is then locked from that statement to the commit only.
 */
export const pendingOrderNumber = (
  prefix: NumberPrefix,
  at: Date,
  calendar: BusinessCalendar,
): PendingNumber => pendingNumber(series(prefix), calendar.localDate(at));
