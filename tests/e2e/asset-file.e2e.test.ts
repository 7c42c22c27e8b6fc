import { type Role, uuidv7 } from '@aftercare/kit';
import { eventually } from './support/events';
import { startSystem, type System } from './harness';

// R-CU-7 through the gateway: an asset is registered, a technician completes a maintenance with the
// mileage read on site and a swapped terminal; the asset file follows, with its history. Then the
// asset passes to another customer and its past work order stays findable from both.
let sys: System;
const AGENT: Role[] = ['agent'];
const TECH = `tech-${uuidv7()}`;

beforeAll(async () => {
  sys = await startSystem('e2e-asset-file', { SLA_SCHEDULER: 'false' });
  const staff = await sys.gql(
    `mutation($input: UpsertStaffInput!) { upsertStaff(input: $input) { staff { id } } }`,
    {
      input: {
        id: TECH,
        name: 'Zhou Tech',
        skills: ['MECHANICAL'],
        region: { province: 'Zhejiang', city: 'Hangzhou' },
      },
    },
    ['manager'],
  );
  expect(staff.errors).toBeUndefined();
});
afterAll(() => sys?.stop());

async function ok<T>(
  query: string,
  variables: Record<string, unknown>,
  roles: Role[],
  user?: string,
) {
  const r = await sys.gql<T>(query, variables, roles, user);
  expect(r.errors).toBeUndefined();
  return r.data!;
}

