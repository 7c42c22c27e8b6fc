import type { NatsConnection } from '@nats-io/transport-node';
import {
  createTestDatabase,
  TEST_NATS_URL,
  uniqueSubjectPrefix,
  type TestDatabase,
} from '@aftercare/testkit';
import type { Orm } from '../../src/db';
import {
  connectNats,
  startConsumer,
  startOutboxRelay,
  type ConsumerOptions,
  type EventConsumer,
  type OutboxRelay,
  type OutboxRelayOptions,
} from '../../src/events';
import {
  type archiveAdded,
  deleteTestStreams,
  type NoteEvent,
  notesAdded,
  openTestOrm,
  READER,
  silentLogger,
} from './fixtures';

/** What a bed's consumers may be given: the notes events, and another service's to be refused. */
type BedEvent = NoteEvent | typeof archiveAdded;

/** What the consumer tests of one file share, set up and torn down by jest hooks of its own. */
export interface EventsTestBed {
  readonly orm: Orm;
  readonly nats: NatsConnection;
  /** The running test's subject prefix: each test has its own streams. */
  readonly prefix: string;
  /** Stops `started` (a consumer, a relay) once the running test has ended. */
  keep<T extends { stop(): Promise<unknown> }>(started: T): T;
  /**
   * A consumer of `notes.added` for READER under the running test's prefix, kept: the bed's
   * consumer defaults, then `extra`.
   */
  consume(
    consumerName: string,
    handler: ConsumerOptions<NoteEvent>['handler'],
    extra?: Partial<ConsumerOptions<BedEvent>>,
  ): Promise<EventConsumer>;
  /** A relay of `outbox` polling every 50 ms unless `extra` says otherwise, kept. */
  relay(outbox: OutboxRelayOptions['outbox'], extra?: Partial<OutboxRelayOptions>): OutboxRelay;
}

/**
 * A database of its own with the notes tables (`events_<name>`), one NATS connection, a fresh
 * subject prefix for every test, and what a test started stopped after it; at the end the
 * prefixes' streams are deleted so the shared server does not accumulate test data. Call it in a
 * `describe`: it registers that describe's hooks. `opened` instruments the ORM before any test.
 */
export function eventsTestBed(
  name: string,
  options: {
    opened?: (orm: Orm) => void;
    consumerDefaults?: Partial<ConsumerOptions<BedEvent>>;
  } = {},
): EventsTestBed {
  let db: TestDatabase | undefined;
  let orm: Orm | undefined;
  let nats: NatsConnection | undefined;
  let prefix = '';
  const prefixes: string[] = [];
  const running: { stop(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(`events_${name}`);
    orm = await openTestOrm(db.url);
    options.opened?.(orm);
    nats = await connectNats({ url: TEST_NATS_URL, name: `${name}-test`, logger: silentLogger });
  });

  beforeEach(() => {
    prefix = uniqueSubjectPrefix(name);
    prefixes.push(prefix);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    if (nats) await Promise.all(prefixes.map((p) => deleteTestStreams(nats!, p)));
    await nats?.close();
    await orm?.close();
    await db?.drop();
  });

  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the events test bed is used before its beforeAll');
    return value;
  };
  const keep = <T extends { stop(): Promise<unknown> }>(started: T): T => {
    running.push(started);
    return started;
  };

  return {
    get orm() {
      return opened(orm);
    },
    get nats() {
      return opened(nats);
    },
    get prefix() {
      return prefix;
    },
    keep,
    async consume(consumerName, handler, extra = {}) {
      return keep(
        await startConsumer({
          orm: opened(orm),
          nats: opened(nats),
          logger: silentLogger,
          service: READER,
          consumerName,
          subjectPrefix: prefix,
          events: [notesAdded],
          handler,
          nakDelayMs: 20,
          ...options.consumerDefaults,
          ...extra,
        }),
      );
    },
    relay: (outbox, extra = {}) =>
      keep(
        startOutboxRelay({
          orm: opened(orm),
          nats: opened(nats),
          outbox,
          logger: silentLogger,
          pollIntervalMs: 50,
          ...extra,
        }),
      ),
  };
}
