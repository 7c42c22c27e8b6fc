import { jetstreamManager } from '@nats-io/jetstream';
import type {
  Msg,
  NatsConnection,
  Subscription as NatsSubscription,
} from '@nats-io/transport-node';
import { EVENT_TYPE, NATS_TOKEN, type EventDefinition } from '@aftercare/events';
import { z } from 'zod';
import type { Orm } from '../db';
import { AppError, type ErrorCode } from '../errors';
import type { Logger } from '../logger';
import * as instruments from '../observability/instruments';
import type { Metrics } from '../observability/registry';
import { applyEventOnce, isInvalidEvent, isTransient, type EventHandler } from './consumer';
import {
  deadLetterServices,
  deadLetterStreamName,
  park,
  parkedCount,
  readParked,
  unpark,
  type DeadLetterReason,
  type ParkedEvent,
} from './dead-letter';
import { eventSubject, parseEnvelope } from './envelope';
import { errorMessage } from './retry';

/**
 * Listing and replaying parked events (ADR 0025). Anyone on the NATS account can list a service's
 * dead-letter stream; a replay runs the owning consumer's handler, so it is asked of the owning
 * service: each service answers requests on `<prefix>.admin.deadletters.<service>.replay` in a
 * queue group (one replica answers). The CLI and the graph are clients of both.
 */
export const deadLetterReplaySubject = (subjectPrefix: string, service: string): string =>
  `${subjectPrefix}.admin.deadletters.${service}.replay`;

const instant = z.iso.datetime({ offset: true });
const filterSchema = z
  .object({
    service: z.string().regex(NATS_TOKEN, 'must be a service name').optional(),
    consumer: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a durable consumer name')
      .optional(),
    eventType: z.string().regex(EVENT_TYPE, 'must be "<service>.<event>"').optional(),
    eventId: z.uuid('must be an event id (UUID)').optional(),
    parkedFrom: instant.optional(),
    parkedTo: instant.optional(),
  })
  .strict()
  .refine(
    (f) => !f.parkedFrom || !f.parkedTo || Date.parse(f.parkedFrom) <= Date.parse(f.parkedTo),
    {
      message: 'must not be before parkedFrom',
      path: ['parkedTo'],
    },
  );

/** Which parked events: every criterion given must hold; none given means all of them. */
export type DeadLetterFilter = z.output<typeof filterSchema>;

const badFilter = (message: string, field?: string) =>
  new AppError('INVALID_ARGUMENT', message, { reason: 'INVALID_DEAD_LETTER_FILTER', field });

/** A filter from a caller (graph, CLI, request): refused with INVALID_DEAD_LETTER_FILTER naming the field. */
export function parseDeadLetterFilter(raw: unknown): DeadLetterFilter {
  const cleaned =
    typeof raw === 'object' && raw !== null
      ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== null))
      : raw;
  const parsed = filterSchema.safeParse(cleaned ?? {});
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const field = issue?.path.join('.') || undefined;
  throw badFilter(
    `Dead-letter filter: ${field ?? 'filter'} ${issue?.message ?? 'is invalid'}`,
    field,
  );
}

/** A replay of everything must say so: an empty filter alone is refused, so nothing is replayed by accident. */
function requireSelection(filter: DeadLetterFilter, all: boolean): void {
  if (!all && Object.keys(filter).length === 0)
    throw badFilter(
      'Name what to replay (an event id or a filter), or replay all explicitly',
      'all',
    );
}

export const matchesFilter = (p: ParkedEvent, f: DeadLetterFilter): boolean =>
  (!f.service || p.service === f.service) &&
  (!f.consumer || p.consumer === f.consumer) &&
  (!f.eventType || p.eventType === f.eventType) &&
  (!f.eventId || p.eventId === f.eventId) &&
  (!f.parkedFrom || Date.parse(p.parkedAt) >= Date.parse(f.parkedFrom)) &&
  (!f.parkedTo || Date.parse(p.parkedAt) <= Date.parse(f.parkedTo));

/**
 * What became of one replayed event: `applied` and `already_applied` (the inbox had it) leave the
 * dead-letter stream; `failed` stays parked with one more attempt; `unavailable` (a dependency is
 * down) stays as it was.
 */
export type ReplayOutcome = 'applied' | 'already_applied' | 'failed' | 'unavailable';

export interface ReplayResult {
  service: string;
  consumer: string;
  eventId: string | null;
  eventType: string | null;
  outcome: ReplayOutcome;
  /** Attempts so far (raised by a failed replay). */
  attempts: number;
  error: string | null;
}

/** A durable consumer a replay can run: the service's own subscription. */
export interface ReplayableConsumer {
  consumerName: string;
  events: readonly EventDefinition[];
  handler: EventHandler;
}

export interface DeadLetterResponderOptions {
  nats: NatsConnection;
  orm: Orm;
  logger: Logger;
  metrics?: Metrics;
  subjectPrefix: string;
  service: string;
  consumers: readonly ReplayableConsumer[];
}

interface ReplayRequest {
  filter?: unknown;
  all?: boolean;
}

