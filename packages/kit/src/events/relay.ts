import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import type { Orm } from '../db';
import type { Logger } from '../logger';
import { isUuid } from '../ids';
import { CLOUDEVENTS_CONTENT_TYPE } from '@aftercare/events';
import { eventPublished } from '../observability/business';
import * as instruments from '../observability/instruments';
import { secondsSince, type Metrics } from '../observability/registry';
import { timeTransaction } from '../observability/transactions';
import { runAsWork } from '../observability/work-scope';
import { toCloudEvent } from './envelope';
import type { Outbox } from './outbox';
import { backoffDelay, errorMessage } from './retry';
import { verifyStream } from './managed';
import { ensureStream } from './stream';
import { captureTraceHeaders, contextFromRecord, eventsTracer } from './tracing';

export interface OutboxRelayOptions {
  orm: Orm;
  nats: NatsConnection;
  /** The service's outbox: gives service name and subject prefix, and kicks the relay after commits. */
  outbox: Pick<Outbox, 'service' | 'subjectPrefix' | 'schemaBaseUrl' | 'onKick'>;
  logger: Logger;
  /** How often to look for rows nobody kicked about (other replicas' writes, retries). Default 1000. */
  pollIntervalMs?: number;
  /** Rows claimed per transaction. Default 100. */
  batchSize?: number;
  /** Wait for a JetStream publish ack. Default 5000. */
  publishTimeoutMs?: number;
  /**
   * Cap of the back-off after failures (it starts at `pollIntervalMs` and doubles): also how soon
   * publishing resumes after the database returns. NATS returning ends a back-off at once. Default 2000.
   */
  maxBackoffMs?: number;
  /** Stream de-duplication window; must exceed the longest gap between a lost ack and its retry. */
  duplicateWindowMs?: number;
  /** Published rows older than this are deleted. Default 7 days. */
  retainPublishedMs?: number;
  /** The operator owns the stream (`EVENT_STREAMS_MANAGED`): check it, never create or update it. */
  streamManaged?: boolean;
  /** Published and failed counts, publish latency, and the backlog read at each scrape. */
  metrics?: Metrics;
}

export interface OutboxRelayMetrics {
  /** Events acknowledged by JetStream (including ones it reported as duplicates). */
  published: number;
  /** Failed publish attempts and failed rounds (NATS or database unavailable). */
  failures: number;
  ready: boolean;
}

export interface OutboxRelay {
  /** Stream ensured and the last round succeeded; false while NATS (or the database) is unreachable. */
  isReady(): boolean;
  metrics(): OutboxRelayMetrics;
  /**
   * Graceful shutdown: finishes the current batch, then keeps publishing committed rows until the
   * outbox is empty, a publish fails, or `timeoutMs` (default 10 s) has passed. A publish already
   * in flight at the deadline may add up to `publishTimeoutMs`.
   */
  stop(timeoutMs?: number): Promise<void>;
}

interface ClaimedRow {
  id: string;
  subject: string;
  /** A CloudEvent, or the legacy envelope of a row written before ADR 0018. */
  payload: unknown;
  headers: Record<string, string>;
}

type RoundOutcome = 'idle' | 'more' | 'failed';

interface BatchResult {
  published: number;
  claimed: number;
  error?: unknown;
}

// Advisory locks are per database, and each service has its own database.
const RELAY_LOCK = 'aftercare:outbox-relay';
/**
 * The relay's COMMIT does not wait for its WAL to reach the disk (ADR 0038): a mark lost in a
 * crash of PostgreSQL only publishes its rows again, which the stream's de-duplication drops and,
 * past its window, the consumers' inboxes do (delivery is at least once). A durable commit cost
 * about 0.9 ms of CPU on the development machine; the services' own writes still pay it.
 */
const ASYNC_COMMIT = 'set local synchronous_commit = off; commit';
const PURGE_INTERVAL_MS = 60 * 60_000;