const newCustomer = async (name: string) =>
  (
    await ok<{ createCustomer: { customer: { id: string } } }>(
      `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
      {
        input: {
          kind: 'PERSON',
          name,
          contacts: [{ name, mobile: '13600008888' }],
          addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
        },
      },
      AGENT,
    )
  ).createCustomer.customer.id;

interface History {
  totalCount: number;
  nodes: { kind: string; reason: string | null; changedBy: string; workOrderId: string | null }[];
}

it('R-CU-7 a completed maintenance with its mileage and a swapped unit updates the asset file, with history', async () => {
  const owner = await newCustomer('Owner Xu');
  const buyer = await newCustomer('Buyer He');
  const { registerAsset } = await ok<{ registerAsset: { asset: { id: string } } }>(
    `mutation($input: RegisterAssetInput!) { registerAsset(input: $input) { asset { id } } }`,
    {
      input: {
        customerId: owner,
        kind: 'VEHICLE',
        model: 'EV-300',
        serialNumber: `SN-${uuidv7()}`,
        mileageKm: 12000,
        purchaseDate: '2026-01-10',
        maintenanceCycleDays: 90,
      },
    },
    AGENT,
  );
  const assetId = registerAsset.asset.id;

  const { registerWorkOrder } = await ok<{ registerWorkOrder: { workOrder: { id: string } } }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        customerId: owner,
        assetId,
        contact: { name: 'Owner Xu', phone: '13600008888' },
        address: { region: { province: 'Zhejiang', city: 'Hangzhou' }, line: '1 Lake Road' },
        areaType: 'URBAN',
        distanceKm: 5,
        faultDescription: 'due for its maintenance, terminal offline',
        category: 'MECHANICAL',
        channel: 'PHONE',
      },
    },
    AGENT,
  );
  const workOrderId = registerWorkOrder.workOrder.id;
  await ok(
    `mutation($input: DispatchWorkOrderInput!) { dispatchWorkOrder(input: $input) { workOrder { status } } }`,
    { input: { workOrderId, technicianIds: [TECH] } },
    ['dispatcher'],
  );
  const asTech = (query: string) => ok(query, { id: workOrderId }, ['technician'], TECH);
  await asTech(
    `mutation($id: ID!) { departForSite(input: { workOrderId: $id }) { workOrder { status } } }`,
  );
  await asTech(
    `mutation($id: ID!) { arriveOnSite(input: { workOrderId: $id }) { workOrder { status } } }`,
  );
  const done = (await asTech(
    `mutation($id: ID!) { resolveOnSite(input: { workOrderId: $id, report: {
      cause: "maintenance due; terminal failed", responsibility: PRODUCT, workDone: "maintenance done, terminal replaced",
      findings: { mileageKm: 15000 },
      assetWork: { maintenanceDone: true, unitSwaps: [{ module: "terminal", oldSerialNumber: "T-100", newSerialNumber: "T-200" }] } } })
      { workOrder { status completedAt report { assetWork { maintenanceDone unitSwaps { module oldSerialNumber newSerialNumber } } } } } }`,
  )) as {
    resolveOnSite: {
      workOrder: {
        completedAt: string;
        report: {
          assetWork: { unitSwaps: { oldSerialNumber: string; newSerialNumber: string }[] };
        };
      };
    };
  };
  const order = done.resolveOnSite.workOrder;
  // Both serial numbers are on the service report …
  expect(order.report.assetWork.unitSwaps).toEqual([
    { module: 'terminal', oldSerialNumber: 'T-100', newSerialNumber: 'T-200' },
  ]);
  const completedOn = sys.customer.config.calendar.localDate(new Date(order.completedAt));

  // … and, once the completion event is in, on the asset file with the reading and the next due.
  const FILE = `query($id: ID!) { asset(id: $id) { mileageKm lastMaintenance nextMaintenanceDue
    unitSwaps { module oldSerialNumber newSerialNumber workOrderId }
    history { totalCount nodes { kind reason changedBy workOrderId } } } }`;
  type File = {
    asset: {
      mileageKm: number;
      lastMaintenance: string;
      nextMaintenanceDue: string;
      unitSwaps: object[];
      history: History;
    };
  };
  const file = await eventually(
    () => sys.gql<File>(FILE, { id: assetId }, AGENT),
    (r) => (r.data?.asset.history.totalCount ?? 0) >= 3,
    20_000,
  );
  expect(file.errors).toBeUndefined();
  const asset = file.data!.asset;
  expect(asset).toMatchObject({ mileageKm: 15000, lastMaintenance: completedOn });
  expect(asset.nextMaintenanceDue > completedOn).toBe(true);
  expect(asset.unitSwaps).toEqual([
    { module: 'terminal', oldSerialNumber: 'T-100', newSerialNumber: 'T-200', workOrderId },
  ]);
  expect(asset.history.nodes.map((h) => h.kind)).toEqual(['MAINTENANCE', 'UNIT_SWAP', 'READING']);
  for (const h of asset.history.nodes)
    expect(h).toMatchObject({
      changedBy: TECH,
      workOrderId,
      reason: expect.stringMatching(/^service report of WO-/),
    });

  // A lower reading at the desk is refused without a reason, and nothing changes.
  const backwards = await sys.gql(
    `mutation($input: RecordAssetReadingInput!) { recordAssetReading(input: $input) { asset { mileageKm } } }`,
    { input: { assetId, mileageKm: 14000 } },
    AGENT,
  );
  expect(backwards.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'READING_BACKWARDS',
  });

  // The asset passes to another customer: the old owner still finds the order it placed, the new
  // owner finds it on the asset it now owns.
  await ok(
    `mutation($input: TransferAssetInput!) { transferAsset(input: $input) { asset { customer { id } } } }`,
    { input: { assetId, newCustomerId: buyer, reason: 'sold second-hand' } },
    AGENT,
  );
  const seen = await ok<{
    old: { workOrders: { nodes: { id: string }[] } };
    new: {
      workOrders: { nodes: { id: string }[] };
      assets: { nodes: { id: string; workOrders: { nodes: { id: string }[] } }[] };
    };
  }>(
    `query($old: ID!, $new: ID!) {
      old: customer(id: $old) { workOrders { nodes { id } } }
      new: customer(id: $new) { workOrders { nodes { id } } assets { nodes { id workOrders { nodes { id } } } } } }`,
    { old: owner, new: buyer },
    AGENT,
  );
  expect(seen.old.workOrders.nodes).toEqual([{ id: workOrderId }]);
  expect(seen.new.workOrders.nodes).toEqual([]);
  expect(seen.new.assets.nodes).toEqual([
    { id: assetId, workOrders: { nodes: [{ id: workOrderId }] } },
  ]);
  const after = await ok<{ asset: { history: History } }>(
    `query($id: ID!) { asset(id: $id) { history(first: 1) { totalCount nodes { kind reason changedBy workOrderId } } } }`,
    { id: assetId },
    AGENT,
  );
  expect(after.asset.history.nodes).toEqual([
    { kind: 'OWNERSHIP', reason: 'sold second-hand', changedBy: 'e2e-user', workOrderId: null },
  ]);
});
