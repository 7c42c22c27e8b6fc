// `npm run bench`: measures the system as `npm start` runs it — one process per service and the
// gateway, started by scripts/start.js on fresh databases and streams of their own (dropped
// afterwards, also on Ctrl-C) on the local PostgreSQL and NATS. In the same run it measures the
// floors (limits.js: the database's rate for one intake's SQL and one customer read's, the plain
// Node HTTP server, the intake's transport), then steps each scenario's rate up to saturation,
// and for every step reports achieved rate, latency percentiles, ratio to its floor, CPU ms per
// request of every process, SQL statements per request of every service and, for consumer paths,
// the event lag. Writes <BENCH_OUT>.json and a chart of latency against rate, <BENCH_OUT>.svg.
// A measurement tool, not part of CI: it asserts nothing. Knobs (all optional):
//   BENCH_RATE          comma-separated rates (requests/s) to step through; default 10, 20, 40 …
//                       doubling up to BENCH_MAX_RATE (default 1280). Stepping stops at saturation.
//   BENCH_SECONDS       seconds per step (default 10); BENCH_LIMIT_SECONDS for each floor (default
//                       the same)
//   BENCH_ONLY          comma-separated scenario names or prefixes ("survey", "workorder.register")
//   BENCH_OUT           output path without extension (default .data/bench/bench-<time>)
//   BENCH_LABEL         a line saying what run this is, written into the JSON and the chart
//   BENCH_CPU_PROF      a directory: every process runs with --cpu-prof into it, summarised at the end
//   BENCH_PORT_OFFSET   added by start.js to every port (default 11000), beside a developer's npm start
//   BENCH_MAX_IN_FLIGHT outstanding requests at most (default 256); past it the load waits
//   BENCH_REPLICAS      processes of every service and of the gateway (default 1), started by
//                       start.js's AFTERCARE_REPLICAS behind its round-robin proxies (ADR 0035):
//                       CPU is reported per service (replicas added up) and per replica, the
//                       launcher's (the proxies') as `proxies`; statements per service as with one.
//                       The `.subgraph` scenarios address the first replica of their service.
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Pool } = require('pg');
const { fixedRate, percentiles } = require('./load');
const { measureLimits, measureSql, pgbenchPath } = require('./limits');
const { snapshot, delta } = require('./probes');
const { startTopology, listeners } = require('./topology');
const { latencyChart } = require('./chart');
const { summariseProfiles, monotonicMicros } = require('./profile');
const scenarios = require('./scenarios');

const root = path.join(__dirname, '..', '..');
const { signDevToken } = require(path.join(root, 'gateway/dist'));
const testkit = require(path.join(root, 'packages/testkit/dist'));
const kit = require(path.join(root, 'packages/kit/dist'));
const { ensureKeys } = require(path.join(root, 'scripts/keys.js'));
const { jetstream, jetstreamManager } = require('@nats-io/jetstream');
const { connect, headers: natsHeaders } = require('@nats-io/transport-node');

const env = process.env;
const seconds = Number(env.BENCH_SECONDS || 10);
const limitSeconds = Number(env.BENCH_LIMIT_SECONDS || seconds);
const maxRate = Number(env.BENCH_MAX_RATE || 1280);
const rates = env.BENCH_RATE
  ? env.BENCH_RATE.split(',').map(Number)
  : Array.from({ length: 20 }, (_, i) => 10 * 2 ** i).filter((r) => r <= maxRate);
const only = env.BENCH_ONLY?.split(',').filter(Boolean);
const maxInFlight = Number(env.BENCH_MAX_IN_FLIGHT || 256);
// Moves the gRPC ports (501xx) above Linux's ephemeral range (32768–60999), where an outgoing
// connection of the moment may hold one; no port lands on one fetch refuses (e.g. 6000).
const portOffset = Number(env.BENCH_PORT_OFFSET ?? 11000);
const replicas = Number(env.BENCH_REPLICAS || 1);
const cpuProfDir = env.BENCH_CPU_PROF && path.resolve(env.BENCH_CPU_PROF);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = path.resolve(env.BENCH_OUT || path.join(root, '.data/bench', `bench-${stamp}`));
const pgUrl = env.PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = env.NATS_URL || 'nats://127.0.0.1:4222';
const SECRET = randomBytes(32).toString('base64url');
const tag = `bench${randomBytes(3).toString('hex')}`;
const warmUp = (rate) => Math.min(rate, 20);
/** A step is saturated when it achieved less than this share of its offered rate. */
const SATURATED = 0.9;

