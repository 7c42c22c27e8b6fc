import { jetstream } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import {
  createTestDatabase,
  startNatsServer,
  uniqueSubjectPrefix,
  type TestDatabase,
  type TestNatsServer,
} from '@aftercare/testkit';
import type { Orm } from '../../src/db';
import {
  connectNats,
  startConsumer,
  startOutboxRelay,
  type EventConsumer,
  type Outbox,
} from '../../src/events';
import {
  addNote,
  expectExactlyOnceInOrder,
  notesAdded,
  type NoteEvent,
  notesOutbox,
  openTestOrm,
  READER,
  receivedRows,
  recordReceived,
  silentLogger,
  streamMessageCount,
  unpublishedCount,
  waitFor,
} from './fixtures';

// Fast loops so an outage and its recovery fit in a few seconds.
const relayTuning = { pollIntervalMs: 50, publishTimeoutMs: 500, maxBackoffMs: 400 };

describe('outbox relay recovery (own nats-server, real PostgreSQL)', () => {
  let db: TestDatabase;
  let orm: Orm;
  let server: TestNatsServer;
  let nats: NatsConnection;
  let prefix: string;
  let outbox: Outbox<NoteEvent>;
  let consumer: EventConsumer;
  const consumerName = 'recovery-check';

  beforeAll(async () => {
    [db, server] = await Promise.all([createTestDatabase('events_recovery'), startNatsServer()]);
    orm = await openTestOrm(db.url);
    nats = await connectNats({ url: server.url, name: 'recovery-test', logger: silentLogger });
  });

  beforeEach(async () => {
    // Each test gets its own stream and a clean outbox/inbox, so counts are its own.
    prefix = uniqueSubjectPrefix('recovery');
    outbox = notesOutbox(prefix);
    await orm.em.fork().execute('truncate outbox, inbox, received, note');
    consumer = await startConsumer({
      orm,
      nats,
      logger: silentLogger,
      service: READER,
      consumerName,
      subjectPrefix: prefix,
      events: [notesAdded],
      handler: recordReceived(consumerName),
    });
  });

  afterEach(() => consumer.stop());

  afterAll(async () => {
    await nats?.close();
    await orm?.close();
    await server?.dispose();
    await db?.drop();
  });

  const writeNotes = async (from: number, count: number): Promise<string[]> => {
    const ids: string[] = [];
    // Four aggregates interleaved, so per-aggregate order is meaningful; parallel writers (`from`
    // differs) use their own aggregates, as concurrent use cases on one aggregate would be serialised.
    for (let seq = from; seq < from + count; seq++)
      ids.push(await addNote(orm, outbox, `agg-${Math.floor(from / 100)}-${seq % 4}`, seq));
    return ids;
  };

  it('R-EV-1 keeps events committed while NATS is down and delivers every event exactly once, in order, after it returns', async () => {
    const relay = startOutboxRelay({ orm, nats, outbox, logger: silentLogger, ...relayTuning });
    try {
      const before = await writeNotes(0, 12);
      await waitFor(
        'events before the outage to arrive',
        async () => (await receivedRows(orm, consumerName)).length === 12,
      );
      expect(relay.isReady()).toBe(true);

      await server.stop();
      const during = await writeNotes(12, 12);
      await waitFor(
        'the relay to notice the outage',
        () => !relay.isReady() && relay.metrics().failures > 0,
      );
      // Nothing is lost while NATS is away: the rows wait in the outbox.
      expect(await unpublishedCount(orm)).toBe(12);

      await server.start();
      const after = await writeNotes(24, 6);
      await waitFor(
        'the relay and consumer to catch up',
        async () => (await receivedRows(orm, consumerName)).length >= 30,
        20_000,
      );
      await waitFor('the relay to report ready again', () => relay.isReady());

      expect(await unpublishedCount(orm)).toBe(0);
      expectExactlyOnceInOrder(await receivedRows(orm, consumerName), [
        ...before,
        ...during,
        ...after,
      ]);
      expect(await streamMessageCount(nats, prefix, 'notes')).toBe(30);
    } finally {
      await relay.stop(2000);
    }
  });

  it('issue 17: NATS returning ends a long back-off at once: publishing resumes without waiting it out', async () => {
    // A back-off that has grown to 8 s by the time NATS returns.
    const relay = startOutboxRelay({
      orm,
      nats,
      outbox,
      logger: silentLogger,
      pollIntervalMs: 1000,
      publishTimeoutMs: 300,
      maxBackoffMs: 60_000,
    });
    try {
      await server.stop();
      await writeNotes(0, 3);
      await waitFor('four failed rounds', () => relay.metrics().failures >= 4, 20_000);
      await server.start();
      const back = Date.now();
      await waitFor(
        'the events to arrive',
        async () => (await receivedRows(orm, consumerName)).length === 3,
        20_000,
      );
      // Waiting out the back-off would take about 8 s.
      expect(Date.now() - back).toBeLessThan(6_000);
    } finally {
      await relay.stop(2000);
    }
  });

  it('R-EV-2 a relay stopped mid-way flushes on stop, and its successor publishes the rest exactly once', async () => {
    const first = startOutboxRelay({
      orm,
      nats,
      outbox,
      logger: silentLogger,
      ...relayTuning,
      batchSize: 5,
    });
    const early = await writeNotes(0, 10);
    await first.stop(5000);
    // Graceful shutdown flushed everything committed before it.
    expect(await unpublishedCount(orm)).toBe(0);

    const late = await writeNotes(10, 10);
    // A relay that crashed after a publish ack but before marking the row: the successor republishes it.
    const [crashed] = await orm.em
      .fork()
      .execute<{ id: string; subject: string; payload: unknown }[]>(
        'select id, subject, payload from outbox where published_at is null order by id limit 1',
      );
    await jetstream(nats).publish(crashed!.subject, JSON.stringify(crashed!.payload), {
      msgID: crashed!.id,
      headers: headers(),
    });

    const second = startOutboxRelay({
      orm,
      nats,
      outbox,
      logger: silentLogger,
      ...relayTuning,
      batchSize: 5,
    });
    try {
      await waitFor(
        'the successor to publish the rest',
        async () => (await unpublishedCount(orm)) === 0,
      );
      await waitFor(
        'all events to be applied',
        async () => (await receivedRows(orm, consumerName)).length >= 20,
      );
      expectExactlyOnceInOrder(await receivedRows(orm, consumerName), [...early, ...late]);
      // The re-published row was dropped by the stream's msg-id de-duplication, not stored twice.
      expect(await streamMessageCount(nats, prefix, 'notes')).toBe(20);
      expect(consumer.metrics().duplicates).toBe(0);
    } finally {
      await second.stop(2000);
    }
  });

  it('R-EV-3 two relays running at once never publish the same row twice', async () => {
    const replica = await openTestOrm(db.url);
    const relays = [
      startOutboxRelay({ orm, nats, outbox, logger: silentLogger, ...relayTuning, batchSize: 3 }),
      startOutboxRelay({
        orm: replica,
        nats,
        outbox,
        logger: silentLogger,
        ...relayTuning,
        batchSize: 3,
      }),
    ];
    try {
      // Writers in parallel, so both relays are kicked and race for rows.
      const ids = (
        await Promise.all([writeNotes(0, 10), writeNotes(100, 10), writeNotes(200, 10)])
      ).flat();
      await waitFor(
        'all events to be applied',
        async () => (await receivedRows(orm, consumerName)).length >= 30,
      );
      await waitFor('both relays to be idle', async () => (await unpublishedCount(orm)) === 0);

      expectExactlyOnceInOrder(await receivedRows(orm, consumerName), ids);
      expect(relays.reduce((n, r) => n + r.metrics().published, 0)).toBe(30);
      expect(await streamMessageCount(nats, prefix, 'notes')).toBe(30);
      expect(consumer.metrics().duplicates).toBe(0);
    } finally {
      await Promise.all(relays.map((r) => r.stop(2000)));
      await replica.close();
    }
  });
});
