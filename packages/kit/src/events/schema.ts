import { EntitySchema } from '@mikro-orm/core';
import type { EventEnvelope } from './envelope';

/** An event waiting for (or done with) relay to NATS; written in the transaction of the state change. */
export interface OutboxRecord {
  /** uuidv7, so `ORDER BY id` is creation order; also the envelope id and `Nats-Msg-Id`. */
  id: string;
  /** The NATS subject, e.g. `aftercare.customer.created`. */
  subject: string;
  type: string;
  aggregateId: string;
  payload: EventEnvelope;
  /** The trace context captured when the event was added (W3C `traceparent`, `tracestate`). */
  headers: Record<string, string>;
  createdAt: Date;
  publishedAt: Date | null;
  attempts: number;
  lastError: string | null;
}

export const OutboxRecord = new EntitySchema<OutboxRecord>({
  name: 'OutboxRecord',
  tableName: 'outbox',
  properties: {
    id: { type: 'uuid', primary: true },
    subject: { type: 'text' },
    type: { type: 'text' },
    aggregateId: { type: 'text' },
    payload: { type: 'json' },
    headers: { type: 'json' },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    publishedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    attempts: { type: 'integer' },
    lastError: { type: 'text', nullable: true },
  },
});

/** A (consumer, event) pair already applied; its primary key is what makes consumers idempotent. */
export interface InboxRecord {
  consumer: string;
  eventId: string;
  receivedAt: Date;
}

export const InboxRecord = new EntitySchema<InboxRecord>({
  name: 'InboxRecord',
  tableName: 'inbox',
  properties: {
    consumer: { type: 'text', primary: true },
    eventId: { type: 'uuid', primary: true },
    receivedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

/** Add to a service's `entities` next to its own. */
export const kitEventEntities = [OutboxRecord, InboxRecord];