const serverUrl = (database) => {
  const url = new URL(pgUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

function machine(pgVersion, natsVersion) {
  const cpuModel = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1];
  const pgbench = pgbenchPath();
  const git = (args) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  return {
    cpuModel: cpuModel ?? os.cpus()[0]?.model,
    cores: os.availableParallelism(),
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    postgres: pgVersion,
    pgbench: pgbench ? execFileSync(pgbench, ['--version'], { encoding: 'utf8' }).trim() : null,
    nats: natsVersion,
    commit: git(['rev-parse', '--short', 'HEAD']),
    uncommittedChanges: git(['status', '--porcelain'])?.length > 0,
  };
}

/** This run's database of each service: created while the system started, named with its prefix. */
function ownDatabases(before, after) {
  const fresh = after.filter((d) => !before.includes(d) && d.startsWith(`${tag}_`));
  const found = {};
  for (const s of scenarios.services) {
    const name = fresh.find((d) => d.endsWith(`_${s}`));
    if (!name)
      throw new Error(`no database of this run for ${s} (new: ${fresh.join(', ') || 'none'})`);
    found[s] = name;
  }
  return found;
}

async function main() {
  let cleaning;
  /** A pool of the bench's own reads; a connection lost while cleaning up (DROP … FORCE) is expected. */
  const pool = (connectionString) =>
    new Pool({ connectionString, max: 2 }).on('error', (err) => {
      if (!cleaning) console.error(`a bench database connection failed: ${err.message}`);
    });
  const admin = pool(pgUrl);
  const adminSql = async (text, params) => (await admin.query(text, params)).rows;
  const listDatabases = async () =>
    (await adminSql('SELECT datname FROM pg_database')).map((r) => r.datname);
  const databasesBefore = await listDatabases();
  const nc = await connect({ servers: natsUrl });
  const pools = {};
  let system;
  let databases = {};
  let report;
  /** When load ran ([start, end] µs), for the CPU profiles. */
  const loadWindows = [];
  const cleanUp = () =>
    (cleaning ??= (async () => {
      const code = await system?.stop();
      if (system) console.error(`scripts/start.js stopped (exit ${code})`);
      for (const pool of Object.values(pools)) await pool.end();
      await nc.close();
      // Anything this run created, even when it stopped before finding its databases.
      const created = (await listDatabases()).filter(
        (d) => !databasesBefore.includes(d) && d.startsWith(`${tag}_`),
      );
      for (const db of created)
        await adminSql(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`).catch((err) =>
          console.error(`could not drop ${db}: ${err.message}`),
        );
      await admin.end();
      await testkit.deleteStreams(tag, natsUrl);
    })());
  // Ctrl-C mid-run still stops the system and drops this run's databases and streams.
  process.once('SIGINT', () => {
    console.error('interrupted: cleaning up');
    cleanUp().finally(() => process.exit(130));
  });

  try {
    system = await startTopology({
      env: {
        ...env,
        PG_URL: pgUrl,
        NATS_URL: natsUrl,
        AFTERCARE_DATABASE_PREFIX: `${tag}_`,
        AFTERCARE_PORT_OFFSET: String(portOffset),
        AFTERCARE_REPLICAS: String(replicas),
        EVENT_SUBJECT_PREFIX: tag,
        JWT_SECRET: SECRET,
        LOG_LEVEL: env.LOG_LEVEL || 'warn',
        // The bench measures capacity; one client address would meet the per-address limit first.
        RATE_LIMIT_ENABLED: 'false',
        ...(cpuProfDir
          ? { NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${cpuProfDir}` }
          : {}),
      },
      onExit: (code) => {
        if (!cleaning) console.error(`scripts/start.js exited (${code}) during the run`);
      },
    });
    databases = ownDatabases(databasesBefore, await listDatabases());
    const processes = [];
    for (const p of system.processes) processes.push({ ...p, ...(await listeners(p.pid)) });
    for (const [s, db] of Object.entries(databases)) pools[s] = pool(serverUrl(db));
    const sql = async (service, text, params) => (await pools[service].query(text, params)).rows;

    const tokens = new Map();
    const token = (sub, roles) => {
      const key = `${sub}|${roles.join(',')}`;
      if (!tokens.has(key)) tokens.set(key, signDevToken({ sub, roles, secret: SECRET }));
      return tokens.get(key);
    };
    const send = async (query, variables, roles, user) => {
      const res = await fetch(system.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token(user ?? 'bench', roles)}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      if (body.errors)
        throw Object.assign(new Error(body.errors[0].message), {
          code: body.errors[0].extensions?.code,
        });
      return body.data;
    };
    // Setting a scenario up on a busy machine may meet a subgraph that did not answer (too slow,
    // or a kept-alive connection it closed while idle): setup retries that; a measured request
    // never does (its error is a result).
    let measuring = false;
    const gql = async (query, variables, roles = ['agent', 'dispatcher', 'manager'], user) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await send(query, variables, roles, user);
        } catch (err) {
          if (measuring || attempt === 6 || err.code !== 'UNAVAILABLE') throw err;
          await new Promise((r) => setTimeout(r, 1000 * attempt));
        }
      }
    };
    const js = jetstream(nc);
    const cloudEvent = natsHeaders();
    cloudEvent.set('content-type', 'application/cloudevents+json; charset=utf-8');
    const publish = async (type, data) => {
      const envelope = testkit.testEnvelope(type, data.workOrderId ?? type, data);
      await js.publish(`${tag}.${type}`, JSON.stringify(envelope), {
        msgID: envelope.id,
        headers: cloudEvent,
      });
      return envelope.id;
    };
    // A query sent straight to a subgraph, signed as the gateway signs it (its key from the same
    // folder start.js gives the gateway), to weigh what the gateway adds.
    const keys = ensureKeys(env.INTERNAL_KEYS_DIR || path.join(root, '.data', 'internal-keys'));
    const asGateway = kit.createInternalAuth({
      name: 'gateway',
      signingKey: kit.parseSigningKey(keys.privateKeyOf('gateway')),
      trustedKeys: new Map(),
    });
    const subgraph = async (service, query, variables, roles, user = 'bench') => {
      const res = await fetch(processes.find((p) => p.service === service).graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [kit.IDENTITY_HEADER]: await asGateway.sign({ userId: user, roles }, service),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      if (body.errors) throw new Error(body.errors[0].message);
      return body.data;
    };
    const ctx = { gql, subgraph, publish, sql };

    /** Until every outbox is relayed and every consumer of this run has acknowledged all it got. */
    const jsm = await jetstreamManager(nc);
    const settle = async () => {
      for (let deadline = Date.now() + 60_000; Date.now() < deadline;) {
        let waiting = 0;
        for (const s of Object.keys(databases))
          waiting += (
            await sql(s, 'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')
          )[0].n;
        for await (const stream of jsm.streams.names())
          if (stream.startsWith(`${tag.toUpperCase()}_`))
            for await (const c of jsm.consumers.list(stream))
              waiting += c.num_pending + c.num_ack_pending;
        if (waiting === 0) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      console.warn('  (background work still pending after 60 s)');
    };

    const [{ server_version: pgVersion }] = await adminSql('SHOW server_version');
    report = {
      label: env.BENCH_LABEL || null,
      date: new Date().toISOString(),
      machine: machine(pgVersion, nc.info?.version),
      topology:
        replicas === 1
          ? `scripts/start.js: ${system.processes.map((p) => p.name).join(', ')}, one process each`
          : `scripts/start.js, ${replicas} replicas behind round-robin proxies: ${system.processes.map((p) => p.name).join(', ')}`,
      settings: { seconds, limitSeconds, rates, maxInFlight, replicas, only: only ?? null },
      limits: null,
      idleCpuMsPerSecond: null,
      scenarios: [],
      gatewayVsSubgraph: null,
      profiles: null,
    };
    console.log(
      `machine: ${report.machine.cpuModel}, ${report.machine.cores} cores, Node ${report.machine.node}, ` +
        `PostgreSQL ${pgVersion}, NATS ${report.machine.nats}, load ${report.machine.loadAverageAtStart.join(' ')}`,
    );
    console.log(`system: ${report.topology}`);

    // The floors, with a customer that has an asset to read.
    const reader = await scenarios.customerWithOrder(gql);
    report.limits = await measureLimits({
      databases: {
        workorder: serverUrl(databases.workorder),
        customer: serverUrl(databases.customer),
      },
      customerId: reader.customerId,
      natsUrl,
      seconds: limitSeconds,
    });
    const { intakeSql, customerReadSql, nodeHttp, sqlRoundTrip, intakeTransport } = report.limits;
    console.log(
      `floors (${report.limits.clients} clients, ${limitSeconds}s): intake SQL ${intakeSql.tps} tps, ` +
        `customer read SQL ${customerReadSql.tps} tps (${intakeSql.tool}), Node HTTP ${nodeHttp.rps} req/s; ` +
        `one SQL round trip: ${sqlRoundTrip.clientCpuUs} µs CPU in the client ` +
        `(${sqlRoundTrip.clientSystemCpuUs} of it system), ${sqlRoundTrip.serverCpuUs} µs in the server; ` +
        (intakeTransport.error
          ? `intake transport failed: ${intakeTransport.error}`
          : `intake transport ${intakeTransport.rps} req/s, ` +
            `${intakeTransport.cpuMsPerRequest.total} ms CPU per intake ` +
            `(${Object.entries(intakeTransport.cpuMsPerRequest)
              .filter(([k]) => k !== 'total')
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')})`),
    );
    // What each process costs doing nothing (relay polls, schedulers, metrics): part of every
    // step's CPU per request, most visible at low rates.
    await settle();
    const idleStart = await snapshot({ processes, databases, sql: adminSql });
    await new Promise((r) => setTimeout(r, limitSeconds * 1000));
    const idle = delta(
      idleStart,
      await snapshot({ processes, databases, sql: adminSql }),
      limitSeconds,
    );
    report.idleCpuMsPerSecond = idle.cpuMsPerRequest;
    report.idleStatementsPerSecond = idle.statementsPerRequest;
    console.log(
      `idle CPU ms per second: ${Object.entries(report.idleCpuMsPerSecond)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(
      `idle SQL statements per second: ${Object.entries(report.idleStatementsPerSecond)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );

    for (const scenario of scenarios.list) {
      if (only && !only.some((o) => scenario.name.startsWith(o))) continue;
      const steps = [];
      try {
        await runScenario(scenario, steps);
        report.scenarios.push({
          name: scenario.name,
          limit: scenario.limit,
          summary: summarise(steps),
          steps,
        });
      } catch (err) {
        // One scenario failing (e.g. its setup on an overloaded machine) leaves the others' figures.
        console.error(`${scenario.name} failed: ${err.stack ?? err}`);
        report.scenarios.push({
          name: scenario.name,
          limit: scenario.limit,
          error: String(err.message ?? err),
          summary: summarise(steps),
          steps,
        });
      }
    }

    async function runScenario(scenario, steps) {
      const setupStart = performance.now();
      const { request, before, lag, floor } = await scenario.prepare(ctx);
      console.log(
        `${scenario.name}: set up in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
      );
      // A floor of the scenario's own, on the data its setup wrote.
      if (floor) {
        const { service, statements, vars, what } = floor;
        const url = serverUrl(databases[service]);
        const measured = await measureSql(url, statements, { seconds: limitSeconds, vars });
        report.limits[scenario.limit] = { ...measured, what };
        console.log(`floor ${scenario.limit} (${what}): ${measured.tps} tps (${measured.tool})`);
      }
      const limit = report.limits[scenario.limit].tps;
      const transport = scenario.transportLimit && report.limits[scenario.transportLimit]?.rps;
      for (const rate of rates) {
        const n = Math.round(rate * seconds);
        await before?.(warmUp(rate) + n);
        await fixedRate({ rate: warmUp(rate), seconds: 1, request, maxInFlight });
        await settle();
        const start = await snapshot({ processes, databases, sql: adminSql });
        const cpuStart = process.cpuUsage();
        const since = new Date();
        measuring = true;
        const span = [monotonicMicros()];
        const result = await fixedRate({ rate, seconds, request, maxInFlight }).finally(() => {
          measuring = false;
          span.push(monotonicMicros());
          loadWindows.push(span);
        });
        const lagged = lag ? await lag({ since }) : null;
        await settle();
        const bench = process.cpuUsage(cpuStart);
        const costs = delta(
          start,
          await snapshot({ processes, databases, sql: adminSql }),
          result.requests,
        );
        const lagPercentiles = lagged && percentiles(lagged.samples);
        // A consumer path's requests only publish: the consumer's rate and lag are what count.
        const judged = scenario.consumerPath
          ? {
              ...result,
              ok: lagged.samples.length,
              errors: result.errors + lagged.missing,
              throughput: lagged.throughput,
              p50: lagPercentiles.p50,
              p90: lagPercentiles.p90,
              p99: lagPercentiles.p99,
              max: lagPercentiles.max,
              publish: { throughput: result.throughput, p50: result.p50, p99: result.p99 },
            }
          : result;
        const step = {
          rate,
          ...judged,
          saturated: judged.throughput < SATURATED * rate || judged.errors > 0,
          ratioToLimit: Number((judged.throughput / limit).toFixed(4)),
          ...(transport
            ? { ratioToTransport: Number((judged.throughput / transport).toFixed(4)) }
            : {}),
          ...costs,
          loadGeneratorCpuMsPerRequest: Number(
            ((bench.user + bench.system) / 1000 / result.requests).toFixed(2),
          ),
          eventLagMs: lagged ? { ...lagPercentiles, missing: lagged.missing } : null,
        };
        steps.push(step);
        printStep(scenario.name, step);
        if (step.saturated) break;
      }
    }
    // Their highest rates compare capacity only when both steps reached saturation.
    const [viaGateway, direct] = ['customer.read+assets', 'customer.read+assets.subgraph'].map(
      (name) => report.scenarios.find((s) => s.name === name)?.summary,
    );
    if (viaGateway?.saturated && direct?.saturated) {
      report.gatewayVsSubgraph = Number(
        (viaGateway.maxThroughput / direct.maxThroughput).toFixed(2),
      );
      console.log(
        `customer read, through the gateway ÷ straight to the subgraph: ${report.gatewayVsSubgraph}`,
      );
    }
  } finally {
    await cleanUp();
  }
  if (!report) return;
  if (cpuProfDir) {
    report.profiles = summariseProfiles(cpuProfDir, system?.processes ?? [], loadWindows);
    for (const [name, top] of Object.entries(report.profiles))
      console.log(
        `profile ${name}: ${top
          .slice(0, 8)
          .map((t) => `${t.what} ${t.percent}%`)
          .join(', ')}`,
      );
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(`${out}.json`, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(`${out}.svg`, await latencyChart(report));
  console.log(`wrote ${path.relative(process.cwd(), out)}.json and .svg`);
}

/**
 * Per scenario: the highest achieved rate (saturation), its ratio to the floor (and to the
 * transport floor where it names one), and at the step closest to half of it the p99 latency,
 * the event lag and the CPU per request.
 */
function summarise(steps) {
  const ok = steps.filter((s) => s.ok > 0);
  if (!ok.length) return null;
  const top = ok.reduce((a, b) => (b.throughput > a.throughput ? b : a));
  const half = ok.reduce((a, b) =>
    Math.abs(b.throughput - top.throughput / 2) < Math.abs(a.throughput - top.throughput / 2)
      ? b
      : a,
  );
  return {
    saturated: steps.some((s) => s.saturated),
    maxThroughput: top.throughput,
    ratioToLimit: top.ratioToLimit,
    ...(top.ratioToTransport ? { ratioToTransport: top.ratioToTransport } : {}),
    atHalf: {
      rate: half.rate,
      throughput: half.throughput,
      p99: half.p99,
      eventLagP99: half.eventLagMs?.p99 ?? null,
      cpuMsPerRequest: half.cpuMsPerRequest.total,
    },
  };
}

function printStep(name, s) {
  const short = (o) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  console.log(
    `${name.padEnd(28)} ${String(s.rate).padStart(5)}/s → ${s.throughput}/s${s.saturated ? ' (saturated)' : ''}` +
      ` p50 ${s.p50} p90 ${s.p90} p99 ${s.p99} ms, ${(s.ratioToLimit * 100).toFixed(1)} % of the floor` +
      (s.ratioToTransport
        ? `, ${(s.ratioToTransport * 100).toFixed(1)} % of the transport floor`
        : '') +
      (s.errors ? `, ${s.errors} errors (${s.firstError})` : ''),
  );
  console.log(`${''.padEnd(30)}CPU ms/request: ${short(s.cpuMsPerRequest)}`);
  if (s.cpuMsPerReplica) console.log(`${''.padEnd(32)}per replica: ${short(s.cpuMsPerReplica)}`);
  console.log(`${''.padEnd(30)}SQL statements/request: ${short(s.statementsPerRequest)}`);
  for (const [service, works] of Object.entries(s.statementsByWork ?? {}))
    console.log(`${''.padEnd(32)}${service}: ${short(works)}`);
  if (s.eventLagMs)
    console.log(
      `${''.padEnd(30)}event lag ms: p50 ${s.eventLagMs.p50} p90 ${s.eventLagMs.p90} p99 ${s.eventLagMs.p99}` +
        (s.eventLagMs.missing ? `, ${s.eventLagMs.missing} never arrived` : ''),
    );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
