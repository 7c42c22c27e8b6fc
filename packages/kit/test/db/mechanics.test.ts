import { EntitySchema } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { createTestDatabase, type TestDatabase } from '@aftercare/testkit';
import { changeOne, issueNumber, migrateUp, openOrm, type Orm, recordOnce } from '../../src/db';
import { AppError } from '../../src/errors';
import {
  type EventMessage,
  type EventPublisher,
  KitEventsMigration,
  kitEventEntities,
} from '../../src/events';
import { uuidv7 } from '../../src/ids';
import { notesAdded, notesOutbox } from '../events/fixtures';

interface Thing {
  id: string;
  name: string;
  secret: boolean;
}

const Thing = new EntitySchema<Thing>({
  name: 'Thing',
  tableName: 'thing',
  properties: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    secret: { type: 'boolean' },
  },
});

class Tables extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table thing (id uuid primary key, name text not null, secret boolean not null)',
    );
    this.addSql(
      'create table thing_history (id uuid primary key, thing_id uuid not null, said text not null)',
    );
    this.addSql(
      'create table fact (kind text not null, day text not null, seen int not null, primary key (kind, day))',
    );
    this.addSql(
      'create table number_sequence (prefix text not null, day text not null, last int not null, primary key (prefix, day))',
    );
    this.addSql('create sequence thing_number_seq');
  }
}

interface HistoryLine {
  id: string;
  thingId: string;
  said: string;
}
const HistoryLine = new EntitySchema<HistoryLine>({
  name: 'HistoryLine',
  tableName: 'thing_history',
  properties: {
    id: { type: 'uuid', primary: true },
    thingId: { type: 'uuid' },
    said: { type: 'text' },
  },
});

let db: TestDatabase;
let orm: Orm;
const events = notesOutbox('mechanics') as unknown as EventPublisher;

beforeAll(async () => {
  db = await createTestDatabase('kit_mechanics');
  orm = await openOrm({
    databaseUrl: db.url,
    entities: [...kitEventEntities, Thing, HistoryLine],
    migrations: [
      { name: '0000_kit_events', class: KitEventsMigration },
      { name: '0001_tables', class: Tables },
    ],
  });
  await migrateUp(orm);
});

afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const rows = async (sql: string) => (await orm.em.fork().execute(sql)) as Record<string, unknown>[];

async function thing(name: string, secret = false): Promise<string> {
  const id = uuidv7();
  await orm.em.fork().insert(Thing, { id, name, secret });
  return id;
}

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a refusal');
};

