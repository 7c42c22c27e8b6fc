import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type EntityManager, insertAlone } from '../../src/db';
import { AppError } from '../../src/errors';
import { type EventEnvelope, type EventMeta, streamName } from '../../src/events';
import { uuidv7 } from '../../src/ids';
import { createMetrics } from '../../src/observability';
import {
  addNote,
  archiveAdded,
  Note,
  notesAdded,
  notesOutbox,
  notesRemoved,
  receivedRows,
  recordReceived,
  streamMessageCount,
  waitFor,
} from './fixtures';
import { eventsTestBed } from './test-bed';

describe('idempotent durable consumer (real PostgreSQL and NATS)', () => {
  const bed = eventsTestBed('consumer');

  const consume = bed.consume;

  const envelope = (seq: number, type = 'notes.added'): EventEnvelope<Record<string, unknown>> => ({
    specversion: '1.0',
    id: uuidv7(),
    source: 'notes',
    type,
    time: new Date().toISOString(),
    subject: `agg-${seq}`,
    datacontenttype: 'application/json',
    dataschema: `docs/events/schemas/${type}.v1.json`,
    dataversion: '1',
    data: { seq },
  });

  const publishRaw = async (body: string | object, msgID = uuidv7(), type = 'notes.added') => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    await jetstream(bed.nats).publish(`${bed.prefix}.${type}`, payload, { msgID });
  };

  it('R-EV-4 a rolled-back transaction leaves no event behind', async () => {
    const outbox = notesOutbox(bed.prefix);
    await consume('rollback', recordReceived('rollback'));
    bed.relay(outbox);

    await expect(
      bed.orm.em.fork().transactional(async (tx) => {
        tx.create(Note, { id: uuidv7(), aggregateId: 'agg-x', seq: 1 });
        outbox.publish(tx, notesAdded, 'agg-x', { seq: 1 });
        throw new Error('use case failed after adding its event');
      }),
    ).rejects.toThrow('use case failed');
    const committed = await addNote(bed.orm, outbox, 'agg-y', 2);

    await waitFor(
      'the committed event',
      async () => (await receivedRows(bed.orm, 'rollback')).length === 1,
    );
    expect((await receivedRows(bed.orm, 'rollback')).map((r) => r.event_id)).toEqual([committed]);
    expect(await bed.orm.em.fork().count(Note, { aggregateId: 'agg-x' })).toBe(0);
    expect(await streamMessageCount(bed.nats, bed.prefix, 'notes')).toBe(1);
  });

  /** A consumer `name` and a relay that polls once a minute: what arrives sooner was kicked. */
  async function relayWokenOnlyByKicks(name: string) {
    const outbox = notesOutbox(bed.prefix);
    await consume(name, recordReceived(name));
    const relay = bed.relay(outbox, { pollIntervalMs: 60_000 });
    await waitFor('the relay to be ready', () => relay.isReady());
    return outbox;
  }

  it('R-EV-13 a commit kicks the relay: the event goes out without waiting for the next poll', async () => {
    const outbox = await relayWokenOnlyByKicks('kicked');

    const started = Date.now();
    await addNote(bed.orm, outbox, 'agg-k', 1);
    await waitFor(
      'the event',
      async () => (await receivedRows(bed.orm, 'kicked')).length === 1,
      5_000,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('R-EV-13 a note and its event written alone (one statement, no transaction) kick the relay too', async () => {
    const outbox = await relayWokenOnlyByKicks('alone');

    let writer: EntityManager | undefined;
    const event = await insertAlone(bed.orm, outbox, (em) => {
      writer = em;
      const note = em.create(Note, { id: uuidv7(), aggregateId: 'agg-alone', seq: 1 });
      return outbox.publish(em, notesAdded, 'agg-alone', { noteId: note.id, seq: 1 });
    });
    await waitFor(
      'the event',
      async () => (await receivedRows(bed.orm, 'alone')).length === 1,
      5_000,
    );
    expect((await receivedRows(bed.orm, 'alone')).map((r) => r.event_id)).toEqual([event.id]);
    expect(await bed.orm.em.fork().count(Note, { aggregateId: 'agg-alone' })).toBe(1);
    // Its fork takes no more events once the statement is sent: they would be written by nobody.
    expect(() => outbox.publish(writer!, notesAdded, 'agg-alone', { seq: 2 })).toThrow(
      expect.objectContaining({ reason: 'OUTBOX_OUTSIDE_TRANSACTION' }),
    );
  });

  it('R-EV-5 events can only be added inside a transaction, of the own service, with valid data', async () => {
    const outbox = notesOutbox(bed.prefix);
    const outside = () => outbox.publish(bed.orm.em.fork(), notesAdded, 'a', { seq: 1 });
    expect(outside).toThrow(AppError);
    expect(outside).toThrow(expect.objectContaining({ reason: 'OUTBOX_OUTSIDE_TRANSACTION' }));
    await expect(
      bed.orm.em.fork().transactional(async (tx) =>
        // Another service's event: a declared one cannot type-check here, a cast gets past tsc only.
        outbox.publish(tx, archiveAdded as never, 'a', { seq: 1 } as never),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'INVALID_EVENT', field: 'type' });
    await expect(
      bed.orm.em
        .fork()
        .transactional(async (tx) =>
          outbox.publish(tx, notesAdded, 'a', { seq: BigInt(1) as never }),
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
    expect(await receivedRows(bed.orm, 'dedupe')).toHaveLength(1);
  });

  it('R-EV-7 a failing handler is rolled back and the event redelivered, then applied once', async () => {
    const deliveries: number[] = [];
    const consumer = await consume('flaky', async (em: EntityManager, env, meta: EventMeta) => {
      deliveries.push(meta.deliveryCount);
      await recordReceived('flaky')(em, env);
      if (meta.deliveryCount === 1) throw new Error('transient: downstream unavailable');
    });
    const event = envelope(7);
    await publishRaw(event);

    await waitFor('the redelivery to succeed', () => consumer.metrics().processed === 1);
    expect(deliveries).toEqual([1, 2]);
    expect(consumer.metrics().retries).toBe(1);
    // The first attempt's write was rolled back with its inbox row.
    expect((await receivedRows(bed.orm, 'flaky')).map((r) => r.event_id)).toEqual([event.id]);
  });

  it('R-EV-8 a poison event is parked after maxDeliver and the consumer goes on', async () => {
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

    await waitFor('the poison event to be parked', () => consumer.metrics().parked === 1);
    await waitFor('the good event', () => consumer.metrics().processed === 1);
    expect(poisonCalls).toBe(2);
    expect((await receivedRows(bed.orm, 'poison')).map((r) => r.event_id)).toEqual([good.id]);
    // Issue 14: what an operator sees of it (one retry, its redelivery, the parking, the lag).
    const text = await metrics.render();
    const group = 'messaging_consumer_group_name="poison"';
    expect(text).toContain(`event_consumer_retries_total{${group}} 1`);
    expect(text).toContain(`event_consumer_redeliveries_total{${group}} 1`);
    expect(text).toContain(`event_consumer_parked_total{${group},reason="poison"} 1`);
    expect(text).toContain(`event_consumer_processed_total{${group}} 1`);
    expect(text).toMatch(
      new RegExp(
        `^event_consumer_pending_messages\\{${group},messaging_destination_name="[A-Z_0-9]+"\\} 0$`,
        'm',
      ),
    );
  });

  it('R-EV-9 an event whose data breaks its declared schema is parked at once, not retried', async () => {
    let calls = 0;
    const consumer = await consume(
      'contract',
      async (em, env) => {
        calls += 1;
        await recordReceived('contract')(em, env);
      },
      { maxDeliver: 5 },
    );
    const bad = { ...envelope(10), data: { seq: 'ten' } };
    const good = envelope(11);
    await publishRaw(bad);
    await publishRaw(good);

    await waitFor('the invalid event to be parked', () => consumer.metrics().parked === 1);
    await waitFor('the good event', () => consumer.metrics().processed === 1);
    expect(calls).toBe(1);
    expect(consumer.metrics().retries).toBe(0);
    expect((await receivedRows(bed.orm, 'contract')).map((r) => r.event_id)).toEqual([good.id]);
  });

  it('ADR 0018 the relay publishes structured CloudEvents, converting legacy outbox rows', async () => {
    const outbox = notesOutbox(bed.prefix);
    await consume('structured', recordReceived('structured'));
    const id = await addNote(bed.orm, outbox, 'agg-s', 1);
    // A row written before the upgrade: the old envelope and its ce-* headers.
    const legacyId = uuidv7();
    const legacy = {
      id: legacyId,
      type: 'notes.added',
      source: 'notes',
      time: new Date().toISOString(),
      subject: 'agg-old',
      dataVersion: '1',
      data: { seq: 2 },
    };
    await bed.orm.em
      .fork()
      .execute(
        'insert into outbox (id, subject, type, aggregate_id, payload, headers) values (?, ?, ?, ?, ?, ?)',
        [
          legacyId,
          `${bed.prefix}.notes.added`,
          'notes.added',
          'agg-old',
          JSON.stringify(legacy),
          JSON.stringify({ 'ce-id': legacyId, 'ce-type': 'notes.added' }),
        ],
      );
    bed.relay(outbox);
    await waitFor(
      'both events',
      async () => (await receivedRows(bed.orm, 'structured')).length === 2,
    );

    const jsm = await jetstreamManager(bed.nats);
    for (const [seq, eventId, data] of [
      [1, id, { seq: 1, noteId: expect.any(String) }],
      [2, legacyId, { seq: 2 }],
    ] as const) {
      const message = (await jsm.streams.getMessage(streamName(bed.prefix, 'notes'), { seq }))!;
      expect(message.json()).toEqual({
        specversion: '1.0',
        id: eventId,
        source: 'notes',
        type: 'notes.added',
        time: expect.any(String),
        subject: expect.any(String),
        datacontenttype: 'application/json',
        dataschema: 'docs/events/schemas/notes.added.v1.json',
        dataversion: '1',
        data,
      });
      expect(message.header.get('content-type')).toBe(
        'application/cloudevents+json; charset=utf-8',
      );
      expect(message.header.get('Nats-Msg-Id')).toBe(eventId);
      expect([...message.header.keys()].filter((k) => k.toLowerCase().startsWith('ce-'))).toEqual(
        [],
      );
    }
  });

  it('ADR 0018 an event in the legacy envelope (before CloudEvents) is still applied', async () => {
    const seen: { dataversion: string; specversion: string; data: unknown }[] = [];
    const consumer = await consume('legacy', async (em, env) => {
      seen.push({ dataversion: env.dataversion, specversion: env.specversion, data: env.data });
      await recordReceived('legacy')(em, env);
    });
    const legacy = {
      id: uuidv7(),
      type: 'notes.added',
      source: 'notes',
      time: new Date().toISOString(),
      subject: 'agg-legacy',
      dataVersion: '1',
      data: { seq: 12 },
    };
    await publishRaw(legacy);

    await waitFor('the legacy event', () => consumer.metrics().processed === 1);
    expect(seen).toEqual([{ dataversion: '1', specversion: '1.0', data: { seq: 12 } }]);
  });

  it('ADR 0018 an event of another version than the declared one is acknowledged unhandled', async () => {
    const consumer = await consume('versions', recordReceived('versions'));
    await publishRaw({ ...envelope(13), dataversion: '2' });
    const good = envelope(14);
    await publishRaw(good);

    await waitFor('the good event', () => consumer.metrics().processed === 1);
    expect(consumer.metrics().parked).toBe(0);
    expect((await receivedRows(bed.orm, 'versions')).map((r) => r.event_id)).toEqual([good.id]);
  });

  it('R-EV-9 malformed messages are parked without stopping the loop', async () => {
    const consumer = await consume('malformed', recordReceived('malformed'));
    await publishRaw('this is not JSON');
    await publishRaw(JSON.stringify({ id: 'nope', type: 'notes.added' }));
    await publishRaw(envelope(3, 'notes.removed')); // valid envelope, but its type contradicts the subject
    const good = envelope(4);
    await publishRaw(good);

    await waitFor('the good event', () => consumer.metrics().processed === 1);
    expect(consumer.metrics().parked).toBe(3);
    expect(consumer.isReady()).toBe(true);
    expect((await receivedRows(bed.orm, 'malformed')).map((r) => r.event_id)).toEqual([good.id]);
  });

  it('R-EV-10 a consumer of several event types receives only those', async () => {
    const seen: string[] = [];
    const consumer = await consume(
      'several',
      async (_em, env) => {
        seen.push(env.type);
      },
      { events: [notesAdded, notesRemoved] },
    );
    await publishRaw(envelope(1, 'notes.added'), undefined, 'notes.added');
    await publishRaw(envelope(2, 'notes.archived'), undefined, 'notes.archived');
    await publishRaw(envelope(3, 'notes.removed'), undefined, 'notes.removed');

    await waitFor('both wanted events', () => consumer.metrics().processed === 2);
    expect(seen).toEqual(['notes.added', 'notes.removed']);
  });

  it('R-EV-11 refuses consumer options that cannot work', async () => {
    await expect(
      consume('bad', async () => undefined, { events: [notesAdded, archiveAdded] }),
    ).rejects.toMatchObject({
      reason: 'INVALID_CONSUMER',
      field: 'events',
    });
    await expect(consume('has.dot', async () => undefined)).rejects.toMatchObject({
      field: 'consumerName',
    });
  });
});
