import type { BusinessCalendar } from '@aftercare/calendar';
import type { EntitySchema, MigrationObject } from '@mikro-orm/core';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { openOrm, migrateUp, pendingMigrations, type Orm } from './db';
import { KitIdempotencyMigration } from './db/idempotency-migration';
import { KitEventsMigration } from './events/migration';
import type { DeclaredEvent } from '@aftercare/events';
import { type EventHandler, startConsumer } from './events/consumer';
import { serveDeadLetterReplay } from './events/dead-letter-replay';
import { verifyStream } from './events/managed';
import { connectNats, natsReadiness } from './events/nats';
import { createOutbox, type Outbox } from './events/outbox';
import { startOutboxRelay } from './events/relay';
import { kitEventEntities } from './events/schema';
import type { GraphQLEndpoint } from './http/graphql-endpoint';
import { createHttpServer } from './http/server';
import { createAccessLog } from './observability/access-log';
import { createMetrics, type Metrics } from './observability/registry';
import { countStatements } from './observability/statements';
import { instrumentTransactions } from './observability/transactions';
import { createGrpcServer, type GrpcServer } from './grpc/server';
import type { GrpcTls } from './grpc/tls';
import {
  createInternalAuth,
  gatewayAuthenticator,
  requireInternalAuth,
  type InternalAuth,
  type SigningKey,
  type TrustedKeys,
} from './internal-auth';
import { createLifecycle, type Lifecycle, type ShutdownResult } from './lifecycle';
import { ConfigError } from './config';
import { createLogger, type Logger } from './logger';
import { currentTelemetry, shutdownTelemetry } from './telemetry';

/** What `serviceEnv(...)` parses to; a service's own config extends it. */
export interface BaseServiceConfig {
  SERVICE_NAME: string;
  LOG_LEVEL: string;
  HTTP_HOST: string;
  HTTP_PORT: number;
  GRPC_HOST: string;
  GRPC_PORT: number;
  ADMIN_HOST: string;
  ADMIN_PORT: number;
  databaseUrl: string;
  DATABASE_POOL_MAX: number;
  DATABASE_ACQUIRE_TIMEOUT_MS?: number;
  NATS_URL: string;
  NATS_READY_GRACE_MS?: number;
  EVENT_MAX_DELIVER?: number;
  EVENT_ACK_WAIT_MS?: number;
  EVENT_REDELIVERY_DELAY_MS?: number;
  EVENT_MAX_REDELIVERY_DELAY_MS?: number;
  EVENT_SUBJECT_PREFIX: string;
  EVENT_SCHEMA_BASE_URL: string;
  SHUTDOWN_TIMEOUT_MS: number;
  MIGRATE_ON_START: boolean;
  INTERNAL_AUTH_PRIVATE_KEY?: SigningKey;
  INTERNAL_AUTH_TRUSTED_KEYS?: TrustedKeys;
  EVENT_STREAMS_MANAGED: boolean;
  ACCESS_LOG_SAMPLE_RATIO: number;
  calendar: BusinessCalendar;
  grpcTls?: GrpcTls;
}

/** What a gRPC client of another service needs from the calling service: `createGrpcClient(C, address, { ...calls })`. */
export interface OutgoingCalls {
  auth: InternalAuth;
  tls?: GrpcTls;
  /** The calling service's registry: client calls are timed per method. */
  metrics?: Metrics;
}

/** Everything a service's transports and consumers are built from. */
export interface ServiceRuntime<C extends BaseServiceConfig> {
  config: C;
  logger: Logger;
  orm: Orm;
  nats: NatsConnection;
  outbox: Outbox;
  lifecycle: Lifecycle;
  metrics: Metrics;
  /** Signing key and TLS for calls to other services. */
  calls: OutgoingCalls;
}

/** Something started in `setup` that must stop on shutdown (a consumer, a scheduler). */
export interface Worker {
  name: string;
  stop(): Promise<void>;
  isReady?(): boolean;
}

/** A durable consumer a service runs: which declared events (of one stream), handled how. */
export interface Subscription {
  consumerName: string;
  events: readonly DeclaredEvent[];
  handler: EventHandler;
}

