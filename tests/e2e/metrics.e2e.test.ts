import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSystem, type System } from './harness';
import { parseExposition, type Family } from './support/exposition';

/**
 * Issue 14: every process's `/metrics` (admin listener) after real traffic, checked with
 * `promtool check metrics` (Prometheus' own linter: names, units, `_total` on counters only) and
 * for the families operators rely on. Also keeps deploy/observability/metric-names.txt, the list
 * the dashboards and alert rules are checked against, equal to what the processes expose.
 */

const METRIC_NAMES_FILE = join(__dirname, '../../deploy/observability/metric-names.txt');

type Process = keyof ReturnType<System['adminUrls']>;

let sys: System;
/** Each process's exposition after the traffic below, as text and as its families. */
let texts: Record<Process, string>;
let scraped: Record<Process, Map<string, Family>>;

const CREATE_CUSTOMER = `mutation CreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id } }
}`;
const REGISTER_ASSET = `mutation RegisterAsset($input: RegisterAssetInput!) {
  registerAsset(input: $input) { asset { id } }
}`;
const REGISTER_ORDER = `mutation RegisterOrder($input: RegisterWorkOrderInput!) {
  registerWorkOrder(input: $input) { workOrder { id } }
}`;

async function scrapeAll(): Promise<Record<Process, string>> {
  const out: Partial<Record<Process, string>> = {};
  for (const [name, url] of Object.entries(sys.adminUrls()) as [Process, string][]) {
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    out[name] = await res.text();
  }
  return out as Record<Process, string>;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sample = (text: string, pattern: RegExp): number | undefined => {
  const m = text.match(pattern);
  return m ? Number(m[1]) : undefined;
};

beforeAll(async () => {
  sys = await startSystem('e2e-metrics');
  await sys.gql(
    `mutation($input: StaffInput!) { upsertStaff(input: $input) { staff { id } } }`,
    {
      input: {
        id: 'tech-m',
        name: 'Metric Tech',
        team: 'east',
        skills: ['ELECTRICAL'],
        region: { province: 'Zhejiang', city: 'Hangzhou' },
        teamLeadId: 'lead-1',
      },
    },
    ['manager'],
  );
  const c = await sys.gql<{ createCustomer: { customer: { id: string } } }>(CREATE_CUSTOMER, {
    input: {
      kind: 'PERSON',
      name: 'Metric Chen',
      contacts: [{ name: 'Metric Chen', mobile: '13800001111' }],
      addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' }, line: '1 Lake Road' }],
    },
  });
  expect(c.errors).toBeUndefined();
  const customerId = c.data!.createCustomer.customer.id;
  const a = await sys.gql<{ registerAsset: { asset: { id: string } } }>(REGISTER_ASSET, {
    input: {
      customerId,
      kind: 'VEHICLE',
      model: 'City EV',
      vin: 'LSVAA4187E2000777',
      warrantyStart: '2026-01-01',
      warrantyEnd: '2027-12-31',
    },
  });
  expect(a.errors).toBeUndefined();
  // The work-order service asks the customer service over gRPC: client and server calls.
  const o = await sys.gql(REGISTER_ORDER, {
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
  });
  expect(o.errors).toBeUndefined();
  // Refused before planning: counted with its error code.
  const anonymous = await sys.gql('{ __typename }', {}, null);
  expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

  // Events published (business counter), consumed (consumer counters), schedulers ran a round.
  await until('the registered order to be published and counted', async () => {
    const text = (await scrapeAll()).workorder;
    return (sample(text, /^workorder_orders_registered_total\{[^}]*\} (\d+)/m) ?? 0) >= 1;
  });
  await until('a consumer to process an event and schedulers to run', async () => {
    const now = await scrapeAll();
    return (
      // The customer service logs the registration as a contact (workorder.registered).
      /^event_consumer_processed_total\{[^}]*\} [1-9]/m.test(now.customer) &&
      /^scheduler_rounds_total\{[^}]*outcome="success"[^}]*\} [1-9]/m.test(now.workorder)
    );
  });
  texts = await scrapeAll();
  scraped = Object.fromEntries(
    Object.entries(texts).map(([name, text]) => [name, parseExposition(text)]),
  ) as Record<Process, Map<string, Family>>;
}, 120_000);
afterAll(() => sys?.stop());

