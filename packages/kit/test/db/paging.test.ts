import { EntitySchema } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { createTestDatabase, type TestDatabase } from '@aftercare/testkit';
import { keysetPage, keysetPagesByParent, migrateUp, openOrm, type Orm } from '../../src/db';
import { uuidv7 } from '../../src/ids';

/** A stand-in for any child list of a parent (a customer's assets, surveys …). */
interface Child {
  id: string;
  parentId: string;
  name: string;
}

const Child = new EntitySchema<Child>({
  name: 'Child',
  tableName: 'child',
  properties: {
    id: { type: 'uuid', primary: true },
    parentId: { type: 'uuid', fieldName: 'parent_id' },
    name: { type: 'text' },
  },
});

class ChildMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table child (id uuid primary key, parent_id uuid not null, name text not null)',
    );
  }
}

let db: TestDatabase;
let orm: Orm;
const [big, small, none] = [uuidv7(), uuidv7(), uuidv7()];

beforeAll(async () => {
  db = await createTestDatabase('kit_paging');
  orm = await openOrm({
    databaseUrl: db.url,
    entities: [Child],
    migrations: [{ name: '0001_child', class: ChildMigration }],
    poolMax: 5,
  });
  await migrateUp(orm);
  const em = orm.em.fork();
  for (let i = 0; i < 5; i++) em.create(Child, { id: uuidv7(), parentId: big, name: `big ${i}` });
  em.create(Child, { id: uuidv7(), parentId: small, name: 'small 0' });
  await em.flush();
});

afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const names = (page: { items: Child[] }) => page.items.map((c) => c.name);

it("pages many parents' children in one query, the same pages keysetPage gives one parent", async () => {
  const em = orm.em.fork();
  const sent: string[] = [];
  const knex = em.getConnection().getKnex();
  const listener = (query: { sql: string }) => sent.push(query.sql);
  knex.on('query', listener);
  const [bigPage, smallPage, nonePage, notUuid] = await keysetPagesByParent(em, Child, 'parentId', [
    { parentId: big, first: 2 },
    { parentId: small, first: 2 },
    { parentId: none, first: 2 },
    { parentId: 'not-a-uuid', first: 2 },
  ]);
  knex.off('query', listener);
  expect(sent).toHaveLength(1);
  expect(bigPage).toEqual(await keysetPage(em, Child, { parentId: big }, { first: 2 }));
  expect(names(bigPage!)).toEqual(['big 4', 'big 3']);
  expect(bigPage).toMatchObject({ total: 5, nextCursor: bigPage!.cursors[1] });
  expect(smallPage).toMatchObject({ total: 1, nextCursor: null });
  expect(names(smallPage!)).toEqual(['small 0']);
  expect(nonePage).toEqual({ items: [], cursors: [], total: 0, nextCursor: null });
  expect(notUuid).toEqual({ items: [], cursors: [], total: 0, nextCursor: null });
});

it('follows a cursor to the next page and refuses a page size or cursor that is not ours', async () => {
  const em = orm.em.fork();
  const [first] = await keysetPagesByParent(em, Child, 'parentId', [{ parentId: big, first: 2 }]);
  const [second] = await keysetPagesByParent(em, Child, 'parentId', [
    { parentId: big, first: 2, after: first!.nextCursor },
  ]);
  expect(names(second!)).toEqual(['big 2', 'big 1']);
  expect(second!.total).toBe(5);
  await expect(
    keysetPagesByParent(em, Child, 'parentId', [{ parentId: big, first: 101 }]),
  ).rejects.toMatchObject({ reason: 'INVALID_PAGE_SIZE' });
  await expect(
    keysetPagesByParent(em, Child, 'parentId', [{ parentId: big, after: 'x' }]),
  ).rejects.toMatchObject({ reason: 'INVALID_CURSOR' });
});

it('prepares the pages of one type once on a connection, and reads them again after a column is added (ADR 0037)', async () => {
  await orm.em
    .fork()
    .transactional(async (em) => {
      const pages = () =>
        keysetPagesByParent(em, Child, 'parentId', [{ parentId: big, first: 2 }]).then(([page]) =>
          names(page!),
        );
      expect(await pages()).toEqual(['big 4', 'big 3']);
      await em.execute('alter table child add column added_later text');
      em.clear();
      expect(await pages()).toEqual(['big 4', 'big 3']);
      const prepared = await em.execute<{ statement: string }[]>(
        "select statement from pg_prepared_statements where statement like '%from unnest(%'",
      );
      expect(prepared).toHaveLength(1);
      throw new RolledBack();
    })
    .catch((e: unknown) => {
      if (!(e instanceof RolledBack)) throw e;
    });
});

/** Ends a test's transaction without keeping what it changed. */
class RolledBack extends Error {}
