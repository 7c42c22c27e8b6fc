import { startSystem, type System } from './harness';

// Issue 4's first story through the gateway: receipt → requisition for a work order → approval
// → issue → work order completed → old part returned → write-off closed.
let sys: System;
beforeAll(async () => {
  sys = await startSystem('e2e-inv');
  const ok = async (q: string, v: Record<string, unknown>, roles: Parameters<System['gql']>[2]) => {
    const r = await sys.gql(q, v, roles);
    expect(r.errors).toBeUndefined();
  };
  await ok(
    `mutation { upsertStaff(input: { id: "tech-p", name: "Parts Tech", skills: ["ELECTRICAL", "MECHANICAL", "BODY", "BATTERY", "SOFTWARE", "OTHER"] }) { staff { id } } }`,
    {},
    ['manager'],
  );
  await ok(
    `mutation { createWarehouse(input: { code: "ST-E2E", name: "Station", kind: STATION, region: { province: "Zhejiang", city: "Hangzhou" } }) { warehouse { code } } }`,
    {},
    ['manager'],
  );
  await ok(
    `mutation { upsertPart(input: { code: "MOTOR-1", name: "Hub motor", unit: PCS, priceFen: 98000, critical: true, reorderPoint: 1 }) { part { code } } }`,
    {},
    ['warehouse'],
  );
  await ok(
    `mutation { postStockDocument(input: { type: RECEIPT, warehouseCode: "ST-E2E", lines: [{ partCode: "MOTOR-1", quantity: 3 }], reference: "PO-77" }) { document { id } } }`,
    {},
    ['warehouse'],
  );
});
afterAll(() => sys?.stop());

