import { EntitySchema } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { createTestDatabase, type TestDatabase } from '@aftercare/testkit';
import { insertPending, migrateUp, openOrm, type Orm } from '../../src/db';
import { uuidv7 } from '../../src/ids';

// Two entity types, one referring to the other, with the column types a flush converts.
class Parcel {
  id!: string;
  tags: string[] = [];
  contents: { item: string; count: number } | null = null;
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

class ParcelMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table parcel (id uuid primary key, tags text[] not null,
      contents jsonb, sent_at timestamptz not null)`);
    this.addSql(`create table label (id uuid primary key,
      parcel_id uuid not null references parcel (id), text text not null)`);
  }
}

let db: TestDatabase;
let orm: Orm;

beforeAll(async () => {
  db = await createTestDatabase('kit_insert_pending');
  orm = await openOrm({
    databaseUrl: db.url,
    entities: [ParcelSchema, LabelSchema],
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

it('writes the pending new entities of every type in one statement, none left for the flush', async () => {
  const p = parcel();
  const execute = jest.spyOn(orm.em.getConnection(), 'execute');
  try {
    await orm.em.fork().transactional(async (em) => {
      // The label is persisted first and refers to the parcel: checked at the statement's end.
      em.persist(label(p, 'first'));
      em.persist(p);
      em.persist(label(p, 'second'));
      await insertPending(em);
      expect(em.getUnitOfWork().getPersistStack().size).toBe(0);
    });
    expect(execute).toHaveBeenCalledTimes(1);
  } finally {
    execute.mockRestore();
  }
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
