import {
  context,
  diag,
  propagation,
  ProxyTracer,
  ProxyTracerProvider,
  trace,
} from '@opentelemetry/api';
import {
  CompositePropagator,
  getNumberFromEnv,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  NoopSpanProcessor,
  ParentBasedSampler,
  TracerProvider,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ConfigError } from '../config';
import { defaultInstrumentations } from './instrumentations';
import { patchModules, type ModuleLoader } from './loaded-modules';

/** One instrumentation (e.g. `new HttpInstrumentation()`), as `NodeSDK` takes it. */
export type TelemetryInstrumentation = Exclude<
  NonNullable<NodeSDKConfiguration['instrumentations']>[number],
  readonly unknown[]
>;

export interface TelemetryOptions {
  /** `service.name` on every span. */
  serviceName: string;
  /**
   * OTLP/HTTP base URL of a collector (`http://collector:4318`; `/v1/traces` is appended).
   * Defaults to `OTEL_EXPORTER_OTLP_ENDPOINT`. With neither (and no `spanProcessors`), nothing is
   * exported and, unless `OTEL_TRACES_SAMPLER` is set, spans are ids only: new traces are not
   * recorded and the default instrumentations leave out PostgreSQL and GraphQL, whose spans never
   * leave the process. Spans still get ids, so trace context propagates over HTTP, gRPC and NATS
   * and log lines carry trace ids (the span id is then the request's or call's, not a resolver's).
   */
  otlpEndpoint?: string;
  /** Processors added next to the exporter; tests pass one over an `InMemorySpanExporter`. */
  spanProcessors?: SpanProcessor[];
  /** Replaces `defaultInstrumentations()`, whatever is exported. */
  instrumentations?: TelemetryInstrumentation[];
  /** `service.version` on every span; defaults to `SERVICE_VERSION` (the image's release). */
  serviceVersion?: string;
}

export interface Telemetry {
  readonly serviceName: string;
  readonly tracerProvider: TracerProvider;
  /** Exports every ended span now (tests call it before reading their exporter). */
  forceFlush(): Promise<void>;
  /**
   * Patches the instrumented modules (http, grpc-js and, unless spans are ids only, pg and
   * graphql) as `load` resolves them. Needed only where Node's require hook is bypassed — under
   * jest pass the test file's `require` — and best called before the code under test is imported
   * (code that copied a function out of a module before the patch keeps the unpatched one).
   * Undone by `shutdown`.
   */
  instrumentModules(load: ModuleLoader): void;
  /**
   * Flushes, unpatches and unregisters the global tracer provider, propagator and context
   * manager, so a later `startTelemetry` starts afresh. Later calls return the same promise.
   */
  shutdown(): Promise<void>;
}

// On globalThis rather than in a module variable: `--require .../register.js` and the service's
// own import of the kit may load this file twice (dist vs. src), yet one process gets one SDK.
const RUNNING = Symbol.for('@aftercare/kit/telemetry');
const registry = globalThis as typeof globalThis & { [RUNNING]?: Telemetry };

/**
 * Starts OpenTelemetry for this process: W3C trace-context + baggage propagation, an
 * AsyncLocalStorage context manager, the default instrumentations and, when a collector is
 * configured, OTLP/HTTP export. Must run before `pg`, `@grpc/grpc-js` and `graphql` are first
 * required, or they stay unpatched. A second call returns the first instance, options ignored.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const running = registry[RUNNING];
  if (running) {
    if (running.serviceName !== options.serviceName)
      diag.warn(
        `telemetry already runs as "${running.serviceName}"; "${options.serviceName}" shares it`,
      );
    return running;
  }
  // Processors first: they validate the endpoint, and instrumentations hook `require` when made.
  const spanProcessors = spanProcessorsFor(options);
  const idsOnly = spansAreIdsOnly(spanProcessors);
  const instrumentations =
    options.instrumentations ?? defaultInstrumentations({ recorded: !idsOnly });
  const serviceVersion = options.serviceVersion ?? process.env.SERVICE_VERSION;
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    // Below what OTEL_RESOURCE_ATTRIBUTES says (the SDK's env detector merges over it): k8s.pod.name
    // and k8s.namespace.name come from there (downward API), and it may override the version.
    ...(serviceVersion
      ? {
          resource: defaultResource().merge(
            resourceFromAttributes({ [ATTR_SERVICE_VERSION]: serviceVersion }),
          ),
        }
      : {}),
    // Unless spans are ids only, NodeSDK builds it from OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG.
    ...(idsOnly ? { sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) } : {}),
    spanProcessors,
    instrumentations,
    // Explicit, so a stray OTEL_PROPAGATORS cannot change the format the services agree on.
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    // contextManager left out: NodeSDK then installs its AsyncLocalStorage context manager.
    // Traces only: empty lists stop NodeSDK from defaulting to OTLP metric and log exporters.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  let tracerProvider: TracerProvider;
  try {
    tracerProvider = registeredTracerProvider();
  } catch (err) {
    for (const instrumentation of instrumentations) instrumentation.disable();
    throw err;
  }
  if (idsOnly) withoutInProcessSpans(tracerProvider);

  const unpatches: (() => void)[] = [];
  let stopping: Promise<void> | undefined;
  const telemetry: Telemetry = {
    serviceName: options.serviceName,
    tracerProvider,
    forceFlush: () => tracerProvider.forceFlush(),
    instrumentModules(load) {
      unpatches.push(patchModules(instrumentations, load));
    },
    shutdown() {
      stopping ??= (async () => {
        try {
          for (const unpatch of unpatches) unpatch();
          for (const instrumentation of instrumentations) instrumentation.disable();
          await sdk.shutdown();
        } finally {
          trace.disable();
          propagation.disable();
          context.disable();
          delete registry[RUNNING];
        }
      })();
      return stopping;
    },
  };
  registry[RUNNING] = telemetry;
  return telemetry;
}

/** The running instance, if any. */
export const currentTelemetry = (): Telemetry | undefined => registry[RUNNING];