async function warrantyOrderFor(vin: string): Promise<string> {
  const c = await sys.gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation { createCustomer(input: { kind: PERSON, name: "Motor Owner", contacts: [{ name: "M", mobile: "13800004444" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
  );
  const customerId = c.data!.createCustomer.customer.id;
  const a = await sys.gql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!, $vin: String!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "E-Scooter", vin: $vin, warrantyStart: "2026-01-01", warrantyEnd: "2028-01-01" }) { asset { id } } }`,
    { id: customerId, vin },
  );
  const wo = await sys.gql<{ registerWorkOrder: { workOrder: { id: string } } }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        customerId,
        assetId: a.data!.registerAsset.asset.id,
        contact: { name: 'M', phone: '13800004444' },
        address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
        areaType: 'URBAN',
        distanceKm: 4,
        faultDescription: 'motor dead',
        category: 'ELECTRICAL',
        channel: 'PHONE',
      },
    },
  );
  const id = wo.data!.registerWorkOrder.workOrder.id;
  await sys.gql(
    `mutation($id: ID!) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: ["tech-p"] }) { workOrder { id } } }`,
    { id },
    ['dispatcher'],
  );
  return id;
}

const asTech = (q: string, v: Record<string, unknown>) => sys.gql(q, v, ['technician'], 'tech-p');

it('R-IN-2 R-IN-3 R-IN-4 receipt → requisition → approval → issue → completed → old part back → write-off closed', async () => {
  const workOrderId = await warrantyOrderFor('LSVAA4187E2100001');
  const req = await asTech(
    `mutation($input: RequestPartsInput!) { requestParts(input: $input) { requisition { id status } } }`,
    {
      input: {
        workOrderId,
        warehouseCode: 'ST-E2E',
        lines: [{ partCode: 'MOTOR-1', quantity: 1 }],
      },
    },
  );
  expect(req.errors).toBeUndefined();
  const requisitionId = (req.data as { requestParts: { requisition: { id: string } } }).requestParts
    .requisition.id;

  const early = await sys.gql(
    `mutation($id: ID!) { issueParts(input: { requisitionId: $id, lines: [{ partCode: "MOTOR-1", quantity: 1 }] }) { requisition { status } } }`,
    { id: requisitionId },
    ['warehouse'],
  );
  expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_APPROVED' });

  expect(
    (
      await sys.gql(
        `mutation($id: ID!) { approveRequisition(input: { requisitionId: $id }) { requisition { status } } }`,
        { id: requisitionId },
        ['dispatcher'],
      )
    ).errors,
  ).toBeUndefined();
  const issued = await sys.gql<{ issueParts: { requisition: { status: string } } }>(
    `mutation($id: ID!) { issueParts(input: { requisitionId: $id, lines: [{ partCode: "MOTOR-1", quantity: 1 }] }) { requisition { status } } }`,
    { id: requisitionId },
    ['warehouse'],
  );
  expect(issued.data?.issueParts.requisition.status).toBe('ISSUED');

  for (const m of ['departForSite', 'arriveOnSite']) {
    expect(
      (
        await asTech(
          `mutation($id: ID!) { ${m}(input: { workOrderId: $id }) { workOrder { status } } }`,
          {
            id: workOrderId,
          },
        )
      ).errors,
    ).toBeUndefined();
  }
  const resolved = await asTech(
    `mutation($id: ID!) { resolveOnSite(input: { workOrderId: $id, report: { cause: "burnt winding", responsibility: PRODUCT, workDone: "motor replaced",
      partsReplaced: [{ code: "MOTOR-1", name: "Hub motor", quantity: 1, reason: "burnt" }], oldPartsCollected: true, oldParts: [{ name: "Hub motor", quantity: 1 }] } }) { workOrder { status } } }`,
    { id: workOrderId },
  );
  expect(resolved.errors).toBeUndefined();

  // One graph: the work order shows its requisition (inventory) beside its status (workorder).
  type View = {
    workOrder: {
      status: string;
      requisitions: {
        status: string;
        lines: { part: { name: string }; issued: number; used: number }[];
      }[];
      oldPartWriteOff: { status: string; missing: { missing: number }[] } | null;
    };
  };
  const view = async () =>
    (
      await sys.gql<View>(
        `query($id: ID!) { workOrder(id: $id) { status requisitions { status lines { part { name } issued used } } oldPartWriteOff { status missing { name missing } } } }`,
        { id: workOrderId },
        ['warehouse'],
      )
    ).data!.workOrder;
  let seen = await view();
  for (let i = 0; i < 50 && !seen.oldPartWriteOff; i++) {
    await new Promise((r) => setTimeout(r, 200));
    seen = await view();
  }
  expect(seen).toMatchObject({
    status: 'RESOLVED_ON_SITE',
    requisitions: [
      { status: 'ISSUED', lines: [{ part: { name: 'Hub motor' }, issued: 1, used: 1 }] },
    ],
    oldPartWriteOff: { status: 'OPEN', missing: [{ missing: 1 }] },
  });
  const usedBack = await sys.gql(
    `mutation($id: ID!) { returnUnusedParts(input: { requisitionId: $id, lines: [{ partCode: "MOTOR-1", quantity: 1 }] }) { requisition { status } } }`,
    { id: requisitionId },
    ['warehouse'],
  );
  expect(usedBack.errors?.[0]?.extensions).toMatchObject({
    code: 'CONFLICT',
    reason: 'RETURN_EXCEEDS_UNUSED',
  });

  // R-IN-4 missing old parts are listed, with the work order they are owed on.
  const MISSING = `query { missingOldParts(first: 100) { nodes { workOrder { id status } missing { partCode missing } } } }`;
  type Missing = {
    missingOldParts: {
      nodes: { workOrder: { id: string; status: string }; missing: unknown[] }[];
    };
  };
  const owed = await sys.gql<Missing>(MISSING, {}, ['warehouse']);
  expect(owed.data!.missingOldParts.nodes.find((w) => w.workOrder.id === workOrderId)).toEqual({
    workOrder: { id: workOrderId, status: 'RESOLVED_ON_SITE' },
    missing: [{ partCode: 'MOTOR-1', missing: 1 }],
  });

  const back = await sys.gql<{ receiveOldPart: { writeOff: { status: string } } }>(
    `mutation($id: ID!) { receiveOldPart(input: { workOrderId: $id, partCode: "MOTOR-1", name: "Hub motor", quantity: 1 }) { writeOff { status missing { missing } } } }`,
    { id: workOrderId },
    ['warehouse'],
  );
  expect(back.data?.receiveOldPart.writeOff).toEqual({ status: 'CLOSED', missing: [] });
  const settled = await sys.gql<Missing>(MISSING, {}, ['warehouse']);
  expect(settled.data!.missingOldParts.nodes.map((w) => w.workOrder.id)).not.toContain(workOrderId);
  const stock = await sys.gql<{
    warehouses: {
      nodes: { code: string; stock: { nodes: { part: { code: string }; onHand: number }[] } }[];
    };
  }>(`query { warehouses { nodes { code stock { nodes { part { code } onHand } } } } }`, {}, [
    'warehouse',
  ]);
  expect(stock.data!.warehouses.nodes.find((w) => w.code === 'ST-E2E')!.stock.nodes).toEqual([
    { part: { code: 'MOTOR-1' }, onHand: 2 },
  ]);
});

it('R-IN-3 no requisition or issue against a closed work order', async () => {
  const workOrderId = await warrantyOrderFor('LSVAA4187E2100002');
  const req = await asTech(
    `mutation($input: RequestPartsInput!) { requestParts(input: $input) { requisition { id } } }`,
    {
      input: {
        workOrderId,
        warehouseCode: 'ST-E2E',
        lines: [{ partCode: 'MOTOR-1', quantity: 1 }],
      },
    },
  );
  const requisitionId = (req.data as { requestParts: { requisition: { id: string } } }).requestParts
    .requisition.id;
  await sys.gql(
    `mutation($id: ID!) { approveRequisition(input: { requisitionId: $id }) { requisition { status } } }`,
    { id: requisitionId },
    ['dispatcher'],
  );
  await sys.gql(
    `mutation($id: ID!) { cancelWorkOrder(input: { workOrderId: $id, reason: "duplicate call" }) { workOrder { status } } }`,
    { id: workOrderId },
    ['agent'],
  );
  const issue = await sys.gql(
    `mutation($id: ID!) { issueParts(input: { requisitionId: $id, lines: [{ partCode: "MOTOR-1", quantity: 1 }] }) { requisition { status } } }`,
    { id: requisitionId },
    ['warehouse'],
  );
  expect(issue.errors?.[0]?.extensions).toMatchObject({
    code: 'CONFLICT',
    reason: 'WORK_ORDER_NOT_OPEN',
  });
  const again = await asTech(
    `mutation($input: RequestPartsInput!) { requestParts(input: $input) { requisition { id } } }`,
    {
      input: {
        workOrderId,
        warehouseCode: 'ST-E2E',
        lines: [{ partCode: 'MOTOR-1', quantity: 1 }],
      },
    },
  );
  expect(again.errors?.[0]?.extensions).toMatchObject({
    code: 'CONFLICT',
    reason: 'WORK_ORDER_NOT_OPEN',
  });
});
