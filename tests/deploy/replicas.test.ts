import { request } from 'node:http';
import type { Role } from '@aftercare/kit';
import { signDevToken } from '@aftercare/gateway';
import { dbQuery } from '@aftercare/testkit';
import { eventually, streamEvents } from '../e2e/support/events';
import { startLocalCluster, type LocalCluster } from './support/cluster';
import { renderOverlay } from './support/manifests';

// Issue 10 point 9: two processes of every service and of the gateway, run from the prod
// overlay's commands against the same databases and NATS, each Service a local port spreading
// connections over both (as kube-proxy does). Work orders go through intake, dispatch and
// completion and get a complaint, all through the gateways; every event must be published once,
// every consumer effect happen once and every scheduler effect (SLA breaches) once. The outbox
// relays, the durable consumers and the SLA schedulers all run on every replica.
// REPLICAS_ORDERS sets how many work orders (default 4; deploy/README.md gives a larger run).
const ORDERS = Number(process.env.REPLICAS_ORDERS ?? 4);
let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await startLocalCluster(renderOverlay('prod'), {
    label: 'replicas',
    replicas: 2,
    // The SLA scan every second on both work-order replicas, so they race for each breach.
    variables: { SLA_SCAN_INTERVAL_MS: '1000' },
  });
}, 600_000);

afterAll(async () => {
  await cluster?.stop();
  await cluster?.cleanup();
}, 120_000);

async function gql<T>(query: string, variables: object, roles: Role[], user: string): Promise<T> {
  const token = signDevToken({ sub: user, roles, secret: cluster.jwtSecret });
  // A new connection per request, as many clients behind a load balancer would open: the
  // gateway's Service (like kube-proxy) spreads connections, not requests.
  const raw = await new Promise<string>((resolve, reject) => {
    const req = request(
      cluster.graphqlUrl,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve(data));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query, variables }));
  });
  const body = JSON.parse(raw) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

async function story(n: number) {
  const { createCustomer } = await gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation($name: String!) { createCustomer(input: { kind: PERSON, name: $name, contacts: [{ name: $name, mobile: "13900001111" }], addresses: [{ region: { province: "Jiangsu", city: "Nanjing" } }] }) { customer { id } } }`,
    { name: `Replica ${n}` },
    ['agent'],
    'agent-1',
  );
  const customerId = createCustomer.customer.id;
  const { registerAsset } = await gql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!, $sn: String!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "Lift", serialNumber: $sn }) { asset { id } } }`,
    { id: customerId, sn: `REP-${n}` },
    ['agent'],
    'agent-1',
  );
  // Called in three days ago: answer and arrival deadlines are already missed (R-WO-3).
  const { registerWorkOrder } = await gql<{ registerWorkOrder: { workOrder: { id: string } } }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        customerId,
        assetId: registerAsset.asset.id,
        contact: { name: 'L', phone: '13900001111' },
        address: { region: { province: 'Jiangsu', city: 'Nanjing' } },
        areaType: 'SUBURBAN',
        distanceKm: 40,
        faultDescription: 'lift stuck',
        category: 'MECHANICAL',
        channel: 'PHONE',
        calledAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      },
    },
    ['agent'],
    'agent-1',
  );
  const workOrderId = registerWorkOrder.workOrder.id;
  await gql(
    `mutation($input: DispatchWorkOrderInput!) { dispatchWorkOrder(input: $input) { workOrder { id } } }`,
    { input: { workOrderId, technicianIds: ['st-rep'], leadTechnicianId: 'st-rep' } },
    ['dispatcher'],
    'disp-1',
  );
  for (const step of ['departForSite', 'arriveOnSite'])
    await gql(
      `mutation($id: ID!) { ${step}(input: { workOrderId: $id }) { workOrder { status } } }`,
      { id: workOrderId },
      ['technician'],
      'st-rep',
    );
  await gql(
    `mutation($id: ID!) { resolveOnSite(input: { workOrderId: $id, report: { cause: "worn cable", responsibility: PRODUCT, workDone: "cable replaced", partsReplaced: [], oldPartsCollected: false, oldParts: [], findings: { tamperingFound: false, warrantyEligible: true } } }) { workOrder { status } } }`,
    { id: workOrderId },
    ['technician'],
    'st-rep',
  );
  await gql(
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
    {
      input: {
        complainant: { name: 'L', phone: '13900001111' },
        customerId,
        workOrderId,
        channel: 'PHONE',
        category: 'SERVICE_ATTITUDE',
        content: 'the technician came three days late',
      },
    },
    ['customer_relations'],
    'cr-1',
  );
  return workOrderId;
}

const countBy = (values: string[]) =>
  values.reduce<Record<string, number>>((m, v) => ({ ...m, [v]: (m[v] ?? 0) + 1 }), {});

