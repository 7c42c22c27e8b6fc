import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { EventDefinition } from '@aftercare/events';
import type { z } from 'zod';
import type { EntityManager, Orm } from '../db';
import { transactionalOpening } from '../db/opened-transaction';
import { unavailableFrom } from '../db/unavailable';
import { AppError } from '../errors';
import { isUuid } from '../ids';
import type { Logger } from '../logger';
import { reportConsumerLag } from '../observability/consumer-lag';
import * as instruments from '../observability/instruments';
import { secondsSince, type Metrics } from '../observability/registry';
import { runAsWork } from '../observability/work-scope';
import {
  eventSubject,
  isNatsToken,
  parseEnvelope,
  streamName,
  streamSubjects,
  type EventEnvelope,
} from './envelope';
import { eventData } from './data';
import {
  ensureDeadLetterStream,
  park,
  verifyDeadLetterStream,
  type DeadLetterReason,
} from './dead-letter';
import { inBatches } from './batches';
import { backoffDelay, errorMessage } from './retry';
import { verifyDurable, verifyStream } from './managed';
import { ensureStream } from './stream';
import { contextFromMessage, eventsTracer } from './tracing';

export interface EventMeta {
  /** The durable consumer's name. */
  consumer: string;
  /** NATS subject, e.g. `aftercare.customer.created`. */
  subject: string;
  /** 1 on first delivery. */
  deliveryCount: number;
  streamSequence: number;
}

/** A received event of one of the declared events `E`, its data parsed by that event's schema. */
export type ReceivedEvent<E extends EventDefinition> =
  E extends EventDefinition<infer T, infer S> ? EventEnvelope<z.output<S>> & { type: T } : never;

/**
 * Applies one event. Runs inside the transaction that records it in the inbox: write with `em`
 * only, and throw to have the event redelivered later (nothing is committed then).
 */
export type EventHandler<E extends EventDefinition = EventDefinition> = (
  em: EntityManager,
  event: ReceivedEvent<E>,
  meta: EventMeta,
) => Promise<void>;

export interface ConsumerOptions<E extends EventDefinition = EventDefinition> {
  orm: Orm;
  nats: NatsConnection;
  logger: Logger;
  /** The consuming service: its dead-letter stream receives the events this consumer parks. */
  service: string;
  /** Durable consumer name, also the inbox key, e.g. `workorder-on-customer`. */
  consumerName: string;
  subjectPrefix: string;
  /**
   * The declared events to receive, all of one producing service, whose stream is read. An
   * event of another version of the same type is acknowledged unhandled (and logged).
   */
  events: readonly E[];
  handler: EventHandler<E>;
  /**
   * Deliveries before a failing event is parked as poison (ADR 0025). Default 10. Failures of the
   * infrastructure (its database or a called service unavailable) do not count: the message is
   * held and retried in place until the dependency is back (see `isTransient`). The count is the
   * consumer's alone: the server redelivers without limit, so it never drops an event unparked.
   */
  maxDeliver?: number;
  /**
   * Cap of the wait between in-place retries while a dependency is unavailable: also how soon
   * after the dependency returns the consumer resumes. Default 2000.
   */
  maxOutageRetryDelayMs?: number;
  /** First redelivery delay after a handler failure; doubles per delivery. Default 1000. */
  nakDelayMs?: number;
  /** Cap of the redelivery delay. Default 60 000. */
  maxNakDelayMs?: number;
  /** Redelivery when neither ack nor nak arrives (process died mid-message). Default 30 000. */
  ackWaitMs?: number;
  /** Passed to the stream when this consumer has to create it (producer not started yet). */
  duplicateWindowMs?: number;
  /**
   * The operator owns the stream and this durable (`EVENT_STREAMS_MANAGED`): check that they exist
   * as this consumer needs them and fail otherwise, instead of creating or updating them.
   */
  managed?: boolean;
  /** Counts per outcome, handling time, and the durable's lag read at scrape time. */
  metrics?: Metrics;
}