/** The mark of published rows, their ids written into the text (see relayBatch). */
function markPublishedSql(rows: readonly ClaimedRow[]): string {
  const ids = rows.map(({ id }) => {
    if (!isUuid(id)) throw new Error(`outbox row id ${JSON.stringify(id)} is not a UUID`);
    return id;
  });
  return `update outbox set published_at = now(), attempts = attempts + 1, last_error = null where id = any('{${ids.join(',')}}'::uuid[])`;
}

/**
 * Relays committed outbox rows to the service's JetStream stream, in id (creation) order, each
 * with `Nats-Msg-Id` = row id, marking rows published on the ack. Survives NATS outages: a failed
 * publish leaves its row (attempts + 1, last_error) and the relay backs off, then catches up.
 *
 * Replicas: every round takes a transaction-scoped advisory lock, so one relay publishes at a
 * time and an aggregate's events can never be interleaved by two replicas publishing disjoint
 * batches; rows are still claimed `FOR UPDATE SKIP LOCKED` so a row held by any other
 * transaction is never waited for or published twice. A row published but not marked (crash or
 * lost commit after the ack) is published again and dropped by the stream's de-duplication.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { orm, nats, outbox, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const batchSize = options.batchSize ?? 100;
  const publishTimeoutMs = options.publishTimeoutMs ?? 5000;
  const maxBackoffMs = options.maxBackoffMs ?? 2_000;
  const retainPublishedMs = options.retainPublishedMs ?? 7 * 24 * 60 * 60_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new Error(`outbox relay batchSize must be a positive integer, not ${batchSize}`);
  // The lock is an InitPlan, taken once before the scan; without it the claim returns no rows.
  const claimSql = `select id, subject, payload, headers from outbox
    where (select pg_try_advisory_xact_lock(hashtext('${RELAY_LOCK}'))) and published_at is null
    order by id limit ${batchSize} for update skip locked`;
  const log = logger.child({ component: 'outbox-relay' });
  const js = jetstream(nats, { timeout: publishTimeoutMs });
  // Plain SQL through knex: the relay needs no unit of work, and MikroORM's costs a round as much as the SQL.
  const knex = orm.em.getConnection().getKnex();
  // MikroORM's subscriber times its own transactions only; this one is timed here, labelled alike.
  const timed = options.metrics
    ? timeTransaction(options.metrics)
    : <T>(run: () => Promise<T>) => run();

  let state: 'running' | 'draining' | 'stopped' = 'running';
  let drainDeadline = 0;
  let streamReady = false;
  let consecutiveFailures = 0;
  let lastPurge = 0;
  const counters = { published: 0, failures: 0 };
  const recorded = options.metrics && relayInstruments(options.metrics, orm);

  // Sleeping between rounds: a kick ends a poll wait (not a back-off), stop() ends either.
  let kickPending = false;
  let wakeSleeper: (() => void) | undefined;
  let sleeperWakesOnKick = false;
  const pause = (ms: number, wakeOnKick: boolean): Promise<void> => {
    if (wakeOnKick && kickPending) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      wakeSleeper = finish;
      sleeperWakesOnKick = wakeOnKick;
    });
  };
  const unsubscribe = outbox.onKick(() => {
    kickPending = true;
    if (sleeperWakesOnKick) wakeSleeper?.();
  });
  // NATS back: publish now rather than wait out the back-off (issue 17, fast catch-up).
  void (async () => {
    for await (const s of nats.status()) if (s.type === 'reconnect') wakeSleeper?.();
  })();

  async function publish(row: ClaimedRow): Promise<void> {
    const parent = contextFromRecord(row.headers);
    const span = eventsTracer.startSpan(
      `${row.subject} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'send',
          'messaging.destination.name': row.subject,
          'messaging.message.id': row.id,
        },
      },
      parent,
    );
    try {
      const h = natsHeaders();
      // Structured content mode: the body is the whole CloudEvent, the headers only say so and
      // carry the trace (rows from before ADR 0018 stored `ce-*` headers: they are not sent).
      // The consumer's span becomes a child of this PRODUCER span, in the trace of the original request.
      const outgoing = {
        'content-type': CLOUDEVENTS_CONTENT_TYPE,
        ...captureTraceHeaders(trace.setSpan(parent, span)),
      };
      for (const [key, value] of Object.entries(outgoing)) h.set(key, value);
      const startMs = performance.now();
      const body = toCloudEvent(row.payload, outbox.schemaBaseUrl);
      const ack = await js.publish(row.subject, JSON.stringify(body), {
        msgID: row.id,
        headers: h,
        timeout: publishTimeoutMs,
      });
      recorded?.publishDuration.observe(secondsSince(startMs));
      if (ack.duplicate)
        log.debug({ eventId: row.id }, 'event was already in the stream (duplicate dropped)');
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(e) });
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * One transaction in two round trips whatever the batch's size: BEGIN with the claim (the
   * advisory lock taken in the same statement), publish in order, stop at the first failure to
   * keep order, then the mark of what was published with an asynchronous COMMIT. Each pair goes
   * as one simple-protocol query, which cannot carry parameters: only our own constants and the
   * ids PostgreSQL itself returned (checked as UUIDs) are written into the text. A failed row's
   * error, text from elsewhere, is recorded by a parameterised statement of its own on that rare
   * path.
   */
  async function relayBatch(): Promise<BatchResult> {
    return timed(async () => {
      const connection: unknown = await knex.client.acquireConnection();
      const send = async <R>(sql: string, bindings: readonly string[] = []) =>
        (await knex.raw(sql, bindings).connection(connection)) as R;
      let open = true;
      try {
        const [, claimed] = await send<[unknown, { rows: ClaimedRow[] }]>(`begin; ${claimSql}`);
        const rows = claimed.rows;
        let failure: { row: ClaimedRow; error: unknown } | undefined;
        const published: ClaimedRow[] = [];
        for (const row of rows) {
          try {
            await publish(row);
          } catch (error) {
            failure = { row, error };
            break;
          }
          published.push(row);
        }
        if (failure)
          await send('update outbox set attempts = attempts + 1, last_error = ? where id = ?', [
            errorMessage(failure.error).slice(0, 2000),
            failure.row.id,
          ]);
        await send(`${published.length ? markPublishedSql(published) + '; ' : ''}${ASYNC_COMMIT}`);
        open = false;
        if (options.metrics)
          for (const row of published) {
            // A stored CloudEvent and a row written before the upgrade both carry type and data.
            const { type, data } = row.payload as { type: string; data: unknown };
            eventPublished(options.metrics, type, data);
          }
        return { published: published.length, claimed: rows.length, error: failure?.error };
      } finally {
        // A failed round rolls back (rows stay unpublished, the lock goes); a connection that
        // cannot even roll back is broken, and the pool's validation drops it.
        if (open) await send('rollback').catch(() => undefined);
        await knex.client.releaseConnection(connection);
      }
    });
  }

  /** A poll nobody kicked: one statement when, as mostly, there is nothing to publish. */
  async function anyUnpublished(): Promise<boolean> {
    const { rows } = await knex.raw<{ rows: unknown[] }>(
      'select 1 from outbox where published_at is null limit 1',
    );
    return rows.length > 0;
  }

  async function purgePublished(): Promise<void> {
    if (Date.now() - lastPurge < PURGE_INTERVAL_MS) return;
    lastPurge = Date.now();
    await knex.raw(
      "delete from outbox where published_at < now() - (? * interval '1 millisecond')",
      [retainPublishedMs],
    );
  }

  /** `kicked`: a commit (or a full batch) says there are rows, so the round claims at once. */
  async function round(kicked: boolean): Promise<RoundOutcome> {
    kickPending = false;
    try {
      if (!streamReady) {
        const jsm = await jetstreamManager(nats, { timeout: publishTimeoutMs });
        const spec = {
          subjectPrefix: outbox.subjectPrefix,
          service: outbox.service,
          duplicateWindowMs: options.duplicateWindowMs,
        };
        if (options.streamManaged) await verifyStream(jsm, spec);
        else await ensureStream(jsm, spec, { updateExisting: true });
        streamReady = true;
        log.info({ service: outbox.service }, 'event stream ready');
      }
      const result = await runAsWork(
        { kind: 'outbox_relay', name: 'outbox_relay' },
        async (): Promise<BatchResult> =>
          kicked || (await anyUnpublished()) ? relayBatch() : { published: 0, claimed: 0 },
      );
      counters.published += result.published;
      recorded?.published.inc(result.published);
      if (result.error !== undefined) throw result.error;
      if (consecutiveFailures > 0)
        log.info({ afterFailures: consecutiveFailures }, 'outbox relay recovered');
      consecutiveFailures = 0;
      if (result.claimed === batchSize) return 'more';
      await runAsWork({ kind: 'outbox_relay', name: 'outbox_relay' }, purgePublished);
      return 'idle';
    } catch (e) {
      counters.failures += 1;
      recorded?.failures.inc();
      consecutiveFailures += 1;
      // The stream may have been deleted or the server replaced: check it again before the next publish.
      streamReady = false;
      log.warn({ err: e, consecutiveFailures }, 'outbox relay round failed; backing off');
      return 'failed';
    }
  }

  async function run(): Promise<void> {
    let outcome: RoundOutcome = 'idle';
    while (state !== 'stopped') {
      // A round that began before stop() may have missed rows committed since: drain needs a fresh one.
      const startedDraining = state === 'draining';
      outcome = await round(kickPending || outcome !== 'idle' || startedDraining);
      if (state === 'draining') {
        if ((startedDraining && outcome !== 'more') || Date.now() >= drainDeadline) break;
      } else if (outcome === 'failed') {
        await pause(backoffDelay(consecutiveFailures, pollIntervalMs, maxBackoffMs), false);
      } else if (outcome === 'idle') {
        await pause(pollIntervalMs, true);
      }
    }
    state = 'stopped';
  }

  const running = run();
  const isReady = () => state !== 'stopped' && streamReady && consecutiveFailures === 0;

  return {
    isReady,
    metrics: () => ({ ...counters, ready: isReady() }),
    async stop(timeoutMs = 10_000) {
      if (state === 'running') {
        state = 'draining';
        drainDeadline = Date.now() + timeoutMs;
        wakeSleeper?.();
      }
      await running;
      unsubscribe();
    },
  };
}

