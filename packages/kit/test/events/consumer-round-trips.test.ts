import { createTestDatabase, statementsIn, type TestDatabase } from '@aftercare/testkit';
import type { EntityManager, Orm } from '../../src/db';
import { transactionalOpening } from '../../src/db/opened-transaction';
import { applyEventOnce, type EventEnvelope, type EventMeta } from '../../src/events';
import { uuidv7 } from '../../src/ids';
import {
  countStatements,
  createMetrics,
  instrumentTransactions,
  runAsWork,
} from '../../src/observability';
import {
  Note,
  notesAdded,
  notesOutbox,
  openTestOrm,
  receivedRows,
  recordReceived,
  noteEnvelope,
} from './fixtures';

let db: TestDatabase;
let orm: Orm;
const metrics = createMetrics({ defaultMetrics: false });

beforeAll(async () => {
  db = await createTestDatabase('events_consumer_trips');
  orm = await openTestOrm(db.url);
  countStatements(orm, metrics);
  instrumentTransactions(orm, metrics);
});

afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const envelope = (seq: number): EventEnvelope<Record<string, unknown>> => noteEnvelope(seq);

const meta = (consumer: string): EventMeta => ({
  consumer,
  subject: 'test.notes.added',
  deliveryCount: 1,
  streamSequence: 1,
});

/** Applies as the consumer loop does, under the consumer's own label for the counts. */
const apply = (
  consumer: string,
  event: EventEnvelope<Record<string, unknown>>,
  handler: (em: EntityManager, e: { id: string; subject: string; data: unknown }) => Promise<void>,
) =>
  runAsWork({ kind: 'event_consumer', name: consumer }, () =>
    applyEventOnce(orm, consumer, handler, notesAdded, event, meta(consumer)),
  );

const statements = async (consumer: string): Promise<number> =>
  statementsIn(await metrics.registry.getSingleMetricAsString('db_client_statements_total'), {
    kind: 'event_consumer',
    name: consumer,
  });

/** Transactions of `consumer` timed with `outcome` (MikroORM's events reached the subscriber). */
const transactions = async (consumer: string, outcome: 'commit' | 'rollback') => {
  const text = await metrics.registry.getSingleMetricAsString(
    'db_client_transaction_duration_seconds',
  );
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('db_client_transaction_duration_seconds_count{') &&
        l.includes(`db_transaction_name="${consumer}"`) &&
        l.includes(`outcome="${outcome}"`),
    );
  return line && Number(line.split(' ').pop());
};

const inboxRows = async (consumer: string): Promise<number> => {
  const [row] = await orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) as n from inbox where consumer = ?', [consumer]);
  return Number(row!.n);
};

/** Connections the pool holds inside a transaction (open or aborted): none may be left so. */
const connectionsInTransaction = async (): Promise<number> => {
  const [row] = await orm.em
    .fork()
    .execute<{ n: string }[]>(
      "select count(*) as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'",
    );
  return Number(row!.n);
};

it('issue 12: BEGIN travels with the inbox row; a duplicate delivery costs two statements and runs nothing', async () => {
  const event = envelope(1);
  expect(await apply('trips', event, recordReceived('trips'))).toBe(true);
  // BEGIN with the inbox row 1, the handler's insert 1, COMMIT 1.
  expect(await statements('trips')).toBe(3);
  expect(await apply('trips', event, recordReceived('trips'))).toBe(false);
  // BEGIN with the inbox row that conflicts 1, COMMIT 1.
  expect(await statements('trips')).toBe(5);
  expect(await receivedRows(orm, 'trips')).toHaveLength(1);
  expect(await inboxRows('trips')).toBe(1);
  expect(await transactions('trips', 'commit')).toBe(2);
  expect(await connectionsInTransaction()).toBe(0);
});

it('issue 12: a failing handler rolls its inbox row back with its writes, flushed or not', async () => {
  const event = envelope(2);
  const failing = async (em: EntityManager, e: { id: string; subject: string; data: unknown }) => {
    await recordReceived('failing')(em, e);
    em.create(Note, { id: uuidv7(), aggregateId: e.subject, seq: 2 });
    await em.flush();
    throw new Error('handler failed');
  };
  await expect(apply('failing', event, failing)).rejects.toThrow('handler failed');
  expect(await inboxRows('failing')).toBe(0);
  expect(await receivedRows(orm, 'failing')).toHaveLength(0);
  const notes = await orm.em.fork().count(Note, { aggregateId: event.subject });
  expect(notes).toBe(0);
  expect(await transactions('failing', 'rollback')).toBe(1);
  expect(await connectionsInTransaction()).toBe(0);
  // Redelivered, it applies: the rollback left nothing that marks it applied.
  expect(await apply('failing', event, recordReceived('failing'))).toBe(true);
  expect(await receivedRows(orm, 'failing')).toHaveLength(1);
});

it("issue 12: the handler's unit of work and outbox are in the transaction, and the relay is kicked after COMMIT", async () => {
  const outbox = notesOutbox('trips');
  let kicks = 0;
  const unsubscribe = outbox.onKick(() => (kicks += 1));
  const event = envelope(3);
  await apply('publishing', event, async (em, e) => {
    em.create(Note, { id: uuidv7(), aggregateId: e.subject, seq: 3 });
    outbox.publish(em, notesAdded, e.subject, { seq: 3 });
    expect(kicks).toBe(0);
  });
  unsubscribe();
  expect(kicks).toBe(1);
  expect(await orm.em.fork().count(Note, { aggregateId: event.subject })).toBe(1);
  const [row] = await orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) as n from outbox where aggregate_id = ?', [
      event.subject,
    ]);
  expect(Number(row!.n)).toBe(1);
});

it('refuses to write a consumer name or an event id it has not checked into the text', async () => {
  const handler = jest.fn();
  await expect(apply("x'); drop table inbox; --", envelope(4), handler)).rejects.toThrow(
    'not an identifier',
  );
  await expect(
    apply('trips', { ...envelope(4), id: "1'; drop table inbox; --" }, handler),
  ).rejects.toThrow('not a UUID');
  expect(handler).not.toHaveBeenCalled();
  expect(await inboxRows('trips')).toBe(1);
});

it('a failed opening is rolled back before its connection returns to the pool', async () => {
  const run = jest.fn();
  // BEGIN passes and the next statement fails: the session is left in an aborted transaction.
  await expect(transactionalOpening(orm, 'begin; select 1 / 0', run)).rejects.toThrow(
    'division by zero',
  );
  expect(run).not.toHaveBeenCalled();
  expect(await connectionsInTransaction()).toBe(0);
  // The pool's connections still work.
  await expect(
    Promise.all([1, 2, 3].map(() => orm.em.fork().execute('select 1'))),
  ).resolves.toHaveLength(3);
});
