import type { IncomingMessage, RequestOptions } from 'node:http';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/** Probe and scrape endpoints: polled every few seconds, a span each would bury the real traffic. */
export const UNTRACED_HTTP_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];

/** How deep GraphQL resolver spans go: deeper fields are rarely worth a span each. */
export const GRAPHQL_SPAN_DEPTH = 5;

const isUntracedPath = (path: string | null | undefined): boolean =>
  UNTRACED_HTTP_PATHS.includes((path ?? '').split('?', 1)[0] ?? '');

/**
 * The instrumentations every service runs: HTTP both ways (GraphQL in; out through `http`, and
 * through Node's `fetch`, which the gateway's subgraph fetches use), gRPC both ways and, when
 * spans are recorded, PostgreSQL and GraphQL execution. Those two make only children inside the
 * process: where spans are ids only (nothing exported), they would cost CPU on every query and
 * resolver (ADR 0034) and carry nothing out, while HTTP and gRPC carry the trace to the next
 * process and give log lines their trace ids either way.
 */
export function defaultInstrumentations({ recorded = true }: { recorded?: boolean } = {}) {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => isUntracedPath(request.url),
      ignoreOutgoingRequestHook: (request: RequestOptions) => isUntracedPath(request.path),
    }),
    // Only inside a request's trace: a fetch of its own (a key set, a probe) would start a trace
    // of one span, and the e2e tests' client would become the root of the system's traces.
    new UndiciInstrumentation({
      requireParentforSpans: true,
      ignoreRequestHook: (request) => isUntracedPath(request.path),
    }),
    // @opentelemetry/sdk-node loads @grpc/grpc-js itself (its OTLP/gRPC exporters), before this
    // exists; still patched, as the patch is on the package's exports, which the require hook
    // applies when the app requires it (register.test.ts checks it).
    new GrpcInstrumentation(),
    ...(recorded
      ? [
          // Without a parent span, pg spans are the pool's own chatter (migrations, health checks).
          new PgInstrumentation({ requireParentSpan: true }),
          new GraphQLInstrumentation({
            mergeItems: true,
            ignoreTrivialResolveSpans: true,
            depth: GRAPHQL_SPAN_DEPTH,
          }),
        ]
      : []),
  ];
}