describe('metrics every process exposes (issue 14)', () => {
  it('passes `promtool check metrics` for every process', () => {
    for (const [name, text] of Object.entries(texts)) {
      const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      if (run.error)
        throw new Error(
          `promtool is not installed (Debian package "prometheus"): ${run.error.message}`,
        );
      expect({
        process: name,
        status: run.status,
        problems: `${run.stdout}${run.stderr}`.trim(),
      }).toEqual({
        process: name,
        status: 0,
        problems: '',
      });
    }
  });

  it('has runtime metrics and RED histograms per GraphQL operation at the gateway and in the subgraphs', () => {
    for (const families of Object.values(scraped)) {
      expect(families.get('process_cpu_seconds_total')?.type).toBe('counter');
      expect(families.get('nodejs_eventloop_lag_p99_seconds')?.type).toBe('gauge');
      expect(families.get('http_server_request_duration_seconds')?.type).toBe('histogram');
    }
    const gateway = texts.gateway;
    expect(gateway).toMatch(
      /^graphql_server_request_duration_seconds_count\{graphql_operation_name="RegisterOrder",graphql_operation_type="mutation"\} 1$/m,
    );
    expect(gateway).toMatch(
      /^graphql_server_request_duration_seconds_count\{graphql_operation_name="anonymous",graphql_operation_type="unknown",error_type="UNAUTHENTICATED"\} 1$/m,
    );
    expect(gateway).toMatch(
      /^graphql_gateway_subgraph_fetch_duration_seconds_count\{subgraph_name="workorder"\} [1-9]/m,
    );
    expect(texts.workorder).toMatch(
      /^graphql_server_request_duration_seconds_count\{graphql_operation_name="RegisterOrder",graphql_operation_type="mutation"\} 1$/m,
    );
  });

  it('times gRPC calls on both sides and database transactions by origin', () => {
    expect(texts.workorder).toMatch(
      /^rpc_client_call_duration_seconds_count\{rpc_service="aftercare\.customer\.v1\.CustomerService",rpc_method="\w+",rpc_grpc_status_code="OK"\} [1-9]/m,
    );
    expect(texts.customer).toMatch(
      /^rpc_server_call_duration_seconds_count\{rpc_service="aftercare\.customer\.v1\.CustomerService",rpc_method="\w+",rpc_grpc_status_code="OK"\} [1-9]/m,
    );
    expect(texts.customer).toMatch(
      /^db_client_transaction_duration_seconds_count\{db_transaction_kind="graphql",db_transaction_name="CreateCustomer",outcome="commit"\} 1$/m,
    );
    expect(texts.customer).toMatch(
      /^db_client_transaction_duration_seconds_count\{db_transaction_kind="outbox_relay",db_transaction_name="outbox_relay",outcome="commit"\} [1-9]/m,
    );
    expect(texts.customer).toMatch(
      /^db_client_statements_total\{db_transaction_kind="graphql",db_transaction_name="CreateCustomer"\} [1-9]/m,
    );
  });

  it('reports the outbox backlog, publish latency, consumer lag and outcomes, schedulers and business counters', () => {
    const wo = texts.workorder;
    expect(wo).toMatch(/^outbox_backlog_events \d+$/m);
    expect(wo).toMatch(/^outbox_oldest_event_age_seconds [\d.e+-]+$/m);
    expect(wo).toMatch(/^outbox_publish_duration_seconds_count [1-9]/m);
    expect(wo).toMatch(/^outbox_events_published_total [1-9]/m);
    const cu = texts.customer;
    expect(cu).toMatch(
      /^event_consumer_pending_messages\{messaging_consumer_group_name="[\w-]+",messaging_destination_name="[\w-]+"\} \d+$/m,
    );
    expect(cu).toMatch(/^event_consumer_ack_pending_messages\{[^}]+\} \d+$/m);
    expect(cu).toMatch(
      /^event_consumer_handle_duration_seconds_count\{[^}]*outcome="processed"\} [1-9]/m,
    );
    expect(wo).toMatch(
      /^scheduler_round_duration_seconds_count\{scheduler="sla scheduler"\} [1-9]/m,
    );
    expect(wo).toMatch(/^workorder_orders_registered_total\{service_type="WARRANTY"\} 1$/m);
    for (const name of [
      'event_consumer_duplicates_skipped_total',
      'event_consumer_redeliveries_total',
      'event_consumer_parked_total',
      'event_consumer_park_failures_total',
      'event_dead_letters_replayed_total',
    ])
      expect(scraped.customer.has(name)).toBe(true);
    // ADR 0025: the parked events of each consuming service, read at scrape time.
    expect(cu).toMatch(
      /^event_dead_letter_parked_messages\{messaging_destination_name="[A-Z0-9_]+_DEADLETTER_CUSTOMER"\} 0$/m,
    );
    expect(scraped.workorder.has('workorder_sla_breaches_total')).toBe(true);
    expect(scraped.workorder.has('scheduler_last_success_timestamp_seconds')).toBe(true);
    expect(scraped.complaint.has('complaint_complaints_registered_total')).toBe(true);
    expect(scraped.survey.has('survey_surveys_answered_total')).toBe(true);
  });

  it('keeps operation names bounded: names past the cap are counted as `other`', async () => {
    const names = Array.from({ length: 230 }, (_, i) => `Probe${i}`);
    for (const name of names) {
      const r = await sys.gql(`query ${name} { __typename }`);
      expect(r.errors).toBeUndefined();
    }
    const text = await (await fetch(`${sys.adminUrls().gateway}/metrics`)).text();
    const operations = new Set(
      [
        ...text.matchAll(
          /^graphql_server_request_duration_seconds_count\{graphql_operation_name="([^"]+)"/gm,
        ),
      ].map((m) => m[1]),
    );
    // 200 names kept, then `other`; requests refused before their operation is known (parse or
    // validation errors) are `anonymous` whatever the cap.
    expect(operations.size).toBeLessThanOrEqual(202);
    expect(operations.has('other')).toBe(true);
  }, 120_000);

  it('deploy/observability/metric-names.txt lists exactly the families the processes expose', () => {
    const all = new Map<string, string>();
    for (const families of Object.values(scraped))
      for (const f of families.values()) all.set(f.name, f.type);
    const listed = [...all].sort(([a], [b]) => a.localeCompare(b)).map(([n, t]) => `${n} ${t}`);
    const fresh = `${listed.join('\n')}\n`;
    if (process.env.UPDATE_METRIC_NAMES === '1') writeFileSync(METRIC_NAMES_FILE, fresh);
    expect(readFileSync(METRIC_NAMES_FILE, 'utf8')).toBe(fresh);
  });
});
