// Benchmark scenarios. `prepare(ctx)` sets up data and returns `{ request, before?, lag?, floor? }`:
//   request(i)        one request; indices restart for every rate, so one-shot work (a survey is
//                     answered once) takes the next prepared item from a queue instead
//   before(n)         called before a step of n requests (to top such a queue up)
//   lag({ since })    after a step: the consumer path's delay in ms for every event the step
//                     caused, { samples, missing, throughput } (outbox or publish time → the
//                     consumer's inbox row; throughput: events a second from the first event to
//                     the last effect)
//   floor             { service, statements, vars, what }: a floor of the scenario's own, the SQL
//                     of one request, measured like the others (limits.js) once setup wrote its data
// `consumerPath: true`: the requests only publish events, so the step is judged by the consumer:
// its throughput is the achieved rate and its lag the latency.
// `limit` names the floor the scenario's rate is compared with (see limits.js): `intakeSql` for
// writes, `customerReadSql` for reads, or the scenario's own (`floor`). `transportLimit` names a
// second one its rate is also compared with: `intakeTransport`, the intake's hops with nothing done
// at them (transport-floor.js).
//   ctx.gql(query, variables, roles?, user?)  through the gateway, as `user` (default "bench")
//   ctx.subgraph(service, query, variables, roles, user?)
//                                             straight to a service's subgraph, signed as the
//                                             gateway signs its requests
//   ctx.publish(type, data)                   publishes an event as its producer's relay would;
//                                             resolves with its id
//   ctx.sql(service, text, params)            reads a service's database (setup and checks only)
const { randomUUID } = require('node:crypto');
const path = require('node:path');

const workorderDomain = require(path.join(__dirname, '..', '..', 'services/workorder/dist/domain'));

const services = ['customer', 'workorder', 'inventory', 'complaint', 'survey'];

const TECH = 'bench-tech';
const MANAGER = ['manager'];

