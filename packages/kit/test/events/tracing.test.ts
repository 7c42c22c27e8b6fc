import { AsyncLocalStorage } from 'node:async_hooks';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Context,
  type ContextManager,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  createTestDatabase,
  TEST_NATS_URL,
  uniqueSubjectPrefix,
  type TestDatabase,
} from '@aftercare/testkit';
import type { Orm } from '../../src/db';
import { connectNats, startConsumer, startOutboxRelay } from '../../src/events';
import {
  addNote,
  deleteTestStreams,
  notesAdded,
  notesOutbox,
  openTestOrm,
  READER,
  silentLogger,
  unpublishedCount,
  waitFor,
} from './fixtures';

/** What the service's OTel SDK set-up provides: the active context follows async calls. */
class AsyncLocalContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active = (): Context => this.storage.getStore() ?? ROOT_CONTEXT;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

describe('trace context across the outbox (real PostgreSQL and NATS)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let db: TestDatabase;
  let orm: Orm;
  let nats: NatsConnection;
  const prefix = uniqueSubjectPrefix('tracing');

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalContextManager());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    db = await createTestDatabase('events_tracing');
    orm = await openTestOrm(db.url);
    nats = await connectNats({ url: TEST_NATS_URL, name: 'tracing-test', logger: silentLogger });
  });

  afterAll(async () => {
    await deleteTestStreams(nats, prefix);
    await nats?.close();
    await orm?.close();
    await db?.drop();
    await provider.shutdown();
  });

  it('R-EV-12 the consumer continues the trace of the request that added the event', async () => {
    const outbox = notesOutbox(prefix);
    const handledIn: string[] = [];
    const consumer = await startConsumer({
      orm,
      nats,
      logger: silentLogger,
      service: READER,
      consumerName: 'traced',
      subjectPrefix: prefix,
      events: [notesAdded],
      handler: async () => {
        handledIn.push(trace.getActiveSpan()?.spanContext().traceId ?? 'none');
      },
    });
    const relay = startOutboxRelay({ orm, nats, outbox, logger: silentLogger, pollIntervalMs: 50 });
    try {
      const request = trace.getTracer('test');
      const requestTraceId = await request.startActiveSpan('POST /notes', async (span) => {
        await addNote(orm, outbox, 'agg-t', 1);
        span.end();
        return span.spanContext().traceId;
      });

      const [row] = await orm.em
        .fork()
        .execute<{ headers: Record<string, string> }[]>('select headers from outbox');
      expect(row?.headers.traceparent).toMatch(
        new RegExp(`^00-${requestTraceId}-[0-9a-f]{16}-0[01]$`),
      );

      await waitFor('the event to be handled', () => handledIn.length === 1);
      expect(handledIn).toEqual([requestTraceId]);
      // The consumer span ends after the inbox commit and the ack, a moment after the handler.
      await waitFor('the consumer span to end', () =>
        exporter.getFinishedSpans().some((s) => s.kind === SpanKind.CONSUMER),
      );

      const spans = exporter.getFinishedSpans();
      const producer = spans.find((s) => s.kind === SpanKind.PRODUCER);
      const consumerSpan = spans.find((s) => s.kind === SpanKind.CONSUMER);
      expect(producer?.spanContext().traceId).toBe(requestTraceId);
      expect(consumerSpan?.spanContext().traceId).toBe(requestTraceId);
      expect(consumerSpan?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
      expect(consumerSpan?.attributes['messaging.message.id']).toBeDefined();
    } finally {
      await relay.stop(2000);
      await consumer.stop();
    }
  });

  it('R-EV-12 events applied in one transaction each continue their own trace, in a CONSUMER span of their own', async () => {
    const outbox = notesOutbox(prefix);
    const relay = startOutboxRelay({ orm, nats, outbox, logger: silentLogger, pollIntervalMs: 50 });
    const request = trace.getTracer('test');
    const requests: { eventId: string; traceId: string }[] = [];
    for (const seq of [1, 2, 3])
      requests.push(
        await request.startActiveSpan(`POST /notes ${seq}`, async (span) => {
          const eventId = await addNote(orm, outbox, `agg-together-${seq}`, seq);
          span.end();
          return { eventId, traceId: span.spanContext().traceId };
        }),
      );
    await waitFor('the events to be published', async () => (await unpublishedCount(orm)) === 0);
    await relay.stop(2000);

    // Started after they are in the stream, it receives them together.
    const handledIn = new Map<string, string>();
    const consumer = await startConsumer({
      orm,
      nats,
      logger: silentLogger,
      service: READER,
      consumerName: 'traced-together',
      subjectPrefix: prefix,
      events: [notesAdded],
      handler: async (_em, event) => {
        handledIn.set(event.id, trace.getActiveSpan()?.spanContext().traceId ?? 'none');
      },
    });
    try {
      await waitFor('the events to be handled', () =>
        requests.every((r) => handledIn.has(r.eventId)),
      );
      const consumerSpansOf = (eventId: string) =>
        exporter
          .getFinishedSpans()
          .filter(
            (s) =>
              s.kind === SpanKind.CONSUMER &&
              s.attributes['messaging.consumer.group.name'] === 'traced-together' &&
              s.attributes['messaging.message.id'] === eventId,
          );
      await waitFor('the consumer spans to end', () =>
        requests.every((r) => consumerSpansOf(r.eventId).length > 0),
      );
      const spans = exporter.getFinishedSpans();
      for (const { eventId, traceId } of requests) {
        expect(handledIn.get(eventId)).toBe(traceId);
        const producer = spans.find(
          (s) => s.kind === SpanKind.PRODUCER && s.spanContext().traceId === traceId,
        );
        const [consumerSpan, ...more] = consumerSpansOf(eventId);
        expect(more).toHaveLength(0);
        expect(consumerSpan?.spanContext().traceId).toBe(traceId);
        expect(consumerSpan?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
      }
    } finally {
      await consumer.stop();
    }
  });
});