describe('two replicas of every process', () => {
  let orders: string[];
  // Events and their effects follow the requests asynchronously (relays, consumers, schedulers).
  jest.setTimeout(120_000);

  beforeAll(async () => {
    await gql(
      `mutation($input: UpsertStaffInput!) { upsertStaff(input: $input) { staff { id } } }`,
      {
        input: {
          id: 'st-rep',
          name: 'Rep Technician',
          team: 'east',
          skills: ['MECHANICAL'],
          region: { province: 'Jiangsu', city: 'Nanjing' },
        },
      },
      ['manager'],
      'mgr-1',
    );
    orders = [];
    for (let n = 0; n < ORDERS; n++) orders.push(await story(n));
  }, 300_000);

  it('both gateway replicas served GraphQL, and the subgraphs behind them too (the Services spread connections)', async () => {
    const served = new Map<string, number>();
    for (const r of cluster.replicas) {
      // Metrics are served on the admin port only (ADR 0011).
      const port = r.ports.get(r.container.ports!.find((p) => p.name === 'admin')!.containerPort)!;
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const graphql = [
        ...metrics.matchAll(
          /http_server_request_duration_seconds_count\{[^}]*http_route="\/graphql"[^}]*\} (\d+)/g,
        ),
      ].reduce((s, m) => s + Number(m[1]), 0);
      served.set(r.process.label, graphql);
    }
    // Each gateway keeps its connections to a subgraph alive, so which subgraph replica answers
    // depends on which connection it opened; inventory and survey work through their consumers.
    expect(served.get('gateway-0')).toBeGreaterThan(0);
    expect(served.get('gateway-1')).toBeGreaterThan(0);
    for (const s of ['customer', 'workorder', 'complaint'])
      expect((served.get(`${s}-0`) ?? 0) + (served.get(`${s}-1`) ?? 0)).toBeGreaterThan(0);
  });

  it('each event is published once: one registered and one completed per order, one complaint each, ids unique in every stream', async () => {
    const workorder = await eventually(
      () => streamEvents(cluster.subjectPrefix, 'workorder'),
      (es) => es.filter((e) => e.type === 'workorder.sla_breached').length >= 2 * ORDERS,
      60_000,
    );
    const complaint = await streamEvents(cluster.subjectPrefix, 'complaint');
    for (const events of [workorder, complaint])
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const perOrder = (type: string) =>
      countBy(workorder.filter((e) => e.type === type).map((e) => e.subject));
    for (const type of ['workorder.registered', 'workorder.completed'])
      expect(perOrder(type)).toEqual(Object.fromEntries(orders.map((id) => [id, 1])));
    expect(
      countBy(
        complaint
          .filter((e) => e.type === 'complaint.registered')
          .map((e) => String(e.data.workOrderId)),
      ),
    ).toEqual(Object.fromEntries(orders.map((id) => [id, 1])));
  });

  it('each scheduler effect happens once: one ANSWER and one ARRIVAL breach per order, with two schedulers racing', async () => {
    await new Promise((r) => setTimeout(r, 3000)); // a few more rounds of both schedulers
    const breaches = (await streamEvents(cluster.subjectPrefix, 'workorder')).filter(
      (e) => e.type === 'workorder.sla_breached',
    );
    expect(countBy(breaches.map((e) => `${e.subject}/${String(e.data.kind)}`))).toEqual(
      Object.fromEntries(
        orders.flatMap((id) => [
          [`${id}/ANSWER`, 1],
          [`${id}/ARRIVAL`, 1],
        ]),
      ),
    );
    const rows = await dbQuery<{ n: number }>(
      cluster.databaseUrls.workorder!,
      'select count(*)::int as n from sla_breach',
    );
    expect(rows[0]!.n).toBe(2 * ORDERS);
  });

  it('each consumer effect happens once: one survey per completed order, one contact-log entry per registered order', async () => {
    const surveys = await eventually(
      () =>
        dbQuery<{ subject: string; n: number }>(
          cluster.databaseUrls.survey!,
          'select work_order_id as subject, count(*)::int as n from survey group by work_order_id',
        ),
      (rows) => rows.length >= ORDERS,
      60_000,
    );
    expect(Object.fromEntries(surveys.map((r) => [r.subject, r.n]))).toEqual(
      Object.fromEntries(orders.map((id) => [id, 1])),
    );
    const inbox = await dbQuery<{ consumer: string; n: number }>(
      cluster.databaseUrls.customer!,
      "select consumer, count(*)::int as n from inbox where consumer = 'customer-on-workorder-registered' group by consumer",
    );
    expect(inbox).toEqual([{ consumer: 'customer-on-workorder-registered', n: ORDERS }]);
  });
});