/**
 * A subscription to declared events only: the handler gets each event with its data parsed by
 * that event's schema, typed by it (a union over `events`, told apart by `type`).
 */
export const subscription = <E extends DeclaredEvent>(s: {
  consumerName: string;
  events: readonly E[];
  handler: EventHandler<E>;
}): Subscription => s as unknown as Subscription;

/**
 * Starts one durable consumer per subscription, as workers of the service: stopped on shutdown,
 * and the service is ready only once each is. A service with subscriptions also answers replay
 * requests for the events they parked (ADR 0025).
 */
export async function subscribe<C extends BaseServiceConfig>(
  runtime: Pick<ServiceRuntime<C>, 'config' | 'logger' | 'orm' | 'nats'> &
    Partial<Pick<ServiceRuntime<C>, 'metrics'>>,
  subscriptions: readonly Subscription[],
): Promise<Worker[]> {
  const workers: Worker[] = [];
  for (const s of subscriptions) {
    const consumer = await startConsumer({
      orm: runtime.orm,
      nats: runtime.nats,
      logger: runtime.logger,
      service: runtime.config.SERVICE_NAME,
      subjectPrefix: runtime.config.EVENT_SUBJECT_PREFIX,
      managed: runtime.config.EVENT_STREAMS_MANAGED,
      metrics: runtime.metrics,
      maxDeliver: runtime.config.EVENT_MAX_DELIVER,
      ackWaitMs: runtime.config.EVENT_ACK_WAIT_MS,
      nakDelayMs: runtime.config.EVENT_REDELIVERY_DELAY_MS,
      maxNakDelayMs: runtime.config.EVENT_MAX_REDELIVERY_DELAY_MS,
      ...s,
    });
    workers.push({
      name: `${s.consumerName} consumer`,
      stop: () => consumer.stop(),
      isReady: () => consumer.isReady(),
    });
  }
  if (subscriptions.length) {
    const replay = serveDeadLetterReplay({
      nats: runtime.nats,
      orm: runtime.orm,
      logger: runtime.logger,
      metrics: runtime.metrics,
      subjectPrefix: runtime.config.EVENT_SUBJECT_PREFIX,
      service: runtime.config.SERVICE_NAME,
      consumers: subscriptions,
    });
    workers.push({ name: 'dead-letter replay', stop: () => replay.stop() });
  }
  return workers;
}

export interface ServiceParts {
  grpc?: (server: GrpcServer) => void;
  // The endpoint's context type is the service's own; the runner only routes requests to it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  graphql?: GraphQLEndpoint<any>;
  workers?: Worker[];
}

export interface ServiceSpec<C extends BaseServiceConfig> {
  config: C;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: EntitySchema<any, any>[];
  /** The service's own migrations; the kit's (outbox/inbox, idempotency keys) run first. */
  migrations: MigrationObject[];
  setup(runtime: ServiceRuntime<C>): ServiceParts | Promise<ServiceParts>;
  logger?: Logger;
  /** Outbox relay poll interval (tests use a short one). */
  relayPollIntervalMs?: number;
}

export interface RunningService<C extends BaseServiceConfig> extends ServiceRuntime<C> {
  httpPort: number;
  grpcPort: number;
  /** The admin listener's port (`/metrics`, `/healthz`, `/readyz`). */
  adminPort: number;
  /** Graceful: stop intake, drain, flush the outbox, close connections. */
  stop(): Promise<ShutdownResult>;
}

const ormOptions = <C extends BaseServiceConfig>(spec: ServiceSpec<C>) => ({
  databaseUrl: spec.config.databaseUrl,
  entities: [...kitEventEntities, ...spec.entities],
  migrations: [
    { name: '0000_kit_events', class: KitEventsMigration },
    { name: '0000_kit_idempotency', class: KitIdempotencyMigration },
    ...spec.migrations,
  ],
  poolMax: spec.config.DATABASE_POOL_MAX,
  acquireTimeoutMs: spec.config.DATABASE_ACQUIRE_TIMEOUT_MS,
});

