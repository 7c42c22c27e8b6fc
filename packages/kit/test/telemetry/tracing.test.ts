// Must stay the first import: it starts telemetry and patches the modules the others load.
import { exporter, telemetry } from './support/in-memory-telemetry';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { buildSchema, graphql } from 'graphql';
import { Pool } from 'pg';
import { EchoRequest, startEcho, type EchoFixture } from '../grpc/echo-fixture';

const tracer = trace.getTracer('kit-telemetry-test');

/** Runs `fn` inside a fresh root span and answers that span's trace id once `fn` is done. */
const inParentSpan = (fn: () => Promise<unknown>): Promise<string> =>
  tracer.startActiveSpan('test operation', async (span) => {
    try {
      await fn();
      return span.spanContext().traceId;
    } finally {
      span.end();
    }
  });

const httpGet = (url: string) =>
  new Promise<void>((resolve, reject) =>
    get(url, (res) => res.resume().on('end', resolve)).on('error', reject),
  );

async function finishedSpans(): Promise<ReadableSpan[]> {
  await telemetry.forceFlush();
  return exporter.getFinishedSpans();
}

describe('telemetry in the jest process (modules patched through instrumentModules)', () => {
  let server: Server;
  let base: string;
  let pool: Pool;
  let echo: EchoFixture;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
    echo = await startEcho();
  });

  afterAll(async () => {
    await echo.close();
    await pool.end();
    await new Promise((resolve) => server.close(resolve));
    await telemetry.shutdown();
  });

  beforeEach(() => exporter.reset());

  it('one operation over HTTP, PostgreSQL and gRPC is one trace, propagated across the wire', async () => {
    const traceId = await inParentSpan(async () => {
      await httpGet(`${base}/work`);
      await pool.query('SELECT 1');
      await echo.client().echo(EchoRequest.fromPartial({ message: 'hi' }));
    });

    const spans = (await finishedSpans()).filter((s) => s.spanContext().traceId === traceId);
    const find = (kind: SpanKind, name: RegExp) => {
      const span = spans.find((s) => s.kind === kind && name.test(s.name));
      if (!span) throw new Error(`no ${SpanKind[kind]} span ${name}: ${spans.map((s) => s.name)}`);
      return span;
    };
    const httpClient = find(SpanKind.CLIENT, /^GET$/);
    const httpServer = find(SpanKind.SERVER, /^GET$/);
    const grpcClient = find(SpanKind.CLIENT, /EchoService\/Echo$/);
    const grpcServer = find(SpanKind.SERVER, /EchoService\/Echo$/);
    find(SpanKind.CLIENT, /^pg\.query/);
    // A server span's parent is the client span: the context went through the traceparent header.
    expect(httpServer.parentSpanContext?.spanId).toBe(httpClient.spanContext().spanId);
    expect(grpcServer.parentSpanContext?.spanId).toBe(grpcClient.spanContext().spanId);
    expect(httpServer.resource.attributes['service.name']).toBe('kit-telemetry-test');
  });

  it('probe and scrape requests (/healthz, /readyz, /metrics) make no spans', async () => {
    await inParentSpan(async () => {
      for (const path of ['/healthz', '/readyz?verbose=1', '/metrics']) await httpGet(base + path);
    });
    const spans = await finishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['test operation']);
  });

  it('PostgreSQL work outside a traced operation makes no spans (pool noise)', async () => {
    await pool.query('SELECT 1');
    expect(await finishedSpans()).toEqual([]);
  });

  it('GraphQL: list items share one resolver span, trivial resolvers get none', async () => {
    const schema = buildSchema(`
      type User { name: String, friends: [User] }
      type Query { users: [User] }
    `);
    const ann = { name: 'Ann', friends: () => [] };
    const rootValue = { users: () => [ann, { ...ann, name: 'Bob' }] };
    const traceId = await inParentSpan(() =>
      graphql({ schema, rootValue, source: '{ users { name friends { name } } }' }),
    );

    const names = (await finishedSpans())
      .filter((s) => s.spanContext().traceId === traceId)
      .map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['graphql.resolve users', 'graphql.resolve users.*.friends']),
    );
    expect(names.filter((n) => n === 'graphql.resolve users.*.friends')).toHaveLength(1);
    expect(names.some((n) => n.endsWith('.name'))).toBe(false);
  });
});
