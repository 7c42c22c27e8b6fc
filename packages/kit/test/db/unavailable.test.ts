import { createServer } from 'node:net';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@aftercare/testkit';
import { migrateUp, openOrm, type Orm, unavailableFrom } from '../../src/db';
import { AppError, notFound } from '../../src/errors';

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const thrownBy = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );

let db: TestDatabase;
let orm: Orm;

beforeAll(async () => {
  db = await createTestDatabase('kit_unavailable');
  orm = await openOrm({
    databaseUrl: db.url,
    entities: [],
    migrations: [],
    poolMax: 2,
    // Long enough to open a connection on a busy machine; a full pool answers after it.
    acquireTimeoutMs: 2_000,
  });
  await migrateUp(orm);
});

afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

describe('unavailableFrom (issue 17: a database outage is not a bug)', () => {
  it('names a refused connection DATABASE_UNAVAILABLE', async () => {
    const client = new Client({ host: '127.0.0.1', port: await closedPort(), user: 'x' });
    const error = unavailableFrom(await thrownBy(client.connect()));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', reason: 'DATABASE_UNAVAILABLE' });
  });

  it('names a connection the server ended (restart, failover) DATABASE_UNAVAILABLE, through the ORM', async () => {
    const running = thrownBy(orm.em.fork().execute("select pg_sleep(10), 'kit-unavailable-probe'"));
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      // Wait until the query runs, then end its connection as a restarting server would.
      for (let ended = 0; ended === 0;) {
        const { rowCount } = await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
           where query like '%kit-unavailable-probe%' and pid <> pg_backend_pid()`,
        );
        ended = rowCount ?? 0;
      }
    } finally {
      await admin.end();
    }
    const error = await running;
    expect(unavailableFrom(error)).toMatchObject({
      code: 'UNAVAILABLE',
      reason: 'DATABASE_UNAVAILABLE',
    });
  });

  it('names a pool with no free connection DATABASE_BUSY', async () => {
    const knex = orm.em.getConnection().getKnex();
    // Taken one by one and always given back: a connection left out would hang the ORM's close.
    const held: unknown[] = [];
    try {
      for (let i = 0; i < 2; i++) held.push(await knex.client.acquireConnection());
      const error = await thrownBy(orm.em.fork().execute('select 1'));
      expect(unavailableFrom(error)).toMatchObject({
        code: 'UNAVAILABLE',
        reason: 'DATABASE_BUSY',
      });
    } finally {
      for (const c of held) await knex.client.releaseConnection(c);
    }
  });

  it('leaves errors of the request itself alone', async () => {
    const syntax = await thrownBy(orm.em.fork().execute('selec 1'));
    const unique = await thrownBy(orm.em.fork().execute('select 1/0'));
    for (const e of [
      syntax,
      unique,
      notFound('Customer', 'c-1'),
      new Error('connection to 10.0.0.3 refused'),
    ])
      expect(unavailableFrom(e)).toBeNull();
  });
});
