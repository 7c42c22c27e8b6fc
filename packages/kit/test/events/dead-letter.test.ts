import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { unavailable } from '../../src/errors';
import {
  deadLetterAdmin,
  deadLetterStreamName,
  ensureDeadLetterStream,
  park,
  readParked,
  serveDeadLetterReplay,
  streamName,
  type ConsumerOptions,
  type EventEnvelope,
  type EventHandler,
} from '../../src/events';
import { uuidv7 } from '../../src/ids';
import { createMetrics } from '../../src/observability';
import {
  notesAdded,
  type NoteEvent,
  READER,
  receivedRows,
  recordReceived,
  silentLogger,
  waitFor,
  noteEnvelope,
} from './fixtures';
import { eventsTestBed } from './test-bed';

// Issue 17 / ADR 0025: an event a consumer cannot apply is parked in its service's dead-letter
// stream (never dropped), and operators replay it once the cause is fixed.
describe('dead letters: parking and replay (real PostgreSQL and NATS)', () => {
  const bed = eventsTestBed('dead_letter', { consumerDefaults: { maxNakDelayMs: 200 } });

  const consume = bed.consume;

  const envelope = (seq: number, data: unknown = { seq }): EventEnvelope<unknown> =>
    noteEnvelope(seq, data);

  const publish = async (body: object | string) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const ack = await jetstream(bed.nats).publish(`${bed.prefix}.notes.added`, text, {
      msgID: uuidv7(),
    });
    return { text, seq: ack.seq };
  };

  /** A handler that fails (non-transiently) for the ids in `broken` and records the others. */
  const breakable =
    (consumer: string, broken: Set<string>): EventHandler<NoteEvent> =>
    async (em, env) => {
      if (broken.has(env.id)) throw new Error(`cannot apply ${env.id} yet`);
      await recordReceived(consumer)(em, env);
    };

  it('R-EV-8 a poison event is parked with its reason, consumer, attempts, origin and time, its body verbatim', async () => {
    const poison = envelope(1);
    const consumer = await consume(
      'poisoned',
      async () => {
        throw new Error('cannot apply this one, ever');
      },
      { maxDeliver: 2 },
    );
    const before = new Date().toISOString();
    const { text, seq } = await publish(poison);

    await waitFor('the poison event to be parked', () => consumer.metrics().parked === 1);
    const [parked, ...others] = await readParked(bed.nats, bed.prefix, READER);
    expect(others).toEqual([]);
    expect(parked).toMatchObject({
      service: READER,
      consumer: 'poisoned',
      reason: 'poison',
      error: 'cannot apply this one, ever',
      attempts: 2,
      original: {
        stream: streamName(bed.prefix, 'notes'),
        sequence: seq,
        subject: `${bed.prefix}.notes.added`,
      },
      eventId: poison.id,
      eventType: 'notes.added',
      body: text,
    });
    expect(parked!.parkedAt >= before).toBe(true);
    // Terminated on its own stream only after that: nothing pending or unacknowledged is left.
    const jsm = await jetstreamManager(bed.nats);
    await waitFor('the original to be terminated', async () => {
      const info = await jsm.consumers.info(streamName(bed.prefix, 'notes'), 'poisoned');
      return info.num_pending + info.num_ack_pending === 0;
    });
  });

  it('R-EV-14 a parking that fails leaves the event to be redelivered; it is parked once the dead-letter stream is back', async () => {
    const consumer = await consume('unparkable', recordReceived('unparkable'));
    const jsm = await jetstreamManager(bed.nats);
    await jsm.streams.delete(deadLetterStreamName(bed.prefix, READER));
    const invalid = envelope(2, { seq: 'two' });
    await publish(invalid);

    await waitFor('failed parkings', () => consumer.metrics().parkFailures >= 2);
    expect(consumer.metrics().parked).toBe(0);
    const held = await jsm.consumers.info(streamName(bed.prefix, 'notes'), 'unparkable');
    expect(held.num_ack_pending + held.num_pending).toBe(1);

    await ensureDeadLetterStream(jsm, bed.prefix, READER);
    await waitFor('the event to be parked', () => consumer.metrics().parked === 1);
    const parked = await readParked(bed.nats, bed.prefix, READER);
    expect(parked.map((p) => [p.eventId, p.reason])).toEqual([[invalid.id, 'invalid']]);
  });

  it('ADR 0025 events buffered behind one held through an outage, redelivered past maxDeliver, are not dropped when the consumer restarts', async () => {
    let outage = true;
    const held = envelope(10);
    const handler: ConsumerOptions<NoteEvent>['handler'] = async (em, env) => {
      if (env.id === held.id && outage) throw unavailable('the database is down (test)');
      await recordReceived('buffered')(em, env);
    };
    const options = { maxDeliver: 2, ackWaitMs: 1_000, maxOutageRetryDelayMs: 200 };
    const first = await consume('buffered', handler, options);
    const jsm = await jetstreamManager(bed.nats);
    const stream = streamName(bed.prefix, 'notes');
    expect((await jsm.consumers.info(stream, 'buffered')).config.max_deliver).toBe(-1);
    await publish(held);
    const behind = [envelope(11), envelope(12), envelope(13), envelope(14)];
    for (const e of behind) await publish(e);

    // Held for several ack waits: the events buffered behind it are redelivered beyond maxDeliver.
    await waitFor(
      'redeliveries past maxDeliver',
      async () => (await jsm.consumers.info(stream, 'buffered')).num_redelivered >= 4,
      20_000,
    );
    await new Promise((r) => setTimeout(r, 2_500));
    // A restart drops the buffer: a server limit of 2 deliveries would never send them again.
    await first.stop();
    outage = false;
    await consume('buffered', handler, options);

    await waitFor(
      'every event applied',
      async () => (await receivedRows(bed.orm, 'buffered')).length === 5,
      30_000,
    );
    const ids = (await receivedRows(bed.orm, 'buffered')).map((r) => r.event_id).sort();
    expect(ids).toEqual([held, ...behind].map((e) => e.id).sort());
  });

  it('ADR 0025 a durable created with a delivery limit (before dead letters) is lifted to unlimited when its consumer starts', async () => {
    const jsm = await jetstreamManager(bed.nats);
    const first = await consume('upgraded', recordReceived('upgraded'));
    await first.stop();
    const stream = streamName(bed.prefix, 'notes');
    await jsm.consumers.update(stream, 'upgraded', { max_deliver: 10 });
    expect((await jsm.consumers.info(stream, 'upgraded')).config.max_deliver).toBe(10);
    await consume('upgraded', recordReceived('upgraded'));
    expect((await jsm.consumers.info(stream, 'upgraded')).config.max_deliver).toBe(-1);
  });

  describe('replay', () => {
    const broken = new Set<string>();
    const handler = breakable('replayed', broken);
    const metrics = createMetrics({ defaultMetrics: false });

    /** Three events parked by the consumer (maxDeliver 1), and the service answering replays. */
    const parkThree = async () => {
      const events = [envelope(21), envelope(22), envelope(23)];
      for (const e of events) broken.add(e.id);
      const consumer = await consume('replayed', handler, { maxDeliver: 1 });
      for (const e of events) await publish(e);
      await waitFor('three parked events', () => consumer.metrics().parked === 3);
      bed.keep(
        serveDeadLetterReplay({
          nats: bed.nats,
          orm: bed.orm,
          logger: silentLogger,
          metrics,
          subjectPrefix: bed.prefix,
          service: READER,
          consumers: [
            { consumerName: 'replayed', events: [notesAdded], handler: handler as EventHandler },
          ],
        }),
      );
      return events as [EventEnvelope, EventEnvelope, EventEnvelope];
    };

    beforeEach(() => bed.orm.em.fork().execute("delete from received where consumer = 'replayed'"));

    const admin = () => deadLetterAdmin(bed.nats, bed.prefix);
    const appliedIds = async () => (await receivedRows(bed.orm, 'replayed')).map((r) => r.event_id);

    it('R-EV-15 one event replayed by id is applied once and leaves the dead-letter stream', async () => {
      const [first, second, third] = await parkThree();
      broken.delete(first.id);

      const report = await admin().replay({ eventId: first.id });
      expect(report).toEqual({
        unreachable: [],
        results: [
          {
            service: READER,
            consumer: 'replayed',
            eventId: first.id,
            eventType: 'notes.added',
            outcome: 'applied',
            attempts: 1,
            error: null,
          },
        ],
      });
      expect(await appliedIds()).toEqual([first.id]);
      expect((await admin().list({})).map((p) => p.eventId)).toEqual([second.id, third.id]);
      const text = await metrics.render();
      expect(text).toContain(
        'event_dead_letters_replayed_total{messaging_consumer_group_name="replayed",outcome="applied"} 1',
      );
      expect(text).toMatch(
        new RegExp(
          `event_dead_letter_parked_messages\\{messaging_destination_name="${deadLetterStreamName(bed.prefix, READER)}"\\} 2`,
        ),
      );
    });

    it('R-EV-15 a replay that fails again stays parked with its attempt count raised', async () => {
      const [first] = await parkThree();

      const report = await admin().replay({ eventId: first.id });
      expect(report.results).toMatchObject([
        {
          eventId: first.id,
          outcome: 'failed',
          attempts: 2,
          error: `cannot apply ${first.id} yet`,
        },
      ]);
      const parked = await admin().list({ eventId: first.id });
      expect(parked).toMatchObject([{ eventId: first.id, attempts: 2, reason: 'poison' }]);
      expect(await admin().list({})).toHaveLength(3);
      expect(await appliedIds()).not.toContain(first.id);
    });

    it('R-EV-15 a filter, then all, replays each matching event once; a replay of an applied event is a no-op', async () => {
      const [first, second, third] = await parkThree();
      for (const e of [first, second, third]) broken.delete(e.id);
      // The same event parked a second time, as if its consumer's term had been lost.
      const [parkedFirst] = await readParked(bed.nats, bed.prefix, READER);
      await park(bed.nats, bed.prefix, {
        service: READER,
        consumer: 'replayed',
        reason: 'poison',
        error: 'parked twice',
        attempts: 5,
        original: parkedFirst!.original,
        event: { id: first.id, type: 'notes.added' },
        body: new TextEncoder().encode(parkedFirst!.body),
      });

      const byFilter = await admin().replay({
        consumer: 'replayed',
        eventType: 'notes.added',
        eventId: first.id,
      });
      expect(byFilter.results.map((r) => r.outcome)).toEqual(['applied', 'already_applied']);

      const everything = await admin().replay({}, { all: true });
      expect(everything.results.map((r) => [r.eventId, r.outcome])).toEqual([
        [second.id, 'applied'],
        [third.id, 'applied'],
      ]);
      expect((await appliedIds()).sort()).toEqual([first.id, second.id, third.id].sort());
      expect(await admin().list({})).toEqual([]);
      // Nothing left: a second replay of all finds nothing to do.
      expect(await admin().replay({}, { all: true })).toEqual({ results: [], unreachable: [] });
    });

    it('bad filters are refused with a reason naming the field, and nothing is replayed', async () => {
      const [first] = await parkThree();
      broken.delete(first.id);
      const refused = (field: string) =>
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          reason: 'INVALID_DEAD_LETTER_FILTER',
          field,
        });

      await expect(admin().replay({})).rejects.toEqual(refused('all'));
      await expect(admin().replay({ eventId: 'not-an-id' })).rejects.toEqual(refused('eventId'));
      await expect(
        admin().replay({ parkedFrom: '2026-12-02T00:00:00Z', parkedTo: '2026-12-01T00:00:00Z' }),
      ).rejects.toEqual(refused('parkedTo'));
      await expect(admin().replay({ service: 'nosuch' })).rejects.toEqual(refused('service'));
      await expect(admin().list({ colour: 'red' })).rejects.toMatchObject({
        reason: 'INVALID_DEAD_LETTER_FILTER',
      });
      // Straight to the service, past the client's checks: the service refuses too.
      const reply = await bed.nats.request(
        `${bed.prefix}.admin.deadletters.${READER}.replay`,
        JSON.stringify({ filter: { consumer: 'someone-else' } }),
      );
      expect(reply.json()).toMatchObject({
        error: { reason: 'INVALID_DEAD_LETTER_FILTER', field: 'consumer' },
      });

      expect(await admin().list({})).toHaveLength(3);
      expect(await appliedIds()).toEqual([]);
    });
  });
});
