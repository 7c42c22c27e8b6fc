import {
  type CallOptions,
  type ChannelCredentials,
  type ChannelOptions,
  type Client,
  type ClientOptions,
  Metadata,
  status as GrpcStatus,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import type { Identity } from '../auth';
import { AppError } from '../errors';
import { IDENTITY_HEADER, type InternalAuth } from '../internal-auth';
import { rpcClientDuration } from '../observability/instruments';
import { secondsSince, type Metrics } from '../observability/registry';

type RpcHistogram = ReturnType<typeof rpcClientDuration>;
import { observeRpc } from '../observability/rpc';
import { currentDeadline, currentIdentity } from './context';
import { fromServiceError, isServiceError } from './status';
import { channelCredentialsOf, type GrpcTls } from './tls';

/** The `XxxClient` constructor ts-proto generates with `outputServices=grpc-js`. */
export interface GeneratedClientConstructor {
  new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): Client;
  service: ServiceDefinition;
  serviceName: string;
}

export interface GrpcClientOptions {
  /** Signs the identity token each call carries (the calling process's own key). */
  auth: InternalAuth;
  /** TLS towards the server; plaintext when absent. */
  tls?: GrpcTls;
  /** Names the target in error messages, e.g. `customer service`; defaults to the proto service name. */
  name?: string;
  /** Deadline of every call unless the call says otherwise. */
  timeoutMs?: number;
  /** Identity for calls made outside any request (`runWithIdentity`), e.g. a service's own jobs. */
  identity?: Identity;
  /** Extra grpc-js channel options, merged over the kit's keepalive defaults. */
  channelOptions?: ChannelOptions;
  /** Calls are timed per method into `rpc_client_call_duration_seconds`. */
  metrics?: Metrics;
}

export interface GrpcCallOptions {
  timeoutMs?: number;
  /** Act as this caller instead of the current request's; null calls anonymously. */
  identity?: Identity | null;
  /** Extra request metadata. */
  metadata?: Metadata;
}

type UnaryMethod<M> = M extends {
  requestStream: false;
  responseStream: false;
  requestSerialize: (value: infer Req) => Buffer;
  responseDeserialize: (bytes: Buffer) => infer Res;
}
  ? (request: Req, callOptions?: GrpcCallOptions) => Promise<Res>
  : never;

/** Promise-returning unary methods of a generated client, named and typed as in the proto. */
export type PromiseClient<S> = {
  [
    K in keyof S as S[K] extends { requestStream: false; responseStream: false } ? K : never
  ]: UnaryMethod<S[K]>;
} & {
  /** Closes the channel; calls after this fail. */
  close(): void;
};

export const DEFAULT_CALL_TIMEOUT_MS = 5_000;

const KEEPALIVE_DEFAULTS: ChannelOptions = {
  // Detect a dead connection within ~40 s instead of waiting for the OS to give up on it.
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
};

/**
 * Wraps a generated callback client: every unary method returns a promise, carries a deadline
 * (never later than the one of the request being served) and the caller's identity as a token
 * signed for the target service, and fails with an AppError. Calls go through the generated
 * methods so OpenTelemetry's grpc-js instrumentation still injects trace context into their metadata.
 */
export function createGrpcClient<C extends GeneratedClientConstructor>(
  ClientConstructor: C,
  address: string,
  opts: GrpcClientOptions,
): PromiseClient<C['service']> {
  const client = new ClientConstructor(address, channelCredentialsOf(opts.tls), {
    ...KEEPALIVE_DEFAULTS,
    ...opts.channelOptions,
  });
  const target = opts.name ?? ClientConstructor.serviceName;
  const histogram = opts.metrics && rpcClientDuration(opts.metrics);
  const audience = audienceOf(ClientConstructor.serviceName);
  const methods: Record<string, unknown> = { close: () => client.close() };
  for (const [name, method] of Object.entries(ClientConstructor.service)) {
    if (method.requestStream || method.responseStream) continue;
    if (name in methods)
      throw new Error(`${method.path}: the method name "${name}" clashes with the client's own`);
    methods[name] = (request: unknown, callOptions: GrpcCallOptions = {}) =>
      unaryCall(client, name, request, callOptions, opts, {
        target,
        audience,
        path: method.path,
        histogram,
      });
  }
  return methods as PromiseClient<C['service']>;
}

/** `aftercare.customer.v1.CustomerService` → `customer`: the service a token is meant for. */
function audienceOf(serviceName: string): string {
  const [root, service] = serviceName.split('.');
  return root === 'aftercare' && service ? service : serviceName;
}

type CallbackMethod = (
  request: unknown,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: unknown) => void,
) => unknown;

async function unaryCall(
  client: Client,
  name: string,
  request: unknown,
  callOptions: GrpcCallOptions,
  opts: GrpcClientOptions,
  {
    target,
    audience,
    path,
    histogram,
  }: { target: string; audience: string; path: string; histogram?: RpcHistogram },
): Promise<unknown> {
  const metadata = callOptions.metadata?.clone() ?? new Metadata();
  const identity =
    callOptions.identity !== undefined
      ? callOptions.identity
      : (currentIdentity() ?? opts.identity);
  if (identity) metadata.set(IDENTITY_HEADER, await opts.auth.sign(identity, audience));
  const deadline = earliest(
    Date.now() + (callOptions.timeoutMs ?? opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS),
    currentDeadline(),
  );
  const method = (client as unknown as Record<string, CallbackMethod>)[name] as CallbackMethod;
  const startMs = performance.now();
  const observe = (status: string) => {
    if (histogram) observeRpc(histogram, path, status, secondsSince(startMs));
  };
  return new Promise((resolve, reject) => {
    try {
      method.call(client, request, metadata, { deadline }, (error, response) => {
        observe(error ? (isServiceError(error) ? GrpcStatus[error.code] : 'UNKNOWN') : 'OK');
        if (error)
          reject(
            isServiceError(error) ? fromServiceError(error, target) : toAppError(error, target),
          );
        else resolve(response);
      });
    } catch (error) {
      observe('UNKNOWN');
      reject(toAppError(error, target));
    }
  });
}

/** A failure outside the gRPC status protocol, e.g. a call on a closed client. */
function toAppError(error: unknown, target: string): AppError {
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', `Call to ${target} failed: ${message}`, { cause: error });
}

function earliest(ms: number, inherited: Date | undefined): Date {
  return new Date(inherited === undefined ? ms : Math.min(ms, inherited.getTime()));
}

/** What a service's outbound client needs of its runtime (`ServiceRuntime` has all of it). */
export interface ClientRuntime {
  config: { GRPC_CALL_TIMEOUT_MS: number };
  calls: Omit<GrpcClientOptions, 'name' | 'timeoutMs'>;
  lifecycle: { onShutdown(name: string, hook: () => void | Promise<void>): void };
}

/**
 * A client of another service, as every service's `clients/` make them: calls signed and measured
 * with the runtime's settings and timeout, named for errors and metrics, closed on shutdown.
 */
export function serviceClient<C extends GeneratedClientConstructor>(
  runtime: ClientRuntime,
  ClientConstructor: C,
  address: string,
  name: string,
  /** `identity`: for a client that always calls on the service's own behalf. */
  options: Pick<GrpcClientOptions, 'identity'> = {},
): PromiseClient<C['service']> {
  const client = createGrpcClient(ClientConstructor, address, {
    ...runtime.calls,
    ...options,
    name,
    timeoutMs: runtime.config.GRPC_CALL_TIMEOUT_MS,
  });
  runtime.lifecycle.onShutdown(`${name} client`, () => client.close());
  return client;
}
