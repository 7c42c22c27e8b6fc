import type { NatsConnection } from '@nats-io/transport-node';
import {
  createTestDatabase,
  statementsIn,
  TEST_NATS_URL,
  uniqueSubjectPrefix,
  type TestDatabase,
} from '@aftercare/testkit';
import type { Orm } from '../../src/db';
import { connectNats, startOutboxRelay } from '../../src/events';
import { countStatements, createMetrics } from '../../src/observability';
import {
  addNote,
  deleteTestStreams,
  notesOutbox,
  openTestOrm,
  silentLogger,
  streamMessageCount,
  unpublishedCount,
  waitFor,
} from './fixtures';

let db: TestDatabase;
let orm: Orm;
let nats: NatsConnection;
const prefix = uniqueSubjectPrefix('relay_trips');

beforeAll(async () => {
  db = await createTestDatabase('events_relay_trips');
  orm = await openTestOrm(db.url);
  nats = await connectNats({ url: TEST_NATS_URL, name: 'relay-trips', logger: silentLogger });
});

afterAll(async () => {
  await deleteTestStreams(nats, prefix);
  await nats?.close();
  await orm?.close();
  await db?.drop();
});

/** A relay that polls once a minute: within a test it runs the first round and the drain only. */
const relayWithoutPolls = (outbox: ReturnType<typeof notesOutbox>) =>
  startOutboxRelay({ orm, nats, outbox, logger: silentLogger, pollIntervalMs: 60_000 });

const relayStatements = async (metrics: ReturnType<typeof createMetrics>): Promise<number> =>
  statementsIn(await metrics.registry.getSingleMetricAsString('db_client_statements_total'), {
    kind: 'outbox_relay',
  });

it('issue 12: a relay round costs two round trips whatever its batch (BEGIN with the claim, the mark with COMMIT)', async () => {
  const outbox = notesOutbox(prefix);
  for (let seq = 0; seq < 7; seq++) await addNote(orm, outbox, 'agg', seq);
  const metrics = createMetrics({ defaultMetrics: false });
  countStatements(orm, metrics);
  // No poll during the test: the first round, then the drain at stop, are the only rounds.
  const relay = relayWithoutPolls(outbox);
  try {
    await waitFor(
      'the seven events to be published',
      async () => (await unpublishedCount(orm)) === 0,
    );
  } finally {
    await relay.stop(2000);
  }
  expect(await streamMessageCount(nats, prefix, 'notes')).toBe(7);
  // First round: "anything unpublished?" 1, the batch of seven 2, the hourly purge 1; the drain
  // at stop claims nothing: 2.
  expect(await relayStatements(metrics)).toBe(6);
  const [row] = await orm.em
    .fork()
    .execute<{ attempts: number; last_error: string | null }[]>(
      'select min(attempts) as attempts, max(last_error) as last_error from outbox',
    );
  expect(row).toEqual({ attempts: 1, last_error: null });
  // BEGIN and COMMIT went over the same pooled connection: none was handed back mid-transaction.
  const open = await orm.em
    .fork()
    .execute<{ n: string }[]>(
      "select count(*) as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'",
    );
  expect(Number(open[0]!.n)).toBe(0);
});

it('ADR 0038: every relay round ends with a COMMIT that does not wait for the disk', async () => {
  const outbox = notesOutbox(prefix);
  await addNote(orm, outbox, 'agg-async', 1);
  const sent: string[] = [];
  const knex = orm.em.getConnection().getKnex();
  const record = ({ sql }: { sql: string }) => sent.push(sql);
  knex.on('query', record);
  const relay = relayWithoutPolls(outbox);
  try {
    await waitFor('the event to be published', async () => (await unpublishedCount(orm)) === 0);
  } finally {
    await relay.stop(2000);
    knex.off('query', record);
  }
  const marks = sent.filter((sql) => sql.startsWith('update outbox set published_at'));
  expect(marks).toHaveLength(1);
  expect(marks[0]).toMatch(/; set local synchronous_commit = off; commit$/);
  // The drain at stop claims nothing and commits alone, asynchronously too.
  const commits = sent.filter((sql) => /\bcommit$/.test(sql));
  expect(commits).toHaveLength(2);
  for (const sql of commits) expect(sql).toMatch(/set local synchronous_commit = off; commit$/);
});
