import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import {
  createTestDatabase,
  TEST_NATS_URL,
  uniqueSubjectPrefix,
  type TestDatabase,
} from '@aftercare/testkit';
import type { EntityManager, Orm } from '../../src/db';
import { AppError } from '../../src/errors';
import {
  connectNats,
  createOutbox,
  eventData,
  startConsumer,
  startOutboxRelay,
  type ConsumerOptions,
  type EventConsumer,
  type EventEnvelope,
  type EventMeta,
  streamName,
} from '../../src/events';
import { uuidv7 } from '../../src/ids';
import { createMetrics } from '../../src/observability';
import {
  addNote,
  Note,
  openTestOrm,
  receivedRows,
  recordReceived,
  silentLogger,
  streamMessageCount,
  waitFor,
} from './fixtures';

describe('idempotent durable consumer (real PostgreSQL and NATS)', () => {
  let db: TestDatabase;
  let orm: Orm;
  let nats: NatsConnection;
  let prefix: string;
  const prefixes: string[] = [];
  const running: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('events_consumer');
    orm = await openTestOrm(db.url);
    nats = await connectNats({ url: TEST_NATS_URL, name: 'consumer-test', logger: silentLogger });
  });

  beforeEach(() => {
    prefix = uniqueSubjectPrefix('consumer');
    prefixes.push(prefix);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    // Streams are per test; remove them so the shared server does not accumulate test data.
    const jsm = await jetstreamManager(nats);
    await Promise.all(
      prefixes.map((p) => jsm.streams.delete(streamName(p, 'notes')).catch(() => false)),
    );
    await nats?.close();
    await orm?.close();
    await db?.drop();
  });

  const consume = async (
    consumerName: string,
    handler: ConsumerOptions['handler'],
    extra: Partial<ConsumerOptions> = {},
  ): Promise<EventConsumer> => {
    const consumer = await startConsumer({
      orm,
      nats,
      logger: silentLogger,
      consumerName,
      streamService: 'notes',
      subjectPrefix: prefix,
      eventTypes: ['notes.added'],
      handler,
      nakDelayMs: 20,
      ...extra,
    });
    running.push(consumer);
    return consumer;
  };

  const envelope = (seq: number, type = 'notes.added'): EventEnvelope => ({
    id: uuidv7(),
    type,
    source: 'notes',
    time: new Date().toISOString(),
    subject: `agg-${seq}`,
    dataVersion: '1',
    data: { seq },
  });

  const publishRaw = async (
    body: string | EventEnvelope,
    msgID = uuidv7(),
    type = 'notes.added',
  ) => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    await jetstream(nats).publish(`${prefix}.${type}`, payload, { msgID });
  };

  it('R-EV-4 a rolled-back transaction leaves no event behind', async () => {
    const outbox = createOutbox({ service: 'notes', subjectPrefix: prefix });
    await consume('rollback', recordReceived('rollback'));
    const relay = startOutboxRelay({ orm, nats, outbox, logger: silentLogger, pollIntervalMs: 50 });
    running.push(relay);

    await expect(
      orm.em.fork().transactional(async (tx) => {
        tx.create(Note, { id: uuidv7(), aggregateId: 'agg-x', seq: 1 });
        outbox.add(tx, { type: 'notes.added', aggregateId: 'agg-x', data: { seq: 1 } });
        throw new Error('use case failed after adding its event');
      }),
    ).rejects.toThrow('use case failed');
    const committed = await addNote(orm, outbox, 'agg-y', 2);

    await waitFor(
      'the committed event',
      async () => (await receivedRows(orm, 'rollback')).length === 1,
    );
    expect((await receivedRows(orm, 'rollback')).map((r) => r.event_id)).toEqual([committed]);
    expect(await orm.em.fork().count(Note, { aggregateId: 'agg-x' })).toBe(0);
    expect(await streamMessageCount(nats, prefix, 'notes')).toBe(1);
  });

  it('R-EV-13 a commit kicks the relay: the event goes out without waiting for the next poll', async () => {
    const outbox = createOutbox({ service: 'notes', subjectPrefix: prefix });
    await consume('kicked', recordReceived('kicked'));
    const relay = startOutboxRelay({
      orm,
      nats,
      outbox,
      logger: silentLogger,
      pollIntervalMs: 60_000,
    });
    running.push(relay);
    await waitFor('the relay to be ready', () => relay.isReady());

    const started = Date.now();
    await addNote(orm, outbox, 'agg-k', 1);
    await waitFor('the event', async () => (await receivedRows(orm, 'kicked')).length === 1, 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('R-EV-5 events can only be added inside a transaction, with a valid type', async () => {
    const outbox = createOutbox({ service: 'notes', subjectPrefix: prefix });
    const outside = () =>
      outbox.add(orm.em.fork(), { type: 'notes.added', aggregateId: 'a', data: {} });
    expect(outside).toThrow(AppError);
    expect(outside).toThrow(expect.objectContaining({ reason: 'OUTBOX_OUTSIDE_TRANSACTION' }));
    await expect(
      orm.em
        .fork()
        .transactional(async (tx) =>
          outbox.add(tx, { type: 'customer.created', aggregateId: 'a', data: {} }),
        ),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'INVALID_EVENT', field: 'type' });
    await expect(
      orm.em
        .fork()
        .transactional(async (tx) =>
          outbox.add(tx, { type: 'notes.added', aggregateId: 'a', data: { n: BigInt(1) } }),
        ),
    ).rejects.toMatchObject({ reason: 'INVALID_EVENT', field: 'data' });
  });

  it('R-EV-6 the same event delivered twice is applied once (inbox)', async () => {
    const consumer = await consume('dedupe', recordReceived('dedupe'));
    const event = envelope(1);
    // Two publishes with different msg ids get past the stream's de-duplication.
    await publishRaw(event);
    await publishRaw(event);

    await waitFor(
      'both deliveries',
      () => consumer.metrics().processed + consumer.metrics().duplicates === 2,
    );
    expect(consumer.metrics()).toMatchObject({ processed: 1, duplicates: 1 });
    expect(await receivedRows(orm, 'dedupe')).toHaveLength(1);
  });

  it('R-EV-7 a failing handler is rolled back and the event redelivered, then applied once', async () => {
    const deliveries: number[] = [];
    const consumer = await consume(
      'flaky',
      async (em: EntityManager, env: EventEnvelope, meta: EventMeta) => {
        deliveries.push(meta.deliveryCount);
        await recordReceived('flaky')(em, env);
        if (meta.deliveryCount === 1) throw new Error('transient: downstream unavailable');
      },
    );
    const event = envelope(7);
    await publishRaw(event);

    await waitFor('the redelivery to succeed', () => consumer.metrics().processed === 1);
    expect(deliveries).toEqual([1, 2]);
    expect(consumer.metrics().retries).toBe(1);
    // The first attempt's write was rolled back with its inbox row.
    expect((await receivedRows(orm, 'flaky')).map((r) => r.event_id)).toEqual([event.id]);
  });

  it('R-EV-8 a poison event is terminated after maxDeliver and the consumer goes on', async () => {
    const poison = envelope(8);
    let poisonCalls = 0;
    const metrics = createMetrics({ defaultMetrics: false });
    const consumer = await consume(
      'poison',
      async (em, env) => {
        if (env.id === poison.id) {
          poisonCalls += 1;
          throw new Error('cannot apply this one, ever');
        }
        await recordReceived('poison')(em, env);
      },
      { maxDeliver: 2, metrics },
    );
    const good = envelope(9);
    await publishRaw(poison);
    await publishRaw(good);

    await waitFor('the poison event to be terminated', () => consumer.metrics().terminated === 1);
    await waitFor('the good event', () => consumer.metrics().processed === 1);
    expect(poisonCalls).toBe(2);
    expect((await receivedRows(orm, 'poison')).map((r) => r.event_id)).toEqual([good.id]);
    // Issue 14: what an operator sees of it (one retry, its redelivery, the termination, the lag).
    const text = await metrics.render();
    const group = 'messaging_consumer_group_name="poison"';
    expect(text).toContain(`event_consumer_retries_total{${group}} 1`);
    expect(text).toContain(`event_consumer_redeliveries_total{${group}} 1`);
    expect(text).toContain(`event_consumer_terminated_total{${group},reason="poison"} 1`);
    expect(text).toContain(`event_consumer_processed_total{${group}} 1`);
    expect(text).toMatch(
      new RegExp(
        `^event_consumer_pending_messages\\{${group},messaging_destination_name="[A-Z_0-9]+"\\} 0$`,
        'm',
      ),
    );
  });

  it('R-EV-9 an event whose data breaks its contract is terminated at once, not retried', async () => {
    const bad = envelope(10);
    let calls = 0;
    const consumer = await consume(
      'contract',
      async (em, env) => {
        if (env.id === bad.id) {
          calls += 1;
          eventData(z.object({ missing: z.string() }), env);
        }
        await recordReceived('contract')(em, env);
      },
      { maxDeliver: 5 },
    );
    const good = envelope(11);
    await publishRaw(bad);
    await publishRaw(good);

    await waitFor('the invalid event to be terminated', () => consumer.metrics().terminated === 1);
    await waitFor('the good event', () => consumer.metrics().processed === 1);
    expect(calls).toBe(1);
    expect(consumer.metrics().retries).toBe(0);
    expect((await receivedRows(orm, 'contract')).map((r) => r.event_id)).toEqual([good.id]);
  });

  it('R-EV-9 malformed messages are terminated without stopping the loop', async () => {
    const consumer = await consume('malformed', recordReceived('malformed'));
    await publishRaw('this is not JSON');
    await publishRaw(JSON.stringify({ id: 'nope', type: 'notes.added' }));
    await publishRaw(envelope(3, 'notes.removed')); // valid envelope, but its type contradicts the subject
    const good = envelope(4);
    await publishRaw(good);

    await waitFor('the good event', () => consumer.metrics().processed === 1);
    expect(consumer.metrics().terminated).toBe(3);
    expect(consumer.isReady()).toBe(true);
    expect((await receivedRows(orm, 'malformed')).map((r) => r.event_id)).toEqual([good.id]);
  });

  it('R-EV-10 a consumer of several event types receives only those', async () => {
    const seen: string[] = [];
    const consumer = await consume(
      'several',
      async (_em, env) => {
        seen.push(env.type);
      },
      { eventTypes: ['notes.added', 'notes.removed'] },
    );
    await publishRaw(envelope(1, 'notes.added'), undefined, 'notes.added');
    await publishRaw(envelope(2, 'notes.archived'), undefined, 'notes.archived');
    await publishRaw(envelope(3, 'notes.removed'), undefined, 'notes.removed');

    await waitFor('both wanted events', () => consumer.metrics().processed === 2);
    expect(seen).toEqual(['notes.added', 'notes.removed']);
  });

  it('R-EV-11 refuses consumer options that cannot work', async () => {
    await expect(
      consume('bad', async () => undefined, { eventTypes: ['customer.created'] }),
    ).rejects.toMatchObject({
      reason: 'INVALID_CONSUMER',
      field: 'eventTypes',
    });
    await expect(consume('has.dot', async () => undefined)).rejects.toMatchObject({
      field: 'consumerName',
    });
  });
});
