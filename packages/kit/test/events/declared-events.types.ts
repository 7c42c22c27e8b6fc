/**
 * Type-level proof (checked by `npm run typecheck`, never run): publishing and subscribing go
 * through the declarations of @aftercare/events (ADR 0018). Every `@ts-expect-error` below is a
 * line tsc must refuse; if one ever compiled, the directive itself would fail the type-check.
 */
import { defineEvent, events } from '@aftercare/events';
import { z } from 'zod';
import type { EntityManager } from '../../src/db';
import { eventMessage, type EventPublisher } from '../../src/events';
import { subscription } from '../../src/service';

const uuid = '0193a6f2-7c1d-7a10-8e44-5b2f3c1d9e08';

export function publishing(outbox: EventPublisher, em: EntityManager): void {
  // Declared event, matching data (stationCode has a default, so it may be left out).
  outbox.publish(em, events.workorder.closed, uuid, {
    workOrderId: uuid,
    number: 'WO-1',
    status: 'CLOSED',
    customerId: null,
    assetId: null,
    serviceType: 'PAID',
    category: 'ENGINE',
    region: { province: null, city: null, district: null },
    technicianIds: [],
    leadTechnicianId: null,
    calledAt: '2026-11-24T08:00:00.000Z',
    closedAt: '2026-11-24T09:00:00.000Z',
  });
  // @ts-expect-error a payload missing a required field
  outbox.publish(em, events.customer.contactLogged, uuid, { entryId: uuid });
  outbox.publish(em, events.inventory.lowStock, uuid, {
    warehouseCode: 'W1',
    partCode: 'P1',
    // @ts-expect-error a field of the wrong type
    onHand: '2',
    reorderPoint: 3,
    critical: false,
    documentId: uuid,
  });
  // @ts-expect-error an enum value the schema does not have
  eventMessage(events.complaint.overdue, { kind: 'LATE' });
  // @ts-expect-error an event name instead of a declaration
  outbox.publish(em, 'customer.created', uuid, {});
  const undeclared = defineEvent({
    type: 'customer.deleted',
    version: 1,
    data: z.object({ customerId: z.string() }),
    subject: 'the customer',
    summary: 'Not in the catalogue.',
  });
  // @ts-expect-error an event declared outside the catalogue
  outbox.publish(em, undeclared, uuid, { customerId: uuid });
}

export const subscribing = [
  subscription({
    consumerName: 'typed',
    events: [events.customer.created, events.customer.assetRegistered],
    handler: async (_em, event) => {
      if (event.type === 'customer.asset_registered') {
        const kind: 'VEHICLE' | 'EQUIPMENT' | 'APPLIANCE' | 'OTHER' = event.data.kind;
        void kind;
        // @ts-expect-error the data of the other event of the union
        void event.data.grade;
      }
    },
  }),
  subscription({
    consumerName: 'undeclared',
    // @ts-expect-error an event name instead of a declaration
    events: ['customer.created'],
    handler: async () => undefined,
  }),
];
