import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import {
  type DeclaredEvent,
  type EventDefinition,
  type EventInput,
  type EventOutput,
} from '@aftercare/events';
import type { EntityManager } from '../db';
import { writesAtomically } from '../db/insert-pending';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import { eventSubject, isNatsToken, schemaUrl, type EventEnvelope } from './envelope';
import { OutboxRecord } from './schema';
import { captureTraceHeaders } from './tracing';

/**
 * Where `dataschema` points when nothing is configured: the schemas' place in the repository,
 * relative to its root. Deployments set `EVENT_SCHEMA_BASE_URL` to where they publish
 * docs/events/schemas, so that it becomes an absolute URL (ADR 0018).
 */
export const DEFAULT_EVENT_SCHEMA_BASE_URL = 'docs/events/schemas/';

/**
 * What use cases get of the outbox: publishing declared events in their transaction, and waking
 * the relay after a write that was a transaction by itself (`insertAlone`).
 */
export type EventPublisher = Pick<Outbox, 'publish' | 'publishMessage' | 'kick'>;

export interface OutboxOptions {
  /** The producing service, e.g. `customer`. */
  service: string;
  /** First subject token (`EVENT_SUBJECT_PREFIX`, default `aftercare`). */
  subjectPrefix: string;
  /** Prefix of `dataschema` (`EVENT_SCHEMA_BASE_URL`); default `DEFAULT_EVENT_SCHEMA_BASE_URL`. */
  schemaBaseUrl?: string;
}

/**
 * An event and its data, type-checked together when made (`eventMessage`): for use cases that
 * collect the events of a change before one place publishes them.
 */
export interface EventMessage<E extends EventDefinition = DeclaredEvent> {
  readonly event: E;
  readonly data: unknown;
}

export const eventMessage = <E extends DeclaredEvent>(
  event: E,
  data: EventInput<E>,
): EventMessage => ({ event, data });

/**
 * A service's event writer: created once, shared by its use cases and its relay. It publishes
 * declared events only (`@aftercare/events`); `E` is widened by the kit's own tests alone.
 */
export interface Outbox<E extends EventDefinition = DeclaredEvent> {
  readonly service: string;
  readonly subjectPrefix: string;
  readonly schemaBaseUrl: string;
  /**
   * Records an event in the caller's transaction (`em` must be the EntityManager given by
   * `em.transactional`, or `insertAlone`'s); it is published by the relay only once that
   * transaction commits.
   * The relay is kicked automatically after the commit of a top-level `transactional()`.
   * `data` must match the event's schema: by type, and checked again here (INVALID_EVENT).
   * `aggregateId` is the CloudEvents `subject`: the id of what the event is about.
   */
  publish<T extends E>(
    em: EntityManager,
    event: T,
    aggregateId: string,
    data: EventInput<T>,
  ): EventEnvelope<EventOutput<T>>;
  /** `publish` for a message made earlier with `eventMessage`. */
  publishMessage(em: EntityManager, aggregateId: string, message: EventMessage<E>): EventEnvelope;
  /** Wakes the relay(s) now instead of at their next poll; call after commit when not using `transactional()`. */
  kick(): void;
  /** For relays: called on every kick. Returns an unsubscribe function. */
  onKick(listener: () => void): () => void;
}

