import { createTestDatabase, type TestDatabase } from '@aftercare/testkit';
import { openOrm, type Orm } from '../../src/db';
import { countStatements, createMetrics, runAsWork } from '../../src/observability';

let db: TestDatabase;
let orm: Orm;

beforeAll(async () => {
  db = await createTestDatabase('kit_statements');
  orm = await openOrm({ databaseUrl: db.url, entities: [], migrations: [], poolMax: 2 });
});

afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const counted = async (metrics: ReturnType<typeof createMetrics>) =>
  Object.fromEntries(
    (await metrics.registry.getSingleMetricAsString('db_client_statements_total'))
      .split('\n')
      .filter((line) => line.startsWith('db_client_statements_total{'))
      .map((line) => {
        const [series, value] = line.split(' ');
        return [series!.slice('db_client_statements_total'.length), Number(value)];
      }),
  );

it('counts every statement by the unit of work that sent it, transaction control included', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  countStatements(orm, metrics);
  await runAsWork({ kind: 'graphql', name: 'RegisterThing' }, () =>
    orm.em.fork().transactional(async (tx) => {
      await tx.execute('select 1');
      await tx.execute('select 2');
    }),
  );
  await orm.em.fork().execute('select 3');
  expect(await counted(metrics)).toEqual({
    // BEGIN, two statements, COMMIT
    '{db_transaction_kind="graphql",db_transaction_name="RegisterThing"}': 4,
    '{db_transaction_kind="other",db_transaction_name="other"}': 1,
  });
});
