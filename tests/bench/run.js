// `npm run bench`: starts the built services and the gateway in this process against the local
// PostgreSQL and NATS (fresh databases and streams), drives each scenario through the gateway at
// a fixed rate, and prints throughput and latency percentiles. Not part of CI.
//   BENCH_RATE (requests/s, default 50), BENCH_SECONDS (default 10), BENCH_ONLY (scenario name)
const { randomBytes } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { fixedRate } = require('./load');

const root = path.join(__dirname, '..', '..');
const need = (p) => require(path.join(root, p));
const kit = need('packages/kit/dist');
const { createGateway, signDevToken, SUPERGRAPH_FILE } = need('gateway/dist');
const scenarios = require('./scenarios');

const rate = Number(process.env.BENCH_RATE || 50);
const seconds = Number(process.env.BENCH_SECONDS || 10);
const SECRET = randomBytes(32).toString('base64url');

async function main() {
  const tag = `bench${randomBytes(3).toString('hex')}`;
  const pg = process.env.PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const started = [];
  const subgraphUrls = {};
  const shared = {};
  for (const s of scenarios.services) {
    const svc = need(`services/${s}/dist`);
    const exported = (re) => svc[Object.keys(svc).find((k) => re.test(k))];
    const config = exported(/^load\w+Config$/)({
      ...process.env,
      PG_URL: pg,
      DATABASE_NAME: `${tag}_${s}`,
      EVENT_SUBJECT_PREFIX: tag,
      HTTP_PORT: '0',
      GRPC_PORT: '0',
      LOG_LEVEL: 'warn',
      ...shared,
    });
    const running = await exported(/^start\w+Service$/)(config);
    started.push(running);
    subgraphUrls[s] = `http://127.0.0.1:${running.httpPort}/graphql`;
    // Later services reach earlier ones over gRPC (workorder → customer).
    shared[`${s.toUpperCase()}_GRPC_ADDRESS`] = `127.0.0.1:${running.grpcPort}`;
  }
  const gateway = createGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    subgraphUrls,
    jwt: { secret: SECRET },
    allowIntrospection: false,
    maxQueryDepth: 10,
    maxQueryCost: 1000,
    logger: kit.createLogger('gateway', 'warn'),
  });
  const port = await gateway.http.listen('127.0.0.1', 0);
  const url = `http://127.0.0.1:${port}/graphql`;
  const gql = async (query, variables, roles = ['agent', 'dispatcher', 'manager']) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${signDevToken({ sub: 'bench', roles, secret: SECRET, ttl: '1h' })}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    if (body.errors) throw new Error(body.errors[0].message);
    return body.data;
  };
  try {
    console.log(`rate ${rate}/s for ${seconds}s per scenario, Node ${process.version}`);
    for (const scenario of scenarios.list) {
      if (process.env.BENCH_ONLY && process.env.BENCH_ONLY !== scenario.name) continue;
      const request = await scenario.prepare(gql);
      await fixedRate({ rate: Math.min(rate, 20), seconds: 1, request }); // warm-up
      const result = await fixedRate({ rate, seconds, request });
      console.log(`${scenario.name.padEnd(28)} ${JSON.stringify(result)}`);
    }
  } finally {
    await gateway.http.close(2000);
    for (const s of started.reverse()) await s.stop();
    for (const s of scenarios.services) await kit.dropDatabase(kit.withDatabase(pg, `${tag}_${s}`));
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
