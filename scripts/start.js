// `npm start`: runs every built service and the gateway on this machine, on the PostgreSQL and
// NATS chosen as for the tests (ADR 0023): PG_URL / NATS_URL when set; else the servers answering
// on 127.0.0.1:5432 / :4222; else containers when a Docker engine is reachable (data in the named
// volumes aftercare-postgres / aftercare-nats); else an embedded PostgreSQL (data in
// .data/postgres) and a nats-server from PATH (JetStream store in .data/nats).
//
// A second system beside the first (a bench, a test): AFTERCARE_PORT_OFFSET shifts every port,
// AFTERCARE_DATABASE_PREFIX renames every database and, unless EVENT_SUBJECT_PREFIX is set, its
// event streams and consumers, so the two never share state.
//
// AFTERCARE_REPLICAS=N (1–9, default 1) runs N processes of every service and of the gateway, as
// an operator scales Deployments: replica i (from 0) listens on every port of its service plus
// 10·(i+1), and a round-robin TCP proxy in this launcher holds the usual HTTP and gRPC ports (as a
// Kubernetes Service would), so callers and users address them as with one process. Replicas are
// named `<service>-<i>` in the output, and the launcher, which carries the proxies' CPU, `proxies`.
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');
const { devJwtSecret, devTokenMaxLifetime } = require('./dev-secret');
const { ensureKeys, keyEnv } = require('./keys');

const root = path.join(__dirname, '..');
const dataDir = path.join(root, '.data');
const children = [];
let servers = null;
/** The round-robin proxies in front of the replicas (AFTERCARE_REPLICAS > 1). */
const proxies = [];
let stopping = false;
/** Once everything has started, a process that dies is restarted instead of stopping the rest. */
let supervising = false;

/** Back-off between restarts of one process: 1 s doubling to 30 s, from 1 s again once it has run a minute. */
const restartDelay = (failures) => Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
const STABLE_AFTER_MS = 60_000;

/** PostgreSQL and NATS for this run; those started here keep their data across restarts. */
function provideServers(env) {
  const testServers = require(path.join(root, 'packages/testkit/dist/servers/index.js'));
  return testServers.provideServers(
    testServers.wishesFromEnv(env, 'start'),
    testServers.probesFromEnv(env, testServers.machineProbes),
    {
      kind: 'kept',
      dataDir,
      pgPort: Number(env.EMBEDDED_PG_PORT || 54329),
      natsPort: Number(env.EMBEDDED_NATS_PORT || 4223),
      volume: (server) => `aftercare-${server}`,
    },
    (line) => console.log(`[start] ${line}`),
  );
}

/** Starts one process of `service` (a replica's `name` is `<service>-<i>`) and supervises it. */
function run({ name, service }, script, env, keys, failures = 0) {
  const startedAt = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      path.join(root, 'packages/kit/dist/telemetry/register.js'),
      script,
    ],
    {
      env: { ...env, ...keyEnv(keys, service), SERVICE_NAME: service },
      stdio: ['ignore', 'inherit', 'inherit'],
      // Its own process group: Ctrl-C in the terminal signals only this launcher, which then stops
      // each child with exactly one SIGTERM. In the terminal's group a child would get the SIGINT
      // and then our SIGTERM, and the kit takes a second signal as "exit now", cutting its
      // graceful shutdown (outbox relay, consumers, pools) short.
      detached: true,
    },
  );
  const entry = { name, service, child };
  child.once('exit', (code, signal) => {
    if (stopping) return;
    if (!supervising) {
      // During start-up an exit is a configuration or environment error: restarting would loop.
      console.error(`[start] ${name} exited (${signal ?? code}); stopping everything`);
      shutdown(1);
      return;
    }
    children.splice(children.indexOf(entry), 1);
    const failed = Date.now() - startedAt >= STABLE_AFTER_MS ? 1 : failures + 1;
    const delay = restartDelay(failed);
    console.error(
      `[start] ${name} exited (${signal ?? code}); restarting it in ${delay / 1000} s, the others keep serving`,
    );
    setTimeout(() => {
      if (stopping) return;
      run({ name, service }, script, env, keys, failed);
      console.log(`[start] ${name} restarted (pid ${children.at(-1).child.pid})`);
    }, delay);
  });
  children.push(entry);
}

