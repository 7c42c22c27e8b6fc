import { AppError, type Identity } from '@aftercare/kit';
import { customerV1, healthV1, inventoryV1 } from '@aftercare/proto';
import {
  dbQuery,
  type IdempotentCreate,
  idempotentCreateChecks,
  rowCount,
  subgraphCreate,
  subgraphData,
  type TestServiceEnv,
  testGrpcClient,
  testServiceEnv,
} from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '@aftercare/customer-service';
import { loadWorkOrderConfig, startWorkOrderService } from '@aftercare/workorder-service';
import { createWarehouse, upsertPart } from '../../src/app/catalogue';
import type { InventoryDeps } from '../../src/app/deps';
import { postDocument } from '../../src/app/ledger';
import {
  approve,
  issue,
  reject,
  requestRequisition,
  returnParts,
} from '../../src/app/requisitions';
import { inventoryOldPartReceived, inventoryRequisitionStep } from '@aftercare/events';
import { openWriteOffs, receiveOldPartFor, writeOffOf } from '../../src/app/old-parts';
import { correctWrongPart } from '../../src/app/accuracy';
import { documentsOfRequisitions } from '../../src/app/queries';
import { loadInventoryConfig, startInventoryService } from '../../src';

// R-IN-3 against the real work-order service over gRPC: requisitions only for open work orders,
// issue only against approved requisitions, unused parts back.
const office: Identity = { userId: 'office-1', roles: ['agent', 'dispatcher', 'manager'] };
const tech: Identity = { userId: 'tech-1', roles: ['technician'] };
const keeper: Identity = { userId: 'wh-1', roles: ['warehouse'] };
const supervisor: Identity = { userId: 'disp-1', roles: ['dispatcher'] };
const envs: TestServiceEnv[] = [];
const stops: (() => Promise<unknown>)[] = [];
let workorderHttp: number;
let customerGrpc: number;
let inventoryGrpc: number;
let inventoryHttp: number;
let deps: InventoryDeps;

