import { BusinessCalendar, CalendarConfigError, parseCalendarConfig } from '@aftercare/calendar';
import { z } from 'zod';
import { DEFAULT_EVENT_SCHEMA_BASE_URL } from './events/outbox';
import { grpcTlsFromEnv, type GrpcTls } from './grpc/tls';
import { internalAuthEnv } from './internal-auth/config';

/** Raised at start-up when the environment is wrong; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/** Variables whose values must never be echoed in an error message or a log line. */
const SECRET_NAME = /KEY|SECRET|PASSWORD|TOKEN/;

/** Parses `env` (default `process.env`) with a zod object schema whose keys are variable names. */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.infer<S> {
  // Empty strings mean "unset" for every variable: `FOO= npm start` should not bypass a default.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const variable = issue.path[0];
      const value =
        typeof variable === 'string' && !SECRET_NAME.test(variable) ? cleaned[variable] : undefined;
      return `${name}: ${issue.message}${value === undefined ? '' : ` (got "${value}")`}`;
    }),
  );
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const postgresUrl = z
  .string()
  .refine((s) => /^postgres(ql)?:\/\//.test(s), 'must be a postgres:// or postgresql:// URL');

const natsUrl = z
  .string()
  .refine(
    (s) => s.split(',').every((u) => /^(nats|tls):\/\/[^\s]+$/.test(u.trim())),
    'must be nats://host:port (comma-separated for a cluster)',
  );

/** `host:port` of another service's gRPC server. */
export const grpcAddress = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port')
    .default(fallback);

export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/**
 * Variables every service reads; a service adds its own with `.extend({...})` and loads the
 * result with `loadServiceConfig`. Database: `DATABASE_URL` wins; otherwise `PG_URL` (a server
 * URL) plus the service's default database name, so one variable points all services at one server.
 */
export function serviceEnv(
  service: string,
  defaults: { httpPort: number; grpcPort: number; adminPort: number },
) {
  return z.object({
    // The service's identity is not configurable: stream and database names derive from it.
    SERVICE_NAME: z
      .unknown()
      .optional()
      .transform(() => service),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    HTTP_HOST: z.string().default('127.0.0.1'),
    HTTP_PORT: port(defaults.httpPort),
    GRPC_HOST: z.string().default('127.0.0.1'),
    GRPC_PORT: port(defaults.grpcPort),
    /** `/metrics` (and the probes) for the cluster's scraper only, never published with HTTP_PORT. */
    ADMIN_HOST: z.string().default('127.0.0.1'),
    ADMIN_PORT: port(defaults.adminPort),
    DATABASE_URL: postgresUrl.optional(),
    PG_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/postgres'),
    DATABASE_NAME: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
      .default(`aftercare_${service}`),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    /**
     * How long a request waits for a free database connection before it is answered
     * SERVICE_UNAVAILABLE (reason DATABASE_BUSY) instead of queueing on.
     */
    DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    NATS_URL: natsUrl.default('nats://127.0.0.1:4222'),
    /** How long NATS may be lost (while the client reconnects) before `/readyz` says not ready. */
    NATS_READY_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
    /**
     * Failed deliveries of an event whose handler keeps failing before it is parked as poison in
     * the service's dead-letter stream; outages of the database or a called service use up none.
     * The durables themselves redeliver without a limit (maxDeliver -1, also where the operator
     * declares them).
     */
    EVENT_MAX_DELIVER: z.coerce.number().int().min(1).max(1000).default(10),
    /** How long a delivered event may stay unanswered (its process died) before it is redelivered. */
    EVENT_ACK_WAIT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
    /** First redelivery delay after a handler failure; doubles per delivery up to EVENT_MAX_REDELIVERY_DELAY_MS. */
    EVENT_REDELIVERY_DELAY_MS: z.coerce.number().int().min(10).max(3_600_000).default(1000),
    /** Longest redelivery delay after a handler failure. */
    EVENT_MAX_REDELIVERY_DELAY_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
    EVENT_SUBJECT_PREFIX: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/, 'must be a lower-case NATS token')
      .default('aftercare'),
    /**
     * Prefix of every event's `dataschema`: where docs/events/schemas is published, ending in
     * "/" (ADR 0018). The default is the folder's path in the repository.
     */
    EVENT_SCHEMA_BASE_URL: z
      .string()
      .regex(/^(https?:\/\/\S+|[^\s:]+)\/$/, 'must be an http(s) URL or a path, ending in "/"')
      .default(DEFAULT_EVENT_SCHEMA_BASE_URL),
    ...telemetryEnv,
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** Deadline of this service's calls to other services. */
    GRPC_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    BUSINESS_TZ: z.string().optional(),
    BUSINESS_HOURS: z.string().optional(),
    BUSINESS_DAYS: z.string().optional(),
    BUSINESS_HOLIDAYS: z.string().optional(),
    BUSINESS_WORKDAYS: z.string().optional(),
    /** Off where a migration Job runs them before the rollout. */
    MIGRATE_ON_START: flag(true),
    ...internalAuthEnv,
    /** gRPC over TLS (ADR 0010): PEM files of this process's certificate and key, and the peers' CA. */
    GRPC_TLS: flag(false),
    GRPC_TLS_CERT_FILE: z.string().optional(),
    GRPC_TLS_KEY_FILE: z.string().optional(),
    GRPC_TLS_CA_FILE: z.string().optional(),
    /** Servers also demand a client certificate signed by that CA (mutual TLS). */
    GRPC_TLS_CLIENT_AUTH: flag(false),
    /**
     * On where the operator declares the event streams and durable consumers (Kubernetes: NACK):
     * the service then only checks them and refuses to start when one is missing. Off (the
     * default, for `npm start` and tests): the service creates and updates its own.
     */
    EVENT_STREAMS_MANAGED: flag(false),
    ACCESS_LOG_SAMPLE_RATIO: accessLogSampleRatio,
  });
}