/**
 * The relay's instruments. The backlog (rows waiting, age of the oldest) is read at scrape time:
 * both come off the partial index of unpublished rows, so the query costs as little as the backlog
 * is small, and the numbers are right even while the relay itself is stuck.
 */
function relayInstruments(metrics: Metrics, orm: Orm) {
  let backlog: Promise<{ waiting: number; age: number }> | undefined;
  // One query per scrape serves both gauges.
  const readBacklog = () =>
    (backlog ??= orm.em
      .fork()
      .execute<{ waiting: string; age: string | null }[]>(
        `select (select count(*) from outbox where published_at is null) as waiting,
                (select extract(epoch from now() - created_at) from outbox
                  where published_at is null order by id limit 1) as age`,
      )
      .then(([row]) => ({ waiting: Number(row?.waiting ?? 0), age: Number(row?.age ?? 0) }))
      .finally(() => {
        backlog = undefined;
      }));
  // A scrape while the database is away keeps the last values rather than failing /metrics.
  let last = { waiting: 0, age: 0 };
  const read = async () => {
    last = await readBacklog().catch(() => last);
    return last;
  };
  instruments.outboxBacklog(metrics, async () => (await read()).waiting);
  instruments.outboxOldestAge(metrics, async () => (await read()).age);
  return {
    published: instruments.outboxPublished(metrics),
    failures: instruments.outboxFailures(metrics),
    publishDuration: instruments.outboxPublishDuration(metrics),
  };
}