beforeAll(async () => {
  const cEnv = await testServiceEnv('inv-req-customer');
  const customer = await startCustomerService(loadCustomerConfig(cEnv.env));
  customerGrpc = customer.grpcPort;
  const wEnv = await testServiceEnv('inv-req-workorder', {
    CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${customer.grpcPort}`,
    SLA_SCHEDULER: 'false',
  });
  const workorder = await startWorkOrderService(loadWorkOrderConfig(wEnv.env));
  workorderHttp = workorder.httpPort;
  // Inventory reads the work-order stream, so both share the test's subject prefix.
  const iEnv = await testServiceEnv('inv-req', {
    WORKORDER_GRPC_ADDRESS: `127.0.0.1:${workorder.grpcPort}`,
    EVENT_SUBJECT_PREFIX: wEnv.subjectPrefix,
  });
  const inventory = await startInventoryService(loadInventoryConfig(iEnv.env), {
    onReady: (d) => (deps = d),
  });
  inventoryGrpc = inventory.grpcPort;
  inventoryHttp = inventory.httpPort;
  envs.push(cEnv, wEnv, iEnv);
  stops.push(
    () => inventory.stop(),
    () => workorder.stop(),
    () => customer.stop(),
  );
  await createWarehouse(deps, office, {
    code: 'ST-1',
    name: 'Station 1',
    kind: 'STATION',
    region: { province: 'Zhejiang', city: 'Hangzhou' },
  });
  await upsertPart(deps, keeper, {
    code: 'BRK-PAD',
    name: 'Brake pad',
    unit: 'SET',
    priceFen: 8000,
    reorderPoint: 0,
  });
  await postDocument(deps, keeper, {
    type: 'RECEIPT',
    warehouseCode: 'ST-1',
    lines: [{ partCode: 'BRK-PAD', quantity: 10 }],
    reference: 'PO-9',
  });
});
afterAll(async () => {
  for (const stop of stops) await stop();
  for (const env of envs) await env.cleanup();
});

const workorderGql = <T>(query: string, variables: object = {}, caller: Identity = office) =>
  subgraphData<T>(workorderHttp, query, variables, caller);

async function dispatchedWorkOrder(warranty = false): Promise<string> {
  const customers = testGrpcClient(customerV1.CustomerServiceClient, `127.0.0.1:${customerGrpc}`, {
    identity: office,
  });
  try {
    const { customer } = await customers.createCustomer(
      customerV1.CreateCustomerRequest.create({
        kind: customerV1.CustomerKind.CUSTOMER_KIND_PERSON,
        name: 'Parts Customer',
        contacts: [{ name: 'P', mobile: '13800003333' }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
      }),
    );
    const asset = warranty
      ? (
          await customers.registerAsset(
            customerV1.RegisterAssetRequest.create({
              customerId: customer!.id,
              kind: customerV1.AssetKind.ASSET_KIND_VEHICLE,
              model: 'EV',
              serialNumber: `W-${Date.now()}`,
              warrantyStart: '2026-01-01',
              warrantyEnd: '2028-12-31',
            }),
          )
        ).asset
      : undefined;
    await workorderGql(
      `mutation { upsertStaff(input: { id: "tech-1", name: "Tech One", skills: ["ELECTRICAL", "MECHANICAL", "BODY", "BATTERY", "SOFTWARE", "OTHER"] }) { staff { id } } }`,
    );
    const { registerWorkOrder } = await workorderGql<{
      registerWorkOrder: { workOrder: { id: string } };
    }>(
      `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
      {
        input: {
          customerId: customer!.id,
          contact: { name: 'P', phone: '13800003333' },
          address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
          areaType: 'URBAN',
          distanceKm: 2,
          faultDescription: 'brakes squeal',
          category: 'MECHANICAL',
          channel: 'PHONE',
          ...(asset ? { assetId: asset.id } : { internalKind: 'INSPECTION' }),
        },
      },
    );
    const id = registerWorkOrder.workOrder.id;
    await workorderGql(
      `mutation($id: ID!) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: ["tech-1"] }) { workOrder { id } } }`,
      { id },
    );
    return id;
  } finally {
    customers.close();
  }
}

/**
 * Takes a dispatched work order through on-site repair (one brake pad replaced, the old one
 * collected) and waits for inventory to open its old-part write-off from `workorder.completed`.
 */
async function completeOnSite(workOrderId: string) {
  const asTech = (q: string) => workorderGql(q, { id: workOrderId }, tech);
  await asTech(
    `mutation($id: ID!) { departForSite(input: { workOrderId: $id }) { workOrder { id } } }`,
  );
  await asTech(
    `mutation($id: ID!) { arriveOnSite(input: { workOrderId: $id }) { workOrder { id } } }`,
  );
  await asTech(
    `mutation($id: ID!) { resolveOnSite(input: { workOrderId: $id, report: { cause: "worn", responsibility: PRODUCT, workDone: "pads replaced",
      partsReplaced: [{ code: "BRK-PAD", name: "Brake pad", quantity: 1, reason: "worn" }], oldPartsCollected: true, oldParts: [{ name: "Brake pad", quantity: 1 }] } }) { workOrder { id } } }`,
  );
  // The consumer applies the event shortly after the work-order relay publishes it.
  for (let i = 0; i < 50; i++) {
    const writeOff = await writeOffOf(deps.orm.em.fork(), keeper, workOrderId).catch(() => null);
    if (writeOff) return writeOff;
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
};

it('R-IN-3 request → approve → issue → return unused; unapproved issue and closed work orders refused', async () => {
  const workOrderId = await dispatchedWorkOrder();
  const req = await requestRequisition(deps, tech, {
    workOrderId,
    warehouseCode: 'ST-1',
    lines: [{ partCode: 'BRK-PAD', quantity: 4 }],
  });
  expect(req.status).toBe('REQUESTED');

  expect(
    await failure(issue(deps, keeper, req.id, [{ partCode: 'BRK-PAD', quantity: 4 }])),
  ).toMatchObject({ reason: 'NOT_APPROVED' });
  expect(
    await failure(approve(deps, { ...tech, roles: ['technician', 'dispatcher'] }, req.id)),
  ).toMatchObject({ code: 'PERMISSION_DENIED' });
  await approve(deps, supervisor, req.id, { lines: [{ partCode: 'BRK-PAD', quantity: 3 }] });
  expect(
    await failure(issue(deps, keeper, req.id, [{ partCode: 'BRK-PAD', quantity: 4 }])),
  ).toMatchObject({ reason: 'OVER_ISSUE' });
  const issued = await issue(deps, keeper, req.id, [{ partCode: 'BRK-PAD', quantity: 3 }]);
  expect(issued.status).toBe('ISSUED');
  const returned = await returnParts(deps, keeper, req.id, [{ partCode: 'BRK-PAD', quantity: 1 }]);
  expect(returned.lines[0]).toMatchObject({ issued: 3, returned: 1 });
  const levels = await deps.orm.em
    .fork()
    .getConnection()
    .execute(`SELECT on_hand FROM stock_level WHERE part_code = 'BRK-PAD'`);
  expect(levels[0]?.on_hand).toBe(8);

  // A second requisition, approved, then the work order is cancelled: nothing more is issued.
  const late = await requestRequisition(deps, tech, {
    workOrderId,
    warehouseCode: 'ST-1',
    lines: [{ partCode: 'BRK-PAD', quantity: 1 }],
  });
  await approve(deps, supervisor, late.id);
  await workorderGql(
    `mutation($id: ID!) { cancelWorkOrder(input: { workOrderId: $id, reason: "customer withdrew" }) { workOrder { id } } }`,
    { id: workOrderId },
  );
  expect(
    await failure(issue(deps, keeper, late.id, [{ partCode: 'BRK-PAD', quantity: 1 }])),
  ).toMatchObject({
    code: 'FAILED_PRECONDITION',
    reason: 'WORK_ORDER_NOT_OPEN',
  });
  expect(
    await failure(
      requestRequisition(deps, tech, {
        workOrderId,
        warehouseCode: 'ST-1',
        lines: [{ partCode: 'BRK-PAD', quantity: 1 }],
      }),
    ),
  ).toMatchObject({
    reason: 'WORK_ORDER_NOT_OPEN',
  });
});

it('R-IN-3 a technician requests only for work orders assigned to them', async () => {
  const workOrderId = await dispatchedWorkOrder();
  const other: Identity = { userId: 'tech-9', roles: ['technician'] };
  expect(
    await failure(
      requestRequisition(deps, other, {
        workOrderId,
        warehouseCode: 'ST-1',
        lines: [{ partCode: 'BRK-PAD', quantity: 1 }],
      }),
    ),
  ).toMatchObject({
    code: 'PERMISSION_DENIED',
  });
});

it('R-IN-3 R-IN-4 workorder.completed books the parts used (no return of used parts) and opens the old-part write-off', async () => {
  const workOrderId = await dispatchedWorkOrder(true);
  const req = await requestRequisition(deps, tech, {
    workOrderId,
    warehouseCode: 'ST-1',
    lines: [{ partCode: 'BRK-PAD', quantity: 2 }],
  });
  await approve(deps, supervisor, req.id);
  await issue(deps, keeper, req.id, [{ partCode: 'BRK-PAD', quantity: 2 }]);
  const writeOff = await completeOnSite(workOrderId);
  const em = () => deps.orm.em.fork();
  expect(writeOff).toMatchObject({ status: 'OPEN', missing: [{ name: 'Brake pad', missing: 1 }] });
  // R-IN-4 missing old parts are listed.
  const listed = (await openWriteOffs(em(), keeper)).find((w) => w.workOrderId === workOrderId);
  expect(listed).toMatchObject({ status: 'OPEN', missing: [{ partCode: 'BRK-PAD', missing: 1 }] });
  expect(
    await failure(returnParts(deps, keeper, req.id, [{ partCode: 'BRK-PAD', quantity: 2 }])),
  ).toMatchObject({ reason: 'RETURN_EXCEEDS_UNUSED' });
  const back = await returnParts(deps, keeper, req.id, [{ partCode: 'BRK-PAD', quantity: 1 }]);
  expect(back.lines[0]).toMatchObject({ issued: 2, used: 1, returned: 1 });
  const closed = await receiveOldPartFor(deps, keeper, {
    workOrderId,
    partCode: 'BRK-PAD',
    name: 'Brake pad',
    quantity: 1,
  });
  expect(closed).toMatchObject({ status: 'CLOSED', missing: [] });
  expect((await openWriteOffs(em(), keeper)).map((w) => w.workOrderId)).not.toContain(workOrderId);
  expect(await failure(openWriteOffs(em(), tech))).toMatchObject({ code: 'PERMISSION_DENIED' });
  expect(
    await failure(
      receiveOldPartFor(deps, keeper, {
        workOrderId,
        partCode: 'BRK-PAD',
        name: 'Brake pad',
        quantity: 1,
      }),
    ),
  ).toMatchObject({
    reason: 'OLD_PART_NOT_EXPECTED',
  });
});

describe('inventory gRPC API (a real server on loopback)', () => {
  const service: Identity = { userId: 'svc-workorder', roles: ['service'] };
  const client = () =>
    testGrpcClient(inventoryV1.InventoryServiceClient, `127.0.0.1:${inventoryGrpc}`, {
      identity: service,
    });

  it('parts by code, stock levels, the requisitions of a work order and issued parts, issue accuracy', async () => {
    const start = new Date();
    await upsertPart(deps, keeper, {
      code: 'GRPC-AXLE',
      name: 'Rear axle',
      unit: 'PCS',
      priceFen: 45_000,
      critical: true,
    });
    await postDocument(deps, keeper, {
      type: 'RECEIPT',
      warehouseCode: 'ST-1',
      lines: [{ partCode: 'GRPC-AXLE', quantity: 5 }],
      reference: 'PO-GRPC',
    });
    const workOrderId = await dispatchedWorkOrder();
    const req = await requestRequisition(deps, tech, {
      workOrderId,
      warehouseCode: 'ST-1',
      lines: [
        { partCode: 'GRPC-AXLE', quantity: 2 },
        { partCode: 'BRK-PAD', quantity: 1 },
      ],
    });
    await approve(deps, supervisor, req.id);
    await issue(deps, keeper, req.id, [{ partCode: 'GRPC-AXLE', quantity: 2 }]);

    const c = client();
    try {
      const parts = await c.batchGetParts({ codes: ['grpc-axle', 'NO-SUCH', 'BRK-PAD'] });
      expect(parts.parts.map((p) => p.code)).toEqual(['GRPC-AXLE', 'BRK-PAD']);
      expect(parts.parts[0]).toMatchObject({
        name: 'Rear axle',
        unit: inventoryV1.PartUnit.PART_UNIT_PCS,
        price: { fen: '45000', currency: 'CNY' },
        critical: true,
      });

      expect(await c.getStockLevels({ partCode: 'GRPC-AXLE', warehouseCode: '' })).toEqual({
        stockLevels: [{ warehouseCode: 'ST-1', partCode: 'GRPC-AXLE', onHand: 3 }],
      });
      const station = await c.getStockLevels({ partCode: '', warehouseCode: 'st-1' });
      expect(station.stockLevels.map((l) => l.partCode)).toEqual(['BRK-PAD', 'GRPC-AXLE']);

      const onOrder = await c.listWorkOrderParts({ workOrderId });
      expect(onOrder.requisitions).toEqual([
        expect.objectContaining({
          id: req.id,
          workOrderId,
          status: inventoryV1.RequisitionStatus.REQUISITION_STATUS_PARTLY_ISSUED,
          requestedBy: 'tech-1',
          lines: [
            { partCode: 'GRPC-AXLE', requested: 2, approved: 2, issued: 2, used: 0, returned: 0 },
            { partCode: 'BRK-PAD', requested: 1, approved: 1, issued: 0, used: 0, returned: 0 },
          ],
        }),
      ]);
      expect(onOrder.issuedParts).toEqual([
        { partCode: 'GRPC-AXLE', issued: 2, used: 0, returned: 0 },
      ]);

      // Accuracy over the issues of this test only: the ones since `start` at ST-1.
      const period = { start, end: new Date(Date.now() + 60_000) };
      const before = await c.getIssueAccuracy({ period, warehouseCode: 'ST-1' });
      expect(before).toMatchObject({ issues: 1, correct: 1, wrong: 0, accuracy: 1, target: 0.98 });
      expect(before.meetsTarget).toBe(true);
      const [documents] = await documentsOfRequisitions(deps.orm.em.fork(), keeper, [req.id]);
      await correctWrongPart(deps, keeper, documents![0]!.id, {
        wrongPartCode: 'GRPC-AXLE',
        rightPartCode: 'BRK-PAD',
        quantity: 1,
      });
      expect(await c.getIssueAccuracy({ period, warehouseCode: 'ST-1' })).toMatchObject({
        issues: 1,
        wrong: 1,
        accuracy: 0,
        meetsTarget: false,
      });
      const empty = await c.getIssueAccuracy({
        period: { start: new Date('2020-01-01T00:00:00Z'), end: new Date('2020-02-01T00:00:00Z') },
        warehouseCode: '',
      });
      expect(empty).toMatchObject({ issues: 0 });
      expect(empty.accuracy).toBeUndefined();
      expect(empty.meetsTarget).toBeUndefined();
    } finally {
      c.close();
    }
  });

  it('typed errors become gRPC statuses; roles apply; health is served', async () => {
    const c = client();
    try {
      expect(await failure(c.listWorkOrderParts({ workOrderId: 'nope' }))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        field: 'workOrderId',
      });
      expect(await failure(c.getIssueAccuracy({ warehouseCode: '' }))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        field: 'period',
        reason: 'REQUIRED',
      });
      const backwards = {
        start: new Date('2026-02-01T00:00:00Z'),
        end: new Date('2026-01-01T00:00:00Z'),
      };
      expect(
        await failure(c.getIssueAccuracy({ period: backwards, warehouseCode: '' })),
      ).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'INVALID_PERIOD' });
      expect(
        await failure(c.batchGetParts({ codes: Array.from({ length: 501 }, (_, i) => `P-${i}`) })),
      ).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'TOO_MANY' });
      // A customer-facing role may not read the warehouse; an anonymous call is refused.
      expect(
        await failure(
          c.getStockLevels(
            { partCode: '', warehouseCode: '' },
            { identity: { userId: 'cust', roles: ['customer_relations'] } },
          ),
        ),
      ).toMatchObject({ code: 'PERMISSION_DENIED' });
      const anonymous = testGrpcClient(
        inventoryV1.InventoryServiceClient,
        `127.0.0.1:${inventoryGrpc}`,
      );
      try {
        expect(await failure(anonymous.batchGetParts({ codes: ['BRK-PAD'] }))).toMatchObject({
          code: 'UNAUTHENTICATED',
        });
      } finally {
        anonymous.close();
      }
    } finally {
      c.close();
    }
    const health = testGrpcClient(healthV1.HealthClient, `127.0.0.1:${inventoryGrpc}`);
    try {
      const res = await health.check({ service: 'aftercare.inventory.v1.InventoryService' });
      expect(res.status).toBe(healthV1.HealthCheckResponse_ServingStatus.SERVING);
    } finally {
      health.close();
    }
  });
});