export interface EventConsumerMetrics {
  /** Events whose handler committed. */
  processed: number;
  /** Deliveries skipped because the inbox already had the event. */
  duplicates: number;
  /** Handler failures that were nak'ed for redelivery. */
  retries: number;
  /** In-place retries of an event held while a dependency was unavailable. */
  outageRetries: number;
  /** Events parked in the dead-letter stream (poison, invalid, malformed), then terminated. */
  parked: number;
  /** Parkings that failed (dead-letter stream unavailable): the event was nak'ed, not terminated. */
  parkFailures: number;
}

export interface EventConsumer {
  isReady(): boolean;
  metrics(): EventConsumerMetrics;
  /**
   * Stops pulling, finishes the messages in hand (those received together) and returns;
   * unacknowledged ones are redelivered later.
   */
  stop(): Promise<void>;
}

const PULL_BATCH = 20;
/** JetStream's "no limit" for a durable's max_deliver. */
export const UNLIMITED_DELIVERIES = -1;

/**
 * Starts a durable, idempotent JetStream pull consumer: a transaction inserts `(consumer, event
 * id)` into `inbox` (a duplicate skips the handler) and runs the handler; then ack. Events already
 * received together share one transaction, never waiting for more; if it fails, each is handled
 * alone as follows. Handler failure → rollback and nak with back-off; at `maxDeliver` → parked
 * and terminated.
 * A failure of the infrastructure (database or called service unavailable) is not the event's: it
 * is held and retried in place until the dependency returns, using up no delivery.
 * A malformed message, or one whose data the handler finds breaking its contract (`eventData`),
 * is parked at once. Parking publishes to the service's dead-letter stream first and terminates
 * only once that is acknowledged; a failed parking naks, so no event is ever dropped. Each
 * message is handled in a CONSUMER span that continues the producer's trace.
 */
export const isInvalidEvent = (e: unknown): boolean =>
  e instanceof AppError && e.reason === 'INVALID_EVENT';

/**
 * A failure of the infrastructure rather than of the event (issue 17): the consumer's database
 * unreachable, restarting or out of connections, or a service it calls unavailable or too slow.
 * Retrying later succeeds, so such failures must never use up the event's deliveries.
 */
export const isTransient = (e: unknown): boolean =>
  unavailableFrom(e) !== null ||
  (e instanceof AppError && (e.code === 'UNAVAILABLE' || e.code === 'DEADLINE_EXCEEDED'));

/** An event for `applyEventsOnce`, with what its handler is given. */
export interface EventToApply {
  definition: EventDefinition;
  envelope: EventEnvelope<Record<string, unknown>>;
  meta: EventMeta;
}

/**
 * Applies one event once: the inbox row and the handler's writes commit together, or not at all.
 * False when the inbox already had it. Data breaking the declared schema throws INVALID_EVENT.
 * The consumer loop and a dead-letter replay apply single events through this.
 */
export async function applyEventOnce(
  orm: Orm,
  consumerName: string,
  handler: EventHandler,
  definition: EventDefinition,
  envelope: EventEnvelope<Record<string, unknown>>,
  meta: EventMeta,
): Promise<boolean> {
  const [applied] = await applyEventsOnce(orm, consumerName, handler, [
    { definition, envelope, meta },
  ]);
  return applied!;
}

/**
 * Applies events once, all in one transaction: its opening query begins it and inserts every
 * inbox row; the handler runs, with the same `em`, for each event the inbox did not have yet, in
 * the order given; then one COMMIT. Per event, whether it was applied (false: the inbox had it,
 * or it came earlier in `events`). Any failure rolls back every event, as `applyEventOnce`'s
 * would its own.
 */
export async function applyEventsOnce(
  orm: Orm,
  consumerName: string,
  handler: EventHandler,
  events: readonly EventToApply[],
): Promise<boolean[]> {
  const ids = events.map((e) => e.envelope.id.toLowerCase());
  return transactionalOpening(
    orm,
    `begin; ${inboxInsertSql(consumerName, ids)}`,
    async (tx, [, inserted]) => {
      // PostgreSQL answers uuids in lower case; each is handed out once.
      const fresh = new Set((inserted!.rows as { event_id: string }[]).map((r) => r.event_id));
      const applied: boolean[] = [];
      for (const [i, { definition, envelope, meta }] of events.entries()) {
        applied.push(fresh.delete(ids[i]!));
        if (!applied[i]) continue;
        const data = eventData(definition.data, envelope);
        await handler(tx, { ...envelope, data } as ReceivedEvent<EventDefinition>, meta);
      }
      return applied;
    },
  );
}

