// Must stay the first import: it starts telemetry, with nothing to export to, before the others load.
import { telemetry } from './support/ids-only-telemetry';
import { createServer, get, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { buildSchema, execute, graphql, parse } from 'graphql';
import { Client, Pool } from 'pg';
import { startTelemetry, type Telemetry } from '../../src/telemetry';
import { EchoRequest, echoHandlers, startEcho, type EchoFixture } from '../grpc/echo-fixture';

/**
 * Issue 12: where nothing is exported, the PostgreSQL and GraphQL instrumentations, whose spans
 * never leave the process, are not installed; HTTP and gRPC still carry the trace onward.
 */
const isPatched = (fn: unknown) => (fn as { __wrapped?: boolean }).__wrapped === true;
const patched = () => ({
  http: isPatched(httpRequest),
  pg: isPatched(Client.prototype.query),
  graphql: isPatched(execute) || isPatched(parse),
});

const schema = buildSchema('type Query { hello: String }');
/** Runs a query whose resolver answers the span id active inside it. */
const activeSpanInResolver = async () => {
  const result = await graphql({
    schema,
    source: '{ hello }',
    rootValue: { hello: () => trace.getActiveSpan()?.spanContext().spanId },
  });
  return result.data?.hello;
};

const httpGet = (url: string) =>
  new Promise<void>((resolve, reject) =>
    get(url, (res) => res.resume().on('end', resolve)).on('error', reject),
  );

describe('spans are ids only when nothing is exported', () => {
  let server: Server;
  let base: string;
  let pool: Pool;
  let echo: EchoFixture;
  /** The trace id active in the HTTP and gRPC servers' handlers, per request. */
  const seen: string[] = [];
  const activeTraceId = () => trace.getActiveSpan()?.spanContext().traceId ?? 'none';
  let current: Telemetry = telemetry;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      seen.push(`http ${activeTraceId()}`);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
    echo = await startEcho({
      echo: (request, ctx) => {
        seen.push(`grpc ${activeTraceId()}`);
        return echoHandlers.echo(request, ctx);
      },
    });
  });

  afterAll(async () => {
    await echo.close();
    await pool.end();
    await new Promise((resolve) => server.close(resolve));
    await current.shutdown();
    delete process.env.OTEL_TRACES_SAMPLER;
  });

  /** A fresh start after the previous one, its modules patched the way the test process loads them. */
  function restart(options: Parameters<typeof startTelemetry>[0]) {
    return async () => {
      await current.shutdown();
      current = startTelemetry(options);
      current.instrumentModules(require);
    };
  }

  it('pg and graphql stay unpatched, and the trace still reaches HTTP and gRPC servers', async () => {
    expect(patched()).toEqual({ http: true, pg: false, graphql: false });

    seen.length = 0;
    const tracer = trace.getTracer('test');
    const { traceId, spanId, inResolver } = await tracer.startActiveSpan('op', async (span) => {
      await httpGet(`${base}/work`);
      await pool.query('SELECT 1');
      const inResolver = await activeSpanInResolver();
      await echo.client().echo(EchoRequest.fromPartial({ message: 'hi' }));
      span.end();
      return { ...span.spanContext(), inResolver };
    });
    expect(traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(seen).toEqual([`http ${traceId}`, `grpc ${traceId}`]);
    // No GraphQL span in between: the resolver runs in the operation's own span.
    expect(inResolver).toBe(spanId);
  });

  it("Apollo gateway's in-process steps make no spans: they run in the request's, other tracers still make theirs", () => {
    const own = trace.getTracer('test');
    own.startActiveSpan('request', (request) => {
      const step = trace
        .getTracer('apollo/gateway-js', '2.14.4')
        .startActiveSpan('gateway.plan', (span) => ({
          span,
          active: trace.getActiveSpan()?.spanContext(),
        }));
      expect(step.span.spanContext()).toEqual(request.spanContext());
      expect(step.active).toEqual(request.spanContext());
      const child = own.startSpan('child');
      expect(child.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(child.spanContext().spanId).not.toBe(request.spanContext().spanId);
      child.end();
      request.end();
    });
  });

  it('OTEL_TRACES_SAMPLER asks for recording: pg and graphql are patched as the sampler records', async () => {
    process.env.OTEL_TRACES_SAMPLER = 'always_on';
    await restart({ serviceName: 'kit-ids-only-test' })();
    expect(patched()).toEqual({ http: true, pg: true, graphql: true });
    expect(trace.getTracer('test').startSpan('op').isRecording()).toBe(true);
    delete process.env.OTEL_TRACES_SAMPLER;
  });

  it('with a span processor, pg and graphql spans are made again', async () => {
    const exporter = new InMemorySpanExporter();
    await restart({
      serviceName: 'kit-ids-only-test',
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    })();
    expect(patched()).toEqual({ http: true, pg: true, graphql: true });

    const { traceId, inResolver } = await trace
      .getTracer('test')
      .startActiveSpan('op', async (span) => {
        await pool.query('SELECT 1');
        const inResolver = await activeSpanInResolver();
        span.end();
        return { ...span.spanContext(), inResolver };
      });
    await current.forceFlush();
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    expect(spans.some((s) => s.name.startsWith('pg.query'))).toBe(true);
    expect(spans.find((s) => s.name === 'graphql.resolve hello')?.spanContext().spanId).toBe(
      inResolver,
    );
    // Exported, Apollo's steps are spans of their own again.
    const step = trace.getTracer('apollo/gateway-js').startSpan('gateway.plan');
    expect(step.isRecording()).toBe(true);
    step.end();
  });
});
