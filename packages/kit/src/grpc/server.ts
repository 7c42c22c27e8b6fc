import {
  type Deadline,
  type handleUnaryCall,
  type Metadata,
  type MethodDefinition,
  Server,
  type ServerOptions,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { healthV1 } from '@aftercare/proto';
import type { Identity } from '../auth';
import { unavailableFrom } from '../db/unavailable';
import { AppError, isAppError } from '../errors';
import { findRefusal, TEXT_MAX_LENGTH } from '../input-policy';
import { IDENTITY_HEADER, type InternalAuth, signerOfVerified } from '../internal-auth';
import type { AccessLog } from '../observability/access-log';
import { rpcServerDuration } from '../observability/instruments';
import { secondsSince, type Metrics } from '../observability/registry';
import { observeRpc } from '../observability/rpc';
import { runAsWork } from '../observability/work-scope';
import { runInCallScope } from './context';
import { HealthStatus } from './health';
import type { GrpcLogger } from './logger';
import { MASKED_INTERNAL_MESSAGE, toStatusObject } from './status';
import { type GrpcTls, serverCredentialsOf } from './tls';

/** What a handler knows about the call besides its request. */
export interface CallContext {
  /** The caller named by the verified identity token; null for an anonymous caller. Enforce with `requireRole`. */
  identity: Identity | null;
  /** When the caller stops waiting; undefined when it set no deadline. */
  deadline: Date | undefined;
  /** Aborted when the caller cancels or the deadline passes: stop work nobody will read. */
  signal: AbortSignal;
  metadata: Metadata;
  /** Full method path, e.g. `/aftercare.customer.v1.CustomerService/GetCustomer`. */
  method: string;
}

/** The service whose verified token made the call (`gateway` relays people): who asked, besides for whom. */
export function callerServiceOf(ctx: Pick<CallContext, 'metadata'>): string | null {
  const [token] = ctx.metadata.get(IDENTITY_HEADER);
  return typeof token === 'string' ? signerOfVerified(token) : null;
}

export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;

/** The handler type for one method of a ts-proto service definition (unary methods only). */
export type HandlerOf<M> = M extends {
  requestStream: false;
  responseStream: false;
  requestDeserialize: (bytes: Buffer) => infer Req;
  responseSerialize: (value: infer Res) => Buffer;
}
  ? UnaryHandler<Req, Res>
  : never;

/** Implementation of a ts-proto generated `XxxService` definition: one async function per method. */
export type ServiceHandlers<S> = { [K in keyof S]: HandlerOf<S[K]> };

export interface GrpcServerOptions {
  logger: GrpcLogger;
  /**
   * Verifies the identity token of every call (health checks aside): a call without one, or with
   * one that is forged, expired or made for another service, is refused UNAUTHENTICATED before
   * its handler runs.
   */
  auth: InternalAuth;
  /** This service's name: the audience its callers' tokens must name. */
  audience: string;
  tls?: GrpcTls;
  /** Extra grpc-js server options, merged over the kit's keepalive defaults. */
  options?: ServerOptions;
  /** Calls are timed per method into `rpc_server_call_duration_seconds`. */
  metrics?: Metrics;
  /** Each call's access line (health checks aside). */
  accessLog?: AccessLog;
}

/** What the server records of each call besides answering it. */
interface CallObserver {
  observe(method: string, status: string, identity: Identity | null, startMs: number): void;
}

export interface GrpcServer {
  addService<S extends ServiceDefinition>(service: S, handlers: ServiceHandlers<S>): void;
  /** Statuses served by `grpc.health.v1.Health`; every added service is registered NOT_SERVING. */
  readonly health: HealthStatus;
  /** Binds and starts serving; returns the bound port (useful with port 0). */
  listen(host: string, port: number): Promise<number>;
  /**
   * Marks everything NOT_SERVING, refuses new calls and waits for in-flight ones; after
   * `timeoutMs` cancels whatever is left.
   */
  shutdown(timeoutMs?: number): Promise<void>;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

const KEEPALIVE_DEFAULTS: ServerOptions = {
  // Ping idle peers so half-open connections (a vanished pod, a dropped NAT entry) are noticed.
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  // Recycle connections so clients re-resolve and spread over new replicas behind an L4 Service.
  'grpc.max_connection_age_ms': 5 * 60_000,
  'grpc.max_connection_age_grace_ms': 30_000,
};

export function createGrpcServer(opts: GrpcServerOptions): GrpcServer {
  const { logger } = opts;
  const server = new Server({ ...KEEPALIVE_DEFAULTS, ...opts.options });
  const health = new HealthStatus();
  const observer = callObserver(opts);
  const authenticate = async (metadata: Metadata): Promise<Identity | null> => {
    const [token] = metadata.get(IDENTITY_HEADER);
    if (typeof token !== 'string' || token === '') {
      throw new AppError('UNAUTHENTICATED', 'The call carries no identity token', {
        reason: 'IDENTITY_MISSING',
      });
    }
    return opts.auth.verify(token, { audience: opts.audience });
  };

  const addService = <S extends ServiceDefinition>(service: S, handlers: ServiceHandlers<S>) => {
    const implementation: UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(service) as [
      string,
      MethodDefinition<unknown, unknown>,
    ][]) {
      if (method.requestStream || method.responseStream) {
        throw new Error(`${method.path}: only unary methods can be served with createGrpcServer`);
      }
      const handler = (handlers as Record<string, UnaryHandler<unknown, unknown> | undefined>)[
        name
      ];
      if (!handler) throw new Error(`${method.path}: no handler given`);
      implementation[name] = unaryCall(method.path, handler, logger, authenticate, observer);
      health.register(serviceNameOf(method.path));
    }
    server.addService(service, implementation);
  };

  server.addService(healthV1.HealthService, {
    // Probes (kubelet, load balancers) carry no identity; health reveals nothing else.
    // Not observed: probes every few seconds would drown the calls that matter.
    check: unaryCall(healthV1.HealthService.check.path, health.check, logger, async () => null),
    watch: health.watch,
  });

  return {
    addService,
    health,
    listen: (host, port) => listen(server, host, port, logger, opts.tls),
    shutdown: (timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS) =>
      shutdown(server, health, timeoutMs, logger),
  };
}

function callObserver(opts: GrpcServerOptions): CallObserver | undefined {
  const { metrics, accessLog } = opts;
  if (!metrics && !accessLog) return undefined;
  const histogram = metrics && rpcServerDuration(metrics);
  return {
    observe(method, status, identity, startMs) {
      const seconds = secondsSince(startMs);
      if (histogram) observeRpc(histogram, method, status, seconds);
      accessLog?.write(
        {
          protocol: 'grpc',
          operation: method,
          status,
          duration_ms: seconds * 1000,
          user_id: identity?.userId ?? null,
        },
        status !== 'OK',
      );
    },
  };
}

function unaryCall<Req, Res>(
  method: string,
  handler: UnaryHandler<Req, Res>,
  logger: GrpcLogger,
  authenticate: (metadata: Metadata) => Promise<Identity | null>,
  observer?: CallObserver,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const startMs = performance.now();
    let identity: Identity | null = null;
    const aborter = new AbortController();
    let answered = false;
    // grpc-js also reports 'cancelled' when the client closes the stream of an answered call: no
    // error object (a stack capture) per call for that.
    call.on('cancelled', () => {
      if (!answered) aborter.abort(new AppError('UNAVAILABLE', 'The call was cancelled'));
    });
    const serve = async () => {
      identity = await authenticate(call.metadata);
      const ctx: CallContext = {
        identity,
        deadline: toDate(call.getDeadline()),
        signal: aborter.signal,
        metadata: call.metadata,
        method,
      };
      // Outgoing calls made by the handler inherit the caller's identity and deadline.
      return runInCallScope({ identity: ctx.identity, deadline: ctx.deadline }, async () => {
        checkRequest(call.request);
        return runAsWork({ kind: 'grpc', name: method }, () => handler(call.request, ctx));
      });
    };
    serve().then(
      (response) => {
        answered = true;
        observer?.observe(method, 'OK', identity, startMs);
        callback(null, response);
      },
      (error: unknown) => {
        // The caller is gone and grpc-js has already answered it (CANCELLED or DEADLINE_EXCEEDED):
        // failures caused by giving up, e.g. rethrowing `ctx.signal.reason`, are not news.
        if (aborter.signal.aborted)
          return observer?.observe(method, 'CANCELLED', identity, startMs);
        answered = true;
        const reported = toReportedError(error, method, logger);
        observer?.observe(method, reported.code, identity, startMs);
        callback(toStatusObject(reported));
      },
    );
  };
}

