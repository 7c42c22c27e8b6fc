// `npm run bench`: starts the built services and the gateway in this process against the local
// PostgreSQL and NATS (fresh databases and streams, dropped afterwards), drives each scenario
// through the gateway at a fixed rate, and prints throughput and latency percentiles. A
// measurement tool, not part of CI: it asserts nothing.
//   BENCH_RATE    requests/s, or a comma-separated list to step up to saturation (default 50)
//   BENCH_SECONDS per rate (default 10)
//   BENCH_ONLY    comma-separated scenario names or prefixes (e.g. "survey", "inventory.issueParts")
//   BENCH_PROFILE=1 also prints SQL statements per request, by service (to spot N+1 queries)
const { randomBytes, randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { fixedRate } = require('./load');

const root = path.join(__dirname, '..', '..');
const need = (p) => require(path.join(root, p));
const kit = need('packages/kit/dist');
const testkit = need('packages/testkit/dist');
const { createGateway, signDevToken, SUPERGRAPH_FILE } = need('gateway/dist');
const { jetstream } = require('@nats-io/jetstream');
const { connect } = require('@nats-io/transport-node');
const scenarios = require('./scenarios');

const rates = String(process.env.BENCH_RATE || 50)
  .split(',')
  .map(Number);
const seconds = Number(process.env.BENCH_SECONDS || 10);
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const SECRET = randomBytes(32).toString('base64url');
const warmUp = (rate) => Math.min(rate, 20);

/**
 * Counts the statements each database receives, by wrapping `query` of every copy of the `pg`
 * driver in node_modules (MikroORM may bring its own). Everything runs in this process.
 */
function countStatements() {
  const counts = new Map();
  const drivers = [
    path.join(root, 'node_modules/pg'),
    path.join(root, 'node_modules/@mikro-orm/postgresql/node_modules/pg'),
  ];
  for (const dir of drivers) {
    let Client;
    try {
      ({ Client } = require(dir));
    } catch {
      continue;
    }
    const query = Client.prototype.query;
    Client.prototype.query = function (...args) {
      const db = this.connectionParameters?.database;
      counts.set(db, (counts.get(db) ?? 0) + 1);
      return query.apply(this, args);
    };
  }
  return counts;
}
const statements = process.env.BENCH_PROFILE ? countStatements() : null;

async function main() {
  const tag = `bench${randomBytes(3).toString('hex')}`;
  const pg = process.env.PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  const started = [];
  const subgraphUrls = {};
  const shared = {};
  const databases = {};
  const nc = await connect({ servers: natsUrl });
  let gateway;
  let cleaning;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await gateway?.http.close(2000);
      for (const s of started.reverse()) await s.stop();
      await nc.close();
      for (const db of Object.values(databases)) await kit.dropDatabase(db).catch(() => {});
      await testkit.deleteStreams(tag, natsUrl);
    })());
  // Ctrl-C mid-run still drops this run's databases and streams (they live on a shared server).
  process.once('SIGINT', () => {
    console.error('interrupted: cleaning up');
    cleanUp().finally(() => process.exit(130));
  });
  try {
    for (const s of scenarios.services) {
      const svc = need(`services/${s}/dist`);
      const exported = (re) => svc[Object.keys(svc).find((k) => re.test(k))];
      databases[s] = kit.withDatabase(pg, `${tag}_${s}`);
      const config = exported(/^load\w+Config$/)({
        ...process.env,
        PG_URL: pg,
        NATS_URL: natsUrl,
        DATABASE_NAME: `${tag}_${s}`,
        EVENT_SUBJECT_PREFIX: tag,
        HTTP_PORT: '0',
        GRPC_PORT: '0',
        LOG_LEVEL: 'warn',
        ...testkit.TEST_AUTH_ENV,
        ...shared,
      });
      const running = await exported(/^start\w+Service$/)(config);
      started.push(running);
      subgraphUrls[s] = `http://127.0.0.1:${running.httpPort}/graphql`;
      // Later services reach earlier ones over gRPC (workorder → customer, inventory → workorder …).
      shared[`${s.toUpperCase()}_GRPC_ADDRESS`] = `127.0.0.1:${running.grpcPort}`;
    }
    gateway = createGateway({
      supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
      subgraphUrls,
      jwt: { secret: SECRET },
      allowIntrospection: false,
      maxQueryDepth: 10,
      maxQueryCost: 1000,
      signingKey: kit.parseSigningKey(testkit.TEST_AUTH_ENV.INTERNAL_AUTH_PRIVATE_KEY),
      logger: kit.createLogger('gateway', 'warn'),
    });
    const port = await gateway.http.listen('127.0.0.1', 0);
    const url = `http://127.0.0.1:${port}/graphql`;
    const tokens = new Map();
    const token = (sub, roles) => {
      const key = `${sub}|${roles.join(',')}`;
      if (!tokens.has(key))
        tokens.set(key, signDevToken({ sub, roles, secret: SECRET, ttl: '2h' }));
      return tokens.get(key);
    };
    const gql = async (query, variables, roles = ['agent', 'dispatcher', 'manager'], user) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token(user ?? 'bench', roles)}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      if (body.errors) throw new Error(body.errors[0].message);
      return body.data;
    };
    const js = jetstream(nc);
    const publish = (type, data) => {
      const id = randomUUID();
      const envelope = {
        id,
        type,
        source: type.split('.')[0],
        time: new Date().toISOString(),
        subject: data.workOrderId ?? id,
        dataVersion: '1',
        data,
      };
      return js.publish(`${tag}.${type}`, JSON.stringify(envelope), { msgID: id });
    };
    const sql = (service, text, params) => testkit.dbQuery(databases[service], text, params);

    console.log(
      `rates ${rates.join(', ')}/s, ${seconds}s each, Node ${process.version}, ` +
        `${require('node:os').availableParallelism()} CPUs, all services and the gateway in one process`,
    );
    for (const scenario of scenarios.list) {
      if (only && !only.some((o) => scenario.name.startsWith(o))) continue;
      const requests = rates.reduce((n, r) => n + warmUp(r) + Math.round(r * seconds), 0);
      const request = await scenario.prepare({ gql, requests, publish, sql });
      for (const rate of rates) {
        await fixedRate({ rate: warmUp(rate), seconds: 1, request });
        statements?.clear();
        const result = await fixedRate({ rate, seconds, request });
        console.log(`${scenario.name.padEnd(28)} ${JSON.stringify({ rate, ...result })}`);
        if (statements) {
          // Per request, by service; background work (outbox relays, consumers) included.
          const perRequest = Object.fromEntries(
            [...statements].map(([db, n]) => [
              String(db).slice(tag.length + 1),
              Number((n / result.requests).toFixed(1)),
            ]),
          );
          console.log(`${''.padEnd(28)} SQL statements per request ${JSON.stringify(perRequest)}`);
        }
      }
    }
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
