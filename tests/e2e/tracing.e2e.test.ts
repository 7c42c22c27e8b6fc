import { exporter, telemetry } from './support/telemetry';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { startSystem, type System } from './harness';

let sys: System;
beforeAll(async () => {
  sys = await startSystem('e2e-trace');
});
afterAll(async () => {
  await sys?.stop();
  await telemetry.shutdown();
});

const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** True when `span` descends from `ancestor` through parent links. */
function descends(span: ReadableSpan, ancestor: ReadableSpan, all: ReadableSpan[]): boolean {
  const byId = new Map(all.map((s) => [idOf(s), s]));
  for (let p = parentOf(span); p; p = byId.get(p) && parentOf(byId.get(p)!)) {
    if (p === idOf(ancestor)) return true;
  }
  return false;
}

it('one GraphQL request yields one trace spanning gateway, subgraph and database', async () => {
  exporter.reset();
  const res = await sys.gql(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name: 'Traced',
        contacts: [{ name: 'T', mobile: '13611112222' }],
        addresses: [{ region: { province: 'Hunan', city: 'Changsha' } }],
      },
    },
  );
  expect(res.errors).toBeUndefined();
  await telemetry.forceFlush();
  const spans = exporter.getFinishedSpans();

  // The gateway's incoming request is the root: it has no parent.
  const roots = spans.filter(
    (s) =>
      s.kind === SpanKind.SERVER && !s.parentSpanContext && s.attributes['url.path'] !== '/readyz',
  );
  const root = roots.find((s) =>
    spans.some(
      (x) => x.name === 'gateway.fetch' && x.spanContext().traceId === s.spanContext().traceId,
    ),
  );
  expect(root).toBeDefined();
  const trace = spans.filter((s) => s.spanContext().traceId === root!.spanContext().traceId);

  const fetch = trace.find((s) => s.name === 'gateway.fetch');
  expect(fetch).toBeDefined();
  const toSubgraph = trace.find((s) => s.kind === SpanKind.CLIENT && parentOf(s) === idOf(fetch!));
  expect(toSubgraph).toBeDefined();
  const subgraph = trace.find(
    (s) => s.kind === SpanKind.SERVER && parentOf(s) === idOf(toSubgraph!),
  );
  expect(subgraph).toBeDefined();
  const resolver = trace.find(
    (s) => s.name.includes('createCustomer') && descends(s, subgraph!, trace),
  );
  expect(resolver).toBeDefined();
  const inserts = trace.filter(
    (s) => s.name.startsWith('pg.query') && descends(s, subgraph!, trace),
  );
  expect(inserts.map((s) => s.name)).toEqual(
    expect.arrayContaining([expect.stringMatching(/INSERT/)]),
  );
  // Nothing of this request escaped into another trace.
  const otherTraces = spans.filter(
    (s) =>
      s.name.startsWith('pg.query') &&
      s.spanContext().traceId !== root!.spanContext().traceId &&
      /INSERT/.test(s.name),
  );
  expect(otherTraces).toEqual([]);
});
