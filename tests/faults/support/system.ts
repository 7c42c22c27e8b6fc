import { spawn, type ChildProcess } from 'node:child_process';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, millis } from '@nats-io/transport-node';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  type Outage,
  startNatsServer,
  startOutageRelay,
  startPostgresServer,
  TEST_AUTH_ENV,
  type TestNatsServer,
  type TestPostgresServer,
} from '@aftercare/testkit';

const ROOT = join(__dirname, '..', '..', '..');

export const SERVICES = ['customer', 'workorder', 'survey'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * One service as `npm start` runs it (scripts/start.js): its built `dist/main.js` in a process of
 * its own, so a test can SIGKILL it, and the servers it uses are this system's private ones.
 */
export interface ServiceProcess {
  name: ServiceName;
  httpPort: number;
  adminPort: number;
  grpcPort: number;
  /** Its database on the private PostgreSQL, reached directly (not through any relay). */
  databaseUrl: string;
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): what it holds stays unanswered until it is killed. */
  freeze(): void;
  /** Sends the signal and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface FaultSystem {
  pg: TestPostgresServer;
  nats: TestNatsServer;
  /** Set when `cutOff` named a service: the relay between it and PostgreSQL. */
  databaseOutage?: Outage;
  services: Record<ServiceName, ServiceProcess>;
  readiness: ReadinessMonitor;
  stop(): Promise<void>;
}

export interface FaultSystemOptions {
  /** Environment of every service on top of the defaults below. */
  env?: Record<string, string>;
  /** This service reaches PostgreSQL through a relay the test can cut (`databaseOutage`). */
  cutOff?: ServiceName;
}

const STARTUP_MS = 60_000;

/**
 * A private PostgreSQL and nats-server (never the shared ones other test files use) and the
 * services of the intake → contact log → completion → survey chain running on them as processes.
 */
export async function startFaultSystem(options: FaultSystemOptions = {}): Promise<FaultSystem> {
  for (const name of SERVICES)
    if (!existsSync(mainOf(name)))
      throw new Error(`${mainOf(name)} is missing: build first (npx turbo run build)`);
  const [pgStarted, natsStarted] = await Promise.allSettled([
    startPostgresServer(),
    startNatsServer(),
  ]);
  if (pgStarted.status === 'rejected' || natsStarted.status === 'rejected') {
    if (pgStarted.status === 'fulfilled') await pgStarted.value.dispose();
    if (natsStarted.status === 'fulfilled') await natsStarted.value.dispose();
    throw pgStarted.status === 'rejected'
      ? pgStarted.reason
      : (natsStarted as PromiseRejectedResult).reason;
  }
  const pg = pgStarted.value;
  const nats = natsStarted.value;
  try {
    return await startOn(pg, nats, options);
  } catch (e) {
    await Promise.all([pg.dispose(), nats.dispose()]);
    throw e;
  }
}

