import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { statementsIn } from '@aftercare/testkit';
import { ensureStream, type EventEnvelope } from '../../src/events';
import { uuidv7 } from '../../src/ids';
import { countStatements, createMetrics, instrumentTransactions } from '../../src/observability';
import {
  expectExactlyOnceInOrder,
  noteEnvelope,
  receivedRows,
  recordReceived,
  waitFor,
} from './fixtures';
import { eventsTestBed } from './test-bed';

// Issue 12: events the consumer has already received together are applied in one transaction
// (one opening with all their inbox rows, one COMMIT); a failure sends each back to the path of one.
describe('a consumer applies the events it received together in one transaction (real PostgreSQL and NATS)', () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const bed = eventsTestBed('consumer_batches', {
    opened: (orm) => {
      countStatements(orm, metrics);
      instrumentTransactions(orm, metrics);
    },
  });

  const consume = bed.consume;

  /**
   * Publishes events as the relay would, one message each (`msgID` the NATS deduplication key),
   * into the producer's stream, made first if no consumer has made it yet.
   */
  const publish = async (
    envelopes: EventEnvelope<unknown>[],
    msgID = (e: EventEnvelope<unknown>) => e.id,
  ) => {
    await ensureStream(
      await jetstreamManager(bed.nats),
      { subjectPrefix: bed.prefix, service: 'notes' },
      { updateExisting: false },
    );
    const js = jetstream(bed.nats);
    for (const e of envelopes)
      await js.publish(`${bed.prefix}.notes.added`, JSON.stringify(e), { msgID: msgID(e) });
  };

  const burst = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ ...noteEnvelope(i + 1), subject: `agg-${i % 5}` }));

  const metricsText = async (name: string) => metrics.registry.getSingleMetricAsString(name);

  const statements = async (consumer: string) =>
    statementsIn(await metricsText('db_client_statements_total'), {
      kind: 'event_consumer',
      name: consumer,
    });

  /** Transactions of `consumer` timed with `outcome`. */
  const transactions = async (consumer: string, outcome: 'commit' | 'rollback') => {
    const line = (await metricsText('db_client_transaction_duration_seconds'))
      .split('\n')
      .find(
        (l) =>
          l.startsWith('db_client_transaction_duration_seconds_count{') &&
          l.includes(`db_transaction_name="${consumer}"`) &&
          l.includes(`outcome="${outcome}"`),
      );
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('issue 12: a burst received before the consumer starts is applied in fewer transactions than events, each once', async () => {
    const events = burst(60);
    await publish(events);
    const consumer = await consume('burst', recordReceived('burst'));
    await waitFor('the burst', () => consumer.metrics().processed === events.length);

    expectExactlyOnceInOrder(
      await receivedRows(bed.orm, 'burst'),
      events.map((e) => e.id),
    );
    const commits = await transactions('burst', 'commit');
    // At most 20 are pulled at once: three transactions at best, one per event at worst.
    expect(commits).toBeLessThan(events.length / 2);
    expect(await transactions('burst', 'rollback')).toBe(0);
    // Per transaction BEGIN with its inbox rows, and COMMIT; per event the handler's insert.
    expect(await statements('burst')).toBe(2 * commits + events.length);
    expect(consumer.metrics()).toMatchObject({ processed: 60, duplicates: 0, retries: 0 });
  });

  it('issue 12: an event failing in the middle of a burst is retried and then parked as alone; the others are applied once', async () => {
    const events = burst(30);
    const poison = events[12]!;
    await publish(events);
    const consumer = await consume(
      'poisoned',
      async (em, event, meta) => {
        if (event.id === poison.id) throw new Error(`refused at delivery ${meta.deliveryCount}`);
        await recordReceived('poisoned')(em, event);
      },
      { maxDeliver: 3 },
    );
    await waitFor('the poison event parked', () => consumer.metrics().parked === 1);
    await waitFor('the others', () => consumer.metrics().processed === events.length - 1);

    expectExactlyOnceInOrder(
      await receivedRows(bed.orm, 'poisoned'),
      events.filter((e) => e !== poison).map((e) => e.id),
    );
    // The batch's failure is not a delivery of its own: delivery 1 (rolled back with its batch,
    // then failing alone) and 2 are retried, 3 is parked — as for an event received alone.
    expect(consumer.metrics()).toMatchObject({ retries: 2, parked: 1, duplicates: 0 });
    expect(await transactions('poisoned', 'rollback')).toBeGreaterThanOrEqual(3);
  });

  it('issue 12: duplicates in a batch, of an applied event or of one beside them, are skipped', async () => {
    const [first, ...rest] = burst(10);
    await publish([first!]);
    const consumer = await consume('dups', recordReceived('dups'));
    await waitFor('the first event', () => consumer.metrics().processed === 1);
    await consumer.stop();

    // Published again under other NATS keys, as a relay that lost its marks would: the first
    // again and the fourth twice, among new events.
    const again = [first!, ...rest.slice(0, 4), rest[3]!, ...rest.slice(4)];
    await publish(again, () => uuidv7());
    const restarted = await consume('dups', recordReceived('dups'));
    await waitFor('the burst', () => restarted.metrics().duplicates === 2);
    await waitFor('the burst', () => restarted.metrics().processed === rest.length);

    expectExactlyOnceInOrder(
      await receivedRows(bed.orm, 'dups'),
      [first!, ...rest].map((e) => e.id),
    );
    expect(await transactions('dups', 'rollback')).toBe(0);
  });

  it('issue 12: an event received alone goes at once, in a transaction of its own', async () => {
    const consumer = await consume('alone', recordReceived('alone'));
    const [event] = burst(1);
    const started = Date.now();
    await publish([event!]);
    await waitFor('the event', () => consumer.metrics().processed === 1, 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await statements('alone')).toBe(3);
  });
});
