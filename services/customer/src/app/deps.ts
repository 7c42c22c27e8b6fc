import type { BusinessCalendar } from '@aftercare/calendar';
import type { EntityManager, Orm } from '@aftercare/kit';

/**
 * Event types are `<service>.<event>` so every subject stays inside the service's stream
 * (`aftercare.customer.>`): the issue's `asset.registered` is `customer.asset_registered`.
 */
export const CUSTOMER_EVENTS = {
  created: 'customer.created',
  updated: 'customer.updated',
  assetRegistered: 'customer.asset_registered',
  contactLogged: 'customer.contact_logged',
  archiveHandoverLate: 'customer.archive_handover_late',
} as const;

/** Where use cases put their events: the outbox, inside the caller's transaction. */
export interface EventSink {
  add(em: EntityManager, event: { type: string; aggregateId: string; data: object }): unknown;
}

export interface CustomerDeps {
  orm: Orm;
  events: EventSink;
  /** Business time zone: warranty and contract dates are local dates there. */
  timeZone: string;
  /** Working days for archive handover deadlines (R-CU-3). */
  calendar: BusinessCalendar;
  now: () => Date;
}