async function waitReady(name, url) {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

/** Sends SIGTERM and resolves with the exit code (null when killed by a signal). */
function stop({ child }) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (exitCode) => resolve(exitCode));
    child.kill('SIGTERM');
  });
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  const budget = new Promise((r) => setTimeout(() => r('timeout'), 15000));
  // The gateway first, so no request reaches a service that is already closing; then the
  // services, which still flush their outboxes to NATS; the servers started here last. Exit codes
  // of the services and the gateway tell whether their graceful shutdown completed.
  const stage = (services) => children.filter((c) => services(c.service));
  const stopAll = (async () => {
    const codes = await Promise.all(stage((n) => n === 'gateway').map(stop));
    codes.push(...(await Promise.all(stage((n) => n !== 'gateway').map(stop))));
    return codes;
  })();
  const codes = await Promise.race([stopAll, budget]);
  if (codes === 'timeout') {
    // Detached children outlive the launcher; never leave one behind holding its port.
    for (const { name, child } of children)
      if (child.exitCode === null && child.signalCode === null) {
        console.error(`[start] ${name} did not stop within 15 s; killing it`);
        child.kill('SIGKILL');
      }
    code ||= 1;
  } else if (code === 0 && codes.some((c) => c !== 0)) {
    console.error('[start] a process did not shut down cleanly (see its log above)');
    code = 1;
  }
  for (const proxy of proxies) proxy.close();
  if (servers) await servers.stop();
  process.exit(code);
}

/**
 * A second system on one machine must not share ports, databases or event streams with the first.
 * Refused when malformed: a wrong offset would otherwise surface as one service's port clash.
 */
function instanceSettings(env) {
  const offset = Number(env.AFTERCARE_PORT_OFFSET || 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 15000)
    throw new Error('AFTERCARE_PORT_OFFSET must be an integer from 0 to 15000');
  const databasePrefix = env.AFTERCARE_DATABASE_PREFIX || '';
  if (databasePrefix && !/^[a-z][a-z0-9_]{0,29}$/.test(databasePrefix))
    throw new Error(
      'AFTERCARE_DATABASE_PREFIX must be a lower-case SQL identifier of at most 30 characters',
    );
  const replicas = Number(env.AFTERCARE_REPLICAS || 1);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 9)
    throw new Error('AFTERCARE_REPLICAS must be an integer from 1 to 9');
  return { offset, databasePrefix, replicas };
}

/**
 * Replica i's ports: each of `settings`' ports plus 10·(i+1). Every process's ports end in their
 * own digits (x000 gateway, x101–x105 HTTP and gRPC, x301–x305 admin, x400 gateway admin), so
 * up to 9 replicas never meet another process's port.
 */
function replicaPorts(settings, index) {
  const shifted = { ...settings };
  for (const key of ['HTTP_PORT', 'GRPC_PORT', 'ADMIN_PORT'])
    if (key in settings) shifted[key] = String(Number(settings[key]) + 10 * (index + 1));
  return shifted;
}

/**
 * `replicas` processes of one service (or the gateway) on ports of their own, each ready, with a
 * round-robin proxy on the usual HTTP (and gRPC) port; one process on the usual ports when 1.
 */
async function runReplicas(service, script, env, settings, keys, replicas) {
  if (replicas === 1) {
    run({ name: service, service }, script, { ...env, ...settings }, keys);
    await waitReady(service, `http://127.0.0.1:${settings.HTTP_PORT}/readyz`);
    return;
  }
  const own = Array.from({ length: replicas }, (_, i) => replicaPorts(settings, i));
  const { roundRobinProxy } = require(path.join(root, 'packages/testkit/dist/ports.js'));
  for (const key of ['HTTP_PORT', 'GRPC_PORT'])
    if (key in settings)
      proxies.push(
        await roundRobinProxy(
          own.map((ports) => Number(ports[key])),
          Number(settings[key]),
        ),
      );
  const start = (ports, i) => {
    run({ name: `${service}-${i}`, service }, script, { ...env, ...ports }, keys);
    return waitReady(`${service}-${i}`, `http://127.0.0.1:${ports.HTTP_PORT}/readyz`);
  };
  // The first alone: it creates the database, migrates and declares its streams, as the migration
  // Job does before a Deployment's pods start; replicas racing there fail on each other's work.
  await start(own[0], 0);
  await Promise.all(own.slice(1).map((ports, i) => start(ports, i + 1)));
}

/**
 * Ports that fetch clients refuse to connect to (the "bad ports" of the Fetch standard) within the
 * reach of an offset: the gateway, its readiness check and every browser would fail on them.
 */
