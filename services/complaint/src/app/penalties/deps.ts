import type { BusinessCalendar } from '@aftercare/calendar';
import type { EventPublisher, Identity, Orm } from '@aftercare/kit';
import type { PenaltyPolicy } from '../../domain/penalties';

export interface StaffFacts {
  id: string;
  /** Job position (e.g. `service_advisor`), what role doubling looks at (R-PN-2). */
  position: string | null;
  teamLeadId: string | null;
}

/** The staff roster (today the work-order service's): positions and team leads. */
export interface StaffRoster {
  /** The roster entries found, in no particular order; unknown ids are left out. */
  staff(ids: readonly string[], caller: Identity): Promise<StaffFacts[]>;
}

/** What the penalty ledger needs from the service it runs in. */
export interface PenaltyDeps {
  orm: Orm;
  events: EventPublisher;
  calendar: BusinessCalendar;
  now: () => Date;
  penaltyPolicy: PenaltyPolicy;
  workOrders: StaffRoster;
  /** How the ledger acts on its own behalf (roster look-ups, re-counts, event consumers). */
  serviceIdentity: Identity;
}
