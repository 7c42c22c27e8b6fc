import type { NatsConnection } from '@nats-io/transport-node';
import {
  createTestDatabase,
  type Outage,
  startOutageRelay,
  TEST_NATS_URL,
  type TestDatabase,
  uniqueSubjectPrefix,
} from '@aftercare/testkit';
import type { Orm } from '../../src/db';
import { AppError, unavailable } from '../../src/errors';
import { connectNats, startConsumer, startOutboxRelay } from '../../src/events';
import { isTransient } from '../../src/events/consumer';
import {
  addNote,
  deleteTestStreams,
  notesAdded,
  notesOutbox,
  openTestOrm,
  READER,
  receivedRows,
  recordReceived,
  silentLogger,
  unpublishedCount,
  waitFor,
} from './fixtures';

// Issue 17: a consumer's own database down for longer than its delivery budget used to terminate
// every event it received meanwhile — effects lost for good. An outage is not the event's fault:
// the consumer holds the event and retries in place until the database is back.
describe('a consumer outlasts an outage of its database (real PostgreSQL and NATS)', () => {
  let db: TestDatabase;
  let direct: Orm;
  let throughRelay: Orm;
  let outage: Outage;
  let nats: NatsConnection;
  const prefix = uniqueSubjectPrefix('outage');
  const running: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('events_outage');
    direct = await openTestOrm(db.url);
    const url = new URL(db.url);
    outage = await startOutageRelay({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(outage.port);
    throughRelay = await openTestOrm(url.toString());
    nats = await connectNats({ url: TEST_NATS_URL, name: 'outage-test', logger: silentLogger });
  });

  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    await deleteTestStreams(nats, prefix);
    await nats?.close();
    await throughRelay?.close();
    await direct?.close();
    await outage?.close();
    await db?.drop();
  });

  it('holds each event through the outage, using up no delivery, and applies it once when the database is back', async () => {
    const outbox = notesOutbox(prefix);
    const consumer = await startConsumer({
      orm: throughRelay,
      nats,
      logger: silentLogger,
      service: READER,
      consumerName: 'outlasts',
      subjectPrefix: prefix,
      events: [notesAdded],
      handler: recordReceived('outlasts'),
      // Two deliveries 20 ms apart: the old budget would be spent within the first second.
      maxDeliver: 2,
      nakDelayMs: 20,
      maxNakDelayMs: 20,
      maxOutageRetryDelayMs: 200,
    });
    running.push(consumer);
    const relay = startOutboxRelay({
      orm: direct,
      nats,
      outbox,
      logger: silentLogger,
      pollIntervalMs: 50,
    });
    running.push(relay);

    await outage.cut();
    const ids = [];
    for (const seq of [1, 2, 3]) ids.push(await addNote(direct, outbox, `agg-${seq}`, seq));
    await waitFor(
      'in-place retries during the outage',
      async () => consumer.metrics().outageRetries >= 5,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(consumer.metrics()).toMatchObject({ processed: 0, retries: 0, parked: 0 });
    expect(await receivedRows(direct, 'outlasts')).toEqual([]);

    await outage.restore();
    await waitFor(
      'every event applied',
      async () => (await receivedRows(direct, 'outlasts')).length === 3,
    );
    expect((await receivedRows(direct, 'outlasts')).map((r) => r.event_id)).toEqual(ids);
    expect(consumer.metrics()).toMatchObject({ processed: 3, retries: 0, parked: 0 });
  });

  it('issue 12: events received together during an outage are held one by one, as alone, and applied once when it ends', async () => {
    const outbox = notesOutbox(prefix);
    const relay = startOutboxRelay({ orm: direct, nats, outbox, logger: silentLogger });
    running.push(relay);
    const ids = [];
    for (const seq of [1, 2, 3, 4, 5, 6])
      ids.push(await addNote(direct, outbox, `agg-b${seq}`, seq));
    await waitFor('the events to be published', async () => (await unpublishedCount(direct)) === 0);

    await outage.cut();
    // Started with the events in the stream: it receives them (and the test above's) together.
    const consumer = await startConsumer({
      orm: throughRelay,
      nats,
      logger: silentLogger,
      service: READER,
      consumerName: 'outlasts-together',
      subjectPrefix: prefix,
      events: [notesAdded],
      handler: recordReceived('outlasts-together'),
      maxDeliver: 2,
      nakDelayMs: 20,
      maxNakDelayMs: 20,
      maxOutageRetryDelayMs: 200,
    });
    running.push(consumer);
    await waitFor('in-place retries', async () => consumer.metrics().outageRetries >= 5);
    expect(consumer.metrics()).toMatchObject({ processed: 0, retries: 0, parked: 0 });

    await outage.restore();
    const rows = async () => receivedRows(direct, 'outlasts-together');
    await waitFor('the events applied', async () => (await rows()).length >= ids.length + 3);
    const applied = (await rows()).map((r) => r.event_id);
    expect(applied.slice(-ids.length)).toEqual(ids);
    expect(new Set(applied).size).toBe(applied.length);
    expect(consumer.metrics()).toMatchObject({ processed: applied.length, retries: 0, parked: 0 });
  });

  it('tells outages from broken events', () => {
    expect(isTransient(unavailable('the customer service is unavailable'))).toBe(true);
    expect(isTransient(new AppError('DEADLINE_EXCEEDED', 'too slow'))).toBe(true);
    expect(
      isTransient(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(
      isTransient(new AppError('INVALID_ARGUMENT', 'bad data', { reason: 'INVALID_EVENT' })),
    ).toBe(false);
    expect(isTransient(new AppError('NOT_FOUND', 'no such customer'))).toBe(false);
    expect(isTransient(new Error('handler bug'))).toBe(false);
  });
});
