import { customerAssetUpdated, type WorkOrderCompleted } from '@aftercare/events';
import { type Identity, uuidv7 } from '@aftercare/kit';
import {
  dbQuery,
  publishEnvelope,
  rowCount,
  subgraphData,
  subgraphRequest,
  type TestServiceEnv,
  testEnvelope,
  testServiceEnv,
} from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '../../src';

// R-CU-7 the asset file follows the asset, on real PostgreSQL and NATS: changes at the desk through
// the subgraph, and from the service report of a completed work order (workorder.completed).
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startCustomerService>>;

const desk: Identity = { userId: 'agent-1', roles: ['agent'] };
const technician: Identity = { userId: 'tech-1', roles: ['technician'] };
const dispatcher: Identity = { userId: 'disp-1', roles: ['dispatcher'] };

beforeAll(async () => {
  env = await testServiceEnv('customer-asset-lifecycle', {
    ARCHIVE_SCHEDULER: 'false',
    WARRANTY_MONTHS: '24',
  });
  service = await startCustomerService(loadCustomerConfig(env.env), {
    overrides: { relayPollIntervalMs: 100 },
  });
});

afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
});

const gql = <T = Record<string, unknown>>(query: string, variables: object, who: Identity = desk) =>
  subgraphData<T>(service.httpPort, query, variables, who);

async function newCustomer(name: string): Promise<string> {
  const { createCustomer } = await gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name,
        contacts: [{ name, mobile: '13500002222', primary: true }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' }, primary: true }],
      },
    },
  );
  return createCustomer.customer.id;
}

