import { type Role, uuidv7 } from '@aftercare/kit';
import { eventually } from './support/events';
import { startSystem, type System } from './harness';

// R-CU-3 → R-PN-1 through the gateway: sales records a sale, the archive desk receives the file
// after the 3-working-day deadline, and the sales advisor finds one proposed penalty on his ledger.
let sys: System;
const advisor = `sales-${uuidv7()}`;
const MANAGER: Role[] = ['manager'];
const AGENT: Role[] = ['agent'];
const CLERK: Role[] = ['customer_relations'];

beforeAll(async () => {
  sys = await startSystem('e2e-archive', { SLA_SCHEDULER: 'false' });
  const r = await sys.gql(
    `mutation($input: UpsertStaffInput!) { upsertStaff(input: $input) { staff { id } } }`,
    { input: { id: advisor, name: 'Advisor Zhao', position: 'sales_advisor' } },
    MANAGER,
  );
  expect(r.errors).toBeUndefined();
});
afterAll(() => sys?.stop());

const REQUIRED = [
  'INVOICE_COPY',
  'SALES_CONTRACT',
  'ID_COPY',
  'DELIVERY_INSPECTION',
  'LICENCE_COPY',
  'INSURANCE',
  'CERTIFICATE',
  'DELIVERY_PHOTO',
  'PDI_CHECK',
];

interface Line {
  ruleCode: string;
  source: string;
  amountFen: number;
  reference: string | null;
  status: string;
}

it('R-CU-3 / R-PN-1 a late archive handover becomes one proposed penalty on the sales advisor', async () => {
  const c = await sys.gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name: 'Buyer Ma',
        contacts: [{ name: 'Buyer Ma', mobile: '13600007777' }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
      },
    },
    AGENT,
  );
  expect(c.errors).toBeUndefined();
  const a = await sys.gql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!, $serial: String!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "EV-300", serialNumber: $serial }) { asset { id } } }`,
    { id: c.data!.createCustomer.customer.id, serial: `SN-${uuidv7()}` },
    AGENT,
  );
  expect(a.errors).toBeUndefined();
  const assetId = a.data!.registerAsset.asset.id;

  const sold = await sys.gql<{ recordAssetSale: { handover: { id: string; dueAt: string } } }>(
    `mutation($input: RecordAssetSaleInput!) { recordAssetSale(input: $input) { handover { id dueAt } } }`,
    { input: { assetId, soldAt: new Date(Date.now() - 10 * 86_400_000).toISOString() } },
    AGENT,
    advisor,
  );
  expect(sold.errors).toBeUndefined();
  const { id: handoverId, dueAt } = sold.data!.recordAssetSale.handover;

  const received = await sys.gql<{ receiveArchiveHandover: { handover: { late: boolean } } }>(
    `mutation($input: ReceiveArchiveHandoverInput!) { receiveArchiveHandover(input: $input) { handover { late } } }`,
    {
      input: {
        handoverId,
        handedOverBy: advisor,
        documents: REQUIRED.map((kind) => ({ kind, customerSigned: true })),
      },
    },
    CLERK,
    'clerk-1',
  );
  expect(received.errors).toBeUndefined();
  expect(received.data!.receiveArchiveHandover.handover.late).toBe(true);

  // The handover sits on the asset's file, reported.
  const file = await sys.gql<{
    asset: { archiveHandovers: { nodes: { id: string; violationReportedAt: string | null }[] } };
  }>(
    `query($id: ID!) { asset(id: $id) { archiveHandovers { nodes { id violationReportedAt } } } }`,
    { id: assetId },
    CLERK,
  );
  expect(file.errors).toBeUndefined();
  expect(file.data!.asset.archiveHandovers.nodes).toEqual([
    { id: handoverId, violationReportedAt: expect.any(String) },
  ]);

  // The ledger month is the business month of the missed deadline.
  const month = sys.customer.config.calendar.localDate(new Date(dueAt)).slice(0, 7);
  const ledger = () =>
    sys.gql<{ staff: { penalties: { nodes: Line[] } } }>(
      `query($s: ID!, $m: String) { staff(id: $s) { penalties(month: $m) { nodes { ruleCode source amountFen reference status } } } }`,
      { s: advisor, m: month },
      AGENT,
      advisor,
    );
  const lines = await eventually(
    ledger,
    (r) => (r.data?.staff.penalties.nodes.length ?? 0) > 0,
    15_000,
  );
  expect(lines.errors).toBeUndefined();
  // Settle: nothing more arrives (the scheduler sees the handover already reported).
  await new Promise((r) => setTimeout(r, 1500));
  expect((await ledger()).data!.staff.penalties.nodes).toEqual([
    {
      ruleCode: 'ARCHIVE_HANDOVER_LATE',
      source: 'ARCHIVE_HANDOVER',
      amountFen: -5000,
      reference: handoverId,
      status: 'PROPOSED',
    },
  ]);
});
