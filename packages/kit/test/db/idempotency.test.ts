import { EntitySchema } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { createTestDatabase, type TestDatabase } from '@aftercare/testkit';
import type { Identity } from '../../src/auth';
import {
  createOnce,
  type EntityManager,
  idempotencyKey,
  KitIdempotencyMigration,
  migrateUp,
  openOrm,
  type Orm,
  requestHash,
} from '../../src/db';
import { AppError } from '../../src/errors';
import { uuidv7 } from '../../src/ids';

/** A stand-in for any created thing (a customer, a work order …). */
interface Thing {
  id: string;
  name: string;
}

const Thing = new EntitySchema<Thing>({
  name: 'Thing',
  tableName: 'thing',
  properties: { id: { type: 'uuid', primary: true }, name: { type: 'text' } },
});

class ThingMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table thing (id uuid primary key, name text not null)');
  }
}

const alice: Identity = { userId: 'alice', roles: ['agent'] };
const bob: Identity = { userId: 'bob', roles: ['agent'] };

let db: TestDatabase;
let orm: Orm;

beforeAll(async () => {
  db = await createTestDatabase('kit_idempotency');
  orm = await openOrm({
    databaseUrl: db.url,
    entities: [Thing],
    migrations: [
      { name: '0000_kit_idempotency', class: KitIdempotencyMigration },
      { name: '0001_thing', class: ThingMigration },
    ],
    poolMax: 10,
  });
  await migrateUp(orm);
});

afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const count = async (table: string) =>
  Number(
    ((await orm.em.fork().execute(`select count(*) as n from ${table}`)) as { n: string }[])[0]!.n,
  );

/** Creates a thing named `name`, once per key. `slow` holds the transaction open a while. */
function createThing(
  name: string,
  key: string | null,
  caller = alice,
  options: { slowMs?: number; fail?: boolean } = {},
): Promise<Thing> {
  return createOnce(
    orm,
    {
      operation: 'test.createThing',
      caller,
      key: idempotencyKey(key),
      request: { name, idempotencyKey: key },
      idOf: (t) => t.id,
      load: (em: EntityManager, id) => em.findOneOrFail(Thing, { id }),
    },
    async (em) => {
      const thing = em.create(Thing, { id: uuidv7(), name });
      await em.flush();
      if (options.slowMs) await new Promise((r) => setTimeout(r, options.slowMs));
      if (options.fail) throw new AppError('UNAVAILABLE', 'the thing shop is closed');
      return thing;
    },
  );
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

describe('idempotent creates (kit, real PostgreSQL)', () => {
  it('issue 11 finding 5: 50 concurrent creates with one key all succeed with the first result, one row', async () => {
    const before = await count('thing');
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => createThing('fifty', 'k-fifty', alice, { slowMs: 20 })),
    );
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toEqual([]);
    const ids = new Set(results.map((r) => (r as PromiseFulfilledResult<Thing>).value.id));
    expect(ids.size).toBe(1);
    expect(await count('thing')).toBe(before + 1);
  });

  it('a repeat after the first committed returns the first result and writes nothing', async () => {
    const first = await createThing('once', 'k-once');
    const before = await count('thing');
    const again = await createThing('once', 'k-once');
    expect(again).toEqual({ id: first.id, name: 'once' });
    expect(await count('thing')).toBe(before);
  });

  it('the same key with a different request is refused with CONFLICT IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    await createThing('original', 'k-reused');
    const before = await count('thing');
    const err = await refusal(createThing('something else', 'k-reused'));
    expect(err).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await count('thing')).toBe(before);
  });

  it('a key belongs to one caller and one operation: another caller with the same key creates its own', async () => {
    const mine = await createThing('shared key', 'k-shared', alice);
    const theirs = await createThing('shared key', 'k-shared', bob);
    expect(theirs.id).not.toBe(mine.id);
  });

  it('a failed first call keeps no key: the repeat creates', async () => {
    const before = await count('thing');
    const err = await refusal(createThing('flaky', 'k-flaky', alice, { fail: true }));
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
    expect(await count('thing')).toBe(before);
    const created = await createThing('flaky', 'k-flaky');
    expect(created.name).toBe('flaky');
    expect(await count('thing')).toBe(before + 1);
  });

  it('concurrent repeats of a failing call all fail the same way, none INTERNAL', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        createThing('always failing', 'k-failing', alice, { fail: true, slowMs: 10 }),
      ),
    );
    expect(
      results.map((r) => (r.status === 'rejected' ? (r.reason as AppError).code : 'OK')),
    ).toEqual(Array(20).fill('UNAVAILABLE'));
  });

  it('without a key every call creates, as before', async () => {
    const before = await count('thing');
    const [a, b] = await Promise.all([createThing('twice', null), createThing('twice', null)]);
    expect(a.id).not.toBe(b.id);
    expect(await count('thing')).toBe(before + 2);
  });

  it('ADR 0013: an expired key is honoured no longer (the call creates again) and expired keys are purged', async () => {
    const first = await createThing('old', 'k-expired');
    await createThing('stale', 'k-stale');
    await orm.em
      .fork()
      .execute(
        `update idempotency_key set expires_at = now() - interval '1 second' where key in ('k-expired', 'k-stale')`,
      );
    const again = await createThing('old', 'k-expired');
    expect(again.id).not.toBe(first.id);
    const keys = (await orm.em
      .fork()
      .execute(`select key from idempotency_key where key in ('k-expired', 'k-stale')`)) as {
      key: string;
    }[];
    expect(keys.map((k) => k.key)).toEqual(['k-expired']);
  });
});

describe('idempotency keys and request hashes', () => {
  it.each([
    ['101 characters', 'k'.repeat(101)],
    ['a space', 'my key'],
    ['a control character', 'key\u0000'],
    ['non-ASCII text', '钥匙'],
  ])('refuses a key with %s as BAD_USER_INPUT naming the field', (_what, raw) => {
    expect(() => idempotencyKey(raw)).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        field: 'idempotencyKey',
        reason: 'INVALID_IDEMPOTENCY_KEY',
      }),
    );
  });

  it('takes 1–100 visible ASCII characters; missing or empty (proto3 default) is no key', () => {
    expect(idempotencyKey('k'.repeat(100))).toBe('k'.repeat(100));
    expect(idempotencyKey('survey-call:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBeTruthy();
    expect(idempotencyKey('')).toBeNull();
    expect(idempotencyKey(undefined)).toBeNull();
    expect(idempotencyKey(null)).toBeNull();
  });

  it('hashes the request canonically: key order and the idempotency key itself do not count', () => {
    expect(requestHash({ a: 1, b: { c: [1, 2], d: 'x' }, idempotencyKey: 'one' })).toBe(
      requestHash({ b: { d: 'x', c: [1, 2] }, a: 1, idempotencyKey: 'two' }),
    );
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ at: new Date('2026-11-02T00:00:00Z') })).toBe(
      requestHash({ at: '2026-11-02T00:00:00.000Z' }),
    );
  });
});
