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

it('issue 14: registering a work order is one trace: gateway, subgraph, the gRPC call to the customer service, PostgreSQL, the NATS publish and the consumer that handles the event', async () => {
  await sys.gql(
    `mutation($input: StaffInput!) { upsertStaff(input: $input) { staff { id } } }`,
    {
      input: {
        id: 'tech-t',
        name: 'Trace Tech',
        team: 'east',
        skills: ['ELECTRICAL'],
        region: { province: 'Zhejiang', city: 'Hangzhou' },
        teamLeadId: 'lead-1',
      },
    },
    ['manager'],
  );
  const c = await sys.gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name: 'Trace Chen',
        contacts: [{ name: 'Trace Chen', mobile: '13800001111' }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' }, line: '1 Lake Road' }],
      },
    },
  );
  const customerId = c.data!.createCustomer.customer.id;
  const a = await sys.gql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($input: RegisterAssetInput!) { registerAsset(input: $input) { asset { id } } }`,
    {
      input: {
        customerId,
        kind: 'VEHICLE',
        model: 'City EV',
        vin: 'LSVAA4187E2000888',
        warrantyStart: '2026-01-01',
        warrantyEnd: '2027-12-31',
      },
    },
  );
  exporter.reset();
  const res = await sys.gql(
    `mutation TraceRegister($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        customerId,
        assetId: a.data!.registerAsset.asset.id,
        contact: { name: 'Mr Chen', phone: '13800001111' },
        address: { region: { province: 'Zhejiang', city: 'Hangzhou' }, line: '1 Lake Road' },
        areaType: 'URBAN',
        distanceKm: 12,
        faultDescription: 'will not start',
        category: 'ELECTRICAL',
        channel: 'PHONE',
      },
    },
  );
  expect(res.errors).toBeUndefined();

  // The relay publishes after the commit and the customer service consumes the event shortly after.
  const consumed = (s: ReadableSpan) =>
    s.kind === SpanKind.CONSUMER && /\.workorder\.registered process$/.test(s.name);
  const deadline = Date.now() + 20_000;
  let spans: ReadableSpan[] = [];
  while (Date.now() < deadline) {
    await telemetry.forceFlush();
    spans = exporter.getFinishedSpans();
    if (spans.some(consumed)) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  const consumer = spans.find(consumed);
  expect(consumer).toBeDefined();
  const trace = spans.filter((s) => s.spanContext().traceId === consumer!.spanContext().traceId);
  const root = trace.find((s) => !s.parentSpanContext);
  expect(root?.kind).toBe(SpanKind.SERVER);
  const fetch = trace.find((s) => s.name === 'gateway.fetch');
  expect(fetch).toBeDefined();
  const subgraph = trace.find(
    (s) =>
      s.kind === SpanKind.SERVER &&
      s.attributes['url.path'] === '/graphql' &&
      descends(s, fetch!, trace),
  );
  expect(subgraph).toBeDefined();
  const grpcClient = trace.find(
    (s) => s.kind === SpanKind.CLIENT && /CustomerService\//.test(s.name),
  );
  expect(grpcClient && descends(grpcClient, subgraph!, trace)).toBe(true);
  const grpcServer = trace.find(
    (s) => s.kind === SpanKind.SERVER && /CustomerService\//.test(s.name),
  );
  expect(grpcServer?.parentSpanContext?.spanId).toBe(idOf(grpcClient!));
  // The intake's write: one statement (a CTE) inserting the order, under the subgraph's span.
  const insert = trace.find(
    (s) =>
      s.name.startsWith('pg.query') &&
      /insert into "work_order"/.test(String(s.attributes['db.query.text'])) &&
      descends(s, subgraph!, trace),
  );
  expect(insert).toBeDefined();
  const publish = trace.find(
    (s) => s.kind === SpanKind.PRODUCER && /\.workorder\.registered publish$/.test(s.name),
  );
  expect(publish).toBeDefined();
  expect(consumer!.parentSpanContext?.spanId).toBe(idOf(publish!));
  // The consumer's own database work is part of the same trace.
  expect(trace.some((s) => s.name.startsWith('pg.query') && descends(s, consumer!, trace))).toBe(
    true,
  );
});
