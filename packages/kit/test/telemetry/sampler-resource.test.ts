import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { startTelemetry } from '../../src/telemetry';

/**
 * Issue 14: the sampler comes from the standard OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, and
 * spans carry the release and the pod (SERVICE_VERSION, OTEL_RESOURCE_ATTRIBUTES set by the
 * manifests through the downward API). No instrumentations: only the SDK's own reading is tested.
 */
const ENV = [
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_RESOURCE_ATTRIBUTES',
  'SERVICE_VERSION',
] as const;

function started(env: Partial<Record<(typeof ENV)[number], string>>) {
  for (const name of ENV) delete process.env[name];
  Object.assign(process.env, env);
  const exporter = new InMemorySpanExporter();
  const telemetry = startTelemetry({
    serviceName: 'sampler-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    instrumentations: [],
  });
  const spans = async (count: number) => {
    for (let i = 0; i < count; i++) trace.getTracer('t').startSpan(`op ${i}`).end();
    await telemetry.forceFlush();
    return exporter.getFinishedSpans();
  };
  return { telemetry, spans };
}

afterEach(() => {
  for (const name of ENV) delete process.env[name];
});

it('OTEL_TRACES_SAMPLER=traceidratio with OTEL_TRACES_SAMPLER_ARG=0 keeps no trace; always_on keeps all', async () => {
  const none = started({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' });
  expect(await none.spans(20)).toHaveLength(0);
  await none.telemetry.shutdown();

  const all = started({ OTEL_TRACES_SAMPLER: 'always_on' });
  expect(await all.spans(20)).toHaveLength(20);
  await all.telemetry.shutdown();
});

it('spans carry service.version from SERVICE_VERSION and the pod and namespace from OTEL_RESOURCE_ATTRIBUTES', async () => {
  const t = started({
    SERVICE_VERSION: '1.4.2',
    OTEL_RESOURCE_ATTRIBUTES: 'k8s.pod.name=customer-7d9f-abcde,k8s.namespace.name=aftercare',
  });
  const [span] = await t.spans(1);
  expect(span!.resource.attributes).toMatchObject({
    'service.name': 'sampler-test',
    'service.version': '1.4.2',
    'k8s.pod.name': 'customer-7d9f-abcde',
    'k8s.namespace.name': 'aftercare',
  });
  await t.telemetry.shutdown();
});

it('issue 12: with nothing to export to, new traces are not recorded unless OTEL_TRACES_SAMPLER asks, yet spans keep trace ids', async () => {
  const span = () => trace.getTracer('t').startSpan('op');
  for (const name of ENV) delete process.env[name];
  const silent = startTelemetry({ serviceName: 'sampler-test', instrumentations: [] });
  const unrecorded = span();
  expect(unrecorded.isRecording()).toBe(false);
  expect(unrecorded.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(unrecorded.spanContext().traceId).not.toBe('0'.repeat(32));
  await silent.shutdown();

  process.env.OTEL_TRACES_SAMPLER = 'always_on';
  const asked = startTelemetry({ serviceName: 'sampler-test', instrumentations: [] });
  expect(span().isRecording()).toBe(true);
  await asked.shutdown();
});
