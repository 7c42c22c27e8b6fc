import { EntitySchema, type Ref } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { createTestDatabase, type TestDatabase } from '@aftercare/testkit';
import {
  type EntityManager,
  findByUuid,
  findByUuids,
  migrateUp,
  openOrm,
  type Orm,
} from '../../src/db';
import { uuidv7 } from '../../src/ids';

// The column kinds the services read by id, a lazy formula (not loaded by a find) and a version.
class Ticket {
  id!: string;
  title!: string;
  tags: string[] = [];
  details: Record<string, unknown> | null = null;
  openedAt!: Date;
  ownerName?: string;
  version = 1;
}
const TicketSchema = new EntitySchema<Ticket>({
  class: Ticket,
  tableName: 'ticket',
  properties: {
    id: { type: 'uuid', primary: true },
    title: { type: 'string' },
    tags: { type: 'string[]' },
    details: { type: 'json', nullable: true },
    openedAt: { type: 'Date', columnType: 'timestamptz' },
    ownerName: { type: 'string', persist: false, lazy: true, formula: () => `'someone'` },
    version: { type: 'integer', version: true },
  },
});
// A relation: the plain SELECT does not read it, so lookups of this type go through em.find.
class Stub {
  id!: string;
  ticket!: Ref<Ticket>;
}
const StubSchema = new EntitySchema<Stub>({
  class: Stub,
  tableName: 'stub',
  properties: {
    id: { type: 'uuid', primary: true },
    ticket: { kind: 'm:1', entity: () => Ticket, ref: true },
  },
});

class TicketMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table ticket (id uuid primary key, title varchar(255) not null,
      tags text[] not null, details jsonb, opened_at timestamptz not null, version int not null default 1)`);
    this.addSql(
      'create table stub (id uuid primary key, ticket_id uuid not null references ticket (id))',
    );
  }
}

let db: TestDatabase;
let orm: Orm;

beforeAll(async () => {
  db = await createTestDatabase('kit_lookup');
  orm = await openOrm({
    databaseUrl: db.url,
    entities: [TicketSchema, StubSchema],
    migrations: [{ name: '0001_ticket', class: TicketMigration }],
  });
  await migrateUp(orm);
});

afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const ticket = (title: string): Ticket =>
  Object.assign(new Ticket(), {
    id: uuidv7(),
    title,
    tags: ['a,b', 'with "quote"'],
    details: { nested: [1, { at: '2026-12-04' }] },
    openedAt: new Date('2026-12-04T08:00:00.123Z'),
  });

async function saved(...tickets: Ticket[]): Promise<void> {
  const em = orm.em.fork();
  em.persist(tickets);
  await em.flush();
}

/** Statements `run` sends, whichever MikroORM or knex API sends them. */
async function statementsOf<T>(run: () => Promise<T>): Promise<{ result: T; statements: number }> {
  let statements = 0;
  const knex = orm.em.getConnection().getKnex();
  const count = () => void statements++;
  knex.on('query', count);
  try {
    return { result: await run(), statements };
  } finally {
    knex.off('query', count);
  }
}

it('reads an entity by id as findOne does, managed and change-tracked', async () => {
  const t = ticket('first');
  await saved(t);
  const em = orm.em.fork();
  const found = await findByUuid(em, Ticket, 'Ticket', t.id);
  expect(found).toEqual(await orm.em.fork().findOneOrFail(Ticket, t.id));
  expect(found).toMatchObject({ title: 'first', tags: t.tags, details: t.details, version: 1 });
  expect(found.openedAt).toEqual(t.openedAt);
  expect(found.ownerName).toBeUndefined();

  found.title = 'changed';
  await em.flush();
  expect(await orm.em.fork().findOneOrFail(Ticket, t.id)).toMatchObject({
    title: 'changed',
    version: 2,
  });
});

it('answers from the entity manager what it holds, and reads only the rest', async () => {
  const [a, b] = [ticket('a'), ticket('b')];
  await saved(a, b);
  const em = orm.em.fork();
  const held = await findByUuid(em, Ticket, 'Ticket', a.id);
  held.title = 'edited in memory';
  const again = await statementsOf(() => findByUuid(em, Ticket, 'Ticket', a.id));
  expect(again).toEqual({ result: held, statements: 0 });
  const both = await statementsOf(() => findByUuids(em, Ticket, [b.id, a.id]));
  expect(both.statements).toBe(1);
  expect(both.result.map((t) => t.title)).toEqual(['b', 'edited in memory']);
  expect(both.result[1]).toBe(held);
});

it('sees the rows of its own transaction', async () => {
  await orm.em.fork().transactional(async (em) => {
    const t = ticket('uncommitted');
    em.persist(t);
    await em.flush();
    em.clear();
    expect((await findByUuid(em, Ticket, 'Ticket', t.id)).title).toBe('uncommitted');
    expect(await orm.em.fork().findOne(Ticket, t.id)).toBeNull();
  });
});

it('refuses an unknown or malformed id, and leaves both out of a batch', async () => {
  const t = ticket('known');
  await saved(t);
  const unknown = uuidv7();
  await expect(findByUuid(orm.em.fork(), Ticket, 'Ticket', unknown)).rejects.toMatchObject({
    code: 'NOT_FOUND',
  });
  await expect(findByUuid(orm.em.fork(), Ticket, 'Ticket', 'nope')).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT',
  });
  const found = await findByUuids(orm.em.fork(), Ticket, [unknown, 'nope', t.id, t.id]);
  expect(found.map((x) => x.id)).toEqual([t.id, t.id]);
});

it('reads a type with relations through em.find', async () => {
  const t = ticket('with a stub');
  await saved(t);
  const stub = Object.assign(new Stub(), { id: uuidv7() });
  const em = orm.em.fork();
  stub.ticket = em.getReference(Ticket, t.id, { wrapped: true });
  em.persist(stub);
  await em.flush();
  const found = await findByUuid(orm.em.fork(), Stub, 'Stub', stub.id);
  expect(found.ticket.id).toBe(t.id);
});

describe('prepared once per connection (ADR 0037)', () => {
  /** The statements the transaction's connection holds prepared, by their text. */
  const preparedOn = async (em: EntityManager) =>
    (
      await em.execute<{ statement: string }[]>(
        "select statement from pg_prepared_statements where name like 'aftercare\\_%'",
      )
    ).map((row) => row.statement);

  it('parses a lookup once on a connection, whatever the number of ids', async () => {
    const [a, b, c] = [ticket('a'), ticket('b'), ticket('c')];
    await saved(a, b, c);
    await orm.em.fork().transactional(async (em) => {
      expect((await findByUuid(em, Ticket, 'Ticket', a.id)).title).toBe('a');
      em.clear();
      const found = await findByUuids(em, Ticket, [c.id, b.id, a.id]);
      expect(found.map((t) => t.title)).toEqual(['c', 'b', 'a']);
      const lookups = (await preparedOn(em)).filter((text) => text.includes('from "ticket"'));
      expect(lookups).toEqual([expect.stringMatching(/ = any\(\$1\)$/)]);
    });
  });

  it('keeps answering on a connection that prepared it after a column is added to the table', async () => {
    const t = ticket('before the migration');
    await saved(t);
    await orm.em
      .fork()
      .transactional(async (em) => {
        await findByUuid(em, Ticket, 'Ticket', t.id);
        await em.execute('alter table ticket add column added_later text');
        em.clear();
        expect((await findByUuid(em, Ticket, 'Ticket', t.id)).title).toBe('before the migration');
        // Rolled back: the column stays out of the other tests.
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
  });
});

class Rollback extends Error {}