async function newAsset(customerId: string, over: object = {}): Promise<string> {
  const { registerAsset } = await gql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($input: RegisterAssetInput!) { registerAsset(input: $input) { asset { id } } }`,
    {
      input: {
        customerId,
        kind: 'VEHICLE',
        model: 'EV-300',
        serialNumber: `SN-${uuidv7()}`,
        mileageKm: 12000,
        purchaseDate: '2026-01-10',
        maintenanceCycleDays: 90,
        contract: { number: 'SC-1', startDate: '2026-01-10', endDate: '2027-01-09' },
        ...over,
      },
    },
  );
  return registerAsset.asset.id;
}

const FILE = `id customer { id } mileageKm runningHours warrantyStart warrantyEnd lastMaintenance nextMaintenanceDue
  contract { number startDate endDate } unitSwaps { module oldSerialNumber newSerialNumber swappedOn workOrderId } version
  history(first: 50) { totalCount nodes { kind oldValue newValue reason workOrderId changedBy changedAt } }`;

interface AssetFile {
  id: string;
  customer: { id: string };
  mileageKm: number | null;
  runningHours: number | null;
  warrantyStart: string | null;
  warrantyEnd: string | null;
  lastMaintenance: string | null;
  nextMaintenanceDue: string | null;
  contract: { number: string; startDate: string; endDate: string } | null;
  unitSwaps: {
    module: string;
    oldSerialNumber: string;
    newSerialNumber: string;
    swappedOn: string;
    workOrderId: string | null;
  }[];
  version: number;
  history: {
    totalCount: number;
    nodes: {
      kind: string;
      oldValue: string | null;
      newValue: string | null;
      reason: string | null;
      workOrderId: string | null;
      changedBy: string;
      changedAt: string;
    }[];
  };
}

const read = async (id: string) =>
  (await gql<{ asset: AssetFile }>(`query($id: ID!) { asset(id: $id) { ${FILE} } }`, { id })).asset;

const mutate = (name: string, inputType: string, input: object, who: Identity = desk) =>
  subgraphRequest<Record<string, { asset: AssetFile }>>(
    service.httpPort,
    `mutation($input: ${inputType}!) { ${name}(input: $input) { asset { ${FILE} } } }`,
    { input },
    who,
  );

const assetEvents = async (assetId: string) =>
  (
    await dbQuery<{ payload: { data: unknown } }>(
      env.env.DATABASE_URL!,
      "SELECT payload FROM outbox WHERE type = 'customer.asset_updated' ORDER BY id",
    )
  )
    .map((r) => customerAssetUpdated.parse(r.payload.data))
    .filter((e) => e.assetId === assetId);

const written = () =>
  Promise.all(['asset_change', 'outbox'].map((t) => rowCount(env.env.DATABASE_URL!, t)));

/** A refusal: its code and reason, and nothing written. */
async function refused(name: string, inputType: string, input: object, who: Identity = desk) {
  const before = await written();
  const res = await mutate(name, inputType, input, who);
  expect(await written()).toEqual(before);
  return res.errors?.[0]?.extensions;
}

it('R-CU-7 readings go forward, a lower one only with a reason; each change is in the history with who, when and why, and an event', async () => {
  const assetId = await newAsset(await newCustomer('Reader'));
  const up = await mutate(
    'recordAssetReading',
    'RecordAssetReadingInput',
    { assetId, mileageKm: 15000, runningHours: 40 },
    technician,
  );
  expect(up.errors).toBeUndefined();
  expect(up.data!.recordAssetReading!.asset).toMatchObject({
    mileageKm: 15000,
    runningHours: 40,
    version: 2,
  });

  expect(
    await refused('recordAssetReading', 'RecordAssetReadingInput', { assetId, mileageKm: 9000 }),
  ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'READING_BACKWARDS', field: 'reason' });

  const corrected = await mutate('recordAssetReading', 'RecordAssetReadingInput', {
    assetId,
    mileageKm: 9000,
    reason: 'odometer replaced',
  });
  const file = corrected.data!.recordAssetReading!.asset;
  expect(file.mileageKm).toBe(9000);
  expect(file.history.totalCount).toBe(2);
  expect(file.history.nodes[0]).toMatchObject({
    kind: 'READING',
    reason: 'odometer replaced',
    changedBy: 'agent-1',
    workOrderId: null,
  });
  expect(JSON.parse(file.history.nodes[0]!.oldValue!)).toEqual({ mileageKm: 15000 });
  expect(JSON.parse(file.history.nodes[0]!.newValue!)).toEqual({ mileageKm: 9000 });
  expect(file.history.nodes[1]).toMatchObject({ kind: 'READING', changedBy: 'tech-1' });

  const events = await assetEvents(assetId);
  expect(events.map((e) => [e.change, e.version, e.mileageKm, e.changedBy])).toEqual([
    ['READING', 2, 15000, 'tech-1'],
    ['READING', 3, 9000, 'agent-1'],
  ]);
});

it('R-CU-7 maintenance, contract renewal and extension, unit swap and warranty start each keep their history', async () => {
  const assetId = await newAsset(await newCustomer('Keeper'));
  const maintained = await mutate('recordAssetMaintenance', 'RecordAssetMaintenanceInput', {
    assetId,
    doneOn: '2026-05-02',
  });
  expect(maintained.data!.recordAssetMaintenance!.asset).toMatchObject({
    lastMaintenance: '2026-05-02',
    nextMaintenanceDue: '2026-07-31',
  });
  const renewed = await mutate('renewAssetContract', 'RenewAssetContractInput', {
    assetId,
    number: 'SC-2',
    startDate: '2027-01-10',
    endDate: '2028-01-09',
    reason: 'renewed at the counter',
  });
  expect(renewed.data!.renewAssetContract!.asset.contract).toEqual({
    number: 'SC-2',
    startDate: '2027-01-10',
    endDate: '2028-01-09',
  });
  const extended = await mutate('extendAssetContract', 'ExtendAssetContractInput', {
    assetId,
    endDate: '2028-06-30',
  });
  expect(extended.data!.extendAssetContract!.asset.contract?.endDate).toBe('2028-06-30');
  const swapped = await mutate(
    'recordAssetUnitSwap',
    'RecordAssetUnitSwapInput',
    { assetId, module: 'terminal', oldSerialNumber: 'T-1', newSerialNumber: 'T-2' },
    technician,
  );
  expect(swapped.data!.recordAssetUnitSwap!.asset.unitSwaps).toMatchObject([
    { module: 'terminal', oldSerialNumber: 'T-1', newSerialNumber: 'T-2', workOrderId: null },
  ]);
  const started = await mutate('startAssetWarranty', 'StartAssetWarrantyInput', {
    assetId,
    startDate: '2026-01-15',
    reason: 'commissioned on site',
  });
  const file = started.data!.startAssetWarranty!.asset;
  expect(file).toMatchObject({ warrantyStart: '2026-01-15', warrantyEnd: '2028-01-14' });
  expect(file.history.nodes.map((h) => h.kind)).toEqual([
    'WARRANTY',
    'UNIT_SWAP',
    'CONTRACT',
    'CONTRACT',
    'MAINTENANCE',
  ]);
  expect(JSON.parse(file.history.nodes[3]!.oldValue!)).toMatchObject({
    contract: { number: 'SC-1', endDate: '2027-01-09' },
  });
  expect((await assetEvents(assetId)).map((e) => e.change)).toEqual([
    'MAINTENANCE',
    'CONTRACT',
    'CONTRACT',
    'UNIT_SWAP',
    'WARRANTY',
  ]);

  expect(
    await refused('startAssetWarranty', 'StartAssetWarrantyInput', {
      assetId,
      startDate: '2026-02-01',
    }),
  ).toMatchObject({ code: 'CONFLICT', reason: 'WARRANTY_ALREADY_STARTED' });
  expect(
    await refused('extendAssetContract', 'ExtendAssetContractInput', {
      assetId,
      endDate: '2028-01-01',
    }),
  ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'END_NOT_LATER', field: 'endDate' });
});

it('R-CU-7 ownership passes to another customer with a reason; the file moves and both owners show in the history', async () => {
  const owner = await newCustomer('Seller');
  const buyer = await newCustomer('Buyer');
  const assetId = await newAsset(owner);
  expect(
    await refused('transferAsset', 'TransferAssetInput', {
      assetId,
      newCustomerId: uuidv7(),
      reason: 'sold',
    }),
  ).toMatchObject({ code: 'NOT_FOUND' });
  expect(
    await refused('transferAsset', 'TransferAssetInput', {
      assetId,
      newCustomerId: owner,
      reason: 'x',
    }),
  ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SAME_OWNER' });

  const moved = await mutate('transferAsset', 'TransferAssetInput', {
    assetId,
    newCustomerId: buyer,
    reason: 'sold second-hand',
  });
  const file = moved.data!.transferAsset!.asset;
  expect(file.customer.id).toBe(buyer);
  expect(file.history.nodes[0]).toMatchObject({ kind: 'OWNERSHIP', reason: 'sold second-hand' });
  const [event] = await assetEvents(assetId);
  expect(event).toMatchObject({
    change: 'OWNERSHIP',
    customerId: buyer,
    previousCustomerId: owner,
  });

  const assetsOf = async (customerId: string) =>
    (
      await gql<{ customer: { assets: { nodes: { id: string }[] } } }>(
        `query($id: ID!) { customer(id: $id) { assets { nodes { id } } } }`,
        { id: customerId },
      )
    ).customer.assets.nodes.map((a) => a.id);
  expect(await assetsOf(buyer)).toEqual([assetId]);
  expect(await assetsOf(owner)).toEqual([]);
});

it('R-CU-7 roles are checked before anything is looked up; bad input changes nothing', async () => {
  const assetId = await newAsset(await newCustomer('Guarded'));
  expect(
    await refused(
      'recordAssetReading',
      'RecordAssetReadingInput',
      { assetId, mileageKm: 1 },
      dispatcher,
    ),
  ).toMatchObject({ code: 'FORBIDDEN' });
  expect(
    await refused(
      'transferAsset',
      'TransferAssetInput',
      { assetId: uuidv7(), newCustomerId: uuidv7(), reason: 'x' },
      technician,
    ),
  ).toMatchObject({ code: 'FORBIDDEN' });
  expect(
    await refused('recordAssetReading', 'RecordAssetReadingInput', {
      assetId: 'not-a-uuid',
      mileageKm: 1,
    }),
  ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'assetId' });
  expect(
    await refused('recordAssetReading', 'RecordAssetReadingInput', {
      assetId: uuidv7(),
      mileageKm: 1,
    }),
  ).toMatchObject({ code: 'NOT_FOUND' });
  expect(
    await refused('recordAssetUnitSwap', 'RecordAssetUnitSwapInput', {
      assetId,
      module: 'terminal',
      oldSerialNumber: 'T-1',
      newSerialNumber: 'T-1',
    }),
  ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SAME_SERIAL_NUMBER' });
  expect(
    await refused('recordAssetMaintenance', 'RecordAssetMaintenanceInput', {
      assetId,
      doneOn: '2099-01-01',
    }),
  ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'IN_FUTURE', field: 'doneOn' });
});

it('R-CU-7 a completed service report updates the file once, however often the event comes', async () => {
  const customerId = await newCustomer('Serviced');
  const assetId = await newAsset(customerId, { warrantyStart: null, warrantyEnd: null });
  const workOrderId = uuidv7();
  const completed: WorkOrderCompleted = {
    workOrderId,
    number: 'WO-20260502-0001',
    status: 'RESOLVED_ON_SITE',
    customerId,
    assetId,
    serviceType: 'PAID',
    category: 'MECHANICAL',
    region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
    technicianIds: ['tech-7'],
    leadTechnicianId: 'tech-7',
    calledAt: '2026-05-02T01:00:00.000Z',
    stationCode: null,
    completedAt: '2026-05-02T06:00:00.000Z',
    resolution: 'ON_SITE',
    partsReplaced: [],
    oldPartsCollected: false,
    oldParts: [],
    responsibility: 'PRODUCT',
    repeatOfWorkOrderId: null,
    assetWork: {
      mileageKm: 15000.4,
      runningHours: null,
      maintenanceDone: true,
      commissioned: true,
      unitSwaps: [{ module: 'terminal', oldSerialNumber: 'T-1', newSerialNumber: 'T-2' }],
    },
  };
  const envelope = testEnvelope('workorder.completed', workOrderId, completed);
  await publishEnvelope(env.subjectPrefix, envelope);
  await publishEnvelope(env.subjectPrefix, envelope, uuidv7());

  // A consumer's first delivery on a loaded CI machine can take a while.
  const deadline = Date.now() + 60_000;
  let file = await read(assetId);
  while (file.history.totalCount < 4 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    file = await read(assetId);
  }
  // The asset row and its history are two statements of one request: a read can meet the row
  // before the consumer's commit and its history after it. Read again once the history is there.
  file = await read(assetId);
  expect(file).toMatchObject({
    mileageKm: 15000,
    lastMaintenance: '2026-05-02',
    nextMaintenanceDue: '2026-07-31',
    warrantyStart: '2026-05-02',
    warrantyEnd: '2028-05-01',
    unitSwaps: [
      {
        module: 'terminal',
        oldSerialNumber: 'T-1',
        newSerialNumber: 'T-2',
        swappedOn: '2026-05-02',
        workOrderId,
      },
    ],
  });
  expect(file.history.nodes.map((h) => [h.kind, h.workOrderId, h.changedBy, h.reason])).toEqual(
    ['WARRANTY', 'MAINTENANCE', 'UNIT_SWAP', 'READING'].map((kind) => [
      kind,
      workOrderId,
      'tech-7',
      'service report of WO-20260502-0001',
    ]),
  );
  // The redelivery (another message id, the same event) was skipped by the inbox.
  await new Promise((r) => setTimeout(r, 1000));
  expect((await read(assetId)).history.totalCount).toBe(4);
  expect((await assetEvents(assetId)).map((e) => e.change)).toEqual([
    'READING',
    'UNIT_SWAP',
    'MAINTENANCE',
    'WARRANTY',
  ]);
}, 90_000);
