import { EntitySchema } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { createTestDatabase, type TestDatabase } from '@aftercare/testkit';
import { insertTogether, migrateUp, openOrm, type Orm } from '../../src/db';
import { KitEventsMigration, kitEventEntities, OutboxRecord } from '../../src/events';
import { uuidv7 } from '../../src/ids';
import { notesAdded, notesOutbox } from '../events/fixtures';

/** Every kind of column the services' entities use. */
interface Entry {
  id: string;
  customerId: string;
  tags: string[];
  details: { said: string; lines: number[] } | null;
  count: number;
  at: Date;
  note: string | null;
}

const Entry = new EntitySchema<Entry>({
  name: 'Entry',
  tableName: 'entry',
  properties: {
    id: { type: 'uuid', primary: true },
    customerId: { type: 'uuid' },
    tags: { type: 'string[]' },
    details: { type: 'json', nullable: true },
    count: { type: 'integer' },
    at: { type: 'Date', columnType: 'timestamptz' },
    note: { type: 'text', nullable: true },
  },
});

class Tables extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table entry (id uuid primary key, customer_id uuid not null,
      tags text[] not null, details jsonb, count int not null, at timestamptz not null, note text)`);
  }
}

let db: TestDatabase;
let orm: Orm;
/** Statements sent since the test began, transaction control included. */
let sent: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('kit_insert_together');
  orm = await openOrm({
    databaseUrl: db.url,
    entities: [...kitEventEntities, Entry],
    migrations: [
      { name: '0000_kit_events', class: KitEventsMigration },
      { name: '0001_tables', class: Tables },
    ],
  });
  await migrateUp(orm);
  orm.em
    .getConnection()
    .getKnex()
    .on('query', (q: { sql: string }) => sent.push(q.sql));
});
beforeEach(() => (sent = []));

afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const entry = (note: string | null, details: Entry['details']): Entry =>
  orm.em.fork().create(
    Entry,
    {
      id: uuidv7(),
      customerId: uuidv7(),
      tags: ['a', 'b c', '"quoted"'],
      details,
      count: 3,
      at: new Date('2026-12-04T10:00:00.123Z'),
      note,
    },
    { persist: false },
  );

const read = (id: string) => orm.em.fork().findOneOrFail(Entry, { id });

describe('insertTogether', () => {
  it('writes rows of several tables with one statement, each as em.insert writes it', async () => {
    const [one, two, alone] = [
      entry('first', { said: 'x', lines: [1, 2] }),
      entry(null, null),
      entry('by em.insert', { said: 'x', lines: [1, 2] }),
    ];
    const outbox = orm.em.fork().create(
      OutboxRecord,
      {
        id: uuidv7(),
        subject: 't.notes.added',
        type: 'notes.added',
        aggregateId: 'a-1',
        payload: { data: { seq: 1 } } as unknown as OutboxRecord['payload'],
        headers: {},
        createdAt: new Date(),
        publishedAt: null,
        attempts: 0,
        lastError: null,
      },
      { persist: false },
    );
    await orm.em.fork().transactional(async (em) => {
      sent = [];
      await insertTogether(em, [one!, two!, outbox]);
      expect(sent).toHaveLength(1);
      await em.insert(alone!);
    });
    const { id: _id, customerId: _c, note: _n, ...asInserted } = await read(alone!.id);
    expect(await read(one!.id)).toMatchObject({ ...asInserted, id: one!.id, note: 'first' });
    expect(await read(two!.id)).toMatchObject({ details: null, note: null, tags: one!.tags });
    expect(await orm.em.fork().findOneOrFail(OutboxRecord, { id: outbox.id })).toMatchObject({
      payload: { data: { seq: 1 } },
      headers: {},
      attempts: 0,
    });
  });

  it('rolls back with its transaction', async () => {
    const kept = entry('rolled back', null);
    await expect(
      orm.em.fork().transactional(async (em) => {
        await insertTogether(em, [kept]);
        throw new Error('the change fails after the insert');
      }),
    ).rejects.toThrow('the change fails');
    expect(await orm.em.fork().findOne(Entry, { id: kept.id })).toBeNull();
  });
});

describe('Outbox.insertWithEvent', () => {
  it('writes the rows and the event in one statement, kicks the relay once committed, and leaves nothing to flush', async () => {
    const outbox = notesOutbox('together');
    let kicks = 0;
    outbox.onKick(() => (kicks += 1));
    const added = entry('with its event', null);
    const envelope = await orm.em.fork().transactional(async (em) => {
      sent = [];
      const published = await outbox.insertWithEvent(em, [added], notesAdded, 'note-1', {
        seq: 7,
      });
      expect(sent).toHaveLength(1);
      expect(kicks).toBe(0);
      return published;
    });
    // The statement, then COMMIT: the commit's flush found nothing to write.
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatch(/^commit/i);
    expect(kicks).toBe(1);
    expect(envelope).toMatchObject({ type: 'notes.added', subject: 'note-1', data: { seq: 7 } });
    expect(await orm.em.fork().findOneOrFail(OutboxRecord, { id: envelope.id })).toMatchObject({
      subject: 'together.notes.added',
      aggregateId: 'note-1',
      payload: envelope,
      publishedAt: null,
    });
    expect((await read(added.id)).note).toBe('with its event');
  });

  it('refuses data breaking the event schema before writing anything', async () => {
    const outbox = notesOutbox('together');
    const refused = entry('refused', null);
    await expect(
      orm.em.fork().transactional((em) =>
        outbox.insertWithEvent(em, [refused], notesAdded, 'note-2', {
          seq: 'seven',
        } as unknown as { seq: number }),
      ),
    ).rejects.toMatchObject({ reason: 'INVALID_EVENT' });
    expect(await orm.em.fork().findOne(Entry, { id: refused.id })).toBeNull();
  });
});
