import type { BusinessCalendar } from '@aftercare/calendar';
import type { EntityManager, Orm } from '@aftercare/kit';

export const INVENTORY_EVENTS = {
  stockPosted: 'inventory.stock_posted',
  lowStock: 'inventory.low_stock',
} as const;

export interface EventSink {
  add(em: EntityManager, event: { type: string; aggregateId: string; data: object }): unknown;
}

export interface InventoryDeps {
  orm: Orm;
  events: EventSink;
  calendar: BusinessCalendar;
  now: () => Date;
}