/**
 * Whether the database answers now, within a probe's patience: an unreachable server can make a
 * connection attempt hang, and `/readyz` must answer while it does.
 */
async function databaseAnswers(orm: Orm, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([orm.isConnected().catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The `migrate` command / Kubernetes Job: creates the database if needed and applies migrations. */
export async function runMigrations<C extends BaseServiceConfig>(
  spec: Omit<ServiceSpec<C>, 'setup'>,
): Promise<string[]> {
  const orm = await openOrm(ormOptions(spec as ServiceSpec<C>));
  try {
    return await migrateUp(orm);
  } finally {
    await orm.close();
  }
}

/**
 * Starts a service: database (created and migrated), NATS, outbox relay, the service's own parts,
 * then gRPC, HTTP (GraphQL, /healthz, /readyz) and the admin listener (/metrics, /healthz,
 * /readyz). Shutdown undoes it in reverse.
 */
export async function startService<C extends BaseServiceConfig>(
  spec: ServiceSpec<C>,
): Promise<RunningService<C>> {
  const { config } = spec;
  // Before anything starts: a service without its keys could neither call nor be called.
  const auth = createInternalAuth({
    name: config.SERVICE_NAME,
    ...requireInternalAuth(config, { receivesCalls: true }),
  });
  const logger = spec.logger ?? createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
  const lifecycle = createLifecycle(logger, { hookTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  const metrics = createMetrics();
  const accessLog = createAccessLog(logger, config.ACCESS_LOG_SAMPLE_RATIO);
  // Registered first so it runs last: the spans of shutdown itself are flushed too.
  lifecycle.onShutdown('telemetry', async () => {
    await currentTelemetry()?.forceFlush();
  });
  try {
    const orm = await openOrm(ormOptions(spec));
    lifecycle.onShutdown('database', () => orm.close());
    instrumentTransactions(orm, metrics);
    countStatements(orm, metrics);
    if (config.MIGRATE_ON_START) {
      const applied = await migrateUp(orm);
      if (applied.length) logger.info({ applied }, 'migrations applied');
    }
    const nats = await connectNats({ url: config.NATS_URL, name: config.SERVICE_NAME, logger });
    const natsReady = natsReadiness(nats, config.NATS_READY_GRACE_MS ?? 5_000);
    lifecycle.onShutdown('nats', () => nats.drain());
    const outbox = createOutbox({
      service: config.SERVICE_NAME,
      subjectPrefix: config.EVENT_SUBJECT_PREFIX,
      schemaBaseUrl: config.EVENT_SCHEMA_BASE_URL,
    });
    // An operator-declared stream that is missing stops the start here, not in a relay retry loop.
    if (config.EVENT_STREAMS_MANAGED) await verifyStream(await jetstreamManager(nats), outbox);
    const relay = startOutboxRelay({
      orm,
      nats,
      outbox,
      logger,
      pollIntervalMs: spec.relayPollIntervalMs,
      streamManaged: config.EVENT_STREAMS_MANAGED,
      metrics,
    });
    lifecycle.onShutdown('outbox relay', () => relay.stop(config.SHUTDOWN_TIMEOUT_MS / 2));

    const calls: OutgoingCalls = {
      auth,
      metrics,
      ...(config.grpcTls ? { tls: config.grpcTls } : {}),
    };
    const runtime: ServiceRuntime<C> = {
      config,
      logger,
      orm,
      nats,
      outbox,
      lifecycle,
      metrics,
      calls,
    };
    const parts = await spec.setup(runtime);
    for (const worker of parts.workers ?? [])
      lifecycle.onShutdown(worker.name, () => worker.stop());

    const grpc = createGrpcServer({
      logger,
      auth,
      audience: config.SERVICE_NAME,
      tls: config.grpcTls,
      metrics,
      accessLog,
    });
    parts.grpc?.(grpc);
    const grpcPort = await grpc.listen(config.GRPC_HOST, config.GRPC_PORT);
    grpc.health.setAll('SERVING');
    lifecycle.onShutdown('grpc server', () => grpc.shutdown(config.SHUTDOWN_TIMEOUT_MS / 2));

    const http = createHttpServer({
      logger,
      graphql: parts.graphql && {
        ...parts.graphql,
        authenticate: gatewayAuthenticator(auth, config.SERVICE_NAME),
      },
      lifecycle,
      metrics,
      accessLog,
      isReady: async () => ({
        database: await databaseAnswers(orm),
        nats: natsReady(),
        outbox: relay.isReady(),
        ...Object.fromEntries((parts.workers ?? []).map((w) => [w.name, w.isReady?.() ?? true])),
      }),
    });
    lifecycle.onShutdown('http server', () => http.close(config.SHUTDOWN_TIMEOUT_MS / 2));
    const httpPort = await http.listen(config.HTTP_HOST, config.HTTP_PORT);
    const adminPort = await http.listenAdmin(config.ADMIN_HOST, config.ADMIN_PORT);
    logger.info(
      {
        graphql: `http://${config.HTTP_HOST}:${httpPort}/graphql`,
        grpc: `${config.GRPC_HOST}:${grpcPort}`,
        metrics: `http://${config.ADMIN_HOST}:${adminPort}/metrics`,
      },
      `${config.SERVICE_NAME} service ready`,
    );
    return {
      ...runtime,
      httpPort,
      grpcPort,
      adminPort,
      stop: () => lifecycle.shutdown('stop'),
    };
  } catch (err) {
    // Undo whatever had started, so a failed start leaves no connections or ports behind.
    await lifecycle.shutdown('start-up failed');
    throw err;
  }
}

/** A service's `main.ts`: start, install signal handlers, or print a config error and exit 1. */
export function runServiceMain<C extends BaseServiceConfig>(
  start: () => Promise<RunningService<C>>,
): void {
  start()
    .then((service) => service.lifecycle.installSignalHandlers())
    .catch((err) => {
      console.error(err instanceof ConfigError ? err.message : err);
      process.exit(1);
    });
}

/**
 * Waits until the database has every migration this build knows, applying none: a Deployment's
 * init container, so new pods start only once the release's migration Job has run. Migrations
 * the database has and this build does not (a rollback) do not count.
 */
export async function awaitMigrations<C extends BaseServiceConfig>(
  spec: Omit<ServiceSpec<C>, 'setup'>,
  options: { pollMs?: number; log?: (line: string) => void } = {},
): Promise<void> {
  const pollMs = options.pollMs ?? 2000;
  const log = options.log ?? console.log;
  const orm = await openOrm(ormOptions(spec as ServiceSpec<C>));
  try {
    let reported = '';
    for (;;) {
      const pending = await pendingMigrations(orm);
      if (pending.length === 0) return;
      const line = `waiting for the migration Job to apply: ${pending.join(', ')}`;
      if (line !== reported) log(line);
      reported = line;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    await orm.close();
  }
}

/**
 * A service's `migrate.ts`: applies pending migrations (the deployment's migration Job), or with
 * `--wait` waits for them to be applied (the Deployment's init container).
 */
export function runMigrateCommand<C extends BaseServiceConfig>(
  spec: () => Omit<ServiceSpec<C>, 'setup'>,
  args: readonly string[] = process.argv.slice(2),
): void {
  const wait = args.includes('--wait');
  Promise.resolve()
    .then(async () => {
      if (wait) await awaitMigrations(spec());
      else {
        const applied = await runMigrations(spec());
        if (applied.length) console.log(`applied: ${applied.join(', ')}`);
      }
      console.log('database is up to date');
      return 0;
    })
    .catch((err) => {
      console.error(err instanceof ConfigError ? err.message : err);
      return 1;
    })
    .then(exitAfterFlush);
}

/**
 * A Job or init container must end when its work does, whatever an exporter's sockets or timers
 * still hold open (seen under load: a finished `--wait` that never exited held a rollout back):
 * flush the spans for at most 5 s, then exit.
 */
async function exitAfterFlush(code: number): Promise<never> {
  const flushed = shutdownTelemetry().catch(() => undefined);
  await Promise.race([flushed, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  process.exit(code);
}
