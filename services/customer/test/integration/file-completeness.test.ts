import {
  type CustomerFileLate,
  customerFileLate,
  type WorkOrderRegistered,
} from '@aftercare/events';
import { type Identity, uuidv7 } from '@aftercare/kit';
import {
  dbQuery,
  eventually,
  publishEnvelope,
  subgraphData,
  subgraphRequest,
  testEnvelope,
} from '@aftercare/testkit';
import { scanCustomerFiles } from '../../src/app/file-completeness';
import { customerForThisFile } from './for-this-file';

// R-CU-6 on real PostgreSQL and NATS: a new customer's first visit (workorder.registered) starts a
// 2-day clock; a file still incomplete then is reported once, a complete one never.
const s = customerForThisFile('customer-file');

const agent: Identity = { userId: 'agent-1', roles: ['agent'] };
const clerk: Identity = { userId: 'clerk-1', roles: ['customer_relations'] };
const technician: Identity = { userId: 'tech-1', roles: ['technician'] };

const gql = <T = Record<string, unknown>>(query: string, variables: object, who: Identity) =>
  subgraphData<T>(s.service.httpPort, query, variables, who);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

async function newCustomer(district: string | null, responsibleStaffId: string | null) {
  const { createCustomer } = await gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name: 'Walk-in Customer',
        contacts: [{ name: 'Walk-in Customer', mobile: '13500002222', primary: true }],
        addresses: [
          { region: { province: 'Zhejiang', city: 'Hangzhou', district }, primary: true },
        ],
        responsibleStaffId,
      },
    },
    agent,
  );
  return createCustomer.customer.id;
}

const registered = (customerId: string, calledAt: Date): WorkOrderRegistered => {
  const workOrderId = uuidv7();
  return {
    workOrderId,
    number: `WO-${workOrderId.slice(-6)}`,
    status: 'REGISTERED',
    customerId,
    assetId: null,
    serviceType: 'PAID',
    category: 'MECHANICAL',
    region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
    technicianIds: [],
    leadTechnicianId: null,
    calledAt: calledAt.toISOString(),
    stationCode: null,
    channel: 'WALK_IN',
    answerDueAt: null,
    arrivalDueAt: null,
    onSiteDueAt: null,
    registeredBy: 'agent-7',
  };
};

const checkOf = (customerId: string) =>
  dbQuery<{ work_order_id: string | null; first_visit_at: Date | null; due_at: Date | null }>(
    s.env.env.DATABASE_URL!,
    'SELECT work_order_id, first_visit_at, due_at FROM customer_file_check WHERE customer_id = $1',
    [customerId],
  );

const reports = async (customerId: string): Promise<CustomerFileLate[]> =>
  (
    await dbQuery<{ payload: { data: unknown } }>(
      s.env.env.DATABASE_URL!,
      "SELECT payload FROM outbox WHERE type = 'customer.file_late' ORDER BY id",
    )
  )
    .map((r) => customerFileLate.parse(r.payload.data))
    .filter((e) => e.customerId === customerId);

/** Publishes the visits and waits for the consumer to start the clock. */
async function visit(customerId: string, ...orders: WorkOrderRegistered[]) {
  for (const order of orders) {
    const envelope = testEnvelope('workorder.registered', order.workOrderId, order);
    await publishEnvelope(s.env.subjectPrefix, envelope);
    await publishEnvelope(s.env.subjectPrefix, envelope, uuidv7());
  }
  const [check] = await eventually(
    () => checkOf(customerId),
    (rows) => rows[0]?.first_visit_at != null,
  );
  // Let the later visits and redeliveries land too: they must not move the clock.
  await new Promise((r) => setTimeout(r, 1000));
  return check!;
}

const COMPLETENESS = `status missingItems firstVisitAt dueAt late completedAt reportedAt`;
const completenessOf = (customerId: string, who: Identity) =>
  subgraphRequest<{ customer: { fileCompleteness: Record<string, unknown> | null } }>(
    s.service.httpPort,
    `query($id: ID!) { customer(id: $id) { fileCompleteness { ${COMPLETENESS} } } }`,
    { id: customerId },
    who,
  );
const worklist = async (lateOnly: boolean) =>
  (
    await gql<{
      incompleteCustomerFiles: { nodes: { customer: { id: string }; missingItems: string[] }[] };
    }>(
      `query($lateOnly: Boolean) { incompleteCustomerFiles(lateOnly: $lateOnly, first: 100) { nodes { customer { id } missingItems } } }`,
      { lateOnly },
      clerk,
    )
  ).incompleteCustomerFiles.nodes;

