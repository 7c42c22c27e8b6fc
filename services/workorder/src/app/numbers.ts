import type { BusinessCalendar } from '@aftercare/calendar';
import { type EntityManager, issueNumber } from '@aftercare/kit';
import { NUMBER_FORMATS, type NumberPrefix } from '../domain';

/**
 * The next WO or GR number of the local business day of `at`, taken in the caller's transaction:
 * the day's row stays locked until commit, so numbers are gap-free and intakes of a day queue.
 */
export const issueOrderNumber = (
  em: EntityManager,
  prefix: NumberPrefix,
  at: Date,
  calendar: BusinessCalendar,
): Promise<string> =>
  issueNumber(
    em,
    { ...NUMBER_FORMATS[prefix], source: { kind: 'daily-row', table: 'number_sequence' } },
    calendar.localDate(at),
  );