const CONSUMER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The inbox rows, their values written into the text to travel with BEGIN (ADR 0036): checked
 * here, whoever calls, as a name of the consumers' pattern and UUIDs. Returns the ids inserted.
 */
function inboxInsertSql(consumerName: string, eventIds: readonly string[]): string {
  if (!CONSUMER_NAME.test(consumerName))
    throw new Error(`consumer name ${JSON.stringify(consumerName)} is not an identifier`);
  const bad = eventIds.find((id) => !isUuid(id));
  if (bad !== undefined) throw new Error(`event id ${JSON.stringify(bad)} is not a UUID`);
  const rows = eventIds.map((id) => `('${consumerName}', '${id}')`).join(', ');
  return `insert into inbox (consumer, event_id) values ${rows} on conflict do nothing returning event_id`;
}

export async function startConsumer<E extends EventDefinition>(
  options: ConsumerOptions<E>,
): Promise<EventConsumer> {
  const { orm, nats, consumerName, subjectPrefix } = options;
  validateOptions(options);
  const handler = options.handler as EventHandler;
  const streamService = options.events[0]!.service;
  const eventTypes = options.events.map((e) => e.type);
  const maxDeliver = options.maxDeliver ?? 10;
  const nakDelayMs = options.nakDelayMs ?? 1000;
  const maxNakDelayMs = options.maxNakDelayMs ?? 60_000;
  // Below the ack wait, so `working()` before each wait keeps the held message ours.
  const maxOutageDelayMs = Math.min(
    options.maxOutageRetryDelayMs ?? 2_000,
    (options.ackWaitMs ?? 30_000) / 2,
  );
  const log = options.logger.child({ component: 'event-consumer', consumer: consumerName });
  const wanted = new Map<string, EventDefinition>(options.events.map((e) => [e.type, e]));
  const stream = streamName(subjectPrefix, streamService);

  const jsm = await jetstreamManager(nats);
  const streamSpec = {
    subjectPrefix,
    service: streamService,
    duplicateWindowMs: options.duplicateWindowMs,
  };
  if (options.managed) {
    await verifyStream(jsm, streamSpec);
    await verifyDeadLetterStream(jsm, subjectPrefix, options.service);
    await verifyDurable(jsm, stream, consumerName, {
      subjects: eventTypes.map((t) => eventSubject(subjectPrefix, t)),
    });
  } else {
    await ensureStream(jsm, streamSpec, { updateExisting: false });
    await ensureDeadLetterStream(jsm, subjectPrefix, options.service);
    await ensureDurable(jsm, stream, consumerName, {
      durable_name: consumerName,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(options.ackWaitMs ?? 30_000),
      // Unlimited: messages buffered behind one held through an outage are redelivered on ack
      // timeouts, and a server limit would drop them silently. The loop parks at `maxDeliver`.
      max_deliver: UNLIMITED_DELIVERIES,
      ...filterFor(nats, subjectPrefix, streamService, eventTypes),
    });
  }
  const messages: ConsumerMessages = await (
    await jetstream(nats).consumers.get(stream, consumerName)
  ).consume({ max_messages: PULL_BATCH });
  const counters: EventConsumerMetrics = {
    processed: 0,
    duplicates: 0,
    retries: 0,
    outageRetries: 0,
    parked: 0,
    parkFailures: 0,
  };
  const recorded = options.metrics && consumerInstruments(options.metrics, consumerName);
  const stopReportingLag = options.metrics
    ? reportConsumerLag(options.metrics, consumerName, stream, async () => {
        const info = await jsm.consumers.info(stream, consumerName);
        return { pending: info.num_pending, ackPending: info.num_ack_pending };
      })
    : () => undefined;
  let running = true;
  /** Ends the wait of an event held through an outage, so a stop does not wait it out. */
  let wakeHeld: (() => void) | undefined;
  /**
   * Parks the message in the service's dead-letter stream, and terminates it only once the
   * parking is acknowledged; if the parking fails the message is nak'ed and comes back.
   */
  async function parkAndTerminate(
    msg: JsMsg,
    reason: DeadLetterReason,
    error: string,
    envelope?: EventEnvelope<Record<string, unknown>>,
  ): Promise<'parked' | 'retry'> {
    try {
      await park(nats, subjectPrefix, {
        service: options.service,
        consumer: consumerName,
        reason,
        error,
        attempts: msg.info.deliveryCount,
        original: { stream, sequence: msg.seq, subject: msg.subject },
        ...(envelope ? { event: { id: envelope.id, type: envelope.type } } : {}),
        body: msg.data,
      });
    } catch (e) {
      counters.parkFailures += 1;
      recorded?.parkFailures.inc();
      msg.nak(backoffDelay(msg.info.deliveryCount, nakDelayMs, maxNakDelayMs));
      log.error(
        { err: e, streamSequence: msg.seq, eventId: envelope?.id, reason },
        'event could not be parked in the dead-letter stream; it will be redelivered',
      );
      return 'retry';
    }
    // No reason text: servers before 2.10.4 ignore a `+TERM` that carries one (the message would
    // stay pending and come back); the reason is in the dead-letter stream.
    msg.term();
    counters.parked += 1;
    recorded?.parked.inc({ reason });
    log.error(
      {
        streamSequence: msg.seq,
        eventId: envelope?.id,
        type: envelope?.type,
        reason,
        // The whole message is in the dead-letter stream; a log line stays readable.
        error: error.slice(0, 500),
        attempts: msg.info.deliveryCount,
      },
      'event parked in the dead-letter stream',
    );
    return 'parked';
  }

  const applyOnce = (
    definition: EventDefinition,
    envelope: EventEnvelope<Record<string, unknown>>,
    meta: EventMeta,
  ) => applyEventOnce(orm, consumerName, handler, definition, envelope, meta);

  /**
   * `applyOnce`, held through outages: while the failure is transient the message stays with this
   * consumer (`working()` keeps it from being redelivered elsewhere) and is retried in place with
   * capped, jittered back-off — the consumer pauses instead of burning deliveries, for as long as
   * the outage lasts. Any other failure is thrown to the delivery's own handling.
   */
  async function applyThroughOutages(
    msg: JsMsg,
    definition: EventDefinition,
    envelope: EventEnvelope<Record<string, unknown>>,
    meta: EventMeta,
  ): Promise<boolean | 'stopped'> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await applyOnce(definition, envelope, meta);
      } catch (e) {
        if (!isTransient(e)) throw e;
        if (!running) return 'stopped';
        counters.outageRetries += 1;
        recorded?.outageRetries.inc();
        const delay = backoffDelay(attempt, 250, maxOutageDelayMs) * (0.5 + Math.random() / 2);
        // The first attempt and then about once a minute: an outage is one story, not a flood.
        if (attempt === 1 || attempt % 30 === 0)
          log.warn(
            { err: e, eventId: envelope.id, attempt, retryInMs: Math.round(delay) },
            'a dependency is unavailable; holding the event and retrying in place',
          );
        msg.working();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wakeHeld = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeHeld = undefined;
        if (!running) return 'stopped';
      }
    }
  }

  /** A message this consumer applies: well formed, of a wanted type and version. */
  interface Applicable extends EventToApply {
    msg: JsMsg;
  }

  /** A message's CONSUMER span, continuing its producer's trace, and the context it is active in. */
  interface Traced {
    span: Span;
    context: Context;
  }

  const work = { kind: 'event_consumer', name: consumerName } as const;

  /**
   * What a message is: an event to apply, or how it is settled instead — parked when malformed,
   * acknowledged unhandled when of a type or version this consumer does not read.
   */
  function read(msg: JsMsg): Applicable | (() => Promise<Outcome>) {
    const parsed = parseEnvelope(jsonOrUndefined(msg));
    const problem = parsed.ok
      ? msg.subject === eventSubject(subjectPrefix, parsed.envelope.type)
        ? undefined
        : `type "${parsed.envelope.type}" does not match subject ${msg.subject}`
      : parsed.problem;
    if (!parsed.ok || problem)
      return () => parkAndTerminate(msg, 'malformed', `malformed event: ${problem}`);
    const envelope = parsed.envelope;
    const definition = wanted.get(envelope.type);
    if (!definition) {
      // Only when the server cannot filter on several subjects (see filterFor).
      return async () => {
        msg.ack();
        return undefined;
      };
    }
    if (envelope.dataversion !== String(definition.version)) {
      // Another version, published next to the one this consumer declares (a breaking change).
      return async () => {
        msg.ack();
        log.warn(
          { eventId: envelope.id, type: envelope.type, dataversion: envelope.dataversion },
          `event of version ${envelope.dataversion} skipped: this consumer reads version ${definition.version}`,
        );
        return undefined;
      };
    }
    const meta: EventMeta = {
      consumer: consumerName,
      subject: msg.subject,
      deliveryCount: msg.info.deliveryCount,
      streamSequence: msg.seq,
    };
    return { msg, definition, envelope, meta };
  }

  function consumerSpan({ msg, envelope, meta }: Applicable): Traced {
    const parent = contextFromMessage(msg.headers);
    const span = eventsTracer.startSpan(
      `${msg.subject} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'process',
          'messaging.destination.name': msg.subject,
          'messaging.consumer.group.name': consumerName,
          'messaging.message.id': envelope.id,
          'messaging.message.delivery_count': meta.deliveryCount,
        },
      },
      parent,
    );
    return { span, context: trace.setSpan(parent, span) };
  }

  /** Handles one message on its own; `traced` when its span was started for a batch. */
  async function handle(msg: JsMsg, got: ReturnType<typeof read>, traced?: Traced): Promise<void> {
    const startMs = performance.now();
    if (msg.info.deliveryCount > 1) recorded?.redeliveries.inc();
    const outcome =
      typeof got === 'function' ? await got() : await applyAlone(got, traced ?? consumerSpan(got));
    if (outcome) recorded?.handleDuration.observe({ outcome }, secondsSince(startMs));
  }

  type Outcome = 'processed' | 'duplicate' | 'retry' | 'parked' | undefined;

  /** Counts an applied (or already applied) event and acknowledges it. */
  function settleApplied(
    { msg, envelope }: Applicable,
    applied: boolean,
  ): 'processed' | 'duplicate' {
    if (applied) {
      counters.processed += 1;
      recorded?.processed.inc();
    } else {
      counters.duplicates += 1;
      recorded?.duplicates.inc();
      log.debug({ eventId: envelope.id }, 'event already processed; skipped');
    }
    msg.ack();
    return applied ? 'processed' : 'duplicate';
  }

  /** One event in a transaction of its own, held through outages, nak'ed or parked on failure. */
  function applyAlone(event: Applicable, { span, context: active }: Traced): Promise<Outcome> {
    const { msg, definition, envelope, meta } = event;
    return context.with(active, async (): Promise<Outcome> => {
      try {
        const applied = await runAsWork(work, () =>
          applyThroughOutages(msg, definition, envelope, meta),
        );
        if (applied === 'stopped') {
          // Stopping in an outage: handed back for a later delivery (this one is not its fault).
          msg.nak();
          return 'retry';
        }
        return settleApplied(event, applied);
      } catch (e) {
        span.recordException(e as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(e) });
        const logged = {
          err: e,
          eventId: envelope.id,
          type: envelope.type,
          deliveryCount: meta.deliveryCount,
        };
        // Data breaking the producer's contract: no redelivery can make it valid.
        if (isInvalidEvent(e))
          return await parkAndTerminate(msg, 'invalid', errorMessage(e), envelope);
        if (meta.deliveryCount >= maxDeliver)
          return await parkAndTerminate(msg, 'poison', errorMessage(e), envelope);
        counters.retries += 1;
        recorded?.retries.inc();
        msg.nak(backoffDelay(meta.deliveryCount, nakDelayMs, maxNakDelayMs));
        log.warn(logged, 'event handler failed; will be redelivered');
        return 'retry';
      } finally {
        span.end();
      }
    });
  }

  /**
   * Events already received, applied in one transaction (`applyEventsOnce`) and then acknowledged
   * each. Each keeps its CONSUMER span and its handler runs in it; the opening and the COMMIT they
   * share run in the first one's. If anything fails the transaction rolls back and each event is
   * handled alone, in the same span, as if no batch had been tried: retries, parking and holding
   * through an outage stay per event.
   */
  async function applyBatch(events: Applicable[]): Promise<void> {
    const startMs = performance.now();
    const traced = events.map(consumerSpan);
    const spanContexts = new Map(events.map((e, i) => [e.msg.seq, traced[i]!.context]));
    const inOwnSpan: EventHandler = (em, event, meta) =>
      context.with(spanContexts.get(meta.streamSequence)!, () => handler(em, event, meta));
    let applied: boolean[];
    try {
      applied = await context.with(traced[0]!.context, () =>
        runAsWork(work, () => applyEventsOnce(orm, consumerName, inOwnSpan, events)),
      );
    } catch (e) {
      log.debug({ err: e, events: events.length }, 'a batch failed; applying its events alone');
      for (const [i, event] of events.entries())
        await guarded(event.msg, () => handle(event.msg, event, traced[i]));
      return;
    }
    for (const [i, event] of events.entries())
      await guarded(event.msg, async () => {
        try {
          const outcome = settleApplied(event, applied[i]!);
          recorded?.handleDuration.observe({ outcome }, secondsSince(startMs));
        } finally {
          traced[i]!.span.end();
        }
      });
  }

  /** Runs what settles a message; a failure is logged, and the message comes back by itself. */
  async function guarded(msg: JsMsg, settle: () => Promise<void>): Promise<void> {
    try {
      await settle();
    } catch (e) {
      // Every path settles its messages itself; this only guards the loop (e.g. an ack on a closed connection).
      log.error(
        { err: e, subject: msg.subject },
        'event consumer could not settle a message; it will be redelivered',
      );
    }
  }

  /**
   * The messages received together, in stream order. Consecutive first deliveries of events to
   * apply go in one transaction; any other message goes alone and ends such a run — a redelivery
   * has failed before and would likely roll its neighbours back again.
   */
  async function handleReceived(batch: JsMsg[]): Promise<void> {
    let run: Applicable[] = [];
    const applyRun = async () => {
      const [only] = run;
      if (run.length > 1) await applyBatch(run);
      else if (only) await guarded(only.msg, () => handle(only.msg, only));
      run = [];
    };
    for (const msg of batch) {
      const got = read(msg);
      if (typeof got !== 'function' && msg.info.deliveryCount === 1) {
        run.push(got);
        continue;
      }
      await applyRun();
      await guarded(msg, () => handle(msg, got));
    }
    await applyRun();
  }

  const loop = (async () => {
    try {
      for await (const batch of inBatches(messages, PULL_BATCH)) {
        await handleReceived(batch);
        if (!running) break;
      }
    } catch (e) {
      log.error({ err: e }, 'event consumer stopped unexpectedly');
    } finally {
      running = false;
    }
  })();

  return {
    isReady: () => running && !nats.isClosed(),
    metrics: () => ({ ...counters }),
    async stop() {
      running = false;
      wakeHeld?.();
      stopReportingLag();
      await messages.close();
      await loop;
    },
  };
}

function validateOptions(o: ConsumerOptions<EventDefinition>): void {
  const bad = (message: string, field: string) =>
    new AppError('INVALID_ARGUMENT', message, { reason: 'INVALID_CONSUMER', field });
  if (!CONSUMER_NAME.test(o.consumerName))
    throw bad(`Consumer name "${o.consumerName}" must be 1-64 of [A-Za-z0-9_-]`, 'consumerName');
  if (!isNatsToken(o.service))
    throw bad(`Service "${o.service}" must be a lower-case NATS token`, 'service');
  if (!isNatsToken(o.subjectPrefix))
    throw bad(
      `Subject prefix "${o.subjectPrefix}" must be a lower-case NATS token`,
      'subjectPrefix',
    );
  const [first] = o.events;
  if (!first) throw bad('At least one event is required', 'events');
  // One durable reads one stream: the producing service's.
  const others = o.events.filter((e) => e.service !== first.service).map((e) => e.type);
  if (others.length)
    throw bad(`Events ${others.join(', ')} are not from the ${first.service} stream`, 'events');
  if (new Set(o.events.map((e) => e.type)).size !== o.events.length)
    throw bad('Each event type can be subscribed once per consumer', 'events');
  if (o.maxDeliver !== undefined && (!Number.isInteger(o.maxDeliver) || o.maxDeliver < 1))
    throw bad('maxDeliver must be a positive integer', 'maxDeliver');
}

const jsonOrUndefined = (msg: JsMsg): unknown => {
  try {
    return msg.json();
  } catch {
    return undefined;
  }
};

/**
 * Several filter subjects need nats-server 2.10; on older servers the consumer reads the whole
 * stream and skips unwanted types itself (they are acknowledged without running the handler).
 */
function filterFor(
  nats: NatsConnection,
  prefix: string,
  service: string,
  types: string[],
): Pick<ConsumerConfig, 'filter_subject' | 'filter_subjects'> {
  const subjects = types.map((t) => eventSubject(prefix, t));
  if (subjects.length === 1) return { filter_subject: subjects[0], filter_subjects: undefined };
  const [major = 0, minor = 0] = (nats.info?.version ?? '0.0').split('.').map(Number);
  if (major > 2 || (major === 2 && minor >= 10))
    return { filter_subject: undefined, filter_subjects: subjects };
  return { filter_subject: streamSubjects(prefix, service), filter_subjects: undefined };
}

/** Creates the durable, or brings an existing one's settings up to date. */
async function ensureDurable(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  config: Partial<ConsumerConfig>,
): Promise<void> {
  try {
    await jsm.consumers.info(stream, durable);
  } catch (e) {
    if (e instanceof JetStreamApiError && e.code === JetStreamApiCodes.ConsumerNotFound) {
      await jsm.consumers.add(stream, config);
      return;
    }
    throw e;
  }
  const { ack_wait, max_deliver, filter_subject, filter_subjects } = config;
  try {
    await jsm.consumers.update(stream, durable, {
      ack_wait,
      max_deliver,
      filter_subject,
      filter_subjects,
    });
  } catch (e) {
    throw new AppError(
      'FAILED_PRECONDITION',
      `Durable consumer ${durable} on ${stream} cannot be updated (${errorMessage(e)}); delete it or use a new name`,
      {
        reason: 'CONSUMER_CONFIG_CONFLICT',
        cause: e,
      },
    );
  }
}

/** The consumer's counters and histogram, bound to its durable's name; created at start so dashboards see them at zero. */
function consumerInstruments(metrics: Metrics, consumer: string) {
  const labels = { messaging_consumer_group_name: consumer };
  const parked = instruments.consumerParked(metrics);
  const handleDuration = instruments.consumerHandleDuration(metrics);
  return {
    processed: instruments.consumerProcessed(metrics).labels(labels),
    duplicates: instruments.consumerDuplicates(metrics).labels(labels),
    redeliveries: instruments.consumerRedeliveries(metrics).labels(labels),
    retries: instruments.consumerRetries(metrics).labels(labels),
    outageRetries: instruments.consumerOutageRetries(metrics).labels(labels),
    parkFailures: instruments.consumerParkFailures(metrics).labels(labels),
    parked: {
      inc: ({ reason }: { reason: string }) => parked.inc({ ...labels, reason }),
    },
    handleDuration: {
      observe: ({ outcome }: { outcome: string }, seconds: number) =>
        handleDuration.observe({ ...labels, outcome }, seconds),
    },
  };
}
