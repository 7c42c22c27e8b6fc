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
  const queries = jest.spyOn(em.getConnection(), 'execute');
  const [bigPage, smallPage, nonePage, notUuid] = await keysetPagesByParent(em, Child, 'parentId', [
    { parentId: big, first: 2 },
    { parentId: small, first: 2 },
    { parentId: none, first: 2 },
    { parentId: 'not-a-uuid', first: 2 },
  ]);
  expect(queries).toHaveBeenCalledTimes(1);
  queries.mockRestore();
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
