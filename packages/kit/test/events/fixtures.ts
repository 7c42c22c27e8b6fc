import { defineEvent } from '@aftercare/events';
import { EntitySchema } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { migrateUp, openOrm, type EntityManager, type Orm } from '../../src/db';
import {
  createOutbox,
  deadLetterStreamName,
  KitEventsMigration,
  kitEventEntities,
  streamName,
  type EventEnvelope,
  type Outbox,
} from '../../src/events';
import { uuidv7 } from '../../src/ids';
import { createLogger } from '../../src/logger';
import { z } from 'zod';

/** Stand-in events of a stand-in `notes` service (the services' own are in @aftercare/events). */
const noteData = z.object({ noteId: z.uuid().optional(), seq: z.number().int() });
export const notesAdded = defineEvent({
  type: 'notes.added',
  version: 1,
  data: noteData,
  subject: 'the aggregate',
  summary: 'A note is added.',
});
export const notesRemoved = defineEvent({
  type: 'notes.removed',
  version: 1,
  data: noteData,
  subject: 'the aggregate',
  summary: 'A note is removed.',
});
/** Of another service: a consumer cannot mix it with the notes events (one stream each). */
export const archiveAdded = defineEvent({
  type: 'archive.added',
  version: 1,
  data: noteData,
  subject: 'the aggregate',
  summary: 'Something is archived.',
});
export type NoteEvent = typeof notesAdded | typeof notesRemoved;

export const notesOutbox = (subjectPrefix: string): Outbox<NoteEvent> =>
  createOutbox<NoteEvent>({ service: 'notes', subjectPrefix });

/** A stand-in aggregate: each note is a state change that emits `notes.added`. */
export interface Note {
  id: string;
  aggregateId: string;
  seq: number;
}

export const Note = new EntitySchema<Note>({
  name: 'Note',
  tableName: 'note',
  properties: {
    id: { type: 'uuid', primary: true },
    aggregateId: { type: 'text' },
    seq: { type: 'integer' },
  },
});

/** `note` is the producer's state; `received` is what a consumer applied (one row per handler run). */
class TestTablesMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table note (id uuid primary key, aggregate_id text not null, seq integer not null)',
    );
    this.addSql(
      'create table received (event_id uuid not null, consumer text not null, aggregate_id text not null, seq integer not null, n bigserial primary key)',
    );
  }
}

export async function openTestOrm(databaseUrl: string): Promise<Orm> {
  const orm = await openOrm({
    databaseUrl,
    entities: [...kitEventEntities, Note],
    migrations: [
      { name: '0000_kit_events', class: KitEventsMigration },
      { name: '0001_test_tables', class: TestTablesMigration },
    ],
  });
  await migrateUp(orm);
  return orm;
}

export const silentLogger = createLogger('events-test', 'silent');

/** The stand-in consuming service: its consumers park into `<PREFIX>_DEADLETTER_READER`. */
export const READER = 'reader';

/** Removes a test's streams (the producer's and the reader's dead letters) from the shared server. */
export async function deleteTestStreams(
  nats: NatsConnection,
  subjectPrefix: string,
): Promise<void> {
  const jsm = await jetstreamManager(nats);
  await Promise.all(
    [streamName(subjectPrefix, 'notes'), deadLetterStreamName(subjectPrefix, READER)].map((s) =>
      jsm.streams.delete(s).catch(() => false),
    ),
  );
}

/** Commits a note and its event together, as a use case would. */
export async function addNote(
  orm: Orm,
  outbox: Outbox<NoteEvent>,
  aggregateId: string,
  seq: number,
): Promise<string> {
  return orm.em.fork().transactional(async (tx) => {
    const note = tx.create(Note, { id: uuidv7(), aggregateId, seq });
    return outbox.publish(tx, notesAdded, aggregateId, { noteId: note.id, seq }).id;
  });
}

/** A consumer handler that records each application in `received`. */
export const recordReceived =
  (consumer: string) =>
  async (
    em: EntityManager,
    envelope: { id: string; subject: string; data: unknown },
  ): Promise<void> => {
    const { seq } = envelope.data as { seq: number };
    await em.execute(
      'insert into received (event_id, consumer, aggregate_id, seq) values (?, ?, ?, ?)',
      [envelope.id, consumer, envelope.subject, seq],
    );
  };

export async function receivedRows(
  orm: Orm,
  consumer: string,
): Promise<{ event_id: string; aggregate_id: string; seq: number }[]> {
  return orm.em
    .fork()
    .execute('select event_id, aggregate_id, seq from received where consumer = ? order by n', [
      consumer,
    ]);
}

export async function unpublishedCount(orm: Orm): Promise<number> {
  const [row] = await orm.em
    .fork()
    .execute<{ n: string }[]>('select count(*) as n from outbox where published_at is null');
  return Number(row?.n ?? 0);
}

/** Messages stored in the producer's stream: more than the events written means a double publish. */
export async function streamMessageCount(
  nats: NatsConnection,
  subjectPrefix: string,
  service: string,
): Promise<number> {
  const jsm = await jetstreamManager(nats);
  return (await jsm.streams.info(streamName(subjectPrefix, service))).state.messages;
}

export async function waitFor(
  what: string,
  predicate: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Asserts every expected event was applied exactly once and, per aggregate, in the order written. */
export function expectExactlyOnceInOrder(
  rows: { event_id: string; aggregate_id: string; seq: number }[],
  expectedIds: string[],
): void {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.event_id, (counts.get(r.event_id) ?? 0) + 1);
  expect([...counts.keys()].sort()).toEqual([...expectedIds].sort());
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  const byAggregate = new Map<string, number[]>();
  for (const r of rows)
    byAggregate.set(r.aggregate_id, [...(byAggregate.get(r.aggregate_id) ?? []), r.seq]);
  for (const seqs of byAggregate.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
}

/** An envelope of `notes.added`, as a producer would have sent it. */
export const noteEnvelope = <T = { seq: number }>(
  seq: number,
  data: T = { seq } as T,
): EventEnvelope<T> => ({
  specversion: '1.0',
  id: uuidv7(),
  source: 'notes',
  type: 'notes.added',
  time: new Date().toISOString(),
  subject: `agg-${seq}`,
  datacontenttype: 'application/json',
  dataschema: 'docs/events/schemas/notes.added.v1.json',
  dataversion: '1',
  data,
});