type ReplayReply =
  | { results: ReplayResult[] }
  | { error: { code: ErrorCode; reason: string; message: string; field?: string } };

/** A replay failed again: which kind of failure it is now. */
class ReplayFailure extends Error {
  constructor(
    readonly reason: DeadLetterReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Answers the service's replay requests, one at a time per replica, and reports the number of
 * parked events at scrape time. Stopping drains the subscription and waits for a replay in hand.
 */
export function serveDeadLetterReplay(options: DeadLetterResponderOptions): {
  stop(): Promise<void>;
} {
  const { nats, orm, subjectPrefix, service } = options;
  const log = options.logger.child({ component: 'dead-letter-replay' });
  const consumers = new Map(options.consumers.map((c) => [c.consumerName, c]));
  const replayed = options.metrics && instruments.deadLettersReplayed(options.metrics);
  if (options.metrics) reportParked(options.metrics, nats, subjectPrefix, service);

  function envelopeFor(p: ParkedEvent, target: ReplayableConsumer) {
    let body: unknown;
    try {
      body = JSON.parse(p.body);
    } catch {
      body = undefined;
    }
    const parsed = parseEnvelope(body);
    if (!parsed.ok) throw new ReplayFailure('malformed', `malformed event: ${parsed.problem}`);
    const { envelope } = parsed;
    if (eventSubject(subjectPrefix, envelope.type) !== p.original.subject && p.original.subject)
      throw new ReplayFailure(
        'malformed',
        `type "${envelope.type}" does not match subject ${p.original.subject}`,
      );
    const definition = target.events.find(
      (e) => e.type === envelope.type && String(e.version) === envelope.dataversion,
    );
    if (!definition)
      throw new ReplayFailure(
        'invalid',
        `${target.consumerName} does not read ${envelope.type} version ${envelope.dataversion}`,
      );
    return { envelope, definition };
  }

  async function replayOne(p: ParkedEvent): Promise<ReplayResult> {
    const result = (
      outcome: ReplayOutcome,
      attempts: number,
      error: string | null = null,
    ): ReplayResult => {
      replayed?.inc({ messaging_consumer_group_name: p.consumer, outcome });
      return {
        service,
        consumer: p.consumer,
        eventId: p.eventId,
        eventType: p.eventType,
        outcome,
        attempts,
        error,
      };
    };
    const target = consumers.get(p.consumer);
    if (!target)
      return result('failed', p.attempts, `the ${service} service has no consumer ${p.consumer}`);
    let applied: boolean;
    try {
      const { envelope, definition } = envelopeFor(p, target);
      applied = await applyEventOnce(
        orm,
        target.consumerName,
        target.handler,
        definition,
        envelope,
        {
          consumer: target.consumerName,
          subject: p.original.subject,
          deliveryCount: p.attempts + 1,
          streamSequence: p.original.sequence,
        },
      );
    } catch (e) {
      return failedAgain(p, e, result);
    }
    // Outside the try: a failure to remove it is no failure of the event (the request fails, and
    // a later replay finds it applied).
    await unpark(nats, subjectPrefix, p);
    log.info({ eventId: p.eventId, consumer: p.consumer, applied }, 'parked event replayed');
    return result(applied ? 'applied' : 'already_applied', p.attempts);
  }

  /** Parked again with the raised count first; only then is the old copy removed. */
  async function failedAgain(
    p: ParkedEvent,
    e: unknown,
    result: (outcome: ReplayOutcome, attempts: number, error?: string | null) => ReplayResult,
  ): Promise<ReplayResult> {
    if (isTransient(e)) return result('unavailable', p.attempts, errorMessage(e));
    const reason = e instanceof ReplayFailure ? e.reason : isInvalidEvent(e) ? 'invalid' : 'poison';
    const attempts = p.attempts + 1;
    try {
      await park(nats, subjectPrefix, {
        service,
        consumer: p.consumer,
        reason,
        error: errorMessage(e),
        attempts,
        original: p.original,
        ...(p.eventId && p.eventType ? { event: { id: p.eventId, type: p.eventType } } : {}),
        body: new TextEncoder().encode(p.body),
      });
    } catch (parkError) {
      return result('unavailable', p.attempts, errorMessage(parkError));
    }
    await unpark(nats, subjectPrefix, p);
    log.warn(
      { err: e, eventId: p.eventId, consumer: p.consumer, attempts },
      'replayed event failed again; still parked',
    );
    return result('failed', attempts, errorMessage(e));
  }

  async function answer(msg: Msg): Promise<ReplayReply> {
    try {
      const request = (msg.data.length ? msg.json() : {}) as ReplayRequest;
      const filter = parseDeadLetterFilter(request.filter);
      requireSelection(filter, request.all === true);
      if (filter.service && filter.service !== service)
        throw badFilter(`This is the ${service} service, not ${filter.service}`, 'service');
      if (filter.consumer && !consumers.has(filter.consumer))
        throw badFilter(`The ${service} service has no consumer ${filter.consumer}`, 'consumer');
      const parked = (await readParked(nats, subjectPrefix, service, filter.consumer)).filter((p) =>
        matchesFilter(p, filter),
      );
      const results: ReplayResult[] = [];
      for (const p of parked) results.push(await replayOne(p));
      return { results };
    } catch (e) {
      if (e instanceof AppError)
        return { error: { code: e.code, reason: e.reason, message: e.message, field: e.field } };
      log.error({ err: e }, 'dead-letter replay failed');
      return { error: { code: 'UNAVAILABLE', reason: 'UNAVAILABLE', message: errorMessage(e) } };
    }
  }

  let inHand: Promise<unknown> = Promise.resolve();
  const subscription: NatsSubscription = nats.subscribe(
    deadLetterReplaySubject(subjectPrefix, service),
    {
      queue: `${service}-dead-letter-replay`,
      callback: (err, msg) => {
        if (err) return;
        inHand = inHand
          .then(async () => msg.respond(JSON.stringify(await answer(msg))))
          // A reply lost with the connection must not stop the requests that follow.
          .catch((e: unknown) => log.error({ err: e }, 'could not answer a replay request'));
      },
    },
  );
  return {
    async stop() {
      if (!subscription.isClosed()) await subscription.drain().catch(() => undefined);
      await inHand;
    },
  };
}

/** `event_dead_letter_parked_messages`: the service's parked events, read at scrape time (cached 5 s). */
function reportParked(
  metrics: Metrics,
  nats: NatsConnection,
  subjectPrefix: string,
  service: string,
) {
  let cached: { at: number; count: Promise<number> } | undefined;
  const stream = deadLetterStreamName(subjectPrefix, service);
  metrics.gauge({
    name: 'event_dead_letter_parked_messages',
    help: "Events parked in the service's dead-letter stream, waiting for a replay (JetStream stream info, read at most every 5 s)",
    labelNames: ['messaging_destination_name'],
    async collect() {
      if (!cached || performance.now() - cached.at > 5_000) {
        const count = jetstreamManager(nats).then((jsm) =>
          parkedCount(jsm, subjectPrefix, service),
        );
        cached = { at: performance.now(), count };
        count.catch(() => {
          cached = undefined;
        });
      }
      const count = await cached.count.catch(() => undefined);
      this.reset();
      if (count !== undefined) this.set({ messaging_destination_name: stream }, count);
    },
  });
}

export interface ReplayReport {
  results: ReplayResult[];
  /** Services with matching parked events that did not answer (not running, or too slow): nothing of theirs was replayed. */
  unreachable: string[];
}

export interface DeadLetterAdmin {
  /** Parked events matching the filter, oldest first, at most `limit`. */
  list(filter: unknown, limit?: number): Promise<ParkedEvent[]>;
  /** Replays the matching parked events, each in its owning service; `all` is required for an empty filter. */
  replay(filter: unknown, options?: { all?: boolean; timeoutMs?: number }): Promise<ReplayReport>;
}

/** The operators' side: the CLI (`npm run deadletters`) and the admin-only graph fields use this. */
export function deadLetterAdmin(nats: NatsConnection, subjectPrefix: string): DeadLetterAdmin {
  async function servicesFor(filter: DeadLetterFilter): Promise<string[]> {
    const services = await deadLetterServices(nats, subjectPrefix);
    if (!filter.service) return services;
    if (!services.includes(filter.service))
      throw badFilter(
        `No service named ${filter.service} has a dead-letter stream (known: ${services.join(', ') || 'none'})`,
        'service',
      );
    return [filter.service];
  }

  async function matching(filter: DeadLetterFilter, service: string) {
    return (await readParked(nats, subjectPrefix, service, filter.consumer)).filter((p) =>
      matchesFilter(p, filter),
    );
  }

  return {
    async list(raw, limit = 1000) {
      const filter = parseDeadLetterFilter(raw);
      const parked: ParkedEvent[] = [];
      for (const service of await servicesFor(filter))
        parked.push(...(await matching(filter, service)));
      return parked
        .sort((a, b) => a.parkedAt.localeCompare(b.parkedAt) || a.sequence - b.sequence)
        .slice(0, limit);
    },
    async replay(raw, { all = false, timeoutMs = 60_000 } = {}) {
      const filter = parseDeadLetterFilter(raw);
      requireSelection(filter, all);
      const report: ReplayReport = { results: [], unreachable: [] };
      for (const service of await servicesFor(filter)) {
        if ((await matching(filter, service)).length === 0) continue;
        let reply: ReplayReply;
        try {
          const answer = await nats.request(
            deadLetterReplaySubject(subjectPrefix, service),
            JSON.stringify({ filter, all }),
            { timeout: timeoutMs },
          );
          reply = answer.json<ReplayReply>();
        } catch {
          report.unreachable.push(service);
          continue;
        }
        if ('error' in reply) {
          const { code, message, reason, field } = reply.error;
          throw new AppError(code, message, { reason, field });
        }
        report.results.push(...reply.results);
      }
      return report;
    },
  };
}