describe('changeOne', () => {
  const rename = (id: string, name: string, visible?: (t: Thing) => boolean) =>
    changeOne(
      { orm, events },
      {
        entity: Thing,
        label: 'Thing',
        id,
        field: 'thingId',
        visible,
        apply: (t, em) => {
          if (name === '') throw new AppError('INVALID_ARGUMENT', 'a name is required');
          t.name = name;
          return {
            records: [
              em.create(HistoryLine, { id: uuidv7(), thingId: t.id, said: `renamed to ${name}` }),
            ],
            // A stand-in event of the kit's tests, not one of the declared catalogue.
            events: [{ event: notesAdded, data: { seq: 1 } } as unknown as EventMessage],
          };
        },
      },
    );

  it('changes the row, writes its history line and its event in one transaction', async () => {
    const id = await thing('old');
    const changed = await rename(id, 'new');
    expect(changed.name).toBe('new');
    expect(await rows(`select name from thing where id = '${id}'`)).toEqual([{ name: 'new' }]);
    expect(await rows(`select said from thing_history where thing_id = '${id}'`)).toEqual([
      { said: 'renamed to new' },
    ]);
    expect(
      await rows(`select type, aggregate_id from outbox where aggregate_id = '${id}'`),
    ).toEqual([{ type: 'notes.added', aggregate_id: id }]);
  });

  it('writes nothing when apply refuses', async () => {
    const id = await thing('kept');
    await expect(rename(id, '')).rejects.toThrow('a name is required');
    expect(await rows(`select name from thing where id = '${id}'`)).toEqual([{ name: 'kept' }]);
    expect(await rows(`select * from thing_history where thing_id = '${id}'`)).toEqual([]);
    expect(await rows(`select * from outbox where aggregate_id = '${id}'`)).toEqual([]);
  });

  it('answers a missing row, an invisible one and a malformed id alike, naming what it is', async () => {
    const secret = await thing('hidden', true);
    const missing = await errorOf(rename(uuidv7(), 'x'));
    const hidden = await errorOf(rename(secret, 'x', (t) => !t.secret));
    expect([missing.code, hidden.code]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(hidden.message).toBe(`Thing ${secret} was not found`);
    expect(await rows(`select name from thing where id = '${secret}'`)).toEqual([
      { name: 'hidden' },
    ]);
    const malformed = await errorOf(rename('nope', 'x'));
    expect([malformed.code, malformed.field]).toEqual(['INVALID_ARGUMENT', 'thingId']);
  });

  it('serialises concurrent changes of one row (the lock), losing none', async () => {
    const id = await thing('0');
    const bump = () =>
      changeOne(
        { orm, events },
        {
          entity: Thing,
          label: 'Thing',
          id,
          apply: async (t) => {
            await new Promise((r) => setTimeout(r, 5));
            t.name = String(Number(t.name) + 1);
          },
        },
      );
    await Promise.all(Array.from({ length: 8 }, bump));
    expect(await rows(`select name from thing where id = '${id}'`)).toEqual([{ name: '8' }]);
  });
});

describe('recordOnce', () => {
  it('records a fact once however many record it at the same time', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 6 }, () =>
        orm.em
          .fork()
          .transactional((em) =>
            recordOnce(em, 'fact', { kind: 'breach', day: '2026-12-03', seen: 1 }),
          ),
      ),
    );
    expect(attempts.filter(Boolean)).toHaveLength(1);
    expect(await rows(`select count(*)::int as n from fact where kind = 'breach'`)).toEqual([
      { n: 1 },
    ]);
  });

  it('takes the conflict target when given and refuses names that are not plain identifiers', async () => {
    const em = orm.em.fork();
    expect(await recordOnce(em, 'fact', { kind: 'k', day: 'd', seen: 1 }, ['kind', 'day'])).toBe(
      true,
    );
    expect(await recordOnce(em, 'fact', { kind: 'k', day: 'd', seen: 2 }, ['kind', 'day'])).toBe(
      false,
    );
    await expect(recordOnce(em, 'fact; drop table fact', { kind: 'x' })).rejects.toThrow(
      'not a plain table or column name',
    );
    await expect(recordOnce(em, 'fact', { 'kind"': 'x' })).rejects.toThrow('not a plain');
  });
});

describe('issueNumber', () => {
  const daily = {
    prefix: 'WO',
    digits: 4,
    dated: true,
    source: { kind: 'daily-row', table: 'number_sequence' },
  } as const;
  const plain = {
    prefix: 'TH',
    digits: 6,
    dated: false,
    source: { kind: 'sequence', name: 'thing_number_seq' },
  } as const;

  it('counts a gap-free sequence per business day, and a plain one across days', async () => {
    const issue = (series: typeof daily | typeof plain, day: string) =>
      orm.em.fork().transactional((em) => issueNumber(em, series, day));
    expect(await issue(daily, '2026-12-03')).toBe('WO-20261203-0001');
    expect(await issue(daily, '2026-12-03')).toBe('WO-20261203-0002');
    expect(await issue(daily, '2026-12-04')).toBe('WO-20261204-0001');
    expect(await issue(plain, '2026-12-03')).toBe('TH-000001');
    expect(await issue(plain, '2026-12-04')).toBe('TH-000002');
  });

  it('gives concurrent issues of one day distinct, consecutive numbers', async () => {
    const numbers = await Promise.all(
      Array.from({ length: 10 }, () =>
        orm.em.fork().transactional((em) => issueNumber(em, daily, '2026-12-05')),
      ),
    );
    expect(numbers.sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `WO-20261205-${String(i + 1).padStart(4, '0')}`),
    );
  });
});
