import { createTestDatabase, type TestDatabase } from '@aftercare/testkit';
import pino from 'pino';
import { createBufferedInsert, openOrm, type Orm } from '../../src/db';
import { Metrics } from '../../src/observability/registry';

interface Line {
  n: number;
  note: string;
}

let db: TestDatabase;
let orm: Orm;
const logger = pino({ level: 'silent' });
const knex = () => orm.em.getConnection().getKnex();
const count = async (table: string): Promise<number> => {
  const { rows } = await knex().raw<{ rows: { n: string }[] }>(
    `select count(*) as n from ${table}`,
  );
  return Number(rows[0]!.n);
};
/** INSERT statements sent for `table` since the test began (knex reports each it runs). */
let inserts: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('kit_buffered_insert');
  orm = await openOrm({ databaseUrl: db.url, entities: [], migrations: [], poolMax: 3 });
  await knex().raw('create table line (n int not null, note text not null)');
  knex().on('query', (q: { sql: string }) => {
    if (/^insert/i.test(q.sql)) inserts.push(q.sql);
  });
});
beforeEach(() => (inserts = []));

afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const lines = (from: number, n: number): Line[] =>
  Array.from({ length: n }, (_, i) => ({ n: from + i, note: `line ${from + i}` }));

describe('createBufferedInsert', () => {
  it('writes many added rows with a few multi-row INSERTs, after the interval', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const buffer = createBufferedInsert<Line>({
      orm,
      table: 'line',
      flushIntervalMs: 50,
      batchRows: 400,
      maxRows: 10_000,
      logger,
      metrics,
    });
    for (let i = 0; i < 1000; i += 10) buffer.add(lines(i, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await count('line')).toBe(1000);
    // 1000 rows: two full batches of 400 flushed as they filled, the rest by the timer.
    expect(inserts.length).toBeLessThanOrEqual(3);
    expect(buffer.pending()).toBe(0);
    expect(await metrics.render()).toContain(
      'db_client_buffered_rows_total{db_table="line",outcome="written"} 1000',
    );
    await buffer.close();
  });

  it('keeps the rows of a failed flush, refuses past maxRows, and writes them all once it can', async () => {
    await knex().raw('create table later (n int not null, note text not null)');
    await knex().raw('alter table later rename to later_hidden');
    const metrics = new Metrics({ defaultMetrics: false });
    const buffer = createBufferedInsert<Line>({
      orm,
      table: 'later',
      flushIntervalMs: 10_000,
      batchRows: 100,
      maxRows: 150,
      logger,
      metrics,
    });
    buffer.add(lines(0, 50));
    await expect(buffer.flush()).rejects.toThrow();
    expect(buffer.pending()).toBe(50);
    buffer.add(lines(50, 50));
    let refusal: unknown;
    try {
      buffer.add(lines(100, 51));
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toMatchObject({ code: 'UNAVAILABLE', reason: 'BUFFER_FULL' });
    expect(buffer.pending()).toBe(100);
    const text = await metrics.render();
    expect(text).toContain('db_client_buffered_flush_failures_total{db_table="later"} 1');
    expect(text).toContain('db_client_buffered_rows_total{db_table="later",outcome="refused"} 51');

    await knex().raw('alter table later_hidden rename to later');
    await buffer.close();
    expect(await count('later')).toBe(100);
    expect(() => buffer.add(lines(200, 1))).toThrow(/shutting down/);
  });

  it('close() writes what is buffered at once, without waiting for the interval', async () => {
    const buffer = createBufferedInsert<Line>({
      orm,
      table: 'line',
      flushIntervalMs: 60_000,
      batchRows: 1000,
      maxRows: 10_000,
      logger,
    });
    const before = await count('line');
    buffer.add(lines(5000, 3));
    expect(await count('line')).toBe(before);
    await buffer.close();
    expect(await count('line')).toBe(before + 3);
    expect(inserts).toHaveLength(1);
  });
});