it('R-IN-3 R-IN-4 every requisition step and each old part handed in is an event, in the same transaction', async () => {
  const events = async (workOrderId: string) =>
    (
      await dbQuery<{ type: string; data: Record<string, unknown> }>(
        envs[2]!.env.DATABASE_URL!,
        `SELECT payload->>'type' AS type, payload->'data' AS data FROM outbox
         WHERE payload->'data'->>'workOrderId' = $1 ORDER BY id`,
        [workOrderId],
      )
    ).map((e) => ({ type: e.type, data: e.data }));
  const workOrderId = await dispatchedWorkOrder(true);
  const rejected = await requestRequisition(deps, tech, {
    workOrderId,
    warehouseCode: 'ST-1',
    lines: [{ partCode: 'BRK-PAD', quantity: 9 }],
  });
  await reject(deps, supervisor, rejected.id, 'one set is enough');
  const req = await requestRequisition(deps, tech, {
    workOrderId,
    warehouseCode: 'ST-1',
    lines: [{ partCode: 'BRK-PAD', quantity: 2 }],
  });
  await approve(deps, supervisor, req.id, { lines: [{ partCode: 'BRK-PAD', quantity: 1 }] });
  // A refused step writes no event.
  await failure(approve(deps, supervisor, req.id));
  await issue(deps, keeper, req.id, [{ partCode: 'BRK-PAD', quantity: 1 }]);
  await completeOnSite(workOrderId);
  await receiveOldPartFor(deps, keeper, {
    workOrderId,
    partCode: 'BRK-PAD',
    name: 'Brake pad',
    quantity: 1,
  });
  const seen = await events(workOrderId);
  expect(seen.map((e) => e.type)).toEqual([
    'inventory.requisition_requested',
    'inventory.requisition_rejected',
    'inventory.requisition_requested',
    'inventory.requisition_approved',
    'inventory.parts_issued',
    'inventory.old_part_received',
  ]);
  expect(seen.filter((e) => e.type.startsWith('inventory.requisition')).map((e) => e.data)).toEqual(
    [
      { status: 'REQUESTED', actorId: 'tech-1', quantity: 9, reason: null, id: rejected.id },
      {
        status: 'REJECTED',
        actorId: 'disp-1',
        quantity: 0,
        reason: 'one set is enough',
        id: rejected.id,
      },
      { status: 'REQUESTED', actorId: 'tech-1', quantity: 2, reason: null, id: req.id },
      { status: 'APPROVED', actorId: 'disp-1', quantity: 1, reason: null, id: req.id },
    ].map(({ status, actorId, quantity, reason, id }) => ({
      requisitionId: id,
      workOrderId,
      warehouseCode: 'ST-1',
      status,
      actorId,
      lines: [{ partCode: 'BRK-PAD', quantity }],
      reason,
      at: expect.any(String),
    })),
  );
  expect(inventoryRequisitionStep.array().parse(seen.slice(0, 4).map((e) => e.data))).toHaveLength(
    4,
  );
  expect(inventoryOldPartReceived.parse(seen[5]!.data)).toMatchObject({
    partCode: 'BRK-PAD',
    quantity: 1,
    receivedBy: 'wh-1',
    writeOffStatus: 'CLOSED',
    missing: [],
  });
});

