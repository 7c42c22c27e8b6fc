import type { BusinessCalendar } from '@aftercare/calendar';
import { type BufferedInsert, type EventPublisher, type Orm } from '@aftercare/kit';
import type { ReadLogRow } from './read-log';

export interface CustomerDeps {
  orm: Orm;
  events: EventPublisher;
  /** Business time zone: warranty and contract dates are local dates there. */
  timeZone: string;
  /** Working days for archive handover deadlines (R-CU-3). */
  calendar: BusinessCalendar;
  /** R-CU-7: the warranty an installation or commissioning starts runs this many months. */
  warrantyMonths: number;
  /** R-CU-6: a new customer's file is complete this many calendar days after their first visit. */
  fileCompletenessDays: number;
  /** R-CU-4: every read of a customer or asset file, written in batches (ADR 0031). */
  readLog: BufferedInsert<ReadLogRow>;
  /** R-CU-4: a paper file is lent for at most this many calendar days. */
  loanMaxDays: number;
  /** R-CU-4: a customer file is kept this many years after its last activity. */
  retentionYears: number;
  now: () => Date;
}