const CREATE_CUSTOMER = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`;
const REGISTER_ASSET = `mutation($id: ID!, $serial: String!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "Lift", serialNumber: $serial, warrantyStart: "2026-01-01", warrantyEnd: "2028-01-01" }) { asset { id } } }`;
const REGISTER_ORDER = `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`;
const DISPATCH = `mutation($id: ID!, $tech: ID!) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: [$tech] }) { workOrder { id } } }`;

let customerSeq = 0;
/** A customer with one asset (warranty) and a registered work order for it. */
async function customerWithOrder(gql, { dispatch = false, city = 'Hangzhou' } = {}) {
  const n = ++customerSeq;
  const mobile = `136${String(n).padStart(8, '0')}`;
  const { createCustomer: c } = await gql(CREATE_CUSTOMER, {
    input: {
      kind: 'PERSON',
      name: `Bench Owner ${n}`,
      contacts: [{ name: `Owner ${n}`, mobile }],
      addresses: [{ region: { province: 'Zhejiang', city } }],
    },
  });
  const customerId = c.customer.id;
  const { registerAsset: a } = await gql(REGISTER_ASSET, { id: customerId, serial: `BN-${n}` });
  const { registerWorkOrder: w } = await gql(REGISTER_ORDER, {
    input: {
      customerId,
      assetId: a.asset.id,
      contact: { name: `Owner ${n}`, phone: mobile },
      address: { region: { province: 'Zhejiang', city } },
      areaType: 'URBAN',
      distanceKm: 5,
      faultDescription: 'lift stuck',
      category: 'MECHANICAL',
      channel: 'PHONE',
    },
  });
  const workOrderId = w.workOrder.id;
  if (dispatch) await gql(DISPATCH, { id: workOrderId, tech: TECH }, ['dispatcher']);
  return { customerId, assetId: a.asset.id, workOrderId, mobile };
}

const inParallel = (n, fn) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits (up to a minute) for `consumer` in `service` to record each of `events` ({ id, at: Date })
 * in its inbox, and returns each one's delay from `at` in ms; events never seen count as missing.
 * The inbox row is written in the transaction of the consumer's effect, stamped when it starts.
 */
async function inboxLag(ctx, service, consumer, events) {
  const ids = events.map((e) => e.id);
  let rows = [];
  for (let deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    rows = await ctx.sql(
      service,
      'SELECT event_id, received_at FROM inbox WHERE consumer = $1 AND event_id = ANY($2::uuid[])',
      [consumer, ids],
    );
    if (rows.length === ids.length) break;
  }
  const received = new Map(rows.map((r) => [r.event_id, new Date(r.received_at).getTime()]));
  const samples = events
    .filter((e) => received.has(e.id))
    .map((e) => received.get(e.id) - e.at.getTime());
  // From the first event to the last effect: how fast the consumer got through them.
  const spanMs = Math.max(...received.values()) - Math.min(...events.map((e) => e.at.getTime()));
  return {
    samples,
    missing: ids.length - samples.length,
    throughput: samples.length ? Number(((samples.length * 1000) / spanMs).toFixed(1)) : 0,
  };
}

/** The lag of a service's own events: from its outbox row (written in the changing transaction). */
async function outboxLag(ctx, { producer, type, service, consumer, since }) {
  const events = await ctx.sql(
    producer,
    'SELECT id, created_at FROM outbox WHERE type = $1 AND created_at >= $2',
    [type, since],
  );
  return inboxLag(
    ctx,
    service,
    consumer,
    events.map((e) => ({ id: e.id, at: new Date(e.created_at) })),
  );
}

async function technician(gql) {
  await gql(
    // Skilled in the category the bench's orders are registered under: dispatch refuses the
    // unqualified (R-WO-10).
    `mutation($id: ID!) { upsertStaff(input: { id: $id, name: "Bench Tech", skills: ["MECHANICAL"] }) { staff { id } } }`,
    { id: TECH },
    MANAGER,
  );
}

const createCustomer = {
  name: 'customer.createCustomer',
  limit: 'intakeSql',
  async prepare({ gql }) {
    const request = (i) =>
      gql(CREATE_CUSTOMER, {
        input: {
          kind: 'PERSON',
          name: `Bench ${i}`,
          contacts: [{ name: 'Bench', mobile: `139${String(i).padStart(8, '0')}` }],
          addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
        },
      });
    return { request };
  },
};

const CUSTOMER_WITH_ASSETS = `query($id: ID!) { customer(id: $id) { name assets { nodes { id entitlement { kind } } } } }`;

const customerWithAssets = {
  name: 'customer.read+assets',
  limit: 'customerReadSql',
  async prepare({ gql }) {
    const { customerId } = await customerWithOrder(gql);
    return { request: () => gql(CUSTOMER_WITH_ASSETS, { id: customerId }) };
  },
};

/** The same query sent straight to the customer subgraph: what the gateway adds (issue 12: ≥ 0.8×). */
const customerWithAssetsDirect = {
  name: 'customer.read+assets.subgraph',
  limit: 'customerReadSql',
  async prepare({ gql, subgraph }) {
    const { customerId } = await customerWithOrder(gql);
    return {
      request: () =>
        subgraph('customer', CUSTOMER_WITH_ASSETS, { id: customerId }, [
          'agent',
          'dispatcher',
          'manager',
        ]),
    };
  },
};

/**
 * The dispatchers' board: 100 open orders of 100 customers (in a city of their own) with each
 * order's customer and asset from the customer service, as the gateway batches them.
 */
const dispatchBoard = {
  name: 'workorder.dispatchBoard',
  limit: 'customerReadSql',
  async prepare({ gql }) {
    for (let batch = 0; batch < 10; batch++)
      await inParallel(10, () => customerWithOrder(gql, { city: 'Ningbo' }));
    const request = () =>
      gql(
        `query { dispatchBoard(filter: { city: "Ningbo" }, first: 100) { dueAt overdue carriedOver
          workOrder { id number status category customer { id name } asset { id model serialNumber } } } }`,
        {},
        ['dispatcher'],
        'bench-dispatcher',
      );
    return { request };
  },
};

/**
 * Root fields of one kind in aliased operations, `per` a request (the gateway allows 30 aliases
 * and 2,000 tokens, so the inputs go as variables), `parallel` requests at a time; resolves with
 * each field's result in the order of `inputs`.
 */
async function aliased(gql, { field, type, selection, inputs, roles, per = 25, parallel = 4 }) {
  const batches = [];
  for (let i = 0; i < inputs.length; i += per) batches.push(inputs.slice(i, i + per));
  const results = new Array(batches.length);
  await inParallel(parallel, async (worker) => {
    for (let b = worker; b < batches.length; b += parallel) {
      const names = batches[b].map((_, j) => `a${j}`);
      const data = await gql(
        `mutation(${names.map((n) => `$${n}: ${type}!`).join(', ')}) {
          ${names.map((n) => `${n}: ${field}(input: $${n}) { ${selection} }`).join('\n')} }`,
        Object.fromEntries(names.map((n, j) => [n, batches[b][j]])),
        roles,
      );
      results[b] = names.map((n) => data[n]);
    }
  });
  return results.flat();
}

const CATEGORIES = ['ELECTRICAL', 'MECHANICAL', 'BODY', 'BATTERY', 'SOFTWARE', 'OTHER'];
const PRODUCT_LINES = ['EV-100', 'EV-200', 'HYBRID'];
const REGIONS = [
  { province: 'Zhejiang', city: 'Hangzhou' },
  { province: 'Zhejiang', city: 'Ningbo' },
  { province: 'Zhejiang', city: 'Wenzhou' },
  { province: 'Jiangsu', city: 'Suzhou' },
  { province: 'Jiangsu', city: 'Nanjing' },
];

/**
 * R-WO-10 a roster of `size` technicians (ids rec-tech-000 …) as a manager keeps it: over five
 * cities of two provinces (every tenth covers every region); three qualifications each on a fault
 * category, some on a product line resting on a certificate (every eighth's expired, every
 * eleventh's safety certificate about to expire), a few with plain roster skills; every tenth
 * works weekends only and every tenth 24 hours on weekdays, the rest the business calendar's
 * hours; every twelfth on sick leave from yesterday for two weeks. Repeatable: upserts and
 * replacements, and leave only for those without any.
 */
async function roster(ctx, size) {
  const ids = Array.from({ length: size }, (_, i) => `rec-tech-${String(i).padStart(3, '0')}`);
  const category = (i) => CATEGORIES[i % CATEGORIES.length];
  const line = (i) => PRODUCT_LINES[i % PRODUCT_LINES.length];
  await aliased(ctx.gql, {
    field: 'upsertStaff',
    type: 'UpsertStaffInput',
    selection: 'staff { id }',
    roles: MANAGER,
    inputs: ids.map((id, i) => ({
      id,
      name: `Technician ${i}`,
      position: 'Field technician',
      skills: i % 7 === 0 ? [category(i + 2)] : [],
      ...(i % 10 === 9 ? {} : { region: REGIONS[i % REGIONS.length] }),
      team: `Team ${i % 8}`,
    })),
  });
  await aliased(ctx.gql, {
    field: 'setStaffQualifications',
    type: 'SetStaffQualificationsInput',
    selection: 'staff { id }',
    roles: MANAGER,
    inputs: ids.map((staffId, i) => {
      const soon = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
      return {
        staffId,
        skills: [
          { category: category(i), productLine: line(i), certificateCode: 'HV' },
          { category: category(i + 1) },
          { category: category(i + 3), productLine: line(i + 1) },
        ],
        certificates: [
          {
            code: 'HV',
            name: 'High voltage',
            issuedOn: '2024-01-01',
            expiresOn: i % 8 === 0 ? '2025-06-30' : '2028-12-31',
          },
          {
            code: 'SAFETY',
            name: 'Site safety',
            issuedOn: '2024-01-01',
            expiresOn: i % 11 === 0 ? soon : null,
          },
        ],
        trainings: [{ course: 'Dispatch basics', completedOn: '2025-03-01', passed: true }],
      };
    }),
  });
  const weekdays = (days, start, end) => days.map((weekday) => ({ weekday, start, end }));
  await aliased(ctx.gql, {
    field: 'setStaffShifts',
    type: 'SetStaffShiftsInput',
    selection: 'staff { id }',
    roles: MANAGER,
    inputs: ids.map((staffId, i) => ({
      staffId,
      shifts:
        i % 10 === 3
          ? weekdays([6, 7], '08:00', '18:00')
          : i % 10 === 5
            ? weekdays([1, 2, 3, 4, 5], '00:00', '24:00')
            : null,
    })),
  });
  const onLeave = new Set(
    (
      await ctx.sql(
        'workorder',
        'SELECT DISTINCT staff_id FROM staff_leave WHERE staff_id = ANY($1) AND cancelled_at IS NULL',
        [ids],
      )
    ).map((r) => r.staff_id),
  );
  await aliased(ctx.gql, {
    field: 'recordStaffLeave',
    type: 'RecordStaffLeaveInput',
    selection: 'leave { id }',
    roles: MANAGER,
    inputs: ids
      .filter((id, i) => i % 12 === 1 && !onLeave.has(id))
      .map((staffId) => ({
        staffId,
        startsAt: new Date(Date.now() - 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        kind: 'SICK',
      })),
  });
  return ids;
}

/**
 * The SQL of one recommendation as the work-order service sends it (app/people.ts recommendFor):
 * the order, the roster with each one's leave at the appointment and open load (rankingRoster),
 * and the ten recommended as entities.
 */
function recommendationSql() {
  const { WORK_ORDER_STATUSES, isOpen, isWorkDone } = workorderDomain;
  const busy = WORK_ORDER_STATUSES.filter((st) => isOpen(st) && !isWorkDone(st));
  return [
    `SELECT w0.* FROM work_order AS w0 WHERE w0.id = :id LIMIT 1`,
    `SELECT s.id, s.skills, s.province, s.city, s.qualifications, s.shifts,
            coalesce(l.leave, '[]') AS leave, coalesce(w.n, 0)::int AS open_orders
       FROM staff s
       LEFT JOIN LATERAL (
         SELECT json_agg(json_build_object('id', id, 'startsAt', starts_at, 'endsAt', ends_at,
                                           'kind', kind)) AS leave
           FROM staff_leave
          WHERE staff_id = s.id AND cancelled_at IS NULL
            AND starts_at <= :at::timestamptz AND ends_at > :at::timestamptz) l ON true
       LEFT JOIN (
         SELECT t AS id, count(*) AS n FROM work_order, unnest(technician_ids) AS t
          WHERE status IN (${busy.map((st) => `'${st}'`).join(', ')}) GROUP BY t) w ON w.id = s.id
      WHERE s.active
      LIMIT 2000`,
    `SELECT s0.* FROM staff AS s0 WHERE s0.id = ANY(:ids::text[])`,
  ];
}

/**
 * R-WO-11 the ranking a dispatcher asks for, among a roster of 200 (see roster): 40 open orders
 * to ask about (categories, product lines and cities rotating) and 60 more dispatched two each to
 * 30 technicians as their open load (by a supervisor's override, so the load does not depend on
 * who is available). Orders are registered with idempotency keys and dispatched only while still
 * REGISTERED, so the setup can be repeated in a run. Its floor is the SQL of one request.
 */
const recommendTechnicians = {
  name: 'workorder.recommendTechnicians',
  limit: 'recommendSql',
  async prepare(ctx) {
    const { gql } = ctx;
    const ASKED = 40;
    const LOADED = 60;
    const technicians = await roster(ctx, 200);
    const sites = await inParallel(REGIONS.length, (i) =>
      customerWithOrder(gql, { city: REGIONS[i].city }).then((o) => ({ ...o, ...REGIONS[i] })),
    );
    const orders = await aliased(gql, {
      field: 'registerWorkOrder',
      type: 'RegisterWorkOrderInput',
      selection: 'workOrder { id status }',
      inputs: Array.from({ length: ASKED + LOADED }, (_, n) => {
        const site = sites[n % sites.length];
        return {
          customerId: site.customerId,
          assetId: site.assetId,
          contact: { name: 'Bench Owner', phone: site.mobile },
          address: { region: { province: site.province, city: site.city } },
          areaType: 'URBAN',
          distanceKm: 5,
          faultDescription: 'fault for the recommendation bench',
          category: CATEGORIES[n % CATEGORIES.length],
          ...(n % 4 === 3 ? {} : { productLine: PRODUCT_LINES[n % PRODUCT_LINES.length] }),
          channel: 'PHONE',
          idempotencyKey: `rec-order-${n}`,
        };
      }),
    });
    await aliased(gql, {
      field: 'dispatchWorkOrder',
      type: 'DispatchWorkOrderInput',
      selection: 'workOrder { id }',
      roles: MANAGER,
      inputs: orders
        .map((o, n) => ({ o, n }))
        .filter(({ o, n }) => n >= ASKED && o.workOrder.status === 'REGISTERED')
        .map(({ o, n }) => ({
          workOrderId: o.workOrder.id,
          technicianIds: [technicians[((n % 30) * 7) % technicians.length]],
          override: { reason: 'bench: open load' },
        })),
    });
    const asked = orders.slice(0, ASKED).map((o) => o.workOrder.id);
    const request = (i) =>
      gql(
        `query($id: ID!) { recommendTechnicians(workOrderId: $id) { rank
          technician { id name region { province city } }
          skillMatch regionMatch openOrders expectedStartAt slackHours reasons } }`,
        { id: asked[i % asked.length] },
        ['dispatcher'],
        'bench-dispatcher',
      );
    const floor = {
      service: 'workorder',
      statements: recommendationSql(),
      vars: {
        id: asked[0],
        at: new Date().toISOString(),
        ids: `{${technicians.slice(0, 10).join(',')}}`,
      },
      what: 'order row + roster with leave and open load (one statement) + 10 staff rows',
    };
    return { request, floor };
  },
};

/**
 * R-WO-1 intake through the gateway: gRPC entitlement check, SLA, numbering, outbox; and the
 * consumer path registered → contact log (R-CU-5) in the customer service.
 */
const registerWorkOrder = {
  name: 'workorder.registerWorkOrder',
  limit: 'intakeSql',
  transportLimit: 'intakeTransport',
  async prepare(ctx) {
    const { gql } = ctx;
    const { createCustomer: c } = await gql(
      `mutation { createCustomer(input: { kind: PERSON, name: "Intake", contacts: [{ name: "I", mobile: "13700000001" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
    );
    const { registerAsset: a } = await gql(
      `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "EV", vin: "LSVAA4187E2999999", warrantyStart: "2026-01-01", warrantyEnd: "2028-01-01" }) { asset { id } } }`,
      { id: c.customer.id },
    );
    const input = {
      customerId: c.customer.id,
      assetId: a.asset.id,
      contact: { name: 'I', phone: '13700000001' },
      address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
      areaType: 'URBAN',
      distanceKm: 8,
      faultDescription: 'battery warning',
      channel: 'PHONE',
    };
    // Rotate categories so most requests are not repeat repairs of each other.
    const categories = ['ELECTRICAL', 'MECHANICAL', 'BODY', 'BATTERY', 'SOFTWARE', 'OTHER'];
    const request = (i) =>
      gql(
        `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id number } } }`,
        {
          input: { ...input, category: categories[i % categories.length] },
        },
      );
    const lag = ({ since }) =>
      outboxLag(ctx, {
        producer: 'workorder',
        type: 'workorder.registered',
        service: 'customer',
        consumer: 'customer-on-workorder-registered',
        since,
      });
    return { request, lag };
  },
};

/**
 * R-IN-3 the issue hot path: a warehouse keeper issues one part against an approved requisition
 * (requisition row lock, gRPC check that the work order is still open, ISSUE document with its
 * stock rows locked, ledger lines, outbox). 20 requisitions of 20 work orders share 5 parts of one
 * warehouse, so concurrent issues meet on the same stock rows as they would at a busy station.
 * The ledger around them is of a realistic size: CATALOGUE parts stocked in 20 more stations
 * (BENCH_CATALOGUE, default 1000 parts → 20,000 stock levels), all posted through the graph.
 */
const issueParts = {
  name: 'inventory.issueParts',
  limit: 'intakeSql',
  async prepare({ gql }) {
    const REQUISITIONS = 20;
    const CATALOGUE = Number(process.env.BENCH_CATALOGUE ?? 1000);
    const parts = ['BP-1', 'BP-2', 'BP-3', 'BP-4', 'BP-5'];
    const catalogue = Array.from({ length: CATALOGUE }, (_, i) => `CP-${i}`);
    const stations = Array.from({ length: CATALOGUE ? 20 : 0 }, (_, i) => `BW-${i + 2}`);
    await technician(gql);
    for (const code of ['BW-1', ...stations])
      await gql(
        `mutation($code: ID!) { createWarehouse(input: { code: $code, name: "Bench station", kind: STATION, region: { province: "Zhejiang", city: "Hangzhou" } }) { warehouse { code } } }`,
        { code },
        MANAGER,
      );
    const all = [...parts, ...catalogue];
    await inParallel(8, async (worker) => {
      for (let i = worker; i < all.length; i += 8)
        await gql(
          `mutation($code: ID!, $name: String!) { upsertPart(input: { code: $code, name: $name, unit: PCS, priceFen: 1200 }) { part { code } } }`,
          { code: all[i], name: `Bench part ${all[i]}` },
          ['warehouse'],
        );
    });
    const RECEIPT = `mutation($code: ID!, $lines: [DocumentLineInput!]!) { postStockDocument(input: { type: RECEIPT, warehouseCode: $code, lines: $lines, reference: "PO-BENCH" }) { document { id } } }`;
    await gql(
      RECEIPT,
      { code: 'BW-1', lines: parts.map((partCode) => ({ partCode, quantity: 1_000_000 })) },
      ['warehouse'],
    );
    const receipts = stations.flatMap((code) =>
      Array.from({ length: Math.ceil(CATALOGUE / 200) }, (_, j) => ({
        code,
        lines: catalogue
          .slice(j * 200, j * 200 + 200)
          .map((partCode) => ({ partCode, quantity: 50 })),
      })),
    );
    await inParallel(4, async (worker) => {
      for (let i = worker; i < receipts.length; i += 4)
        await gql(RECEIPT, receipts[i], ['warehouse']);
    });
    const requisitions = await inParallel(REQUISITIONS, async () => {
      const { workOrderId } = await customerWithOrder(gql, { dispatch: true });
      const {
        requestParts: { requisition: r },
      } = await gql(
        `mutation($input: RequestPartsInput!) { requestParts(input: $input) { requisition { id } } }`,
        {
          input: {
            workOrderId,
            warehouseCode: 'BW-1',
            lines: parts.map((partCode) => ({ partCode, quantity: 100_000 })),
          },
        },
        ['technician'],
        TECH,
      );
      await gql(
        `mutation($id: ID!) { approveRequisition(input: { requisitionId: $id }) { requisition { status } } }`,
        { id: r.id },
        ['dispatcher'],
        'bench-supervisor',
      );
      return r.id;
    });
    const request = (i) =>
      gql(
        `mutation($id: ID!, $part: ID!) { issueParts(input: { requisitionId: $id, lines: [{ partCode: $part, quantity: 1 }] }) { requisition { status } } }`,
        {
          id: requisitions[i % REQUISITIONS],
          part: parts[i % parts.length],
        },
        ['warehouse'],
        'bench-keeper',
      );
    return { request };
  },
};

/**
 * R-CO-1 step 1: a complaint with complainant, customer, work order and asset, each checked over
 * gRPC with the customer and work-order services before it is recorded (numbering, deadlines,
 * history, outbox). Rotates over 100 customers' orders; each complaint is judged against the
 * customer's earlier ones (repeats), so fewer customers would make each request heavier.
 */
const registerComplaint = {
  name: 'complaint.registerComplaint',
  limit: 'intakeSql',
  async prepare({ gql }) {
    const orders = [];
    for (let batch = 0; batch < 10; batch++)
      orders.push(...(await inParallel(10, () => customerWithOrder(gql))));
    const request = (i) => {
      const o = orders[i % orders.length];
      return gql(
        `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id number status } } }`,
        {
          input: {
            complainant: { name: 'Bench Owner', phone: o.mobile },
            customerId: o.customerId,
            workOrderId: o.workOrderId,
            assetId: o.assetId,
            channel: 'PHONE',
            category: 'SERVICE_ATTITUDE',
            content: `technician was late (${i})`,
          },
        },
        ['customer_relations'],
        'bench-cr',
      );
    };
    return { request };
  },
};

/**
 * A work order completed ten days ago for `customer`, announced the way the work-order service
 * does (`workorder.completed` on its stream), so the survey service creates one survey and two
 * follow-ups (already due) for it. Resolves with the event's id once published.
 */
function publishCompleted(ctx, customer) {
  const completedAt = new Date(Date.now() - 10 * 86_400_000).toISOString();
  const workOrderId = randomUUID();
  return ctx.publish('workorder.completed', {
    workOrderId,
    number: `WO-BENCH-${workOrderId.slice(0, 8)}`,
    status: 'RESOLVED_ON_SITE',
    customerId: customer.customerId,
    assetId: customer.assetId,
    serviceType: 'WARRANTY',
    category: 'MECHANICAL',
    region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
    technicianIds: [TECH],
    leadTechnicianId: null,
    calledAt: completedAt,
    completedAt,
    resolution: 'ON_SITE',
    partsReplaced: [],
    oldPartsCollected: false,
    oldParts: [],
    responsibility: 'PRODUCT',
    repeatOfWorkOrderId: null,
  });
}

/** `n` completed work orders (see publishCompleted); resolves once all their surveys exist. */
async function completedOrders(ctx, customers, n) {
  const events = [];
  for (let i = 0; i < n; i++)
    events.push({
      id: await publishCompleted(ctx, customers[i % customers.length]),
      at: new Date(),
    });
  const { missing } = await inboxLag(ctx, 'survey', 'survey-on-workorder-completed', events);
  if (missing) throw new Error(`${missing} of ${n} completed orders got no survey`);
}

/** R-SV-1: an agent records a customer's answers on a call (row lock, answer, outbox). */
const answerSurvey = {
  name: 'survey.answerSurvey',
  limit: 'intakeSql',
  async prepare(ctx) {
    const customers = await inParallel(10, () => customerWithOrder(ctx.gql));
    const open = [];
    const answers = ['attitude', 'skill', 'arrival_on_time', 'promises_kept'].map((item) => ({
      item,
      level: 'SATISFIED',
    }));
    const before = async (n) => {
      if (open.length >= n) return;
      await completedOrders(ctx, customers, n - open.length);
      const rows = await ctx.sql(
        'survey',
        `SELECT id FROM survey WHERE status = 'OPEN' AND NOT (id = ANY($1::uuid[]))`,
        [open],
      );
      open.push(...rows.map((r) => r.id));
    };
    const request = () =>
      ctx.gql(
        `mutation($input: AnswerSurveyInput!) { answerSurvey(input: $input) { survey { id status } } }`,
        { input: { surveyId: open.pop(), answers, suggestions: 'none' } },
        ['agent'],
        'bench-agent',
      );
    return { request, before };
  },
};

/**
 * The consumer path completion → survey (R-SV-1): each request publishes one
 * `workorder.completed` as the work-order service's relay would; its lag runs from the publish to
 * the survey consumer's inbox row, written with the survey and its follow-ups; the rate is the
 * consumer's.
 */
const completionToSurvey = {
  name: 'survey.onWorkorderCompleted',
  limit: 'intakeSql',
  consumerPath: true,
  async prepare(ctx) {
    const customers = await inParallel(10, () => customerWithOrder(ctx.gql));
    let published = [];
    const request = async (i) => {
      const at = new Date();
      published.push({ id: await publishCompleted(ctx, customers[i % customers.length]), at });
    };
    const lag = async ({ since }) => {
      const step = published.filter((e) => e.at >= since);
      published = [];
      return inboxLag(ctx, 'survey', 'survey-on-workorder-completed', step);
    };
    return { request, lag };
  },
};

/**
 * R-SV-2: the agents' call list, 20 due follow-ups a page with what an agent needs to call
 * (customer name and phone from the customer service through the gateway, earlier calls).
 * About 1,000 follow-ups are due.
 */
const followUpCallList = {
  name: 'survey.followUpCallList',
  limit: 'customerReadSql',
  async prepare(ctx) {
    const customers = await inParallel(20, () => customerWithOrder(ctx.gql));
    await completedOrders(ctx, customers, 500);
    const request = () =>
      ctx.gql(
        `query { followUpCallList(first: 20) { totalCount nodes { id workOrderNumber sequence topics callDate status attempts
          customer { id name contacts { name mobile } } calls { outcome calledAt } } } }`,
        {},
        ['agent'],
        'bench-agent',
      );
    return { request };
  },
};

module.exports = {
  services,
  customerWithOrder,
  list: [
    createCustomer,
    customerWithAssets,
    customerWithAssetsDirect,
    dispatchBoard,
    recommendTechnicians,
    registerWorkOrder,
    issueParts,
    registerComplaint,
    answerSurvey,
    completionToSurvey,
    followUpCallList,
  ],
};