/**
 * Tracing settings. The OpenTelemetry SDK reads them itself (telemetry/register); they are
 * declared here so a wrong value stops the start with a ConfigError instead of a diag line, and so
 * the configuration reference lists them.
 */
export const telemetryEnv = {
  /**
   * OTLP/HTTP collector for traces; off when unset, and then (unless OTEL_TRACES_SAMPLER is set)
   * spans are ids only, for propagation and log lines: PostgreSQL and GraphQL are not instrumented
   * and the gateway's Apollo steps make no spans.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /**
   * Which traces are kept (the SDK's default, parentbased_always_on, when spans are exported;
   * parentbased_always_off when nothing is); ratio samplers take OTEL_TRACES_SAMPLER_ARG.
   */
  OTEL_TRACES_SAMPLER: z
    .enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ])
    .optional(),
  /** Share of new traces kept by the ratio samplers, 0–1 (default 1). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  /** Resource attributes on every span, `key=value,…`; the manifests set k8s.pod.name and k8s.namespace.name. */
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional(),
  /** The release (`service.version` on spans); the image sets it from its VERSION build argument. */
  SERVICE_VERSION: z.string().optional(),
};

/**
 * Share of successful requests and calls that get an access line (0–1; failures always do): lower
 * it where traffic makes one line per request too many.
 */
export const accessLogSampleRatio = z.coerce.number().min(0).max(1).default(1);

type BaseEnv = ReturnType<typeof serviceEnv>;
export type ServiceConfig<S extends BaseEnv> = z.infer<S> & {
  databaseUrl: string;
  calendar: BusinessCalendar;
  /** Absent when GRPC_TLS is off. */
  grpcTls?: GrpcTls;
};

/** Parses a service's environment and derives the database URL and the business calendar. */
export function loadServiceConfig<S extends BaseEnv>(
  schema: S,
  env: Env = process.env,
): ServiceConfig<S> {
  const c = loadConfig(schema, env) as z.infer<BaseEnv>;
  let calendar: BusinessCalendar;
  try {
    calendar = new BusinessCalendar(parseCalendarConfig(c));
  } catch (e) {
    if (!(e instanceof CalendarConfigError)) throw e;
    throw new ConfigError([`${e.setting}: ${e.detail}`]);
  }
  const { tls, problems } = grpcTlsFromEnv(c);
  if (problems.length) throw new ConfigError(problems);
  return {
    ...(c as z.infer<S>),
    databaseUrl: c.DATABASE_URL ?? withDatabase(c.PG_URL, c.DATABASE_NAME),
    calendar,
    ...(tls ? { grpcTls: tls } : {}),
  };
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