/**
 * The input policy (docs/input-policy.md) on the decoded request, before the handler sees it:
 * every text (no NUL, at most TEXT_MAX_LENGTH characters) and every Timestamp (a real instant
 * within our years), INVALID_ARGUMENT naming the field (`contacts.0.name`) otherwise.
 */
function checkRequest(request: unknown): void {
  const found = findRefusal(request, TEXT_MAX_LENGTH);
  if (found) throw found.refusal.at(found.field);
}

/** Logs what operators must see and masks what callers must not. */
function toReportedError(thrown: unknown, method: string, logger: GrpcLogger): AppError {
  const error = isAppError(thrown) ? thrown : (unavailableFrom(thrown) ?? thrown);
  if (!isAppError(error)) {
    logger.error({ err: error, method }, 'Unexpected error in gRPC handler');
    return new AppError('INTERNAL', MASKED_INTERNAL_MESSAGE);
  }
  if (error.code === 'INTERNAL') logger.error({ err: error, method }, 'gRPC handler failed');
  else if (error.code === 'UNAVAILABLE' || error.code === 'DEADLINE_EXCEEDED') {
    logger.warn({ err: error, method }, 'gRPC handler could not reach a dependency');
  }
  return error;
}

/** `/pkg.Service/Method` → `pkg.Service`, the name health checks use. */
function serviceNameOf(path: string): string {
  return path.slice(1, path.lastIndexOf('/'));
}

function toDate(deadline: Deadline): Date | undefined {
  if (deadline instanceof Date) return deadline;
  return Number.isFinite(deadline) ? new Date(deadline) : undefined;
}

function listen(
  server: Server,
  host: string,
  port: number,
  logger: GrpcLogger,
  tls: GrpcTls | undefined,
): Promise<number> {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, serverCredentialsOf(tls), (error, boundPort) => {
      if (error)
        return reject(
          new Error(`gRPC server could not listen on ${address}: ${error.message}`, {
            cause: error,
          }),
        );
      logger.info({ host, port: boundPort, tls: Boolean(tls) }, 'gRPC server listening');
      resolve(boundPort);
    });
  });
}

function shutdown(
  server: Server,
  health: HealthStatus,
  timeoutMs: number,
  logger: GrpcLogger,
): Promise<void> {
  health.close();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logger.warn({ timeoutMs }, 'gRPC server did not drain in time; cancelling remaining calls');
      server.forceShutdown();
      resolve();
    }, timeoutMs);
    server.tryShutdown((error) => {
      clearTimeout(timer);
      if (error) logger.warn({ err: error }, 'gRPC server shutdown reported an error');
      resolve();
    });
  });
}