describe('issue 11: idempotent creates that need the work-order service (GraphQL)', () => {
  // Made once per variant, however many calls of that variant run at once.
  const once = <T>(make: (v: number) => Promise<T>) => {
    const made = new Map<number, Promise<T>>();
    return (v: number) => {
      if (!made.has(v)) made.set(v, make(v));
      return made.get(v)!;
    };
  };
  const openOrder = once(() => dispatchedWorkOrder());
  const completedOrder = once(async () => {
    const workOrderId = await dispatchedWorkOrder(true);
    await completeOnSite(workOrderId);
    return workOrderId;
  });
  const rows = (table: string) => () => rowCount(envs[2]!.env.DATABASE_URL!, table);

  const creates: [string, IdempotentCreate][] = [
    [
      'requestParts',
      {
        rows: rows('requisition'),
        call: async (v, key) => {
          const workOrderId = await openOrder(0);
          return subgraphCreate<{ requestParts: { requisition: { id: string } } }>({
            httpPort: () => inventoryHttp,
            caller: tech,
            query: `mutation($input: RequestPartsInput!) { requestParts(input: $input) { requisition { id } } }`,
            variables: () => ({
              input: {
                workOrderId,
                warehouseCode: 'ST-1',
                lines: [{ partCode: 'BRK-PAD', quantity: v }],
                idempotencyKey: key,
              },
            }),
            id: (d) => d.requestParts.requisition.id,
          })(v, key);
        },
      },
    ],
    [
      'receiveOldPart',
      {
        rows: rows('old_part_receipt'),
        call: async (v, key) => {
          const workOrderId = await completedOrder(v);
          return subgraphCreate<{ receiveOldPart: { writeOff: { workOrder: { id: string } } } }>({
            httpPort: () => inventoryHttp,
            caller: keeper,
            query: `mutation($input: ReceiveOldPartInput!) { receiveOldPart(input: $input) { writeOff { workOrder { id } } } }`,
            variables: () => ({
              input: {
                workOrderId,
                partCode: 'BRK-PAD',
                name: 'Brake pad',
                quantity: 1,
                idempotencyKey: key,
              },
            }),
            id: (d) => d.receiveOldPart.writeOff.workOrder.id,
          })(v, key);
        },
      },
    ],
  ];

  describe.each(creates)('%s', (_name, c) => {
    it.each(idempotentCreateChecks)('%s', (_title, check) => check(c));
  });
});
