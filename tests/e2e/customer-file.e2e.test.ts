import { type Role, uuidv7 } from '@aftercare/kit';
import { scanCustomerFiles } from '@aftercare/customer-service';
import { eventually } from './support/events';
import { startSystem, type System } from './harness';

// R-CU-6 → R-PN-1 through the gateway: a new customer's first repair is registered (back-filled
// three days), the file still lacks items at its 2-day deadline; the archive desk sees it late and
// the responsible advisor finds one proposed penalty on his ledger.
let sys: System;
const advisor = `service-${uuidv7()}`;
const MANAGER: Role[] = ['manager'];
const AGENT: Role[] = ['agent'];
const CLERK: Role[] = ['customer_relations'];

beforeAll(async () => {
  sys = await startSystem('e2e-customer-file', { SLA_SCHEDULER: 'false' });
  const r = await sys.gql(
    `mutation($input: UpsertStaffInput!) { upsertStaff(input: $input) { staff { id } } }`,
    { input: { id: advisor, name: 'Advisor Qian', position: 'service_advisor' } },
    MANAGER,
  );
  expect(r.errors).toBeUndefined();
});
afterAll(() => sys?.stop());

interface Completeness {
  status: string;
  missingItems: string[];
  firstVisitAt: string | null;
  dueAt: string | null;
  late: boolean;
}

it('R-CU-6 / R-PN-1 a new customer file incomplete 2 days after the first repair is late: on the worklist, one proposed penalty on the advisor', async () => {
  const c = await sys.gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name: 'Walk-in Sun',
        contacts: [{ name: 'Walk-in Sun', mobile: '13600005555' }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
        responsibleStaffId: advisor,
      },
    },
    AGENT,
  );
  expect(c.errors).toBeUndefined();
  const customerId = c.data!.createCustomer.customer.id;
  const a = await sys.gql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!, $serial: String!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "EV-300", serialNumber: $serial }) { asset { id } } }`,
    { id: customerId, serial: `SN-${uuidv7()}` },
    AGENT,
  );
  expect(a.errors).toBeUndefined();
  const calledAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
  const wo = await sys.gql<{ registerWorkOrder: { workOrder: { id: string } } }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        customerId,
        assetId: a.data!.registerAsset.asset.id,
        contact: { name: 'Walk-in Sun', phone: '13600005555' },
        address: { region: { province: 'Zhejiang', city: 'Hangzhou' }, line: '9 River Road' },
        areaType: 'URBAN',
        distanceKm: 3,
        faultDescription: 'engine stalls when cold',
        category: 'MECHANICAL',
        channel: 'WALK_IN',
        calledAt,
      },
    },
    AGENT,
  );
  expect(wo.errors).toBeUndefined();

  const completeness = () =>
    sys.gql<{ customer: { fileCompleteness: Completeness } }>(
      `query($id: ID!) { customer(id: $id) { fileCompleteness { status missingItems firstVisitAt dueAt late } } }`,
      { id: customerId },
      CLERK,
    );
  // The work order's registration reaches the customer service as workorder.registered.
  const started = await eventually(
    completeness,
    (r) => r.data?.customer.fileCompleteness.firstVisitAt != null,
    15_000,
  );
  expect(started.errors).toBeUndefined();
  expect(started.data!.customer.fileCompleteness).toEqual({
    status: 'LATE',
    missingItems: ['ADDRESS', 'ID_COPY'],
    firstVisitAt: calledAt,
    dueAt: new Date(Date.parse(calledAt) + 2 * 86_400_000).toISOString(),
    late: true,
  });

  await scanCustomerFiles(sys.customerDeps);
  await scanCustomerFiles(sys.customerDeps);
  const worklist = await sys.gql<{
    incompleteCustomerFiles: { nodes: { customer: { id: string; name: string } }[] };
  }>(`{ incompleteCustomerFiles(lateOnly: true) { nodes { customer { id name } } } }`, {}, CLERK);
  expect(worklist.errors).toBeUndefined();
  expect(worklist.data!.incompleteCustomerFiles.nodes).toContainEqual({
    customer: { id: customerId, name: 'Walk-in Sun' },
  });

  const month = sys.customer.config.calendar
    .localDate(new Date(Date.parse(calledAt) + 2 * 86_400_000))
    .slice(0, 7);
  const ledger = () =>
    sys.gql<{ staff: { penalties: { nodes: { ruleCode: string; reference: string }[] } } }>(
      `query($s: ID!, $m: String) { staff(id: $s) { penalties(month: $m) { nodes { ruleCode reference } } } }`,
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
  await new Promise((r) => setTimeout(r, 1500));
  expect((await ledger()).data!.staff.penalties.nodes).toEqual([
    { ruleCode: 'ARCHIVE_HANDOVER_LATE', reference: customerId },
  ]);
});
