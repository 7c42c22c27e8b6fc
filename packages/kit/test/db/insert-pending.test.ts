import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { createTestDatabase, type TestDatabase } from '@aftercare/testkit';
import {
  insertAlone,
  insertPending,
  issueNumber,
  migrateUp,
  type NumberSeries,
  openOrm,
  type Orm,
  pendingNumber,
} from '../../src/db';
import { JsonWithDatesType } from '../../src/db/json-dates';
import { uuidv7 } from '../../src/ids';

// Two entity types, one referring to the other, with the column types a flush converts.
class Parcel {
  id!: string;
  code: string | null = null;
  tags: string[] = [];
  contents: Record<string, unknown> | null = null;
  sentAt!: Date;
}
class Label {
  id!: string;
  parcelId!: string;
  text!: string;
}
const ParcelSchema = new EntitySchema<Parcel>({
  class: Parcel,
  tableName: 'parcel',
  properties: {
    id: { type: 'uuid', primary: true },
    code: { type: 'text', nullable: true },
    tags: { type: 'string[]' },
    contents: { type: 'json', nullable: true },
    sentAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
const LabelSchema = new EntitySchema<Label>({
  class: Label,
  tableName: 'label',
  properties: {
    id: { type: 'uuid', primary: true },
    parcelId: { type: 'uuid' },
    text: { type: 'text' },
  },
});

// Every kind of column the services' entities have, under names that differ from their columns.
class Sample {
  id!: string;
  shortName!: string;
  longNote: string | null = null;
  itemCount!: number;
  smallCount!: number;
  ratioOf!: number;
  isDone!: boolean;
  happenedAt!: Date;
  dueOn!: string;
  priceFen!: number;
  payloadData!: Record<string, unknown>;
  valueObject: Record<string, unknown> | null = null;
  skillTags: string[] = [];
}
const SampleSchema = new EntitySchema<Sample>({
  class: Sample,
  tableName: 'sample',
  properties: {
    id: { type: 'uuid', primary: true },
    shortName: { type: 'string' },
    longNote: { type: 'text', nullable: true },
    itemCount: { type: 'integer' },
    smallCount: { type: 'smallint' },
    ratioOf: { type: 'double' },
    isDone: { type: 'boolean' },
    happenedAt: { type: 'Date', columnType: 'timestamptz' },
    dueOn: { type: 'string', columnType: 'date' },
    priceFen: { type: new BigIntType('number'), columnType: 'bigint' },
    payloadData: { type: 'json' },
    valueObject: { type: JsonWithDatesType, columnType: 'jsonb', nullable: true },
    skillTags: { type: 'string[]' },
  },
});

class ParcelMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table parcel (id uuid primary key, code text unique,
      tags text[] not null, contents jsonb, sent_at timestamptz not null)`);
    this.addSql(`create table number_sequence (prefix text not null, day text not null,
      last int not null, primary key (prefix, day))`);
    this.addSql('create sequence parcel_number_seq');
    this.addSql(`create table label (id uuid primary key,
      parcel_id uuid not null references parcel (id), text text not null)`);
    this.addSql(`create table sample (id uuid primary key, short_name varchar(255) not null,
      long_note text, item_count int not null, small_count smallint not null,
      ratio_of double precision not null, is_done boolean not null,
      happened_at timestamptz not null, due_on date not null, price_fen bigint not null,
      payload_data jsonb not null, value_object jsonb, skill_tags text[] not null)`);
  }
}

let db: TestDatabase;
let orm: Orm;

beforeAll(async () => {
  db = await createTestDatabase('kit_insert_pending');
  orm = await openOrm({
    databaseUrl: db.url,
    entities: [ParcelSchema, LabelSchema, SampleSchema],
    migrations: [{ name: '0001_parcel', class: ParcelMigration }],
  });
  await migrateUp(orm);
});

afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const parcel = (): Parcel =>
  Object.assign(new Parcel(), {
    id: uuidv7(),
    tags: ['fragile', 'a,b'],
    contents: { item: 'fuse', count: 2 },
    sentAt: new Date('2026-03-01T08:00:00.123Z'),
  });
const label = (p: Parcel, text: string): Label =>
  Object.assign(new Label(), { id: uuidv7(), parcelId: p.id, text });

/** Every statement knex sends for `orm`, transaction control included, while `run` runs. */
async function sentDuring<T>(run: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  const sent: string[] = [];
  const knex = orm.em.getConnection().getKnex();
  const listener = (query: { sql: string }) => sent.push(query.sql);
  knex.on('query', listener);
  try {
    return { result: await run(), sent };
  } finally {
    knex.off('query', listener);
  }
}

const control = /^(begin|commit|rollback)/i;

it('prepares the statement of one shape of rows once on a connection (ADR 0037)', async () => {
  await orm.em.fork().transactional(async (em) => {
    for (let i = 0; i < 2; i++) {
      em.persist(parcel());
      await insertPending(em);
    }
    const prepared = await em.execute<{ statement: string }[]>(
      'select statement from pg_prepared_statements where statement like \'insert into "parcel"%\'',
    );
    expect(prepared).toHaveLength(1);
  });
});

it('writes the pending new entities of every type in one statement, none left for the flush', async () => {
  const p = parcel();
  const { sent } = await sentDuring(() =>
    orm.em.fork().transactional(async (em) => {
      // The label is persisted first and refers to the parcel: checked at the statement's end.
      em.persist(label(p, 'first'));
      em.persist(p);
      em.persist(label(p, 'second'));
      await insertPending(em);
      expect(em.getUnitOfWork().getPersistStack().size).toBe(0);
    }),
  );
  expect(sent.filter((sql) => !control.test(sql))).toHaveLength(1);
  const em = orm.em.fork();
  expect(await em.findOneOrFail(Parcel, p.id)).toMatchObject({
    tags: p.tags,
    contents: p.contents,
    sentAt: p.sentAt,
  });
  expect(
    (await em.find(Label, { parcelId: p.id }, { orderBy: { text: 'asc' } })).map((l) => l.text),
  ).toEqual(['first', 'second']);
});

it('writes nothing when one row breaks a constraint, and refuses pending removals', async () => {
  const p = parcel();
  await expect(
    orm.em.fork().transactional(async (em) => {
      em.persist(p);
      em.persist(label(parcel(), 'of a parcel never written'));
      await insertPending(em);
    }),
  ).rejects.toThrow(/foreign key/);
  expect(await orm.em.fork().count(Parcel, { id: p.id })).toBe(0);

  await orm.em.fork().transactional(async (em) => {
    em.persist(p);
    await insertPending(em);
  });
  await expect(
    orm.em.fork().transactional(async (em) => {
      em.remove(await em.findOneOrFail(Parcel, p.id));
      await insertPending(em);
    }),
  ).rejects.toMatchObject({ reason: 'INSERT_PENDING_UNSUPPORTED' });
});

it('writes every kind of column exactly as a flush does', async () => {
  const sample = (): Sample =>
    Object.assign(new Sample(), {
      id: uuidv7(),
      shortName: 'it\'s "quoted", {braced}',
      itemCount: 3,
      smallCount: -2,
      ratioOf: 0.125,
      isDone: true,
      happenedAt: new Date('2026-12-04T07:30:00.456Z'),
      dueOn: '2026-12-31',
      priceFen: 9_007_199_254_740_991,
      payloadData: { list: [1, 'two', null], nested: { 'a,b': '{x}' } },
      valueObject: { signedAt: new Date('2026-12-04T08:00:00.000Z'), by: 'ming' },
      skillTags: ['MECHANICAL', 'a,b', 'with "quote"'],
    });
  const full = () => Object.assign(sample(), { longNote: 'a note' });
  const empty = () => Object.assign(sample(), { longNote: null, valueObject: null });
  const [flushedFull, flushedEmpty, written, writtenEmpty] = [full(), empty(), full(), empty()];
  await orm.em.fork().transactional(async (em) => {
    em.persist([flushedFull, flushedEmpty]);
    await em.flush();
  });
  await orm.em.fork().transactional(async (em) => {
    em.persist([written, writtenEmpty]);
    await insertPending(em);
  });
  const rowOf = async (id: string) =>
    (
      (await orm.em
        .fork()
        .getConnection()
        .execute(`select to_jsonb(s) - 'id' as row from sample s where id = ?`, [id])) as [
        { row: unknown },
      ]
    )[0].row;
  expect(await rowOf(written.id)).toEqual(await rowOf(flushedFull.id));
  expect(await rowOf(writtenEmpty.id)).toEqual(await rowOf(flushedEmpty.id));
  expect(await orm.em.fork().findOneOrFail(Sample, written.id)).toEqual(written);
});

describe('with a pending number', () => {
  const daily: NumberSeries = {
    prefix: 'PC',
    digits: 4,
    dated: true,
    source: { kind: 'daily-row', table: 'number_sequence' },
  };
  /** A parcel numbered in the statement: the number in a column, in JSON and in a label. */
  const send = (day: string, series = daily) =>
    orm.em.fork().transactional(async (em) => {
      const number = pendingNumber(series, day);
      const p = Object.assign(parcel(), {
        code: number.token,
        contents: { item: number.token, count: 1, seen: [{ 'as "it", {was}': number.token }] },
      });
      em.persist(p);
      em.persist(label(p, number.token));
      return { drawn: await insertPending(em, number), p };
    });

  it('draws the number in the statement that writes the rows, and puts it wherever its token stood', async () => {
    const { result, sent } = await sentDuring(() => send('2026-12-04'));
    expect(sent.filter((sql) => !control.test(sql))).toHaveLength(1);
    const { drawn, p } = result;
    expect(drawn).toBe('PC-20261204-0001');
    const expected = {
      code: drawn,
      contents: { item: drawn, count: 1, seen: [{ 'as "it", {was}': drawn }] },
    };
    expect(p).toMatchObject(expected);
    const em = orm.em.fork();
    expect(await em.findOneOrFail(Parcel, p.id)).toMatchObject(expected);
    expect(await em.findOneOrFail(Label, { parcelId: p.id })).toMatchObject({ text: drawn });
  });

  it('keeps numbers gap-free, ordered and unique: concurrent statements queue on the day, a failed one draws none', async () => {
    const day = '2026-12-05';
    const numbers = await Promise.all(Array.from({ length: 8 }, () => send(day)));
    expect(numbers.map((n) => n.drawn).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `PC-20261205-000${i + 1}`),
    );
    await expect(
      orm.em.fork().transactional(async (em) => {
        const number = pendingNumber(daily, day);
        em.persist(Object.assign(parcel(), { code: number.token }));
        em.persist(label(parcel(), 'of a parcel never written'));
        await insertPending(em, number);
      }),
    ).rejects.toThrow(/foreign key/);
    expect((await send(day)).drawn).toBe('PC-20261205-0009');
  });

  it('formats as issueNumber does, past the padding and from a sequence too', async () => {
    await orm.em
      .fork()
      .getConnection()
      .execute(`insert into number_sequence values ('PC', '20261206', 9998)`);
    expect((await send('2026-12-06')).drawn).toBe('PC-20261206-9999');
    expect((await send('2026-12-06')).drawn).toBe('PC-20261206-10000');
    const plain: NumberSeries = {
      prefix: 'PN',
      digits: 3,
      dated: false,
      source: { kind: 'sequence', name: 'parcel_number_seq' },
    };
    expect((await send('2026-12-06', plain)).drawn).toBe('PN-001');
    expect(await orm.em.fork().transactional((em) => issueNumber(em, plain, '2026-12-06'))).toBe(
      'PN-002',
    );
  });

  it('refuses a token inside a longer value or an array column, and a number with no rows', async () => {
    const number = pendingNumber(daily, '2026-12-07');
    await expect(
      orm.em.fork().transactional(async (em) => {
        em.persist(
          Object.assign(parcel(), { contents: { item: `box ${number.token}`, count: 1 } }),
        );
        await insertPending(em, number);
      }),
    ).rejects.toMatchObject({ reason: 'INSERT_PENDING_UNSUPPORTED' });
    await expect(
      orm.em.fork().transactional(async (em) => {
        em.persist(Object.assign(parcel(), { tags: [number.token] }));
        await insertPending(em, number);
      }),
    ).rejects.toMatchObject({ reason: 'INSERT_PENDING_UNSUPPORTED' });
    await expect(
      orm.em.fork().transactional((em) => insertPending(em, number)),
    ).rejects.toMatchObject({ reason: 'INSERT_PENDING_UNSUPPORTED' });
    expect((await send('2026-12-07')).drawn).toBe('PC-20261207-0001');
  });
});

describe('insertAlone', () => {
  const daily: NumberSeries = {
    prefix: 'PA',
    digits: 4,
    dated: true,
    source: { kind: 'daily-row', table: 'number_sequence' },
  };

  it('writes the rows and draws the number in one statement, no BEGIN or COMMIT, then kicks the relay', async () => {
    const number = pendingNumber(daily, '2026-12-08');
    const seenAtKick: Promise<number>[] = [];
    let p: Parcel | undefined;
    const outbox = {
      // What a relay woken now would find: the rows are committed by then.
      kick: () => seenAtKick.push(orm.em.fork().count(Parcel, { id: p!.id })),
    };
    const { result, sent } = await sentDuring(() =>
      insertAlone(
        orm,
        outbox,
        (em) => {
          p = Object.assign(parcel(), { code: number.token });
          em.persist(p);
          em.persist(label(p, number.token));
          return p;
        },
        number,
      ),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toMatch(/^\s*(begin|commit)/i);
    expect(result.code).toBe('PA-20261208-0001');
    expect(await Promise.all(seenAtKick)).toEqual([1]);
    expect(await orm.em.fork().count(Label, { parcelId: result.id, text: result.code! })).toBe(1);
  });

  it('writes nothing, draws no number and kicks nothing when the statement fails or persist waits', async () => {
    const day = '2026-12-09';
    const kick = jest.fn();
    await expect(
      insertAlone(
        orm,
        { kick },
        (em) => {
          em.persist(label(parcel(), 'of a parcel never written'));
        },
        pendingNumber(daily, day),
      ),
    ).rejects.toThrow(/foreign key/);
    const late = parcel();
    await expect(
      insertAlone(orm, { kick }, async (em) => {
        em.persist(late);
      }),
    ).rejects.toMatchObject({ reason: 'INSERT_PENDING_UNSUPPORTED' });
    expect(kick).not.toHaveBeenCalled();
    expect(await orm.em.fork().count(Parcel, { id: late.id })).toBe(0);
    const { result } = await sentDuring(() =>
      insertAlone(orm, { kick }, (em) => em.persist(parcel()), pendingNumber(daily, day)),
    );
    expect(result).toBeDefined();
    expect(
      await orm.em
        .fork()
        .execute(`select last from number_sequence where prefix = 'PA' and day = ?`, [
          day.replaceAll('-', ''),
        ]),
    ).toEqual([{ last: 1 }]);
  });
});
