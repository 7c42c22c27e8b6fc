import type { EntityManager, Orm } from '@aftercare/kit';

export const CUSTOMER_EVENTS = {
  created: 'customer.created',
  updated: 'customer.updated',
  assetRegistered: 'asset.registered',
  contactLogged: 'contact.logged',
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
  now: () => Date;
}