async function startOn(
  pg: TestPostgresServer,
  nats: TestNatsServer,
  options: FaultSystemOptions,
): Promise<FaultSystem> {
  const databaseOutage = options.cutOff
    ? await startOutageRelay({ host: '127.0.0.1', port: pg.port })
    : undefined;
  const ports = Object.fromEntries(
    await Promise.all(
      SERVICES.map(
        async (n) =>
          [n, { http: await freePort(), grpc: await freePort(), admin: await freePort() }] as const,
      ),
    ),
  ) as Record<ServiceName, { http: number; grpc: number; admin: number }>;
  const common: Record<string, string> = {
    PG_URL: pg.url,
    NATS_URL: nats.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    SHUTDOWN_TIMEOUT_MS: '5000',
    // Readiness under test: NATS lost for longer than this is unreadiness.
    NATS_READY_GRACE_MS: '2000',
    // Schedulers are not what these tests exercise; their rounds would only add load.
    SLA_SCHEDULER: 'false',
    ARCHIVE_SCHEDULER: 'false',
    REMINDER_SCHEDULER: 'false',
    CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${ports.customer.grpc}`,
    ...TEST_AUTH_ENV,
    ...options.env,
  };
  const services = {} as Record<ServiceName, ServiceProcess>;
  for (const name of SERVICES) {
    const databaseUrl = withDatabase(pg.url, `aftercare_${name}`);
    const reachedAt =
      name === options.cutOff && databaseOutage
        ? withDatabase(pg.url, `aftercare_${name}`, databaseOutage.port)
        : databaseUrl;
    services[name] = serviceProcess(name, ports[name], databaseUrl, {
      ...common,
      DATABASE_URL: reachedAt,
      HTTP_PORT: String(ports[name].http),
      GRPC_PORT: String(ports[name].grpc),
      ADMIN_PORT: String(ports[name].admin),
    });
  }
  const readiness = readinessMonitor(services);
  const stopAll = async () => {
    readiness.stop();
    await Promise.all(SERVICES.map((n) => services[n].kill('SIGTERM')));
    await databaseOutage?.close();
    await Promise.all([pg.dispose(), nats.dispose()]);
  };
  try {
    // The customer first: the others call it.
    await services.customer.start();
    await Promise.all([services.workorder.start(), services.survey.start()]);
    readiness.start();
  } catch (e) {
    readiness.stop();
    await Promise.all(SERVICES.map((n) => services[n].kill('SIGKILL')));
    await databaseOutage?.close();
    throw e;
  }
  return { pg, nats, databaseOutage, services, readiness, stop: stopAll };
}

const mainOf = (name: ServiceName) => join(ROOT, 'services', name, 'dist', 'main.js');

function withDatabase(serverUrl: string, database: string, port?: number): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  if (port) url.port = String(port);
  return url.toString();
}

function serviceProcess(
  name: ServiceName,
  ports: { http: number; grpc: number; admin: number },
  databaseUrl: string,
  env: Record<string, string>,
): ServiceProcess {
  let child: ChildProcess | undefined;
  let output = '';
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    name,
    httpPort: ports.http,
    grpcPort: ports.grpc,
    adminPort: ports.admin,
    databaseUrl,
    async start() {
      if (child) return;
      const started = spawn(process.execPath, ['--enable-source-maps', mainOf(name)], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      // FAULT_LOG_DIR keeps each service's whole log there, to read after a failure.
      const file = process.env.FAULT_LOG_DIR
        ? createWriteStream(join(process.env.FAULT_LOG_DIR, `${name}.log`), { flags: 'a' })
        : undefined;
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-8000);
        file?.write(chunk);
      };
      started.once('exit', () => file?.end());
      started.stdout?.on('data', keep);
      started.stderr?.on('data', keep);
      started.once('exit', () => {
        if (child === started) child = undefined;
      });
      const deadline = Date.now() + STARTUP_MS;
      while (!(await isReady(ports.admin))) {
        if (child !== started) throw new Error(`${name} exited during start-up:\n${output}`);
        if (Date.now() > deadline) throw new Error(`${name} did not become ready:\n${output}`);
        await sleep(200);
      }
    },
    freeze() {
      child?.kill('SIGSTOP');
    },
    async kill(signal) {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill(signal);
      const forced = setTimeout(() => running.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(forced);
      child = undefined;
    },
  };
}

const isReady = async (adminPort: number): Promise<boolean> => (await probe(adminPort)).ready;

/** `/readyz`, with what it said (its failing checks) or why it could not be asked. */
async function probe(adminPort: number): Promise<{ ready: boolean; said: string }> {
  try {
    const res = await fetch(`http://127.0.0.1:${adminPort}/readyz`, {
      signal: AbortSignal.timeout(3000),
    });
    return { ready: res.ok, said: await res.text() };
  } catch (e) {
    return { ready: false, said: (e as Error).message };
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What `/readyz` of each service answered, polled every 250 ms from start to stop. */
export interface ReadinessMonitor {
  start(): void;
  stop(): void;
  /**
   * When the service turned unready after `since` and when it was ready again for good (null:
   * still unready at the last sample).
   */
  outage(
    name: ServiceName,
    since: number,
  ): { downAt: number | null; upAt: number | null; lastUnready: string | null };
}

function readinessMonitor(services: Record<ServiceName, ServiceProcess>): ReadinessMonitor {
  const samples: Record<ServiceName, { at: number; ready: boolean; said: string }[]> = {
    customer: [],
    workorder: [],
    survey: [],
  };
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    await Promise.all(
      SERVICES.map(async (n) => {
        const at = Date.now();
        samples[n].push({ at, ...(await probe(services[n].adminPort)) });
      }),
    );
    if (timer) timer = setTimeout(() => void poll(), 250);
  };
  return {
    start() {
      timer = setTimeout(() => void poll(), 0);
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
    outage(name, since) {
      const after = samples[name].filter((s) => s.at >= since);
      const down = after.find((s) => !s.ready);
      const lastDown = after.findLast((s) => !s.ready);
      const up = lastDown && after.find((s) => s.at > lastDown.at && s.ready);
      return {
        downAt: down?.at ?? null,
        upAt: down ? (up?.at ?? null) : null,
        lastUnready: lastDown?.said ?? null,
      };
    },
  };
}

/** The sum of a counter's series on a service's `/metrics` (0 when it has none yet). */
export async function metricTotal(service: ServiceProcess, name: string): Promise<number> {
  const exposition = await (await fetch(`http://127.0.0.1:${service.adminPort}/metrics`)).text();
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** The delivery settings a durable consumer has on this system's NATS. */
export async function durableSettings(
  system: FaultSystem,
  stream: string,
  durable: string,
): Promise<{ maxDeliver: number; ackWaitMs: number }> {
  const nc = await connect({ servers: system.nats.url });
  try {
    const info = await (await jetstreamManager(nc)).consumers.info(stream, durable);
    return { maxDeliver: info.config.max_deliver!, ackWaitMs: millis(info.config.ack_wait!) };
  } finally {
    await nc.close();
  }
}