/** Shuts the running instance down (a no-op when none runs): the last step of a lifecycle. */
export const shutdownTelemetry = (): Promise<void> =>
  registry[RUNNING]?.shutdown() ?? Promise.resolve();

function spanProcessorsFor(options: TelemetryOptions): SpanProcessor[] {
  const processors = [...(options.spanProcessors ?? [])];
  const endpoint = options.otlpEndpoint ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint)
    processors.push(
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: tracesUrl(endpoint) }),
        // The standard tuning variables: NodeSDK reads them only for exporters it makes itself.
        maxQueueSize: getNumberFromEnv('OTEL_BSP_MAX_QUEUE_SIZE'),
        scheduledDelayMillis: getNumberFromEnv('OTEL_BSP_SCHEDULE_DELAY'),
        exportTimeoutMillis: getNumberFromEnv('OTEL_BSP_EXPORT_TIMEOUT'),
        maxExportBatchSize: getNumberFromEnv('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
      }),
    );
  // Without a processor NodeSDK registers no tracer provider, and then nothing gets a trace id.
  return processors.length > 0 ? processors : [new NoopSpanProcessor()];
}

/**
 * With nothing to export spans to, recording them is CPU for nothing (ADR 0034): then, unless
 * OTEL_TRACES_SAMPLER asks for recording anyway, spans are ids only. One decision for two things:
 * no new trace is recorded (`parentbased_always_off`), and the instrumentations whose spans stay
 * inside the process (PostgreSQL, GraphQL) are not installed. Spans still get ids, so context
 * propagates and log lines carry trace ids. A caller's sampled trace is still followed, but its
 * spans here end in the no-op processor: dropping pg and graphql loses nothing of it.
 */
function spansAreIdsOnly(processors: SpanProcessor[]): boolean {
  return (
    processors.every((p) => p instanceof NoopSpanProcessor) && !process.env.OTEL_TRACES_SAMPLER
  );
}

/**
 * Tracers whose spans only mark steps inside the process: Apollo's gateway makes six a request
 * (request, validate, plan, execute, fetch, post-processing). Where spans are ids only they carry
 * nothing out, yet each costs an id, a sampler's decision and a context: those tracers then make
 * none, and the code under them runs in the request's span, which its log lines show.
 */
const IN_PROCESS_TRACERS: readonly string[] = ['apollo/gateway-js'];

/** The API's no-op tracer (a proxy with nothing behind it): a "span" is the active one's context. */
const noSpans = new ProxyTracer({ getDelegateTracer: () => undefined }, 'no-spans');

/**
 * NodeSDK makes and registers the provider itself, so its `getTracer` is wrapped in place; the
 * libraries' proxy tracers ask it on their first span, after start.
 */
function withoutInProcessSpans(provider: TracerProvider): void {
  const getTracer = provider.getTracer.bind(provider);
  provider.getTracer = (name, version, options) =>
    IN_PROCESS_TRACERS.includes(name) ? noSpans : getTracer(name, version, options);
}

function tracesUrl(endpoint: string): string {
  const base = URL.parse(endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  if (base?.protocol !== 'http:' && base?.protocol !== 'https:')
    throw new ConfigError([
      `OTEL_EXPORTER_OTLP_ENDPOINT: must be the http(s) URL of an OTLP/HTTP collector (got "${endpoint}")`,
    ]);
  return new URL('v1/traces', base).href;
}

function registeredTracerProvider(): TracerProvider {
  const global = trace.getTracerProvider();
  const provider = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
  if (provider instanceof TracerProvider) return provider;
  throw new Error(
    'OpenTelemetry registered no tracer provider: another SDK registered one first, or OTEL_SDK_DISABLED is set',
  );
}
