import { request as httpRequest, createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { ConfigError } from '../../src/config';
import { currentTelemetry, shutdownTelemetry, startTelemetry } from '../../src/telemetry';

const isPatched = (fn: unknown) => (fn as { __wrapped?: boolean }).__wrapped === true;

describe('telemetry start and shutdown (no collector configured)', () => {
  let server: Server;
  let base: string;
  /** The trace id the HTTP server saw active while handling each request. */
  const seenByServer: string[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => {
      seenByServer.push(trace.getActiveSpan()?.spanContext().traceId ?? 'none');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await shutdownTelemetry();
    await new Promise((resolve) => server.close(resolve));
  });

  const httpGet = (url: string) =>
    new Promise<void>((resolve, reject) =>
      get(url, (res) => res.resume().on('end', resolve)).on('error', reject),
    );

  it('rejects an OTLP endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() => startTelemetry({ serviceName: 'bad', otlpEndpoint: 'collector:4318' })).toThrow(
      ConfigError,
    );
    expect(() => startTelemetry({ serviceName: 'bad', otlpEndpoint: 'nonsense' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(currentTelemetry()).toBeUndefined();
  });

  it('without an exporter, operations still get trace ids that propagate (so logs carry them)', async () => {
    const telemetry = startTelemetry({ serviceName: 'no-exporter' });
    telemetry.instrumentModules(require);
    const traceId = await trace.getTracer('test').startActiveSpan('op', async (span) => {
      await httpGet(`${base}/work`);
      span.end();
      return span.spanContext().traceId;
    });
    expect(traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(seenByServer).toEqual([traceId]);
  });

  it('one SDK per process: a second start returns the first instance', () => {
    const first = currentTelemetry();
    expect(first).toBeDefined();
    expect(startTelemetry({ serviceName: 'no-exporter' })).toBe(first);
  });

  it('shutdown unpatches, unregisters, and lets telemetry start afresh', async () => {
    const first = currentTelemetry();
    expect(isPatched(httpRequest)).toBe(true);
    await shutdownTelemetry();
    expect(currentTelemetry()).toBeUndefined();
    expect(isPatched(httpRequest)).toBe(false);
    expect(trace.getTracer('test').startSpan('after').spanContext().traceId).toMatch(/^0{32}$/);

    const second = startTelemetry({ serviceName: 'restarted' });
    expect(second).not.toBe(first);
    expect(second.tracerProvider).not.toBe(first?.tracerProvider);
  });
});