export function createOutbox<E extends EventDefinition = DeclaredEvent>(
  options: OutboxOptions,
): Outbox<E> {
  const { service, subjectPrefix } = options;
  const schemaBaseUrl = options.schemaBaseUrl ?? DEFAULT_EVENT_SCHEMA_BASE_URL;
  if (!isNatsToken(service))
    throw badEvent(`Service name "${service}" must be a lower-case NATS token`, 'service');
  if (!isNatsToken(subjectPrefix))
    throw badEvent(
      `Subject prefix "${subjectPrefix}" must be a lower-case NATS token`,
      'subjectPrefix',
    );

  const listeners = new Set<() => void>();
  const kick = () => listeners.forEach((listener) => listener());

  // Transactions that wrote an outbox row; a commit of any other transaction must not count.
  const pendingTransactions = new WeakSet<object>();
  const commitWatcher: EventSubscriber = {
    afterTransactionCommit(args: TransactionEventArgs) {
      if (args.transaction && pendingTransactions.has(args.transaction)) {
        pendingTransactions.delete(args.transaction);
        kick();
      }
    },
  };

  function publish(
    em: EntityManager,
    event: EventDefinition,
    aggregateId: string,
    data: unknown,
  ): EventEnvelope {
    if (!writesAtomically(em)) {
      throw new AppError(
        'INTERNAL',
        'Events must be added inside em.transactional() (or insertAlone) together with the state change',
        {
          reason: 'OUTBOX_OUTSIDE_TRANSACTION',
        },
      );
    }
    validate(service, event, aggregateId);
    const id = uuidv7();
    const time = new Date();
    const envelope: EventEnvelope = {
      specversion: '1.0',
      id,
      source: service,
      type: event.type,
      time: time.toISOString(),
      subject: aggregateId,
      datacontenttype: 'application/json',
      dataschema: schemaUrl(schemaBaseUrl, event.type, event.version),
      dataversion: String(event.version),
      data: toJsonObject(checkedData(event, data)),
    };
    // Captured now, inside the request that changed state, so the consumer continues its trace.
    const headers = captureTraceHeaders();
    em.create(OutboxRecord, {
      id,
      subject: eventSubject(subjectPrefix, event.type),
      type: event.type,
      aggregateId,
      payload: envelope,
      headers,
      createdAt: time,
      publishedAt: null,
      attempts: 0,
      lastError: null,
    });
    // Outside a transaction (`insertAlone`) the writer kicks the relay itself.
    const transaction = em.getTransactionContext();
    if (transaction) {
      pendingTransactions.add(transaction);
      // Idempotent; `transactional()` gives each transaction its own copy of the event manager.
      em.getEventManager().registerSubscriber(commitWatcher);
    }
    return envelope;
  }

  return {
    service,
    subjectPrefix,
    schemaBaseUrl,
    kick,
    onKick(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish: <T extends E>(em: EntityManager, event: T, aggregateId: string, data: EventInput<T>) =>
      publish(em, event, aggregateId, data) as EventEnvelope<EventOutput<T>>,
    publishMessage: (em, aggregateId, message) =>
      publish(em, message.event, aggregateId, message.data),
  };
}

function validate(service: string, event: EventDefinition, aggregateId: string): void {
  if (event.service !== service) {
    throw badEvent(
      `Event type "${event.type}" is not one the ${service} service publishes`,
      'type',
    );
  }
  if (typeof aggregateId !== 'string' || aggregateId.length === 0 || aggregateId.length > 200) {
    throw badEvent(
      'Event aggregateId must be a non-empty string of at most 200 characters',
      'aggregateId',
    );
  }
}

/** The data as its schema outputs it (defaults filled in), or INVALID_EVENT naming what breaks it. */
function checkedData(event: EventDefinition, data: unknown): Record<string, unknown> {
  const parsed = event.data.safeParse(data);
  if (!parsed.success)
    throw badEvent(`Event ${event.type} data breaks its schema: ${parsed.error.message}`, 'data');
  return parsed.data;
}

/** The stored body must be exactly what consumers will parse, so serialise now (and fail here on bigint etc.). */
function toJsonObject<T>(data: T): T {
  try {
    return JSON.parse(JSON.stringify(data)) as T;
  } catch (e) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `Event data is not JSON-serialisable: ${(e as Error).message}`,
      {
        reason: 'INVALID_EVENT',
        field: 'data',
        cause: e,
      },
    );
  }
}

const badEvent = (message: string, field: string) =>
  new AppError('INVALID_ARGUMENT', message, { reason: 'INVALID_EVENT', field });