const FETCH_BLOCKED_PORTS = new Set([
  4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

function refuseBlockedPort(name, port) {
  if (FETCH_BLOCKED_PORTS.has(Number(port)))
    throw new Error(
      `AFTERCARE_PORT_OFFSET puts the ${name} HTTP port on ${port}, which fetch clients refuse to reach; choose another offset`,
    );
}

/**
 * Where a service listens and keeps its data: its own configuration's defaults (one place for
 * them), shifted by the instance settings.
 */
function serviceSettings(name, { offset, databasePrefix }) {
  const config = require(path.join(root, 'services', name, 'dist/config.js'));
  const schema = Object.values(config).find((v) => v?.shape?.HTTP_PORT);
  if (!schema) throw new Error(`services/${name}/dist/config.js exports no service settings`);
  const defaultOf = (key) => schema.shape[key].parse(undefined);
  return {
    HTTP_PORT: String(defaultOf('HTTP_PORT') + offset),
    GRPC_PORT: String(defaultOf('GRPC_PORT') + offset),
    ADMIN_PORT: String(defaultOf('ADMIN_PORT') + offset),
    DATABASE_NAME: databasePrefix + defaultOf('DATABASE_NAME'),
  };
}

async function main() {
  // SIGHUP: the terminal was closed; the detached children would not get it themselves.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(0));
  const env = { ...process.env };
  // Per-service settings would make every service collide on one port or database; each service
  // gets its own below.
  for (const name of [
    'HTTP_PORT',
    'GRPC_PORT',
    'ADMIN_PORT',
    'DATABASE_URL',
    'DATABASE_NAME',
    'SERVICE_NAME',
  ])
    delete env[name];
  const instance = instanceSettings(env);
  if (instance.databasePrefix)
    env.EVENT_SUBJECT_PREFIX ||= instance.databasePrefix.replace(/_+$/, '');
  // Each process signs its calls with its own key (ADR 0010): from INTERNAL_KEYS_DIR (made by
  // `npm run keys`), else a development set made once for this checkout in .data/.
  const keysDir = env.INTERNAL_KEYS_DIR || path.join(dataDir, 'internal-keys');
  const keys = ensureKeys(keysDir);
  const gatewayPort = Number(env.GATEWAY_PORT || 4000 + instance.offset);
  servers = await provideServers(env);
  env.PG_URL = servers.pgUrl;
  env.NATS_URL = servers.natsUrl;
  const { SUBGRAPHS, subgraphUrlVariable } = require(path.join(root, 'gateway/dist/subgraphs.js'));
  const services = SUBGRAPHS.filter((s) =>
    existsSync(path.join(root, 'services', s.name, 'dist/main.js')),
  ).map((s) => ({ name: s.name, settings: serviceSettings(s.name, instance) }));
  const byName = Object.fromEntries(services.map((s) => [s.name, s.settings]));
  for (let i = -1; i < instance.replicas; i++) {
    // -1: the usual ports, which the proxies hold when there are replicas.
    const at = (settings) => (i < 0 ? settings : replicaPorts(settings, i));
    for (const s of services) refuseBlockedPort(s.name, at(s.settings).HTTP_PORT);
    refuseBlockedPort('gateway', at({ HTTP_PORT: gatewayPort }).HTTP_PORT);
  }
  // gRPC servers the services call (workorder and complaint → customer; inventory and complaint →
  // workorder), unless set.
  env.CUSTOMER_GRPC_ADDRESS ||= `127.0.0.1:${byName.customer.GRPC_PORT}`;
  env.WORKORDER_GRPC_ADDRESS ||= `127.0.0.1:${byName.workorder.GRPC_PORT}`;
  await Promise.all(
    services.map((s) =>
      runReplicas(
        s.name,
        path.join(root, 'services', s.name, 'dist/main.js'),
        env,
        s.settings,
        keys,
        instance.replicas,
      ),
    ),
  );
  const gatewayPorts = {
    HTTP_PORT: String(gatewayPort),
    ADMIN_PORT: env.GATEWAY_ADMIN_PORT || String(9400 + instance.offset),
  };
  const gatewayEnv = {
    ...env,
    JWT_SECRET: devJwtSecret(),
    JWT_MAX_LIFETIME_S: devTokenMaxLifetime(),
    ALLOW_INTROSPECTION: env.ALLOW_INTROSPECTION || 'true',
  };
  for (const s of services)
    gatewayEnv[subgraphUrlVariable(s.name)] ||= `http://127.0.0.1:${s.settings.HTTP_PORT}/graphql`;
  if (!env.JWT_SECRET)
    console.log("[start] JWT_SECRET not set: using this checkout's development secret in .data/");
  await runReplicas(
    'gateway',
    path.join(root, 'gateway/dist/main.js'),
    gatewayEnv,
    gatewayPorts,
    keys,
    instance.replicas,
  );
  supervising = true;
  const listed = children.map(({ name, child }) => `${name} pid ${child.pid}`);
  if (proxies.length) listed.push(`proxies pid ${process.pid}`);
  console.log(`[start] processes: ${listed.join(', ')}`);
  console.log(
    `\n[start] Aftercare is up. GraphQL endpoint: http://127.0.0.1:${gatewayPort}/graphql`,
  );
  const adminPorts =
    instance.replicas === 1
      ? [gatewayPorts.ADMIN_PORT]
      : Array.from(
          { length: instance.replicas },
          (_, i) => replicaPorts(gatewayPorts, i).ADMIN_PORT,
        );
  console.log(
    `[start] gateway metrics: ${adminPorts.map((p) => `http://127.0.0.1:${p}/metrics`).join(', ')}`,
  );
  console.log('[start] get a token with: npm run dev-token -- --user alice --role agent\n');
}

main().catch((err) => {
  console.error('[start]', err.message || err);
  shutdown(1);
});
