import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { EntityManager } from '../db';
import { AppError } from '../errors';
import { uuidv7 } from '../ids';
import {
  dataSchemaOf,
  eventSubject,
  isDataVersion,
  isEventType,
  isNatsToken,
  type EventEnvelope,
} from './envelope';
import { OutboxRecord } from './schema';
import { captureTraceHeaders } from './tracing';

export interface NewEvent<TData extends object = object> {
  /** `<service>.<event>` in past tense, e.g. `customer.created`; the service must be the outbox's own. */
  type: string;
  /** The id of the aggregate the event is about (envelope `subject`, header `ce-subject`). */
  aggregateId: string;
  /** The proto3 JSON form of the event message. */
  data: TData;
  /** Default "1"; a breaking change of `data` makes a new version. */
  dataVersion?: string;
  /** Default: the proto message name derived from type and version (see `dataSchemaOf`). */
  dataSchema?: string;
}

export interface OutboxOptions {
  /** The producing service, e.g. `customer`. */
  service: string;
  /** First subject token (`EVENT_SUBJECT_PREFIX`, default `aftercare`). */
  subjectPrefix: string;
}

/** A service's event writer: created once, shared by its use cases and its relay. */
export interface Outbox {
  readonly service: string;
  readonly subjectPrefix: string;
  /**
   * Records an event in the caller's transaction (`em` must be the EntityManager given by
   * `em.transactional`); it is published by the relay only once that transaction commits.
   * The relay is kicked automatically after the commit of a top-level `transactional()`.
   */
  add<TData extends object>(em: EntityManager, event: NewEvent<TData>): EventEnvelope<TData>;
  /** Wakes the relay(s) now instead of at their next poll; call after commit when not using `transactional()`. */
  kick(): void;
  /** For relays: called on every kick. Returns an unsubscribe function. */
  onKick(listener: () => void): () => void;
}

export function createOutbox(options: OutboxOptions): Outbox {
  const { service, subjectPrefix } = options;
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

  return {
    service,
    subjectPrefix,
    kick,
    onKick(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    add<TData extends object>(em: EntityManager, event: NewEvent<TData>): EventEnvelope<TData> {
      const transaction = em.getTransactionContext();
      if (!transaction) {
        throw new AppError(
          'INTERNAL',
          'Events must be added inside em.transactional() together with the state change',
          {
            reason: 'OUTBOX_OUTSIDE_TRANSACTION',
          },
        );
      }
      const dataVersion = event.dataVersion ?? '1';
      validate(service, event, dataVersion);
      const id = uuidv7();
      const time = new Date();
      const envelope: EventEnvelope<TData> = {
        id,
        type: event.type,
        source: service,
        time: time.toISOString(),
        subject: event.aggregateId,
        dataVersion,
        data: toJsonObject(event.data),
      };
      const headers: Record<string, string> = {
        'ce-specversion': '1.0',
        'ce-id': id,
        'ce-type': event.type,
        'ce-source': service,
        'ce-time': envelope.time,
        'ce-subject': event.aggregateId,
        'ce-dataschema': event.dataSchema ?? dataSchemaOf(event.type, dataVersion),
        'content-type': 'application/json',
        // Captured now, inside the request that changed state, so the consumer continues its trace.
        ...captureTraceHeaders(),
      };
      em.create(OutboxRecord, {
        id,
        subject: eventSubject(subjectPrefix, event.type),
        type: event.type,
        aggregateId: event.aggregateId,
        payload: envelope,
        headers,
        createdAt: time,
        publishedAt: null,
        attempts: 0,
        lastError: null,
      });
      pendingTransactions.add(transaction);
      // Idempotent; `transactional()` gives each transaction its own copy of the event manager.
      em.getEventManager().registerSubscriber(commitWatcher);
      return envelope;
    },
  };
}

function validate(service: string, event: NewEvent, dataVersion: string): void {
  if (!isEventType(event.type) || !event.type.startsWith(`${service}.`)) {
    throw badEvent(`Event type "${event.type}" must be "${service}.<event>" in lower case`, 'type');
  }
  if (
    typeof event.aggregateId !== 'string' ||
    event.aggregateId.length === 0 ||
    event.aggregateId.length > 200
  ) {
    throw badEvent(
      'Event aggregateId must be a non-empty string of at most 200 characters',
      'aggregateId',
    );
  }
  if (!isDataVersion(dataVersion))
    throw badEvent(`Event dataVersion "${dataVersion}" must be a positive integer`, 'dataVersion');
  if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
    throw badEvent('Event data must be a JSON object', 'data');
  }
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
