import { AckPolicy, DeliverPolicy, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import {
  deadLetterStreamName,
  deadLetterSubjects,
  startConsumer,
  streamName,
  subjectMatches,
  type ConsumerOptions,
} from '../../src/events';
import {
  addNote,
  notesAdded,
  notesOutbox,
  READER,
  receivedRows,
  recordReceived,
  silentLogger,
  waitFor,
} from './fixtures';
import { eventsTestBed } from './test-bed';

// Issue 10 point 4: with EVENT_STREAMS_MANAGED the operator declares the streams and durable
// consumers (deploy/k8s/components/event-streams); a service checks them and refuses to start
// with a clear message when one is missing or unfit, and never creates or changes them.
describe('operator-managed event streams (real NATS)', () => {
  const bed = eventsTestBed('managed');

  /** What an operator's NACK Stream declares: more than a service would create (limits, age). */
  const declareStream = async (overrides: { subjects?: string[]; duplicateWindowMs?: number }) => {
    const jsm = await jetstreamManager(bed.nats);
    await jsm.streams.add({
      name: streamName(bed.prefix, 'notes'),
      subjects: overrides.subjects ?? [`${bed.prefix}.notes.>`],
      storage: StorageType.File,
      max_age: nanos(400 * 24 * 3600_000),
      max_bytes: 64 * 1024 * 1024,
      duplicate_window: nanos(overrides.duplicateWindowMs ?? 120_000),
    });
  };

  /** The operator's declaration of the reader service's dead-letter stream. */
  const declareDeadLetterStream = async (overrides: { deny_delete?: boolean } = {}) => {
    const jsm = await jetstreamManager(bed.nats);
    const config = {
      name: deadLetterStreamName(bed.prefix, READER),
      subjects: [deadLetterSubjects(bed.prefix, READER)],
      storage: StorageType.File,
      max_age: nanos(400 * 24 * 3600_000),
      ...overrides,
    };
    await jsm.streams.add(config).catch(() => jsm.streams.update(config.name, config));
  };

  const declareDurable = async (
    name: string,
    config: { filter_subject?: string; max_deliver?: number } = {},
  ) => {
    const jsm = await jetstreamManager(bed.nats);
    await jsm.consumers.add(streamName(bed.prefix, 'notes'), {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(30_000),
      max_deliver: config.max_deliver ?? -1,
      filter_subject: config.filter_subject ?? `${bed.prefix}.notes.added`,
    });
  };

  const consumeManaged = async (consumerName: string, extra: Partial<ConsumerOptions> = {}) => {
    const consumer = await startConsumer({
      orm: bed.orm,
      nats: bed.nats,
      logger: silentLogger,
      service: READER,
      consumerName,
      subjectPrefix: bed.prefix,
      events: [notesAdded],
      handler: recordReceived(consumerName),
      managed: true,
      ...extra,
    });
    bed.keep(consumer);
    return consumer;
  };

  const streamExists = async () =>
    (await jetstreamManager(bed.nats)).streams
      .info(streamName(bed.prefix, 'notes'))
      .then(() => true)
      .catch(() => false);

  it('a consumer refuses to start when its stream is not declared, and creates none', async () => {
    await expect(consumeManaged('reader')).rejects.toMatchObject({
      reason: 'EVENT_STREAM_NOT_DECLARED',
      message: expect.stringMatching(
        new RegExp(`Event stream ${streamName(bed.prefix, 'notes')} does not exist; declare it`),
      ),
    });
    expect(await streamExists()).toBe(false);
  });

  it('a consumer refuses to start when its durable is not declared, and creates none', async () => {
    await declareStream({});
    await declareDeadLetterStream();
    await expect(consumeManaged('reader')).rejects.toMatchObject({
      reason: 'EVENT_STREAM_NOT_DECLARED',
      message: expect.stringContaining('Durable consumer reader on stream'),
    });
    const jsm = await jetstreamManager(bed.nats);
    expect(
      await jsm.consumers.info(streamName(bed.prefix, 'notes'), 'reader').catch(() => null),
    ).toBe(null);
  });

  it('a durable that filters out a wanted event or limits redeliveries is refused, naming both', async () => {
    await declareStream({});
    await declareDeadLetterStream();
    await declareDurable('narrow', {
      filter_subject: `${bed.prefix}.notes.removed`,
      max_deliver: 3,
    });
    // ADR 0025: a server limit would drop events unparked; the service parks poison events itself.
    await expect(consumeManaged('narrow')).rejects.toThrow(
      `filters out ${bed.prefix}.notes.added and allows only 3 deliveries where the service parks poison events itself`,
    );
  });

  it('ADR 0025 a consumer refuses to start when its service has no dead-letter stream, or one that denies deletes', async () => {
    await declareStream({});
    await declareDurable('reader');
    await expect(consumeManaged('reader')).rejects.toThrow(
      `Dead-letter stream ${deadLetterStreamName(bed.prefix, READER)} does not exist`,
    );
    await declareDeadLetterStream({ deny_delete: true });
    await expect(consumeManaged('reader')).rejects.toThrow('denies deletes');
  });

  it('a stream that does not take the service subjects or de-duplicates too briefly is refused', async () => {
    await declareStream({ subjects: [`${bed.prefix}.other.>`], duplicateWindowMs: 1000 });
    await expect(consumeManaged('reader')).rejects.toThrow(
      /does not take the subjects .*\.notes\.> and de-duplicates for less than 120 s/,
    );
  });

  it('with everything declared, the relay publishes into it and the consumer applies events, leaving the declaration as it was', async () => {
    await declareStream({});
    await declareDeadLetterStream();
    await declareDurable('reader');
    const jsm = await jetstreamManager(bed.nats);
    const before = (await jsm.streams.info(streamName(bed.prefix, 'notes'))).config;
    const outbox = notesOutbox(bed.prefix);
    bed.relay(outbox, { streamManaged: true });
    await consumeManaged('reader');
    const id = await addNote(bed.orm, outbox, 'agg-1', 1);
    await waitFor('the event', async () => (await receivedRows(bed.orm, 'reader')).length === 1);
    expect((await receivedRows(bed.orm, 'reader'))[0]!.event_id).toBe(id);
    const after = (await jsm.streams.info(streamName(bed.prefix, 'notes'))).config;
    expect(after).toEqual(before);
  });

  it('a managed relay never creates the stream: it reports not ready until the operator declares it', async () => {
    const outbox = notesOutbox(bed.prefix);
    const relay = bed.relay(outbox, { streamManaged: true });
    await waitFor('a failed round', () => relay.metrics().failures > 0);
    expect(relay.isReady()).toBe(false);
    expect(await streamExists()).toBe(false);
    await declareStream({});
    await waitFor('the relay to find the declared stream', () => relay.isReady());
  });
});

describe('subject filters', () => {
  it.each([
    ['aftercare.customer.>', 'aftercare.customer.created', true],
    ['aftercare.customer.created', 'aftercare.customer.created', true],
    ['aftercare.*.created', 'aftercare.customer.created', true],
    ['>', 'aftercare.customer.created', true],
    ['aftercare.customer.>', 'aftercare.customer', false],
    ['aftercare.customer.updated', 'aftercare.customer.created', false],
    ['aftercare.*', 'aftercare.customer.created', false],
  ])('%s matches %s: %s', (filter, subject, expected) => {
    expect(subjectMatches(filter, subject)).toBe(expected);
  });
});