it('R-CU-6 the first visit starts a 2-day clock; an incomplete file is reported once across two concurrent scans, with what it lacks, on the responsible advisor', async () => {
  const customerId = await newCustomer(null, 'advisor-1');
  const first = registered(customerId, daysAgo(3));
  const check = await visit(customerId, first, registered(customerId, daysAgo(1)));
  expect(check.work_order_id).toBe(first.workOrderId);
  expect(new Date(check.due_at!)).toEqual(
    new Date(daysAgo(3).getTime() * 0 + Date.parse(first.calledAt) + 2 * 86_400_000),
  );

  const [a, b] = await Promise.all([scanCustomerFiles(s.deps), scanCustomerFiles(s.deps)]);
  expect(a + b).toBe(1);
  expect(await reports(customerId)).toHaveLength(1);
  await scanCustomerFiles(s.deps);
  const sent = await reports(customerId);
  expect(sent).toEqual([
    expect.objectContaining({
      customerId,
      workOrderId: first.workOrderId,
      responsibleStaffId: 'advisor-1',
      firstVisitAt: first.calledAt,
      missingItems: ['ADDRESS', 'ASSET', 'ID_COPY'],
    }),
  ]);

  const res = await completenessOf(customerId, clerk);
  expect(res.errors).toBeUndefined();
  expect(res.data!.customer.fileCompleteness).toMatchObject({
    status: 'LATE',
    missingItems: ['ADDRESS', 'ASSET', 'ID_COPY'],
    late: true,
    completedAt: null,
    dueAt: sent[0]!.dueAt,
  });
  expect((await worklist(true)).map((n) => n.customer.id)).toContain(customerId);

  // Confidential (R-CU-4): technicians see no archive state.
  const denied = await completenessOf(customerId, technician);
  expect(denied.data!.customer.fileCompleteness).toBeNull();
  expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
});

it('R-CU-6 a file completed within its deadline is closed and never reported', async () => {
  const customerId = await newCustomer('Xihu', 'advisor-2');
  const { registerAsset } = await gql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($input: RegisterAssetInput!) { registerAsset(input: $input) { asset { id } } }`,
    { input: { customerId, kind: 'VEHICLE', model: 'EV-300', serialNumber: `SN-${uuidv7()}` } },
    agent,
  );
  const { recordAssetSale } = await gql<{ recordAssetSale: { handover: { id: string } } }>(
    `mutation($input: RecordAssetSaleInput!) { recordAssetSale(input: $input) { handover { id } } }`,
    { input: { assetId: registerAsset.asset.id } },
    agent,
  );
  await gql(
    `mutation($input: ReceiveArchiveHandoverInput!) { receiveArchiveHandover(input: $input) { handover { id } } }`,
    {
      input: {
        handoverId: recordAssetSale.handover.id,
        handedOverBy: 'agent-1',
        documents: [{ kind: 'ID_COPY', reference: 'ID-1', customerSigned: true }],
      },
    },
    clerk,
  );
  await visit(customerId, registered(customerId, daysAgo(3)));

  await scanCustomerFiles(s.deps);
  expect(await reports(customerId)).toHaveLength(0);
  const res = await completenessOf(customerId, clerk);
  expect(res.data!.customer.fileCompleteness).toMatchObject({
    status: 'COMPLETE',
    missingItems: [],
    late: false,
    reportedAt: null,
  });
  expect(res.data!.customer.fileCompleteness!.completedAt).not.toBeNull();
  expect((await worklist(false)).map((n) => n.customer.id)).not.toContain(customerId);
});

it('R-CU-6 an incomplete file before its deadline is on the worklist, not late, not reported', async () => {
  const customerId = await newCustomer('Xihu', null);
  await visit(customerId, registered(customerId, new Date()));
  await scanCustomerFiles(s.deps);
  expect(await reports(customerId)).toHaveLength(0);
  const res = await completenessOf(customerId, clerk);
  expect(res.data!.customer.fileCompleteness).toMatchObject({
    status: 'OPEN',
    missingItems: ['RESPONSIBLE_STAFF', 'ASSET', 'ID_COPY'],
    late: false,
  });
  expect((await worklist(false)).map((n) => n.customer.id)).toContain(customerId);
  expect((await worklist(true)).map((n) => n.customer.id)).not.toContain(customerId);
  const denied = await subgraphRequest(
    s.service.httpPort,
    `{ incompleteCustomerFiles { totalCount } }`,
    {},
    technician,
  );
  expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
});
